// How the learner commands load lessons and find the lesson or exercise a learner typed. Content
// problems go to stderr as file:line: message and the rest still works; nothing loadable is an error.
import { loadCurriculum, formatProblem } from "../curriculum/load.js";
import type { Curriculum, Exercise, Lesson } from "../curriculum/types.js";
import { CliError, EXIT } from "../cli/exit-codes.js";
import { loadProgress, warnOnce, type Progress } from "../progress/store.js";

export async function loadContent(): Promise<Curriculum> {
  const c = await loadCurriculum();
  for (const p of c.problems) process.stderr.write(`${formatProblem(p)}\n`);
  if (c.lessons.length === 0 && c.exercises.size === 0) {
    throw new CliError(
      c.problems.length
        ? "no lesson or exercise could be loaded (see the problems above)"
        : `no lessons found in ${c.root}/lessons (is GOINGNATS_CONTENT right?)`,
      EXIT.content,
    );
  }
  return c;
}

/** Progress for reading; a corrupt file's warning is printed once. */
export function readProgress(): Progress {
  const { progress, warning } = loadProgress();
  warnOnce(warning);
  return progress;
}

/** A lesson by id, by number ("1", "01") or by position. */
export function findLesson(c: Curriculum, arg: string): Lesson | undefined {
  const byId = c.lessons.find((l) => l.id === arg);
  if (byId) return byId;
  if (/^\d+$/.test(arg)) {
    const n = Number.parseInt(arg, 10);
    return c.lessons.find((l) => l.order === n) ?? c.lessons[n - 1];
  }
  return undefined;
}

export function lessonOrExit(c: Curriculum, arg: string): Lesson {
  const lesson = findLesson(c, arg);
  if (!lesson) throw new CliError(`no lesson "${arg}". Lessons: ${lessonIds(c)}`, EXIT.usage);
  return lesson;
}

export function exerciseOrExit(c: Curriculum, arg: string): Exercise {
  const ex = c.exercises.get(arg);
  if (!ex) {
    const ids = [...c.exercises.keys()];
    const close = ids.filter((id) => id.includes(arg) || arg.includes(id));
    throw new CliError(
      `no exercise "${arg}". ${close.length ? `Did you mean: ${close.join(", ")}? ` : ""}Exercises: ${ids.join(", ") || "(none)"}` +
        `\n(run "goingnats list" to see them by lesson)`,
      EXIT.usage,
    );
  }
  return ex;
}

export function lessonIds(c: Curriculum): string {
  return c.lessons.map((l) => `${lessonNumber(c, l)} ${l.id}`).join(", ") || "(none)";
}

/** The lesson's number as the learner sees it (from its file name, else its position). */
export function lessonNumber(c: Curriculum, l: Lesson): number {
  return l.order !== 999 ? l.order : c.lessons.indexOf(l) + 1;
}
