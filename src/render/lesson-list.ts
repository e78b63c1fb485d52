// The lesson list with progress marks, shared by `goingnats` (welcome) and `goingnats list`.
import type { Curriculum } from "../curriculum/types.js";
import { exerciseState, nextStep, requirementLabels, totals, type NextStep } from "../progress/status.js";
import type { Progress } from "../progress/store.js";
import { lessonNumber } from "./content.js";
import type { Palette } from "./palette.js";

// Titles are plain text; counting code points avoids loading string-width (its emoji regex costs
// ~25 ms at start-up, and `list` should stay fast).
const width = (s: string): number => [...s].length;

export const MARKS = { passed: "✓", failed: "✗", "not-started": "·", started: "·", next: "▸" } as const;

export function renderLessonList(c: Curriculum, p: Progress, pal: Palette): string[] {
  const next = nextStep(c, p);
  const all = totals(c, p);
  const out: string[] = [pal.strong(`Lessons`) + (all.total ? pal.dim(`  ${all.passed} of ${all.total} exercises done (${all.percent}%)`) : ""), ""];
  const titleWidth = Math.max(0, ...c.lessons.map((l) => width(l.title)));
  const idWidth = Math.max(0, ...c.lessons.flatMap((l) => l.exercises.map((id) => id.length)));
  for (const lesson of c.lessons) {
    const t = totals(c, p, [lesson]);
    const done = t.total > 0 && t.passed === t.total;
    const num = String(lessonNumber(c, lesson)).padStart(2);
    const needs = requirementLabels(lesson).map((s) => pal.accent(s));
    const facts = [`~${lesson.minutes} min`, t.total ? `${t.passed}/${t.total}` : "", ...needs].filter(Boolean).join(pal.dim("  ·  "));
    const title = lesson.title + " ".repeat(titleWidth - width(lesson.title));
    const mark = done ? pal.ok(MARKS.passed) : next?.lesson === lesson ? pal.accent(MARKS.next) : " ";
    out.push(`${mark} ${pal.dim(num)}  ${done ? pal.ok(title) : pal.strong(title)}  ${pal.dim(lesson.id)}  ${facts}`);
    for (const id of lesson.exercises) {
      const ex = c.exercises.get(id);
      const state = exerciseState(p, id);
      const isNext = next?.exercise?.id === id;
      const mark = isNext ? pal.accent(MARKS.next) : state === "passed" ? pal.ok(MARKS.passed) : state === "failed" ? pal.bad(MARKS.failed) : pal.dim(MARKS[state]);
      const note = isNext ? pal.accent("  ← next") : state === "failed" ? pal.dim("  (last run failed)") : "";
      out.push(`       ${mark} ${id.padEnd(idWidth)}  ${pal.dim(ex ? `${ex.kind}: ${ex.title}` : "")}${note}`);
    }
  }
  return out;
}

export function renderNextStep(c: Curriculum, next: NextStep | undefined, pal: Palette): string[] {
  if (!next) {
    if (c.lessons.length === 0) return [];
    return [pal.ok("All done: every exercise passed. ") + "Re-read any lesson with " + pal.code("goingnats show <lesson>") + "."];
  }
  const what = next.exercise
    ? `exercise ${pal.strong(next.exercise.id)} (${next.exercise.title}) in lesson ${lessonNumber(c, next.lesson)} "${next.lesson.title}"`
    : `lesson ${lessonNumber(c, next.lesson)} "${next.lesson.title}"`;
  const steps = next.commands.map((cmd) => `  ${pal.dim("$")} ${pal.code(cmd)}`);
  return [`${pal.strong("Next:")} ${what}`, ...steps];
}

/** The same list for graders and scripts (`list --json`). */
export function lessonListJson(c: Curriculum, p: Progress): unknown {
  const next = nextStep(c, p);
  return {
    ...totals(c, p),
    next: next ? { lesson: next.lesson.id, exercise: next.exercise?.id ?? null, commands: next.commands } : null,
    lessons: c.lessons.map((l) => ({
      number: lessonNumber(c, l),
      id: l.id,
      title: l.title,
      summary: l.summary,
      minutes: l.minutes,
      requires: l.requires,
      labels: requirementLabels(l),
      ...totals(c, p, [l]),
      exercises: l.exercises.map((id) => {
        const ex = c.exercises.get(id);
        const e = p.exercises[id];
        return {
          id,
          title: ex?.title ?? "",
          kind: ex?.kind ?? null,
          status: exerciseState(p, id),
          attempts: e?.attempts ?? 0,
          hintsShown: e?.hintsShown ?? 0,
          next: next?.exercise?.id === id,
        };
      }),
    })),
    problems: c.problems,
  };
}
