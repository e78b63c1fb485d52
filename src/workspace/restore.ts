// Put starter files back in a workspace (`goingnats reset --workspace`), keeping the learner's version.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Exercise } from "../curriculum/types.js";
import { listFiles, replaceWithBackup } from "./files.js";

export interface Restored {
  file: string;
  /** Where the learner's version was kept, when it differed from the starter. */
  backup?: string;
  /** The file was missing and has been written. */
  created: boolean;
}

export function restoreStarters(exercises: Exercise[], workspace: string): Restored[] {
  const out: Restored[] = [];
  for (const ex of exercises) {
    const starter = join(ex.dir, "starter");
    for (const rel of listFiles(starter)) {
      const to = join(workspace, ex.id, rel);
      const existed = existsSync(to);
      const backup = replaceWithBackup(join(starter, rel), to);
      if (backup || !existed) out.push({ file: to, backup, created: !existed });
    }
  }
  return out;
}
