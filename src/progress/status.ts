// Where the learner stands: each exercise's mark, each lesson's share done, and the next step with the
// exact command to run. Shared by `goingnats`, `list` and `progress` so they always agree.
import type { Curriculum, Exercise, Lesson } from "../curriculum/types.js";
import type { Progress } from "./store.js";

export type ExerciseState = "passed" | "failed" | "started" | "not-started";

export function exerciseState(p: Progress, id: string): ExerciseState {
  return p.exercises[id]?.status ?? "not-started";
}

export interface NextStep {
  lesson: Lesson;
  exercise?: Exercise;
  /** The learner has not opened this lesson yet: read it first. */
  read: boolean;
  /** Commands to run, in order. */
  commands: string[];
}

/** The first exercise (in lesson order) not yet passed; undefined when everything is done. */
export function nextStep(c: Curriculum, p: Progress): NextStep | undefined {
  for (const lesson of c.lessons) {
    const opened = p.lastLesson === lesson.id || p.lastPage?.[lesson.id] !== undefined || lesson.exercises.some((id) => p.exercises[id]);
    const exercise = lesson.exercises.map((id) => c.exercises.get(id)).find((ex) => ex && exerciseState(p, ex.id) !== "passed");
    // A lesson without exercises counts as done once it has been opened.
    if (!exercise && (lesson.exercises.length > 0 || opened)) continue;
    const commands: string[] = [];
    if (!opened) commands.push(`goingnats show ${lesson.id}`);
    if (exercise) {
      if (exercise.kind === "program" && !p.workspace) commands.push("goingnats init");
      commands.push(`goingnats check ${exercise.id}`);
    }
    return { lesson, exercise, read: !opened, commands };
  }
  return undefined;
}

export interface Totals {
  passed: number;
  total: number;
  /** Whole percent. */
  percent: number;
}

export function totals(c: Curriculum, p: Progress, lessons: Lesson[] = c.lessons): Totals {
  const ids = lessons.flatMap((l) => l.exercises);
  const passed = ids.filter((id) => exerciseState(p, id) === "passed").length;
  return { passed, total: ids.length, percent: ids.length ? Math.round((100 * passed) / ids.length) : 0 };
}

/** Labels for what a lesson needs from the server (list does not connect, so it only labels). */
export function requirementLabels(l: { requires: { jetstream: boolean; server?: string } }): string[] {
  const labels: string[] = [];
  if (l.requires.jetstream) labels.push("needs JetStream");
  if (l.requires.server) labels.push(`needs nats-server ${l.requires.server.replace(/\.0$/, "")}+`);
  return labels;
}
