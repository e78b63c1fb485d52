// Runs an exercise's checks and feeds the engine's live events into the reducer. One run at a time;
// a new run (a save in watch mode) stops the one in flight first. A lost connection ends the run at
// once with a message that says so: the UI never waits for a check that cannot finish.
import { useCallback, useMemo, useRef } from "react";
import type { ExerciseRun, RunOptions } from "../check/engine.js";
import type { Exercise } from "../curriculum/types.js";
import type { Session } from "../server/session.js";
import type { ProgramDirInfo } from "./exercise-layout.js";
import type { ProgressStore } from "./progress-store.js";
import type { Action } from "./state.js";

export const LOST_CONNECTION =
  "The connection to the NATS server was lost while the check ran, so it could not finish (this says nothing about your work). " +
  "Press c again once the status line shows the server is back.";

export interface CheckRunOptions {
  dispatch: (a: Action) => void;
  session: () => Session | undefined;
  /** Why checks cannot run now (no connection), or undefined when they can. */
  unavailable: () => string | undefined;
  programDir: (ex: Exercise) => ProgramDirInfo;
  store: ProgressStore;
  runExercise?: (o: RunOptions) => Promise<ExerciseRun>;
}

interface Current {
  id: string;
  gen: number;
  controller: AbortController;
  settled: Promise<unknown>;
}

export function useCheckRun(o: CheckRunOptions) {
  const opts = useRef(o);
  opts.current = o;
  const current = useRef<Current | null>(null);
  const gen = useRef(0);

  /** End the run in flight now, with `problem` shown in its place; its clean-up carries on in the background. */
  const end = useCallback((problem: string): Promise<unknown> | undefined => {
    const c = current.current;
    if (!c) return undefined;
    current.current = null;
    gen.current++;
    c.controller.abort();
    opts.current.dispatch({ type: "run-fail", id: c.id, problem, now: Date.now() });
    return c.settled;
  }, []);

  const start = useCallback(
    async (ex: Exercise, trigger: "key" | "watch") => {
      const { dispatch } = opts.current;
      const previous = end("Stopped: a newer run replaced this one.");
      const my = ++gen.current;
      const controller = new AbortController();
      // Registered at once, so a stop or a lost connection before the engine starts still ends this run.
      const mine: Current = { id: ex.id, gen: my, controller, settled: Promise.resolve() };
      current.current = mine;
      dispatch({ type: "run-start", id: ex.id, trigger, now: Date.now() });
      // The old run's programs must be gone before the new one starts its own (the checks count them).
      if (previous) await Promise.race([previous, new Promise((r) => setTimeout(r, 5000))]);
      if (my !== gen.current) return;
      const fail = (problem: string) => {
        if (my !== gen.current) return;
        current.current = null;
        dispatch({ type: "run-fail", id: ex.id, problem, now: Date.now() });
      };
      const why = opts.current.unavailable();
      const session = opts.current.session();
      if (why || !session) return fail(why ?? "Not connected to a NATS server.");
      let programDir = ex.dir;
      if (ex.kind === "program") {
        const pd = opts.current.programDir(ex);
        if (!pd.found) {
          return fail(`Cannot find your ${ex.file} for this exercise. Looked in: ${pd.tried.join(", ")}. Run goingnats init in a terminal (or press i), then c again.`);
        }
        programDir = pd.dir;
      }
      const run = opts.current.runExercise ?? (await import("../check/engine.js")).runExercise;
      if (my !== gen.current) return;
      const promise = run({
        session,
        exercise: ex,
        programDir,
        signal: controller.signal,
        onEvent: (event) => {
          if (my === gen.current) dispatch({ type: "run-event", id: ex.id, event });
        },
      });
      mine.settled = promise.catch(() => {});
      let result: ExerciseRun;
      try {
        result = await promise;
      } catch (err) {
        return fail(`The checks could not run: ${(err as Error).message ?? String(err)}`);
      }
      if (my !== gen.current) return;
      current.current = null;
      // A run cut short by the connection is not the learner's failure: say so, record nothing.
      if (session.nc.isClosed() || result.results.some((r) => r.status === "error" && /connection to the NATS server was lost/.test(r.message ?? ""))) {
        return fail(LOST_CONNECTION);
      }
      if (result.status !== "skipped") {
        try {
          opts.current.store.recordRun(ex.id, result.status === "pass");
          dispatch({ type: "progress", progress: opts.current.store.load().progress });
        } catch (err) {
          dispatch({ type: "flash", text: `Could not save your progress: ${(err as Error).message}` });
        }
      }
      dispatch({ type: "run-end", id: ex.id, run: result, now: Date.now() });
    },
    [end],
  );

  const stop = useCallback(() => {
    void end("Stopped by you. c runs the checks again.");
  }, [end]);

  const connectionLost = useCallback(() => {
    void end(LOST_CONNECTION);
  }, [end]);

  const stopAll = useCallback(() => end("Stopped: goingnats is closing."), [end]);

  return useMemo(() => ({ start, stop, connectionLost, stopAll, running: () => current.current !== null }), [start, stop, connectionLost, stopAll]);
}
