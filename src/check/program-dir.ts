// Where is the learner's file for an exercise? Flags first, then the workspace `init` wrote,
// then the current folder.
import { existsSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Exercise } from "../curriculum/types.js";

export interface ProgramDirOptions {
  dir?: string;
  workspace?: string;
  /** From progress: the folder `goingnats init` wrote. */
  knownWorkspace?: string;
  /** Tests and instructors: run the exercise's own starter or solution. */
  against?: "starter" | "solution";
  cwd?: string;
}

export function findProgramDir(ex: Exercise, o: ProgramDirOptions): { dir: string; found: boolean; tried: string[] } {
  if (o.against) return { dir: join(ex.dir, o.against), found: true, tried: [] };
  const cwd = o.cwd ?? process.cwd();
  if (o.dir) {
    const dir = resolve(cwd, o.dir);
    return { dir, found: existsSync(join(dir, ex.file)), tried: [dir] };
  }
  const candidates = [
    ...(o.workspace ? [join(resolve(cwd, o.workspace), ex.id)] : []),
    ...(basename(cwd) === ex.id ? [cwd] : []),
    join(cwd, ex.id),
    ...(o.knownWorkspace ? [join(o.knownWorkspace, ex.id)] : []),
    join(cwd, "goingnats-workspace", ex.id),
  ];
  for (const dir of candidates) if (existsSync(join(dir, ex.file))) return { dir, found: true, tried: candidates };
  return { dir: candidates[0], found: false, tried: candidates };
}
