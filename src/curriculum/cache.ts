// A parsed copy of the curriculum, so `list`, the welcome screen and the TUI start without loading a
// YAML parser. It is keyed by every content file's path, size and mtime plus goingnats' version:
// any edit to a lesson or exercise makes the next load parse again. An installed package also ships
// one made by the build (see readPackagedCache), for its very first start.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { stateDir } from "../progress/paths.js";
import type { Curriculum } from "./types.js";

interface CacheFile {
  key: string;
  curriculum: Omit<Curriculum, "exercises"> & { exercises: Array<[string, Curriculum["exercises"] extends Map<string, infer E> ? E : never]> };
}

/** Every content file whose change must invalidate a cache, in a fixed order. */
function contentFiles(root: string): string[] {
  const files: string[] = [];
  const lessons = join(root, "lessons");
  if (existsSync(lessons)) for (const n of readdirSync(lessons).sort()) files.push(join(lessons, n));
  const exercises = join(root, "exercises");
  if (existsSync(exercises)) {
    for (const id of readdirSync(exercises).sort()) {
      const dir = join(exercises, id);
      files.push(dir, join(dir, "exercise.yaml"), join(dir, "check.ts"), join(dir, "starter"), join(dir, "solution"));
    }
  }
  return files;
}

function statOf(file: string, withTime = true): string {
  try {
    const s = statSync(file);
    // A folder's size depends on the file system: only a file's size says what is in it.
    const size = s.isDirectory() ? "dir" : String(s.size);
    return withTime ? `${size}:${s.mtimeMs}` : size;
  } catch {
    return "-";
  }
}

/** Everything whose change must invalidate the cache. */
export function contentKey(root: string, version: string): string {
  return [version, root, ...contentFiles(root).map((f) => `${f}:${statOf(f)}`)].join("\n");
}

/** For the packaged cache: where the package was installed and when do not matter, only what is in it. */
export function packagedKey(root: string, version: string): string {
  return [version, ...contentFiles(root).map((f) => `${relative(root, f)}:${statOf(f, false)}`)].join("\n");
}

// Stands for the content root in the packaged cache, whose paths must work wherever it is installed.
const ROOT = "@@GOINGNATS_ROOT@@";
const jsonText = (s: string) => JSON.stringify(s).slice(1, -1);

/** The packaged cache's text (the build writes it to dist/start-cache.json). */
export function packagedCacheText(root: string, version: string, c: Curriculum): string {
  const data: CacheFile = { key: packagedKey(root, version), curriculum: { ...c, exercises: [...c.exercises] } };
  return JSON.stringify(data).split(jsonText(root)).join(ROOT);
}

/**
 * The curriculum as the build parsed it, shipped in dist/, so that even the first start of an
 * installed package (`npx goingnats`) skips parsing. Only for an installed package, whose content
 * does not change: a checkout (src/ present) always parses its own files.
 */
export function readPackagedCache(root: string, version: string): Curriculum | undefined {
  if (existsSync(join(root, "src"))) return undefined;
  try {
    const text = readFileSync(join(root, "dist", "start-cache.json"), "utf8");
    const data = JSON.parse(text.split(ROOT).join(jsonText(root))) as CacheFile;
    if (data.key !== packagedKey(root, version)) return undefined;
    return { ...data.curriculum, exercises: new Map(data.curriculum.exercises) };
  } catch {
    return undefined;
  }
}

function cachePath(): string {
  return join(stateDir(), "curriculum-cache.json");
}

export function readCache(key: string): Curriculum | undefined {
  try {
    const data = JSON.parse(readFileSync(cachePath(), "utf8")) as CacheFile;
    if (data.key !== key) return undefined;
    return { ...data.curriculum, exercises: new Map(data.curriculum.exercises) };
  } catch {
    return undefined;
  }
}

export function writeCache(key: string, c: Curriculum): void {
  try {
    mkdirSync(stateDir(), { recursive: true });
    const file = cachePath();
    const tmp = `${file}.${process.pid}.tmp`;
    const data: CacheFile = { key, curriculum: { ...c, exercises: [...c.exercises] } };
    writeFileSync(tmp, JSON.stringify(data));
    renameSync(tmp, file);
  } catch {
    // A cache that cannot be written only costs speed.
  }
}
