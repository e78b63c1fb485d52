// What `goingnats show <exercise>` prints: the task, its kind and time limit, where the file is, and
// exactly how to check it.
import { join } from "node:path";
import type { Curriculum, Exercise } from "../curriculum/types.js";
import { exerciseState } from "../progress/status.js";
import type { Progress } from "../progress/store.js";
import { lessonNumber } from "./content.js";
import { renderLines } from "./markdown.js";
import { substituteVars } from "./namespace-vars.js";
import { palette } from "./palette.js";
import { requirementLabels } from "../progress/status.js";

export function exerciseView(
  c: Curriculum,
  ex: Exercise,
  p: Progress,
  width: number,
  vars: { ns: string; NS: string },
  raw: boolean,
): string {
  if (raw) return substituteVars(ex.prompt, vars);
  const pal = palette();
  const lesson = c.lessons.find((l) => l.id === ex.lesson);
  const state = exerciseState(p, ex.id);
  const hintsShown = p.exercises[ex.id]?.hintsShown ?? 0;
  const seconds = Math.round(ex.timeLimitMs / 1000);
  const facts = [
    ex.kind === "program" ? "program: edit a starter file" : "task: act with any tool while the check watches",
    `time limit ${seconds} s`,
    lesson ? `lesson ${lessonNumber(c, lesson)} ${lesson.id}` : `lesson ${ex.lesson}`,
    ...requirementLabels(ex),
  ];
  const out = [
    `${pal.heading(ex.title)}  ${pal.dim(ex.id)}`,
    pal.dim(facts.join(" · ")),
    state === "passed" ? pal.ok("✓ passed") : state === "failed" ? pal.bad("✗ last run failed") : "",
    "",
    ...renderLines(ex.prompt, width, { vars }),
    "",
    ...renderLines(howToCheck(ex, p.workspace, seconds), width, {}),
  ];
  const left = ex.hints.length - hintsShown;
  out.push("", pal.dim(left > 0 ? `Stuck? goingnats hint ${ex.id}  (${left} hint${left === 1 ? "" : "s"} left)` : `All ${ex.hints.length} hints shown: goingnats hint ${ex.id} shows them again.`));
  return out.filter((l, i) => !(l === "" && out[i - 1] === "")).join("\n");
}

/** Markdown, so commands land in code blocks: never wrapped, easy to copy. */
function howToCheck(ex: Exercise, workspace: string | undefined, seconds: number): string {
  if (ex.kind === "task") {
    return [
      "### How to check it",
      "",
      "```sh",
      `goingnats check ${ex.id}`,
      "```",
      "",
      `While it watches (up to ${seconds} s), do the task from another terminal: the NATS CLI, your own code, anything.`,
      ...(ex.requires.jetstream ? ["", CLEAN_SLATE] : []),
    ].join("\n");
  }
  const where = workspace
    ? `Edit \`${join(workspace, ex.id, ex.file)}\`, then:`
    : `Create your workspace once with \`goingnats init\`, edit \`${ex.id}/${ex.file}\` there, then (from the workspace folder, or add \`--workspace DIR\`):`;
  return [
    "### How to check it",
    "",
    where,
    "",
    "```sh",
    `goingnats check ${ex.id}`,
    "```",
    "",
    `The check runs your program against the server and judges what it does on the wire; it is stopped after ${seconds} s. ` +
      `Another language? \`goingnats check ${ex.id} --run "<command>"\``,
  ].join("\n");
}

/**
 * JetStream tasks judge what the learner creates while the check watches, so the checks delete a
 * stream, bucket or store of the exercise's name when they start and again when they are done.
 * Learners should not be surprised to find it gone.
 */
export const CLEAN_SLATE =
  "Every try starts from a clean slate: when the check starts, it deletes the streams and buckets of this exercise that an earlier try left (so what you create while it watches is what it judges), and when it is done it deletes them again, so you can repeat the exercise.";
