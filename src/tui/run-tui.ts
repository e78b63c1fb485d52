// Entry point of the full-screen app: loads lessons and progress, draws the first frame at once while
// the server is found and connected in the background, and restores the terminal on every way out
// (q, Ctrl-C, SIGTERM, SIGHUP, a crash), stopping the sessions and processes goingnats started.
import { createElement } from "react";
import type { Curriculum } from "../curriculum/types.js";
import type { Session } from "../server/session.js";
import type { ServerOptions } from "../server/types.js";

export interface RunTuiOptions {
  server: ServerOptions;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  curriculum?: Curriculum;
  /** Told when the first frame was written, in ms since the process started (benchmarks). */
  onFirstFrame?: (ms: number) => void;
}

export async function runTui(o: RunTuiOptions): Promise<void> {
  const stdin = o.stdin ?? process.stdin;
  const stdout = o.stdout ?? process.stdout;
  // Lessons load while ink (the slowest import: yoga's wasm) compiles.
  const content = o.curriculum ? Promise.resolve(o.curriculum) : import("../render/content.js").then((m) => m.loadContent());
  content.catch(() => {});
  const [{ render }, { App }, { loadProgress }, { enterTerminal }, { colorEnabled }, { EXIT }] = await Promise.all([
    import("ink"),
    import("./app.js"),
    import("../progress/store.js"),
    import("./terminal.js"),
    import("../render/style.js"),
    import("../cli/exit-codes.js"),
  ]);
  const marks: string[] = [];
  const mark = (what: string) => process.env.GOINGNATS_TUI_TIMING && marks.push(`${what} ${performance.now().toFixed(0)}`);
  mark("imports");
  // Content problems are printed before the screen switches, where the learner can read them.
  const curriculum = await content;
  const { warning } = loadProgress();
  mark("content");

  const sessions = new Set<Session>();
  const closeSessions = () => Promise.allSettled([...sessions].map((s) => s.close()));
  const connect = async () => {
    const { openSession } = await import("../server/session.js");
    return openSession(o.server, { name: "goingnats tui" });
  };

  // Anything printed while the screen is drawn would tear it: keep it for after.
  const held: string[] = [];
  const original = { log: console.log, info: console.info, warn: console.warn, error: console.error, debug: console.debug };
  for (const k of Object.keys(original) as Array<keyof typeof original>) console[k] = (...args: unknown[]) => void held.push(args.map(String).join(" "));
  const restoreConsole = () => Object.assign(console, original);

  let instance: ReturnType<typeof render> | undefined;
  const term = enterTerminal(stdout, stdin, {
    // On a signal: unmount first so ink's last frame lands on the alternate screen, not the learner's shell.
    beforeRestore: () => instance?.unmount(),
  });

  let crash: unknown;
  const onCrash = (err: unknown) => {
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
        connect,
        onSession: (s: Session) => void sessions.add(s),
        color: colorEnabled(),
        warning: warning ? `Warning: ${warning}` : undefined,
      }),
      {
        stdin,
        stdout,
        exitOnCtrlC: false,
        patchConsole: false,
        maxFps: 30,
        onRender: ({ renderTime }) => {
          renderTimes.push(renderTime);
          if (firstFrame) return;
          firstFrame = true;
          // performance.now() counts from process start: the time a learner waits for the screen.
          const ms = performance.now();
          o.onFirstFrame?.(ms);
          if (process.env.GOINGNATS_TUI_TIMING) held.push(`goingnats: first frame ${ms.toFixed(0)} ms after start (${marks.join(", ")})`);
        },
      },
    );
    await instance.waitUntilExit();
  } catch (err) {
    crash ??= err;
  } finally {
    if (process.env.GOINGNATS_TUI_TIMING && renderTimes.length) {
      const sorted = renderTimes.slice().sort((a, b) => a - b);
      held.push(`goingnats: ${sorted.length} frames, render median ${sorted[sorted.length >> 1].toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms`);
    }
    finish();
    // Drains connections and stops a managed server; children.ts stops any process left on exit.
    await closeSessions();
  }
  if (crash) process.exitCode = EXIT.internal;
}
