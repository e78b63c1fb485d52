// The TUI's model: what the state holds, and the views derived from it that the reducer (reducer.ts),
// the key handlers (on-key.ts) and the components share. Input handlers only dispatch keys (they would
// read stale state otherwise); side effects (run a check, copy, save, quit) are queued in `effects` and
// carried out by the app, so every key is interpreted against the newest state.
import type { EngineEvent, ExerciseRun } from "../check/engine.js";
import { unmetRequirement } from "../curriculum/requirements.js";
import type { Curriculum, Exercise, Lesson } from "../curriculum/types.js";
import { exerciseState } from "../progress/status.js";
import type { Progress } from "../progress/store.js";
import { exerciseLayout, type ExerciseLayout, type ProgramDirInfo } from "./exercise-layout.js";
import { clamp, computeLayout, type Focus, type Layout } from "./layout.js";
import { pageLayout, type PageLayout } from "./lesson-layout.js";
import { helpLines, solutionLines, timelineLines } from "./overlay-content.js";
import type { RunView } from "./run-view.js";
import stringWidth from "string-width";
import wrapAnsi from "wrap-ansi";

export interface Env {
  curriculum: Curriculum;
  color: boolean;
  /** For screen readers: one pane at a time, words for status marks, nothing animated. */
  screenReader?: boolean;
}

export type SidebarItem = { kind: "lesson"; id: string } | { kind: "exercise"; id: string; lesson: string };

export type Effect =
  | { kind: "check"; id: string; trigger: "key" | "watch" }
  | { kind: "stop" }
  | { kind: "hint"; id: string }
  | { kind: "copy"; text: string; what: string }
  | { kind: "save-place" }
  | { kind: "init" }
  | { kind: "quit" };

/** hscroll: columns the overlay is shifted left by (`>`/`<`, for code wider than the pane). */
export type Overlay = { kind: "help" | "timeline" | "solution"; scroll: number; hscroll?: number } | null;

export interface State {
  cols: number;
  rows: number;
  focus: Focus;
  /** What the main pane shows (also while the sidebar has the focus). */
  main: "lesson" | "exercise";
  items: SidebarItem[];
  cursor: number;
  lessonId: string;
  /** 0-based page of the open lesson. */
  page: number;
  scroll: number;
  /** Draw one pane at a time whatever the width (screen-reader mode). */
  onePane: boolean;
  /** Columns that code blocks wider than the pane are shifted left by (`>` and `<`). */
  hscroll: number;
  /** Focused code block on the page, -1 for none. */
  block: number;
  exerciseId?: string;
  exScroll: number;
  overlay: Overlay;
  progress: Progress;
  vars: { ns: string; NS: string };
  server?: ServerFacts;
  programDirs: Record<string, ProgramDirInfo>;
  runs: Record<string, RunView>;
  /** The exercise whose run is in progress (one at a time). */
  active: string | null;
  /** The exercise in watch mode. */
  watch: string | null;
  /** A short message in the status line; `ms`: how long it stays (default 5 s). */
  flash: { text: string; id: number; ms?: number } | null;
  effects: Array<Effect & { seq: number }>;
  seq: number;
}

/** What the app shows about the server: the facts the lessons depend on, and how to reach it from elsewhere. */
export interface ServerFacts {
  version: string;
  jetstream: boolean;
  url?: string;
  /** How it was found, in words. */
  detail?: string;
  /** How other terminals reach it (reach.ts). */
  reach?: string[];
}

export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  shift?: boolean;
  ctrl?: boolean;
}

export type Action =
  | { type: "key"; input: string; key: KeyInfo }
  | { type: "resize"; cols: number; rows: number }
  | { type: "effects-done"; upTo: number }
  | { type: "progress"; progress: Progress; reveal?: "hint" }
  | { type: "session"; namespace: { ns: string; NS: string }; server: ServerFacts }
  | { type: "program-dir"; id: string; info: ProgramDirInfo }
  | { type: "run-start"; id: string; trigger: "key" | "watch"; now: number }
  | { type: "run-event"; id: string; event: EngineEvent }
  | { type: "run-end"; id: string; run: ExerciseRun; now: number }
  | { type: "run-fail"; id: string; problem: string; now: number }
  | { type: "watch"; id: string | null }
  | { type: "flash"; text: string; ms?: number }
  | { type: "flash-clear"; id: number };

export function sidebarItems(c: Curriculum): SidebarItem[] {
  return c.lessons.flatMap((l): SidebarItem[] => [
    { kind: "lesson", id: l.id },
    ...l.exercises.filter((id) => c.exercises.has(id)).map((id): SidebarItem => ({ kind: "exercise", id, lesson: l.id })),
  ]);
}

export function initialState(env: Env, progress: Progress, size: { cols: number; rows: number }): State {
  const lessons = env.curriculum.lessons;
  // Resume where the learner stopped; a first visit starts at lesson 1, ready to read.
  const last = lessons.find((l) => l.id === progress.lastLesson) ?? lessons[0];
  const items = sidebarItems(env.curriculum);
  const lessonId = last?.id ?? "";
  const page = last ? clamp((progress.lastPage?.[last.id] ?? 1) - 1, 0, last.pages.length - 1) : 0;
  // An exercise that was open beside that lesson opens again, so a learner mid-exercise is back at it.
  const exercise = progress.lastExercise && env.curriculum.exercises.get(progress.lastExercise)?.lesson === lessonId ? progress.lastExercise : undefined;
  const s: State = {
    ...size,
    focus: exercise ? "exercise" : "lesson",
    main: exercise ? "exercise" : "lesson",
    exerciseId: exercise,
    items,
    cursor: 0,
    lessonId,
    page,
    scroll: 0,
    onePane: env.screenReader ?? false,
    hscroll: 0,
    block: -1,
    exScroll: 0,
    overlay: null,
    progress,
    vars: { ns: "", NS: "" },
    programDirs: {},
    runs: {},
    active: null,
    watch: null,
    flash: null,
    effects: [],
    seq: 0,
  };
  return { ...s, cursor: cursorFor(s), block: firstVisibleBlock(s, env) };
}

/** The sidebar cursor on whatever the main pane shows. */
export function cursorFor(s: State): number {
  const i =
    s.main === "exercise" && s.exerciseId
      ? s.items.findIndex((it) => it.kind === "exercise" && it.id === s.exerciseId)
      : s.items.findIndex((it) => it.kind === "lesson" && it.id === s.lessonId);
  return i >= 0 ? i : s.cursor;
}

// ---- derived views (shared with the components) ----

export function layoutOf(s: State): Layout {
  return computeLayout(s.cols, s.rows, s.focus, s.onePane);
}

export function lessonOf(s: State, env: Env): Lesson | undefined {
  return env.curriculum.lessons.find((l) => l.id === s.lessonId);
}

export function pageOf(s: State, env: Env): PageLayout {
  const lesson = lessonOf(s, env);
  const page = lesson?.pages[s.page];
  const layout = pageLayout(page?.markdown ?? "", layoutOf(s).textWidth, s.vars, env.color, page?.blocks.map((b) => b.code));
  return { lines: [...layout.lines, "", pageFooter(s, env)], blocks: layout.blocks };
}

/** How many columns the page's widest code block runs past the pane (0: everything fits). */
export function pageOverflow(s: State, env: Env): number {
  const width = layoutOf(s).textWidth;
  return Math.max(0, ...pageOf(s, env).blocks.map((b) => b.width - width));
}

/** The shift the lesson pane draws with: never past the widest line, also after a resize. */
export function hscrollOf(s: State, env: Env): number {
  return clamp(s.hscroll, 0, pageOverflow(s, env));
}

/** The last line of every page says what comes next, so the learner never has to guess a key. */
function pageFooter(s: State, env: Env): string {
  const lesson = lessonOf(s, env);
  if (!lesson) return "";
  const dim = env.color ? (t: string) => `\x1b[2m${t}\x1b[22m` : (t: string) => t;
  if (s.page < lesson.pages.length - 1) return dim(`── page ${s.page + 1} of ${lesson.pages.length} · n: next page ──`);
  const ex = exerciseForLesson(s, env);
  const li = env.curriculum.lessons.indexOf(lesson);
  const next = env.curriculum.lessons[li + 1];
  const parts = [ex ? `Enter: exercise ${ex}` : "", next ? "n: next lesson" : ""].filter(Boolean);
  return dim(`── end of the lesson${parts.length ? ` · ${parts.join(" · ")}` : ""} ──`);
}

export function exerciseOf(s: State, env: Env): Exercise | undefined {
  return s.exerciseId ? env.curriculum.exercises.get(s.exerciseId) : undefined;
}

export function unmetFor(s: State, req: Exercise["requires"]): string | undefined {
  return s.server ? unmetRequirement(req, s.server) : undefined;
}

export function exerciseView(s: State, env: Env, spinner = "⠋"): ExerciseLayout | undefined {
  const ex = exerciseOf(s, env);
  if (!ex) return undefined;
  return exerciseLayout({
    ex,
    progress: s.progress,
    run: s.runs[ex.id],
    width: layoutOf(s).textWidth,
    vars: s.vars,
    color: env.color,
    programDir: s.programDirs[ex.id],
    watching: s.watch === ex.id,
    unmet: unmetFor(s, ex.requires),
    spinner,
    words: env.screenReader,
  });
}

/** Where the exercise pane goes from this lesson: the open exercise if it belongs here, else the first not passed. */
export function exerciseForLesson(s: State, env: Env): string | undefined {
  const lesson = lessonOf(s, env);
  if (!lesson) return s.exerciseId;
  const ids = lesson.exercises.filter((id) => env.curriculum.exercises.has(id));
  if (s.exerciseId && ids.includes(s.exerciseId)) return s.exerciseId;
  return ids.find((id) => exerciseState(s.progress, id) !== "passed") ?? ids[0];
}

export function exerciseOrder(env: Env): string[] {
  return [...new Set(env.curriculum.lessons.flatMap((l) => l.exercises))].filter((id) => env.curriculum.exercises.has(id));
}

/** The lines the open overlay shows (the overlay component draws the same). Prose is wrapped; code is not. */
export function overlayLinesOf(s: State, env: Env): string[] {
  if (!s.overlay) return [];
  const width = layoutOf(s).textWidth;
  if (s.overlay.kind === "help") return wrapHanging(helpLines(env.color, s.server), width);
  const ex = exerciseOf(s, env);
  if (s.overlay.kind === "timeline") return wrapHanging(timelineLines(ex ? s.runs[ex.id] : undefined, env.color), width);
  return ex ? solutionLines(ex, width, env.color) : [];
}

/** How far the overlay's widest line runs past the pane (the solution's code; prose is wrapped). */
export function overlayOverflow(s: State, env: Env): number {
  const width = layoutOf(s).textWidth;
  return Math.max(0, ...overlayLinesOf(s, env).map((l) => stringWidth(l) - width));
}

/** Long lines wrap under their own text (past the indent and a key or time column), not at the edge. */
function wrapHanging(lines: string[], width: number): string[] {
  return lines.flatMap((line) => {
    if (stringWidth(line) <= width) return [line];
    const plain = line.replace(/\x1b\[[0-9;]*m/g, "");
    // Continue under the text after the indent and a first column ("  +12 ms → ", "  c           ").
    const col = /^(\s*\S.*?\s{2,})/.exec(plain)?.[1].length ?? /^\s*/.exec(plain)![0].length;
    const indent = col > width / 2 ? 2 : col;
    const rows = wrapAnsi(line, width, { hard: true, trim: false }).split("\n");
    if (rows.length <= 1) return rows;
    const rest = wrapAnsi(rows.slice(1).join(" ").trimStart(), Math.max(10, width - indent), { hard: true, trim: true }).split("\n");
    return [rows[0], ...rest.map((r) => " ".repeat(indent) + r)];
  });
}

// ---- small steps shared by the reducer and the key handlers ----

export function flash(s: State, text: string, ms?: number): State {
  return { ...s, flash: { text, id: (s.flash?.id ?? 0) + 1, ...(ms ? { ms } : {}) } };
}

export function effect(s: State, e: Effect): State {
  const seq = s.seq + 1;
  return { ...s, seq, effects: [...s.effects, { ...e, seq }] };
}

export function maxScroll(s: State, env: Env): number {
  return Math.max(0, pageOf(s, env).lines.length - layoutOf(s).contentRows);
}

export function clampScroll(s: State, env: Env, to: number): number {
  return clamp(to, 0, maxScroll(s, env));
}

export function firstVisibleBlock(s: State, env: Env): number {
  const { blocks } = pageOf(s, env);
  const top = s.scroll;
  const bottom = s.scroll + layoutOf(s).contentRows;
  const i = blocks.findIndex((b) => b.start >= top && b.start < bottom);
  if (i >= 0) return i;
  return blocks.findIndex((b) => b.start < bottom && b.end >= top);
}

/** Keep the focused block if any of it is in view, else focus the first one in view. */
export function refocus(s: State, env: Env): number {
  const b = pageOf(s, env).blocks[s.block];
  const bottom = s.scroll + layoutOf(s).contentRows;
  if (b && b.start < bottom && b.end >= s.scroll) return s.block;
  return firstVisibleBlock(s, env);
}

export function clampEx(s: State, env: Env, to: number): number {
  const view = exerciseView(s, env);
  const max = Math.max(0, (view?.lines.length ?? 0) - layoutOf(s).contentRows);
  return clamp(to, 0, max);
}
