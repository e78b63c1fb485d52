// Parses every lesson and exercise file. Loaded only when the curriculum cache is out of date,
// because the YAML parser is the slowest thing `list` would otherwise load.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { parseExercise } from "./exercise.js";
import { parseLesson } from "./lesson.js";
import type { ContentProblem, Curriculum, Exercise, Lesson } from "./types.js";

export function parseCurriculum(root: string): Curriculum {
  const problems: ContentProblem[] = [];
  const lessons = loadLessons(join(root, "lessons"), problems);
  const exercises = new Map<string, Exercise>();
  const exercisesDir = join(root, "exercises");
  const lessonOf = new Map<string, Lesson>();
  for (const lesson of lessons) for (const id of lesson.exercises) lessonOf.set(id, lesson);

  for (const id of listDirs(exercisesDir)) {
    const dir = join(exercisesDir, id);
    const file = join(dir, "exercise.yaml");
    if (!existsSync(file)) {
      problems.push({ file: dir, line: 1, message: "folder has no exercise.yaml" });
      continue;
    }
    const ex = parseExercise(readFileSync(file, "utf8"), dir, id, problems, lessonOf.get(id)?.requires);
    if (ex) exercises.set(id, ex);
  }

  // Cross-references: a lesson names its exercises, an exercise names its lesson.
  for (const lesson of lessons) {
    lesson.exercises = lesson.exercises.filter((id) => {
      const ex = exercises.get(id);
      if (!ex) {
        problems.push({ file: lesson.file, line: 1, message: `lists exercise "${id}", which is missing or could not be loaded` });
        return false;
      }
      if (ex.lesson !== lesson.id) problems.push({ file: ex.definitionFile, line: 1, message: `says lesson "${ex.lesson}", but it is listed by lesson "${lesson.id}"` });
      return true;
    });
  }
  for (const ex of exercises.values()) {
    if (!lessonOf.has(ex.id)) problems.push({ file: ex.definitionFile, line: 1, message: `no lesson lists this exercise; add it to the "exercises" of lesson "${ex.lesson}"` });
  }
  return { lessons, exercises, problems, root };
}

function loadLessons(dir: string, problems: ContentProblem[]): Lesson[] {
  const lessons: Lesson[] = [];
  const seen = new Map<string, string>();
  if (!existsSync(dir)) return lessons;
  for (const name of readdirSync(dir).filter((n) => n.endsWith(".md")).sort()) {
    const file = join(dir, name);
    const order = Number.parseInt(name, 10);
    const lesson = parseLesson(readFileSync(file, "utf8"), file, Number.isFinite(order) ? order : 999, problems);
    if (!lesson) continue;
    const dup = seen.get(lesson.id);
    if (dup) {
      problems.push({ file, line: 2, message: `id "${lesson.id}" is already used by ${dup}` });
      continue;
    }
    seen.set(lesson.id, file);
    lessons.push(lesson);
  }
  return lessons.sort((a, b) => a.order - b.order);
}

function listDirs(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    // `_shared/` and the like hold code several checks import, not an exercise.
    .filter((n) => !n.startsWith(".") && !n.startsWith("_") && statSync(join(dir, n)).isDirectory())
    .sort();
}

