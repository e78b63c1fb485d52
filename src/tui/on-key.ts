// Keys, interpreted against the newest state: one handler per pane (lessons, lesson, exercise) and
// one for overlays, plus moving between lessons, pages and exercises.

import { join } from "node:path";
import { exerciseState } from "../progress/status.js";
import { clamp, type Focus } from "./layout.js";
import { solutionFiles } from "./overlay-content.js";
import {
  clampEx,
  cursorFor,
  clampScroll,
  effect,
  exerciseForLesson,
  exerciseOf,
  exerciseOrder,
  exerciseView,
  firstVisibleBlock,
  flash,
  hscrollOf,
  layoutOf,
  lessonOf,
  overlayLinesOf,
  overlayOverflow,
  pageOf,
  pageOverflow,
  refocus,
  type Env,
  type KeyInfo,
  type State,
} from "./state.js";

export function onKey(s: State, env: Env, input: string, key: KeyInfo): State {
  if (key.ctrl && input === "c") return effect(s, { kind: "quit" });
  if (s.overlay) return onOverlayKey(s, env, input, key);
  if (input === "?") return { ...s, overlay: { kind: "help", scroll: 0 } };
  if (input === "q") return effect(s, { kind: "quit" });
  if (input === "z") return zoom(s, env);
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

/** One pane at a time at any width, for presenting on a projector; screen readers always have it. */
function zoom(s: State, env: Env): State {
  if (env.screenReader) return flash(s, "Screen-reader mode always shows one pane at a time.");
  const onePane = !s.onePane;
  const focus = onePane && s.focus === "sidebar" ? (s.main === "exercise" ? "exercise" : "lesson") : s.focus;
  const next = { ...s, onePane, focus } as State;
  return flash({ ...next, scroll: clampScroll(next, env, s.scroll) }, onePane ? "The lessons list is hidden: z shows it again (Tab still reaches it)." : "The lessons list is back.");
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
    if (target === "lesson") return s.main === "lesson" ? { ...s, focus: "lesson" } : effect({ ...s, focus: "lesson", main: "lesson" }, { kind: "save-place" });
    return { ...s, focus: "sidebar", cursor: cursorFor(s) };
  }
  return s;
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
  } else if (s.main !== "exercise" || s.exerciseId !== id) {
    next = effect(next, { kind: "save-place" });
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
    // A snippet with hidden set-up lines (imports, connect) is copied whole, so it runs when pasted.
    const what = `code block ${s.block + 1} of ${blocks.length}${b.toRun ? ", with its set-up lines" : ""}`;
    return effect(s, { kind: "copy", text: b.toRun ?? b.text, what });
  }
  if (key.return) {
    const id = exerciseForLesson(s, env);
    if (!id) return flash(s, "This lesson has no exercise: n goes on to the next page.");
    return openExercise(s, env, id, false);
  }
  return undefined;
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
    // The app says "Watching" once the watcher is live. One run now, so the panel shows where the
    // file stands before the first save.
    const watching = { ...s, watch: ex.id };
    return s.active ? watching : effect(watching, { kind: "check", id: ex.id, trigger: "watch" });
  }
  if (input === "t") {
    if (!run?.run && !run?.checks.some((c) => c.result)) return flash(s, "No run yet: c runs the checks, then t shows what went over the wire.");
    return { ...s, overlay: { kind: "timeline", scroll: 0 } };
  }
  if (input === "s") {
    if (exerciseState(s.progress, ex.id) !== "passed") return flash(s, "The solution opens once your checks pass. Stuck? h shows a hint.");
    return { ...s, overlay: { kind: "solution", scroll: 0 } };
  }
  if (input === "y") {
    // A long path wraps in the pane, and a mouse selection would pick up the line break.
    const pd = s.programDirs[ex.id];
    if (ex.kind !== "program") return flash(s, "A task exercise has no file: press c and act while the check watches.");
    if (!pd?.found) return flash(s, "No file yet: your workspace was not found (goingnats init, or i).");
    return effect(s, { kind: "copy", text: join(pd.dir, ex.file), what: `the path of your ${ex.file}` });
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
  if (input === ">" || input === "<") {
    const overflow = overlayOverflow(s, env);
    if (overflow === 0) return flash(s, "Everything here fits: nothing to shift sideways.");
    return { ...s, overlay: { ...o, hscroll: clamp((o.hscroll ?? 0) + (input === ">" ? HSTEP : -HSTEP), 0, overflow) } };
  }
  if (input === "y" && o.kind === "solution") {
    const ex = exerciseOf(s, env);
    const first = ex ? solutionFiles(ex)[0] : undefined;
    if (first) return effect(s, { kind: "copy", text: first.text, what: `solution ${first.file}` });
  }
  if (key.tab) return { ...s, overlay: null };
  return s;
}
