// Loads every lesson and exercise. A malformed file is reported (file, line, what) and skipped;
// the rest still loads. A cache keyed by the files' sizes and times skips parsing when nothing changed
// (the first start of an installed package uses the one the build shipped).
import { VERSION } from "../cli/version.js";
import { contentKey, readCache, readPackagedCache, writeCache } from "./cache.js";
import { contentRoot } from "./paths.js";
import type { ContentProblem, Curriculum, Exercise } from "./types.js";

export async function loadCurriculum(root = contentRoot(), opts: { cache?: boolean } = {}): Promise<Curriculum> {
  const key = opts.cache === false ? "" : contentKey(root, VERSION);
  const cached = key ? readCache(key) : undefined;
  if (cached) return cached;
  const packaged = key ? readPackagedCache(root, VERSION) : undefined;
  if (packaged) {
    writeCache(key, packaged);
    return packaged;
  }
  const { parseCurriculum } = await import("./parse.js");
  const parsed = parseCurriculum(root);
  if (key) writeCache(key, parsed);
  return parsed;
}

export function findExercise(curriculum: Curriculum, id: string): Exercise | undefined {
  return curriculum.exercises.get(id);
}

export function formatProblem(p: ContentProblem): string {
  return `${p.file}:${p.line}: ${p.message}`;
}
