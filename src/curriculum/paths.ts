import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let root: string | undefined;

/** The goingnats package folder (has package.json, lessons/, exercises/), from src/ or from dist/. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, "utf8")).name === "goingnats") return (root = dir);
    dir = dirname(dir);
  }
  throw new Error("goingnats: cannot find its own package.json; is the installation complete?");
}

/** Where lessons/ and exercises/ live; GOINGNATS_CONTENT points elsewhere (instructors' own content). */
export function contentRoot(): string {
  return process.env.GOINGNATS_CONTENT || packageRoot();
}
