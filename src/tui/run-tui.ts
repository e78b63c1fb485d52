// Entry point of the full-screen app: loads lessons and progress while the server is found and
// connected, draws the first frame (with the server's facts when they come quickly), and restores the
// terminal on every way out (q, Ctrl-C, SIGTERM, SIGHUP, a crash), stopping the sessions and processes
// goingnats started.
import { createElement } from "react";
import type { Curriculum } from "../curriculum/types.js";
import type { Session } from "../server/session.js";
import type { ServerOptions } from "../server/types.js";

export interface RunTuiOptions {
  server: ServerOptions;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  curriculum?: Curriculum;
  /** For screen readers (also INK_SCREEN_READER=true): one pane at a time, words, no animation. */
  screenReader?: boolean;
  /** Told when the first frame was written, in ms since the process started (benchmarks). */
  onFirstFrame?: (ms: number) => void;
}

/** How long the first frame may wait for the server's facts (see below). */
const FIRST_FRAME_WAIT_MS = 150;

export async function runTui(o: RunTuiOptions): Promise<void> {
  const stdin = o.stdin ?? process.stdin;
  const stdout = o.stdout ?? process.stdout;
  // Keys typed while the app starts must arrive as typed. In the terminal's line mode, Enter would
  // come through as "\n" (which is not Enter to ink) and be echoed over the first frame.
  const rawEarly = setRaw(stdin, true);
  try {
    return await runApp(o, stdin, stdout);
  } finally {
    if (rawEarly) setRaw(stdin, false);
  }
}

function setRaw(stdin: NodeJS.ReadStream, on: boolean): boolean {
  try {
    if (!stdin.isTTY) return false;
    stdin.setRawMode(on);
    return true;
  } catch {
    return false;
  }
}

async function runApp(o: RunTuiOptions, stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream): Promise<void> {
  const marks: string[] = [];
  const mark = (what: string) => process.env.GOINGNATS_TUI_TIMING && marks.push(`${what} ${performance.now().toFixed(0)}`);
  const sessions = new Set<Session>();
  const closeSessions = () => Promise.allSettled([...sessions].map((s) => s.close()));
  const open = async () => {
    mark("connect-start");
    // Loaded side by side rather than one after the other inside openSession: the NATS client is
    // ~50 ms of module loading that would otherwise wait for the first frame to be drawn.
    void import("@nats-io/transport-node").catch(() => {});
    void import("../server/resolve.js").catch(() => {});
    void import("../server/connect.js").catch(() => {});
    const { openSession } = await import("../server/session.js");
    mark("session-imported");
    const s = await openSession({ owner: "goingnats", ...o.server }, { name: "goingnats tui" });
    mark("connected");
    return s;
  };
  // The first connection starts now: it is partly waiting on the network, which overlaps loading ink
  // and the lessons. The first frame takes it if it is ready in time; else the app takes it over.
  let early: Promise<Session> | undefined = open();
  early.catch(() => {});
  const connect = () => {
    const p = early ?? open();
    early = undefined;
    return p;
  };
  // Lessons load while ink (the slowest import: yoga's wasm) compiles.
  const content = o.curriculum ? Promise.resolve(o.curriculum) : import("../render/content.js").then((m) => m.loadContent());
  content.catch(() => {});
  const [{ render }, { App }, { loadProgress }, { enterTerminal }, { colorEnabled }, { EXIT }, { loadPageCache, savePageCache }] = await Promise.all([
    import("ink"),
    import("./app.js"),
    import("../progress/store.js"),
    import("./terminal.js"),
    import("../render/style.js"),
    import("../cli/exit-codes.js"),
    import("./page-cache.js"),
  ]);
  loadPageCache();
  mark("imports");
  // Content problems are printed before the screen switches, where the learner can read them.
  const curriculum = await content;
  const { warning } = loadProgress();
  mark("content");
  // A first frame that already shows the server saves redrawing the whole screen a moment later, so
  // wait a little for the connection started above; never long: a far or missing server shows as
  // "connecting" and the app takes the attempt over.
  let waited: NodeJS.Timeout | undefined;
  const session = await Promise.race([early?.catch(() => undefined), new Promise<undefined>((r) => (waited = setTimeout(() => r(undefined), FIRST_FRAME_WAIT_MS)))]);
  clearTimeout(waited);
  if (session) {
    early = undefined;
    sessions.add(session);
  }
  mark("waited");

  // Anything printed while the screen is drawn would tear it: keep it for after.
  const held: string[] = [];
  const original = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  for (const k of Object.keys(original) as Array<keyof typeof original>) console[k] = (...args: unknown[]) => void held.push(args.map(String).join(" "));
  const restoreConsole = () => Object.assign(console, original);

  const screenReader = o.screenReader ?? process.env.INK_SCREEN_READER === "true";
  let instance: ReturnType<typeof render> | undefined;
  const term = enterTerminal(stdout, stdin, {
    // On a signal: unmount first so ink's last frame lands on the alternate screen, not the learner's shell.
    beforeRestore: () => {
      savePageCache();
      instance?.unmount();
    },
  });

  let crash: unknown;
  const onCrash = (err: unknown) => {
    // A write failing with EIO means the terminal window was closed: a hang-up, not a crash. The
    // SIGHUP path restores what is left, stops every child and exits 129.
    if ((err as NodeJS.ErrnoException)?.code === "EIO") return void process.kill(process.pid, "SIGHUP");
    crash ??= err;
    try {
      instance?.unmount();
    } catch {
      // Already gone.
    }
    finish();
  };
  let finished = false;
  const finish = () => {
    if (finished) return;
    finished = true;
    term.restore();
    restoreConsole();
    process.off("uncaughtException", onCrash);
    process.off("unhandledRejection", onCrash);
    if (crash) {
      const e = crash as Error;
      process.stderr.write(`goingnats: the full-screen app stopped because of an error:\n  ${e?.stack ?? String(crash)}\nYour progress is saved. \`goingnats --plain\` shows the lessons without the full-screen app; please report this error.\n`);
    }
    if (held.length) process.stderr.write(held.join("\n") + "\n");
  };
  process.on("uncaughtException", onCrash);
  process.on("unhandledRejection", onCrash);

  let firstFrame = false;
  const renderTimes: number[] = [];
  mark("render");
  try {
    instance = render(
      createElement(App, {
        curriculum,
        session,
        connect,
        onSession: (s: Session) => void sessions.add(s),
        color: colorEnabled(),
        screenReader,
        warning: warning ? `Warning: ${warning}` : undefined,
      }),
      {
        stdin,
        stdout,
        exitOnCtrlC: false,
        isScreenReaderEnabled: screenReader,
        patchConsole: false,
        // ink holds back a frame drawn sooner than 1/maxFps after the last; while a check's spinner
        // turns, at 30 a key press waited up to 33 ms for its turn.
        maxFps: 60,
        onRender: ({ renderTime }) => {
          renderTimes.push(renderTime);
          if (renderTimes.length <= 5) mark(`frame${renderTimes.length} (${renderTime.toFixed(0)} ms drawing)`);
          if (firstFrame) return;
          firstFrame = true;
          // performance.now() counts from process start: the time a learner waits for the screen.
          const ms = performance.now();
          o.onFirstFrame?.(ms);
          if (process.env.GOINGNATS_TUI_TIMING) held.push(`goingnats: first frame ${ms.toFixed(0)} ms after start`);
        },
      },
    );
    await instance.waitUntilExit();
  } catch (err) {
    crash ??= err;
  } finally {
    if (process.env.GOINGNATS_TUI_TIMING) held.push(`goingnats: marks (ms after start): ${marks.join(", ")}`);
    if (process.env.GOINGNATS_TUI_TIMING && renderTimes.length) {
      const sorted = renderTimes.slice().sort((a, b) => a - b);
      held.push(`goingnats: ${sorted.length} frames, render median ${sorted[sorted.length >> 1].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
    }
    finish();
    // A connection the app never took over (it stopped before asking) is closed too.
    if (early) await early.then((s) => s.close(), () => {});
    // Drains connections and stops a managed server; children.ts stops any process left on exit.
    await closeSessions();
  }
  if (crash) process.exitCode = EXIT.internal;
}
