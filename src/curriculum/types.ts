// What lessons and exercises look like once loaded. The files themselves are content (lessons/*.md,
// exercises/<id>/exercise.yaml); see docs/authoring.md for their format.

export interface Requirements {
  /** The lesson or exercise needs JetStream enabled on the server. */
  jetstream: boolean;
  /** Minimum nats-server version, e.g. "2.10.0". */
  server?: string;
}

export interface CodeBlock {
  lang: string;
  /** Words after the language in the fence: run, norun, bg, expect=... */
  attrs: Record<string, string | true>;
  /** The code as run: hidden `///` lines included, without their prefix. */
  code: string;
  /** The code as shown: hidden lines left out. */
  shown: string;
  /** 1-based line of the opening fence in the lesson file. */
  line: number;
}

export interface LessonPage {
  /** Markdown of this page, hidden code lines removed. */
  markdown: string;
  /** 1-based line where the page starts in the file. */
  line: number;
  title: string;
  blocks: CodeBlock[];
}

export interface Lesson {
  id: string;
  title: string;
  summary: string;
  minutes: number;
  requires: Requirements;
  exercises: string[];
  pages: LessonPage[];
  file: string;
  /** Position in the curriculum (from the file name's number). */
  order: number;
}

export type ExerciseKind = "task" | "program";

export interface Exercise {
  id: string;
  title: string;
  lesson: string;
  kind: ExerciseKind;
  prompt: string;
  hints: string[];
  requires: Requirements;
  /** How long a run may take before goingnats stops waiting (and stops learner programs). */
  timeLimitMs: number;
  /**
   * The file in starter/ and solution/ (and in the learner's workspace): the program to edit for a
   * program exercise, the reference steps (e.g. steps.sh) for a task exercise.
   */
  file: string;
  /** Substring the failure on the starter must contain (the test suite asserts it). */
  starterFailsWith: string;
  dir: string;
  /** exercises/<id>/exercise.yaml */
  definitionFile: string;
  checkFile: string;
}

export interface ContentProblem {
  file: string;
  line: number;
  message: string;
}

export interface Curriculum {
  lessons: Lesson[];
  exercises: Map<string, Exercise>;
  problems: ContentProblem[];
  root: string;
}
