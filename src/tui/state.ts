// The TUI's model: navigation, panes, runs and progress in one reducer. Input handlers only dispatch
// keys (they would read stale state otherwise); side effects (run a check, copy, save, quit) are queued
// in `effects` and carried out by the app, so every key is interpreted against the newest state.
import type { EngineEvent, ExerciseRun } from "../check/engine.js";
import { unmetRequirement } from "../curriculum/requirements.js";
import type { Curriculum, Exercise, Lesson } from "../curriculum/types.js";
import { exerciseState } from "../progress/status.js";
import type { Progress } from "../progress/store.js";
import { exerciseLayout, type ExerciseLayout, type ProgramDirInfo } from "./exercise-layout.js";
import { clamp, computeLayout, type Focus, type Layout } from "./layout.js";
import { pageLayout, type PageLayout } from "./lesson-layout.js";
import { helpLines, solutionFiles, solutionLines, timelineLines } from "./overlay-content.js";
import { applyEvent, failedRun, finishedRun, startedRun, type RunView } from "./run-view.js";

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

export type Overlay = { kind: "help" | "timeline" | "solution"; scroll: number } | null;

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
  server?: { version: string; jetstream: boolean };
  programDirs: Record<string, ProgramDirInfo>;
  runs: Record<string, RunView>;
  /** The exercise whose run is in progress (one at a time). */
  active: string | null;
  /** The exercise in watch mode. */
  watch: string | null;
  flash: { text: string; id: number } | null;
  effects: Array<Effect & { seq: number }>;
  seq: number;
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
  | { type: "session"; namespace: { ns: string; NS: string }; server: { version: string; jetstream: boolean } }
  | { type: "program-dir"; id: string; info: ProgramDirInfo }
  | { type: "run-start"; id: string; trigger: "key" | "watch"; now: number }
  | { type: "run-event"; id: string; event: EngineEvent }
  | { type: "run-end"; id: string; run: ExerciseRun; now: number }
  | { type: "run-fail"; id: string; problem: string; now: number }
  | { type: "watch"; id: string | null }
  | { type: "flash"; text: string }
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
  const s: State = {
    ...size,
    focus: "lesson",
    main: "lesson",
    items,
    cursor: Math.max(0, items.findIndex((i) => i.kind === "lesson" && i.id === lessonId)),
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
  return { ...s, block: firstVisibleBlock(s, env) };
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
  const layout = pageLayout(page?.markdown ?? "", layoutOf(s).textWidth, s.vars, env.color);
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

// ---- the reducer ----

export function reducer(env: Env) {
  return (s: State, a: Action): State => {
    switch (a.type) {
      case "key":
        return onKey(s, env, a.input, a.key);
      case "resize": {
        const next = { ...s, cols: a.cols, rows: a.rows };
        return { ...next, scroll: clampScroll(next, env, next.scroll), block: refocus(next, env) };
      }
      case "effects-done":
        return { ...s, effects: s.effects.filter((e) => e.seq > a.upTo) };
      case "progress": {
        // Position fields are ours (saved on a debounce); exercises and workspace come from the file.
        const progress = { ...a.progress, lastLesson: s.progress.lastLesson, lastPage: s.progress.lastPage };
        const next = { ...s, progress };
        if (a.reveal === "hint") {
          const view = exerciseView(next, env);
          if (view) return { ...next, exScroll: clampEx(next, env, view.lastHintAt - 2) };
        }
        return next;
      }
      case "session":
        // The same facts again (the first frame already had them) change nothing: no redraw.
        if (s.vars.ns === a.namespace.ns && s.vars.NS === a.namespace.NS && s.server?.version === a.server.version && s.server?.jetstream === a.server.jetstream) return s;
        return { ...s, vars: a.namespace, server: a.server };
      case "program-dir":
        return { ...s, programDirs: { ...s.programDirs, [a.id]: a.info } };
      case "run-start": {
        const next = { ...s, active: a.id, runs: { ...s.runs, [a.id]: startedRun(a.trigger, a.now) } };
        // Not clamped: the results are about to grow below this line; the panel clamps when drawing.
        const view = exerciseView(next, env);
        return a.id === s.exerciseId && view ? { ...next, exScroll: view.checksAt } : next;
      }
      case "run-event": {
        const run = s.runs[a.id];
        return run ? { ...s, runs: { ...s.runs, [a.id]: applyEvent(run, a.event) } } : s;
      }
      case "run-end": {
        const run = s.runs[a.id] ?? startedRun("key", a.now);
        return { ...s, active: s.active === a.id ? null : s.active, runs: { ...s.runs, [a.id]: finishedRun(run, a.run, a.now) } };
      }
      case "run-fail": {
        const run = s.runs[a.id] ?? startedRun("key", a.now);
        const next = { ...s, active: s.active === a.id ? null : s.active, runs: { ...s.runs, [a.id]: failedRun(run, a.problem, a.now) } };
        const view = exerciseView(next, env);
        return a.id === s.exerciseId && view ? { ...next, exScroll: clampEx(next, env, view.checksAt) } : next;
      }
      case "watch":
        return { ...s, watch: a.id };
      case "flash":
        return flash(s, a.text);
      case "flash-clear":
        return s.flash?.id === a.id ? { ...s, flash: null } : s;
    }
  };
}

function flash(s: State, text: string): State {
  return { ...s, flash: { text, id: (s.flash?.id ?? 0) + 1 } };
}

function effect(s: State, e: Effect): State {
  const seq = s.seq + 1;
  return { ...s, seq, effects: [...s.effects, { ...e, seq }] };
}

function onKey(s: State, env: Env, input: string, key: KeyInfo): State {
  if (key.ctrl && input === "c") return effect(s, { kind: "quit" });
  if (s.overlay) return onOverlayKey(s, env, input, key);
  if (input === "?") return { ...s, overlay: { kind: "help", scroll: 0 } };
  if (input === "q") return effect(s, { kind: "quit" });
  if (key.tab) return cycleFocus(s, env, key.shift ? -1 : 1);
  const lay = layoutOf(s);
  if (s.focus === "sidebar") {
    const handled = onSidebarKey(s, env, input, key);
    if (handled) return handled;
    if (s.main === "exercise" && lay.showMain) return onExerciseKey(s, env, input, key) ?? s;
    return s;
  }
  if (s.focus === "lesson") return onLessonKey(s, env, input, key) ?? s;
  return onExerciseKey(s, env, input, key) ?? s;
}

function cycleFocus(s: State, env: Env, dir: 1 | -1): State {
  const order: Focus[] = ["sidebar", "lesson", "exercise"];
  let i = order.indexOf(s.focus);
  for (let n = 0; n < order.length; n++) {
    i = (i + dir + order.length) % order.length;
    const target = order[i];
    if (target === "exercise") {
      const id = exerciseForLesson(s, env);
      if (!id) continue;
      return openExercise(s, env, id, false);
    }
    if (target === "lesson") return { ...s, focus: "lesson", main: "lesson" };
    return { ...s, focus: "sidebar", cursor: cursorFor(s) };
  }
  return s;
}

/** The sidebar cursor on whatever the main pane shows. */
function cursorFor(s: State): number {
  const i =
    s.main === "exercise" && s.exerciseId
      ? s.items.findIndex((it) => it.kind === "exercise" && it.id === s.exerciseId)
      : s.items.findIndex((it) => it.kind === "lesson" && it.id === s.lessonId);
  return i >= 0 ? i : s.cursor;
}

function onSidebarKey(s: State, env: Env, input: string, key: KeyInfo): State | undefined {
  const h = layoutOf(s).contentRows;
  const last = s.items.length - 1;
  const move = (to: number) => ({ ...s, cursor: clamp(to, 0, Math.max(0, last)) });
  if (key.downArrow || input === "j") return move(s.cursor + 1);
  if (key.upArrow || input === "k") return move(s.cursor - 1);
  if (key.pageDown || input === " ") return move(s.cursor + h - 1);
  if (key.pageUp || input === "b") return move(s.cursor - (h - 1));
  if (key.home || input === "g") return move(0);
  if (key.end || input === "G") return move(last);
  if (key.return || key.rightArrow || input === "l") {
    const item = s.items[s.cursor];
    if (!item) return s;
    if (item.kind === "lesson") return openLesson(s, env, item.id, undefined);
    return openExercise(s, env, item.id, true);
  }
  return undefined;
}

function openLesson(s: State, env: Env, id: string, page: number | "last" | undefined): State {
  const lesson = env.curriculum.lessons.find((l) => l.id === id);
  if (!lesson) return s;
  const remembered = (s.progress.lastPage?.[id] ?? 1) - 1;
  const p = page === "last" ? lesson.pages.length - 1 : page ?? remembered;
  const next: State = { ...s, focus: "lesson", main: "lesson", lessonId: id, page: clamp(p, 0, lesson.pages.length - 1), scroll: 0 };
  return placeChanged(withCursor(next), env);
}

function openExercise(s: State, env: Env, id: string, resetScroll: boolean): State {
  const ex = env.curriculum.exercises.get(id);
  if (!ex) return s;
  const sameLesson = ex.lesson === s.lessonId;
  let next: State = { ...s, focus: "exercise", main: "exercise", exerciseId: id, exScroll: resetScroll || s.exerciseId !== id ? 0 : s.exScroll };
  if (!sameLesson && env.curriculum.lessons.some((l) => l.id === ex.lesson)) {
    const page = clamp((s.progress.lastPage?.[ex.lesson] ?? 1) - 1, 0, Number.MAX_SAFE_INTEGER);
    next = placeChanged({ ...next, lessonId: ex.lesson, page, scroll: 0 }, env);
  }
  return withCursor(next);
}

function withCursor(s: State): State {
  return { ...s, cursor: cursorFor(s) };
}

/** Lesson or page changed: remember it (saved on a debounce) and focus the first code block in view. */
function placeChanged(s: State, env: Env): State {
  const lesson = lessonOf(s, env);
  const page = lesson ? clamp(s.page, 0, lesson.pages.length - 1) : 0;
  const progress = { ...s.progress, lastLesson: s.lessonId, lastPage: { ...s.progress.lastPage, [s.lessonId]: page + 1 } };
  const next = { ...s, page, progress, block: -1, hscroll: 0 };
  return effect({ ...next, block: firstVisibleBlock(next, env) }, { kind: "save-place" });
}

function maxScroll(s: State, env: Env): number {
  return Math.max(0, pageOf(s, env).lines.length - layoutOf(s).contentRows);
}

function clampScroll(s: State, env: Env, to: number): number {
  return clamp(to, 0, maxScroll(s, env));
}

function firstVisibleBlock(s: State, env: Env): number {
  const { blocks } = pageOf(s, env);
  const top = s.scroll;
  const bottom = s.scroll + layoutOf(s).contentRows;
  const i = blocks.findIndex((b) => b.start >= top && b.start < bottom);
  if (i >= 0) return i;
  return blocks.findIndex((b) => b.start < bottom && b.end >= top);
}

/** Keep the focused block if any of it is in view, else focus the first one in view. */
function refocus(s: State, env: Env): number {
  const b = pageOf(s, env).blocks[s.block];
  const bottom = s.scroll + layoutOf(s).contentRows;
  if (b && b.start < bottom && b.end >= s.scroll) return s.block;
  return firstVisibleBlock(s, env);
}

function scrollTo(s: State, env: Env, to: number): State {
  const next = { ...s, scroll: clampScroll(s, env, to) };
  return { ...next, block: refocus(next, env) };
}

/** Columns one `>` or `<` shifts wide code by. */
const HSTEP = 8;

function onLessonKey(s: State, env: Env, input: string, key: KeyInfo): State | undefined {
  const h = layoutOf(s).contentRows;
  const lessons = env.curriculum.lessons;
  const li = lessons.findIndex((l) => l.id === s.lessonId);
  const lesson = lessons[li];
  if (key.downArrow || input === "j") return scrollTo(s, env, s.scroll + 1);
  if (key.upArrow || input === "k") return scrollTo(s, env, s.scroll - 1);
  if (key.pageDown || input === " " || (key.ctrl && input === "f")) return scrollTo(s, env, s.scroll + h - 1);
  if (key.pageUp || input === "b" || (key.ctrl && input === "b")) return scrollTo(s, env, s.scroll - (h - 1));
  if (key.home || input === "g") return scrollTo(s, env, 0);
  if (key.end || input === "G") return scrollTo(s, env, Number.MAX_SAFE_INTEGER);
  if (input === "n" || key.rightArrow) {
    if (lesson && s.page < lesson.pages.length - 1) return placeChanged({ ...s, page: s.page + 1, scroll: 0 }, env);
    const nextLesson = lessons[li + 1];
    if (nextLesson) return openLesson(s, env, nextLesson.id, 0);
    return flash(s, "This is the last page of the last lesson.");
  }
  if (input === "p" || key.leftArrow) {
    if (s.page > 0) return placeChanged({ ...s, page: s.page - 1, scroll: 0 }, env);
    const prev = lessons[li - 1];
    if (prev) return openLesson(s, env, prev.id, "last");
    return flash(s, "This is the first page.");
  }
  const { blocks } = pageOf(s, env);
  if (input === "]" || input === "[") {
    if (blocks.length === 0) return flash(s, "No code block on this page.");
    const to = input === "]" ? Math.min(s.block + 1, blocks.length - 1) : Math.max(s.block - 1, 0);
    const b = blocks[to];
    let scroll = s.scroll;
    // Bring the whole block into view when it fits, else its top.
    if (b.end >= s.scroll + h) scroll = Math.min(b.start, b.end - h + 1);
    if (b.start < s.scroll) scroll = b.start;
    return { ...s, block: to, scroll: clampScroll(s, env, scroll) };
  }
  if (input === ">" || input === "<") {
    const overflow = pageOverflow(s, env);
    if (overflow === 0) return flash(s, "Everything on this page fits: nothing to shift sideways.");
    return { ...s, hscroll: clamp(hscrollOf(s, env) + (input === ">" ? HSTEP : -HSTEP), 0, overflow) };
  }
  if (input === "y") {
    const b = blocks[s.block];
    if (!b) return flash(s, blocks.length ? "No code block in view: ] focuses the next one." : "No code block on this page.");
    return effect(s, { kind: "copy", text: b.text, what: `code block ${s.block + 1} of ${blocks.length}` });
  }
  if (key.return) {
    const id = exerciseForLesson(s, env);
    if (!id) return flash(s, "This lesson has no exercise: n goes on to the next page.");
    return openExercise(s, env, id, false);
  }
  return undefined;
}

function clampEx(s: State, env: Env, to: number): number {
  const view = exerciseView(s, env);
  const max = Math.max(0, (view?.lines.length ?? 0) - layoutOf(s).contentRows);
  return clamp(to, 0, max);
}

function onExerciseKey(s: State, env: Env, input: string, key: KeyInfo): State | undefined {
  const ex = exerciseOf(s, env);
  if (!ex) return undefined;
  const h = layoutOf(s).contentRows;
  const run = s.runs[ex.id];
  const ex2 = (to: number) => ({ ...s, exScroll: clampEx(s, env, to) });
  if (key.downArrow || input === "j") return ex2(s.exScroll + 1);
  if (key.upArrow || input === "k") return ex2(s.exScroll - 1);
  if (key.pageDown || input === " ") return ex2(s.exScroll + h - 1);
  if (key.pageUp || input === "b") return ex2(s.exScroll - (h - 1));
  if (key.home || input === "g") return ex2(0);
  if (key.end || input === "G") return ex2(Number.MAX_SAFE_INTEGER);
  if (input === "c" || input === "r" || key.return) {
    if (s.active) return flash(s, `A check is running (${s.active}): x stops it.`);
    return effect(s, { kind: "check", id: ex.id, trigger: "key" });
  }
  if (input === "x" || key.escape) {
    if (!s.active) return key.escape ? s : flash(s, "No check is running.");
    return effect(s, { kind: "stop" });
  }
  if (input === "h") {
    const shown = s.progress.exercises[ex.id]?.hintsShown ?? 0;
    if (ex.hints.length === 0) return flash(s, "This exercise has no hints.");
    if (shown >= ex.hints.length) {
      const view = exerciseView(s, env);
      return flash({ ...s, exScroll: clampEx(s, env, (view?.lastHintAt ?? 0) - 2) }, `All ${ex.hints.length} hints are shown below.`);
    }
    return effect(s, { kind: "hint", id: ex.id });
  }
  if (input === "w") {
    if (ex.kind !== "program") return flash(s, "Watch mode is for program exercises. Here: press c, then act while the check watches.");
    if (s.watch === ex.id) return flash({ ...s, watch: null }, "Watch mode off.");
    const pd = s.programDirs[ex.id];
    if (!pd?.found) return flash(s, "Nothing to watch yet: your workspace was not found (goingnats init, or i).");
    // The app says "Watching" once the watcher is live.
    return { ...s, watch: ex.id };
  }
  if (input === "t") {
    if (!run?.run && !run?.checks.some((c) => c.result)) return flash(s, "No run yet: c runs the checks, then t shows what went over the wire.");
    return { ...s, overlay: { kind: "timeline", scroll: 0 } };
  }
  if (input === "s") {
    if (exerciseState(s.progress, ex.id) !== "passed") return flash(s, "The solution opens once your checks pass. Stuck? h shows a hint.");
    return { ...s, overlay: { kind: "solution", scroll: 0 } };
  }
  if (input === "i") {
    if (ex.kind !== "program") return flash(s, "A task exercise needs no workspace: press c and act while the check watches.");
    if (s.programDirs[ex.id]?.found) return flash(s, "Your workspace is already there (see \"Your file\").");
    return effect(s, { kind: "init" });
  }
  if (input === "n" || input === "p") {
    const order = exerciseOrder(env);
    const i = order.indexOf(ex.id) + (input === "n" ? 1 : -1);
    if (i < 0 || i >= order.length) return flash(s, input === "n" ? "This is the last exercise." : "This is the first exercise.");
    return openExercise(s, env, order[i], true);
  }
  return undefined;
}

/** The lines the open overlay shows (the overlay component draws the same). */
export function overlayLinesOf(s: State, env: Env): string[] {
  if (!s.overlay) return [];
  if (s.overlay.kind === "help") return helpLines(env.color);
  const ex = exerciseOf(s, env);
  if (s.overlay.kind === "timeline") return timelineLines(ex ? s.runs[ex.id] : undefined, env.color);
  return ex ? solutionLines(ex, layoutOf(s).textWidth, env.color) : [];
}

function onOverlayKey(s: State, env: Env, input: string, key: KeyInfo): State {
  const o = s.overlay!;
  if (key.escape || input === "?" && o.kind === "help" || input === "t" && o.kind === "timeline" || input === "s" && o.kind === "solution") return { ...s, overlay: null };
  if (input === "q") return effect(s, { kind: "quit" });
  if (input === "?") return { ...s, overlay: { kind: "help", scroll: 0 } };
  const h = layoutOf(s).contentRows;
  const max = Math.max(0, overlayLinesOf(s, env).length - h);
  const to = (n: number) => ({ ...s, overlay: { ...o, scroll: clamp(n, 0, max) } });
  if (key.downArrow || input === "j") return to(o.scroll + 1);
  if (key.upArrow || input === "k") return to(o.scroll - 1);
  if (key.pageDown || input === " ") return to(o.scroll + h - 1);
  if (key.pageUp || input === "b") return to(o.scroll - (h - 1));
  if (key.home || input === "g") return to(0);
  if (key.end || input === "G") return to(max);
  if (input === "y" && o.kind === "solution") {
    const ex = exerciseOf(s, env);
    const first = ex ? solutionFiles(ex)[0] : undefined;
    if (first) return effect(s, { kind: "copy", text: first.text, what: `solution ${first.file}` });
  }
  if (key.tab) return { ...s, overlay: null };
  return s;
}
