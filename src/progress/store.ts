// The learner's progress: one small JSON file in the state folder, written atomically, with a format
// version. A file we cannot read is moved aside (never deleted) so nothing the learner did is lost silently.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { stateDir } from "./paths.js";

export interface ExerciseProgress {
  status: "passed" | "failed" | "started";
  attempts: number;
  hintsShown: number;
  firstPassedAt?: string;
  lastRunAt?: string;
}

export interface Progress {
  version: 1;
  exercises: Record<string, ExerciseProgress>;
  lastLesson?: string;
  /** Per lesson id: the page last shown (1-based). */
  lastPage?: Record<string, number>;
  /** The exercise open in the app when the learner left it (absent: they were reading the lesson). */
  lastExercise?: string;
  /** The folder `goingnats init` wrote, so `check` can find the learner's files without a flag. */
  workspace?: string;
}

export const PROGRESS_VERSION = 1;

export function progressFile(): string {
  return join(stateDir(), "progress.json");
}

export function emptyProgress(): Progress {
  return { version: 1, exercises: {} };
}

export function loadProgress(): { progress: Progress; warning?: string } {
  const file = progressFile();
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { progress: emptyProgress() };
    throw err;
  }
  let why: string | undefined;
  let data: unknown;
  try {
    data = JSON.parse(text);
    why = shapeProblem(data);
  } catch {
    why = "it is not valid JSON";
  }
  if (!why) return { progress: normalise(data as Progress) };

  const kept = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, "-")}`;
  renameSync(file, kept);
  return {
    progress: emptyProgress(),
    warning: `your progress file could not be read (${why}); it was kept as ${kept} and goingnats starts with empty progress`,
  };
}

export function saveProgress(p: Progress): void {
  const file = progressFile();
  mkdirSync(stateDir(), { recursive: true });
  // Temp file in the same folder so the rename is atomic: a crash leaves the old file or the new one.
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  const fd = openSync(tmp, "w", 0o644);
  try {
    writeSync(fd, JSON.stringify(p, null, 2) + "\n");
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, file);
  } catch (err) {
    if (existsSync(tmp)) unlinkSync(tmp);
    throw err;
  }
}

export function updateProgress(fn: (p: Progress) => void): { progress: Progress; warning?: string } {
  const { progress, warning } = loadProgress();
  fn(progress);
  saveProgress(progress);
  return { progress, warning };
}

function entry(p: Progress, id: string): ExerciseProgress {
  return (p.exercises[id] ??= { status: "started", attempts: 0, hintsShown: 0 });
}

/** One check run finished. A passed exercise stays passed (a later failed re-run does not undo it). */
export function recordRun(exerciseId: string, passed: boolean): void {
  const { warning } = updateProgress((p) => {
    const e = entry(p, exerciseId);
    const now = new Date().toISOString();
    e.attempts++;
    e.lastRunAt = now;
    if (passed) {
      e.status = "passed";
      e.firstPassedAt ??= now;
    } else if (e.status !== "passed") e.status = "failed";
  });
  warnOnce(warning);
}

/** One more hint shown; returns how many are shown now (capped at `max` when given). */
export function recordHint(exerciseId: string, max?: number): number {
  let shown = 0;
  const { warning } = updateProgress((p) => {
    const e = entry(p, exerciseId);
    e.hintsShown = max === undefined ? e.hintsShown + 1 : Math.min(e.hintsShown + 1, max);
    shown = e.hintsShown;
  });
  warnOnce(warning);
  return shown;
}

/** Print a load warning to stderr (once per process: several updates may hit the same corrupt file). */
let warned = false;
export function warnOnce(warning: string | undefined): void {
  if (!warning || warned) return;
  warned = true;
  process.stderr.write(`goingnats: warning: ${warning}\n`);
}

function shapeProblem(d: unknown): string | undefined {
  if (!d || typeof d !== "object" || Array.isArray(d)) return "it is not a JSON object";
  const o = d as Record<string, unknown>;
  if (typeof o.version !== "number") return "it has no format version";
  if (o.version > PROGRESS_VERSION) return `it has format version ${o.version}, written by a newer goingnats`;
  if (o.version !== PROGRESS_VERSION) return `unknown format version ${o.version}`;
  if (!o.exercises || typeof o.exercises !== "object" || Array.isArray(o.exercises)) return `"exercises" is not a map`;
  for (const [id, e] of Object.entries(o.exercises as Record<string, unknown>)) {
    const x = e as Record<string, unknown> | null;
    if (!x || typeof x !== "object" || !["passed", "failed", "started"].includes(x.status as string) || typeof x.attempts !== "number") {
      return `the entry for exercise "${id}" is malformed`;
    }
  }
  if (o.lastLesson !== undefined && typeof o.lastLesson !== "string") return `"lastLesson" is not text`;
  if (o.lastExercise !== undefined && typeof o.lastExercise !== "string") return `"lastExercise" is not text`;
  if (o.lastPage !== undefined && (typeof o.lastPage !== "object" || o.lastPage === null || Array.isArray(o.lastPage))) return `"lastPage" is not a map`;
  if (o.workspace !== undefined && typeof o.workspace !== "string") return `"workspace" is not text`;
  return undefined;
}

/** Fill fields older files may lack, so callers can rely on them. */
function normalise(p: Progress): Progress {
  for (const e of Object.values(p.exercises)) if (typeof e.hintsShown !== "number") e.hintsShown = 0;
  return p;
}
