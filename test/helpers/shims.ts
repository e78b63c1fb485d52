// A folder with `goingnats` and `nats` on PATH for the lesson and task-exercise tests. The NATS CLI
// cannot be installed here, so `nats` runs goingnats' NATS-CLI-compatible pub/sub/request/reply.
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

let dir: string | undefined;

/** The folder holding the shims (created once per test process). */
export function shimDir(): string {
  if (dir) return dir;
  dir = mkdtempSync(join(tmpdir(), "goingnats-shims-"));
  mkdirSync(dir, { recursive: true });
  const tsx = fileURLToPath(import.meta.resolve("tsx"));
  const script = `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${join(repoRoot, "src", "cli", "main.ts")}" "$@"\n`;
  for (const name of ["goingnats", "nats"]) {
    writeFileSync(join(dir, name), script);
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

/** PATH with the shims first. */
export function pathWithShims(): string {
  return `${shimDir()}:${process.env.PATH ?? ""}`;
}
