// Parses exercises/<id>/exercise.yaml and checks the folder has what the engine needs.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Fields } from "./yaml-fields.js";
import { readRequirements } from "./requirements.js";
import type { ContentProblem, Exercise, Requirements } from "./types.js";

const EXERCISE_KEYS = ["title", "lesson", "kind", "prompt", "hints", "requires", "time_limit", "file", "test"] as const;

export function parseExercise(
  text: string,
  dir: string,
  id: string,
  problems: ContentProblem[],
  lessonRequirements?: Requirements,
): Exercise | undefined {
  const file = join(dir, "exercise.yaml");
  const before = problems.length;
  const fields = new Fields(text, file, 1, problems);
  fields.unknownKeys(EXERCISE_KEYS);
  const kind = fields.oneOf("kind", ["task", "program"] as const);
  const test = fields.data.test as Record<string, unknown> | undefined;
  const starterFailsWith = typeof test?.starter_fails_with === "string" ? test.starter_fails_with : "";
  if (!starterFailsWith) fields.problem("test", `missing "test: { starter_fails_with: ... }": the text the starter's failure must contain`);

  const exercise: Exercise = {
    id,
    title: fields.string("title", { required: true }),
    lesson: fields.string("lesson", { required: true }),
    kind,
    prompt: fields.string("prompt", { required: true }),
    hints: fields.strings("hints"),
    requires: readRequirements(fields, lessonRequirements),
    timeLimitMs: fields.duration("time_limit", kind === "task" ? 60_000 : 15_000),
    file: fields.string("file", { required: true }),
    starterFailsWith,
    dir,
    definitionFile: file,
    checkFile: join(dir, "check.ts"),
  };
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) problems.push({ file, line: 1, message: `exercise folder "${id}" should be lowercase words joined by -` });
  if (exercise.hints.length === 0) fields.problem(undefined, `no "hints": give at least one`);
  if (!existsSync(exercise.checkFile)) problems.push({ file, line: 1, message: `missing ${exercise.checkFile}: the exercise's checks` });
  if (exercise.file) {
    for (const side of ["starter", "solution"]) {
      const p = join(dir, side, exercise.file);
      if (!existsSync(p)) fields.problem("file", `missing ${p}: "file" names the file in starter/ and solution/`);
    }
  }
  return problems.length > before ? undefined : exercise;
}
