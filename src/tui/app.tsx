// The full-screen app: lessons list, lesson or exercise, status line. Everything it talks to (curriculum,
// progress store, session, clipboard, where the learner's program is) comes in as props, so tests
// drive it against a real server without globals.
import { Box, useApp, useInput, useStdout } from "ink";
import { useCallback, useEffect, useMemo, useReducer, useRef } from "react";
import type { ExerciseRun, RunOptions } from "../check/engine.js";
import { findProgramDir } from "../check/program-dir.js";
import type { Curriculum, Exercise } from "../curriculum/types.js";
import type { Progress } from "../progress/store.js";
import { namespaceVars } from "../render/namespace-vars.js";
import { reachOf } from "../server/reach.js";
import type { Session } from "../server/session.js";
import { copyToClipboard } from "./clipboard.js";
import { ExercisePanel } from "./exercise-panel.js";
import type { ProgramDirInfo } from "./exercise-layout.js";
import { LessonPane } from "./lesson-pane.js";
import { OverlayPane } from "./overlay-pane.js";
import { fileProgressStore, type ProgressStore } from "./progress-store.js";
import { Sidebar } from "./sidebar.js";
import { reducer } from "./reducer.js";
import { exerciseOf, initialState, layoutOf, type Action, type Effect, type Env, type KeyInfo } from "./state.js";
import { StatusLine } from "./status-line.js";
import { TooSmall } from "./too-small.js";
import { useCheckRun } from "./use-check-run.js";
import { useServerStatus } from "./use-server-status.js";
import { useSpinner } from "./use-spinner.js";
import { useTerminalSize, type Size } from "./use-terminal-size.js";
import { useWatch } from "./use-watch.js";

export interface AppProps {
  curriculum: Curriculum;
  /** Where progress is read and written (default: the progress file). */
  store?: ProgressStore;
  /** A connected session; or `connect` to open one after the first frame. */
  session?: Session;
  connect?: () => Promise<Session>;
  /** Told about every session the app opens (the caller closes the last one on exit). */
  onSession?: (s: Session) => void;
  /** Where the learner's program for an exercise is (default: the workspace from progress, then the current folder). */
  programDir?: (ex: Exercise, progress: Progress) => ProgramDirInfo;
  /** Writes the clipboard escape sequence (default: stdout). */
  clipboard?: (text: string) => void;
  /** Fixed window size (tests). */
  size?: Size;
  color?: boolean;
  /** For screen readers: one pane at a time, words for status marks, nothing animated. */
  screenReader?: boolean;
  /** Shown once at start (e.g. the progress file could not be read). */
  warning?: string;
  /** Writes a workspace (the `i` key); default: like `goingnats init` into ./goingnats-workspace. */
  initWorkspace?: () => Promise<string>;
  runExercise?: (o: RunOptions) => Promise<ExerciseRun>;
  cwd?: string;
}

const sessionAction = (s: Session): Action => ({
  type: "session",
  namespace: namespaceVars(s.namespace),
  server: { version: s.server.version, jetstream: s.server.jetstream, url: s.target.url, detail: s.target.detail, reach: reachOf(s.target).lines },
});

const defaultProgramDir = (cwd: string | undefined) => (ex: Exercise, progress: Progress): ProgramDirInfo =>
  findProgramDir(ex, { knownWorkspace: progress.workspace, cwd });

export function App(props: AppProps) {
  const { exit } = useApp();
  const { stdout } = useStdout();
  const store = props.store ?? fileProgressStore;
  const env: Env = useMemo(
    () => ({ curriculum: props.curriculum, color: props.color ?? false, screenReader: props.screenReader ?? false }),
    [props.curriculum, props.color, props.screenReader],
  );
  const size = useTerminalSize(props.size);
  const reduce = useMemo(() => reducer(env), [env]);
  const [state, dispatch] = useReducer(reduce, undefined, () => {
    const { progress } = store.load();
    let s = initialState(env, progress, size);
    // Connected before the first frame: draw it with the server's facts and namespace already in.
    if (props.session) s = reduce(s, sessionAction(props.session));
    return props.warning ? { ...s, flash: { text: props.warning, id: 1 } } : s;
  });
  const stateRef = useRef(state);
  stateRef.current = state;

  useEffect(() => {
    if (size.cols !== state.cols || size.rows !== state.rows) dispatch({ type: "resize", ...size });
  }, [size, state.cols, state.rows]);

  // ---- server ----
  const { status: server, retry } = useServerStatus({ initial: props.session, connect: props.connect, onSession: props.onSession });
  const serverRef = useRef(server);
  serverRef.current = server;
  const toldReach = useRef(false);
  useEffect(() => {
    const s = server.session;
    if (!s) return;
    dispatch(sessionAction(s));
    // A managed server off the default port: say once how other terminals reach it (? says it again).
    const reach = reachOf(s.target);
    if (reach.needsSetup && !toldReach.current && !stateRef.current.flash) {
      toldReach.current = true;
      // Longer than other messages: it is something to copy.
      dispatch({ type: "flash", text: `${reach.lines[0]} · ? shows this again`, ms: 20_000 });
    }
  }, [server.session]);

  // ---- where the learner's program is ----
  const programDirFor = useCallback(
    (ex: Exercise) => (props.programDir ?? defaultProgramDir(props.cwd))(ex, stateRef.current.progress),
    [props.programDir, props.cwd],
  );
  const exercise = exerciseOf(state, env);
  useEffect(() => {
    if (!exercise || exercise.kind !== "program") return;
    const info = programDirFor(exercise);
    const old = stateRef.current.programDirs[exercise.id];
    if (!old || old.dir !== info.dir || old.found !== info.found) dispatch({ type: "program-dir", id: exercise.id, info });
  }, [exercise, state.progress.workspace, programDirFor]);
  // `goingnats init` in another terminal, or a folder made or removed by hand, shows up here within a
  // second or two, without a key press (a stat and a small read, only while a program exercise shows).
  const shown = exercise?.kind === "program" ? exercise : undefined;
  useEffect(() => {
    if (!shown) return;
    const t = setInterval(() => {
      let fresh;
      try {
        fresh = store.load().progress;
      } catch {
        return; // unreadable for a moment: the next tick tries again
      }
      if (fresh.workspace && fresh.workspace !== stateRef.current.progress.workspace) return dispatch({ type: "progress", progress: fresh });
      const info = programDirFor(shown);
      const old = stateRef.current.programDirs[shown.id];
      if (!old || old.dir !== info.dir || old.found !== info.found) dispatch({ type: "program-dir", id: shown.id, info });
    }, 1500);
    t.unref?.();
    return () => clearInterval(t);
  }, [shown, programDirFor, store]);

  // ---- checks ----
  const checks = useCheckRun({
    dispatch,
    session: () => serverRef.current.session,
    unavailable: () => {
      const st = serverRef.current;
      if (st.phase === "connected") return undefined;
      if (st.phase === "failed") return `No NATS server to check against: ${st.error ?? "none found"}. Start one (goingnats server start) or pass --server, then press c again.`;
      if (st.phase === "connecting") return "Still connecting to the NATS server: press c again in a moment.";
      return "Not connected to the NATS server (reconnecting…): the checks need it. Press c again once the status line shows the server is back.";
    },
    programDir: programDirFor,
    store,
    runExercise: props.runExercise,
  });
  // A connection that drops mid-check ends the check now, with a message saying why.
  useEffect(() => {
    if (server.phase !== "connected" && checks.running()) checks.connectionLost();
  }, [server.phase, checks]);
  // A check asked for while the server was away runs once it is back.
  const waiting = useRef<{ ex: Exercise; trigger: "key" | "watch" } | undefined>(undefined);
  useEffect(() => {
    if (server.phase !== "connected" || !waiting.current) return;
    const { ex, trigger } = waiting.current;
    waiting.current = undefined;
    void checks.start(ex, trigger);
  }, [server.phase, checks]);

  // ---- watch mode ----
  const watched = state.watch ? env.curriculum.exercises.get(state.watch) : undefined;
  const watchDir = watched ? state.programDirs[watched.id]?.dir : undefined;
  useWatch(
    watched && state.programDirs[watched.id]?.found ? watchDir : undefined,
    (file) => {
      if (!watched) return;
      dispatch({ type: "flash", text: `${file} changed: running the checks…` });
      void checks.start(watched, "watch");
    },
    (message) => dispatch({ type: "flash", text: message }),
    () => watched && dispatch({ type: "flash", text: `Watching ${watched.file}: every save re-runs the checks. w stops.` }),
  );

  // ---- side effects queued by the reducer ----
  const handled = useRef(0);
  const placeTimer = useRef<NodeJS.Timeout | undefined>(undefined);
  const savePlace = useCallback(() => {
    clearTimeout(placeTimer.current);
    placeTimer.current = undefined;
    const s = stateRef.current;
    if (!s.lessonId) return;
    try {
      store.savePlace(s.lessonId, s.page + 1, s.main === "exercise" ? s.exerciseId : undefined);
    } catch {
      // Losing the reading position is not worth interrupting the learner for.
    }
  }, [store]);
  const clipboard = props.clipboard ?? ((text: string) => copyToClipboard(text, (seq) => stdout.write(seq)));

  const runEffect = (e: Effect) => {
    switch (e.kind) {
      case "check": {
        const ex = env.curriculum.exercises.get(e.id);
        if (!ex) return;
        const phase = serverRef.current.phase;
        if (phase === "failed") retry();
        // The status line promises that checks wait for the server: this one starts when it is back.
        if (phase === "connecting" || phase === "reconnecting" || phase === "closed") {
          waiting.current = { ex, trigger: e.trigger };
          dispatch({ type: "flash", text: `The server is not there right now: ${ex.id} is checked as soon as it is back.` });
          return;
        }
        void checks.start(ex, e.trigger);
        return;
      }
      case "stop":
        checks.stop();
        return;
      case "hint": {
        const ex = env.curriculum.exercises.get(e.id);
        if (!ex) return;
        try {
          store.recordHint(ex.id, ex.hints.length);
          dispatch({ type: "progress", progress: store.load().progress, reveal: "hint" });
        } catch (err) {
          dispatch({ type: "flash", text: `Could not save the hint count: ${(err as Error).message}` });
        }
        return;
      }
      case "copy": {
        clipboard(e.text);
        const n = e.text.split("\n").length;
        dispatch({ type: "flash", text: `Copied ${e.what} (${n} line${n === 1 ? "" : "s"}) to the clipboard. Nothing pasted? Your terminal may block OSC 52 (tmux: set -g set-clipboard on).` });
        return;
      }
      case "save-place":
        clearTimeout(placeTimer.current);
        // Debounced: paging quickly must not write the progress file on every key.
        placeTimer.current = setTimeout(savePlace, 400);
        return;
      case "init":
        void (async () => {
          try {
            const dir = await (props.initWorkspace ?? (() => defaultInit(env.curriculum, serverRef.current.session?.namespace, props.cwd)))();
            store.setWorkspace(dir);
            dispatch({ type: "progress", progress: store.load().progress });
            dispatch({ type: "flash", text: `Wrote your workspace: ${dir}. Edit the file shown, then press c.` });
          } catch (err) {
            dispatch({ type: "flash", text: `Could not write the workspace: ${(err as Error).message}. Try goingnats init in a terminal.` });
          }
        })();
        return;
      case "quit":
        savePlace();
        void checks.stopAll();
        exit();
        return;
    }
  };
  useEffect(() => {
    const fresh = state.effects.filter((e) => e.seq > handled.current);
    if (fresh.length === 0) return;
    handled.current = fresh[fresh.length - 1].seq;
    dispatch({ type: "effects-done", upTo: handled.current });
    for (const e of fresh) runEffect(e);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [state.effects]);
  useEffect(() => () => clearTimeout(placeTimer.current), []);

  // Messages after an action fade after a few seconds.
  useEffect(() => {
    if (!state.flash) return;
    const id = state.flash.id;
    const t = setTimeout(() => dispatch({ type: "flash-clear", id }), state.flash.ms ?? 5000);
    return () => clearTimeout(t);
  }, [state.flash]);

  // ---- keys ----
  useInput((input, key) => {
    const k: KeyInfo = key;
    // Several keys can arrive in one chunk ("jjj" from a fast typist or tmux send-keys): one at a time.
    if (input.length > 1 && !key.ctrl && !key.meta && /^[\x20-\x7e]+$/.test(input)) {
      for (const ch of input) dispatch({ type: "key", input: ch, key: {} });
      return;
    }
    dispatch({ type: "key", input, key: k });
  });

  // A screen reader would read every turn of a spinner: it gets a word that stays put.
  const turning = useSpinner(state.active !== null && !env.screenReader);
  const spinner = env.screenReader ? "running" : turning;
  const lay = layoutOf(state);
  if (lay.tooSmall) return <TooSmall cols={state.cols} rows={state.rows} />;
  const main = state.overlay ? (
    <OverlayPane state={state} env={env} width={lay.mainWidth} height={lay.bodyRows} />
  ) : state.main === "exercise" && exercise ? (
    <ExercisePanel state={state} env={env} width={lay.mainWidth} height={lay.bodyRows} spinner={spinner} />
  ) : (
    <LessonPane state={state} env={env} width={lay.mainWidth} height={lay.bodyRows} />
  );
  return (
    <Box flexDirection="column" width={state.cols} height={lay.height}>
      <Box flexDirection="row" height={lay.bodyRows}>
        {lay.showSidebar && <Sidebar state={state} curriculum={env.curriculum} width={lay.sidebarWidth} height={lay.bodyRows} color={env.color} spinner={spinner} words={env.screenReader} />}
        {lay.showSidebar && lay.showMain && <Box width={1} height={lay.bodyRows} borderStyle="single" borderTop={false} borderBottom={false} borderRight={false} />}
        {lay.showMain && main}
      </Box>
      <StatusLine state={state} env={env} server={server} width={state.cols} curriculum={env.curriculum} />
    </Box>
  );
}

async function defaultInit(curriculum: Curriculum, namespace: string | undefined, cwd: string | undefined): Promise<string> {
  const { existsSync, readdirSync } = await import("node:fs");
  const { resolve } = await import("node:path");
  const dir = resolve(cwd ?? process.cwd(), "goingnats-workspace");
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} exists and is not empty (goingnats init ${dir} --force adds what is missing)`);
  const { writeWorkspace } = await import("../workspace/init.js");
  const { VERSION } = await import("../cli/version.js");
  return writeWorkspace(curriculum, dir, { vars: namespaceVars(namespace), goingnatsVersion: VERSION }).dir;
}
