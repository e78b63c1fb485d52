// The lesson page on screen when the app stopped, already lexed, so the next start draws it without
// warming up the markdown lexer (~40 ms of the first frame). A cache only: any problem reading it is
// a miss, any problem writing it is ignored, and a page whose text changed is lexed again.
import { readFileSync, renameSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { VERSION } from "../cli/version.js";
import { packageRoot } from "../curriculum/paths.js";
import { stateDir } from "../progress/paths.js";
import { recentTokens, seedTokens } from "../render/markdown.js";

// The page on screen and the exercise prompt beside it are the most recent.
const KEEP = 3;

function file(): string {
  return join(stateDir(), "page-cache.json");
}

export function loadPageCache(): void {
  // The learner's own, else the first lesson page the build lexed (a first start shows that one).
  if (!seedFrom(file())) seedFrom(join(packageRoot(), "dist", "start-pages.json"));
}

function seedFrom(path: string): boolean {
  try {
    const data = JSON.parse(readFileSync(path, "utf8"));
    if (data?.version !== VERSION || !Array.isArray(data.entries)) return false;
    seedTokens(data.entries);
    return true;
  } catch {
    // No cache yet, or not readable: the page is lexed as usual.
    return false;
  }
}

/** Synchronous: it runs on the way out, also from a signal handler. */
export function savePageCache(): void {
  try {
    mkdirSync(stateDir(), { recursive: true });
    const tmp = `${file()}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: VERSION, entries: recentTokens(KEEP) }));
    renameSync(tmp, file());
  } catch {
    // Only a cache.
  }
}
