// Small file helpers for workspaces: list a folder's files, and write without ever losing a learner's work.
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";

/** Every file under `dir`, as paths relative to it (sorted, "/"-separated). */
export function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split("\\").join("/"));
    }
  };
  walk(dir);
  return out;
}

export function readTree(dir: string): { path: string; text: string }[] {
  return listFiles(dir).map((path) => ({ path, text: readFileSync(join(dir, path), "utf8") }));
}

export function sameContent(a: string, b: string): boolean {
  return existsSync(a) && existsSync(b) && readFileSync(a).equals(readFileSync(b));
}

/** A timestamp safe in file names on every OS. */
export function stamp(date = new Date()): string {
  return date.toISOString().replace(/[:.]/g, "-");
}

/** Copy `from` over `to`, first keeping `to` as `to.bak-<timestamp>` if it differs. Returns the backup path. */
export function replaceWithBackup(from: string, to: string): string | undefined {
  mkdirSync(dirname(to), { recursive: true });
  let backup: string | undefined;
  if (existsSync(to)) {
    if (sameContent(from, to)) return undefined;
    backup = `${to}.bak-${stamp()}`;
    copyFileSync(to, backup);
  }
  copyFileSync(from, to);
  return backup;
}
