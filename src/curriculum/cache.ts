// A parsed copy of the curriculum, so `list`, the welcome screen and the TUI start without loading a
// YAML parser. It is keyed by every content file's path, size and mtime plus goingnats' version:
// any edit to a lesson or exercise makes the next load parse again.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stateDir } from "../progress/paths.js";
import type { Curriculum } from "./types.js";

interface CacheFile {
  key: string;
  curriculum: Omit<Curriculum, "exercises"> & { exercises: Array<[string, Curriculum["exercises"] extends Map<string, infer E> ? E : never]> };
}

/** Everything whose change must invalidate the cache. */
export function contentKey(root: string, version: string): string {
  const parts = [version, root];
  const add = (file: string) => {
    try {
      const s = statSync(file);
      parts.push(`${file}:${s.size}:${s.mtimeMs}`);
    } catch {
      parts.push(`${file}:-`);
    }
  };
  const lessons = join(root, "lessons");
  if (existsSync(lessons)) for (const n of readdirSync(lessons).sort()) add(join(lessons, n));
  const exercises = join(root, "exercises");
  if (existsSync(exercises)) {
    for (const id of readdirSync(exercises).sort()) {
      const dir = join(exercises, id);
      add(dir);
      add(join(dir, "exercise.yaml"));
      add(join(dir, "check.ts"));
      for (const side of ["starter", "solution"]) add(join(dir, side));
    }
  }
  return parts.join("\n");
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
