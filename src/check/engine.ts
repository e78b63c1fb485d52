// Runs an exercise's checks against a live server, one after another, and turns whatever happens
// (a pass, a failure the check explains, a crash, a hang, the time limit) into CheckResults.
import { unmetRequirement } from "../curriculum/requirements.js";
import type { Exercise } from "../curriculum/types.js";
import type { Session } from "../server/session.js";
import { CheckFailure, createContext } from "./context.js";
import { loadChecks } from "./load-checks.js";
import type { Check, CheckResult, CheckStatus } from "./types.js";

export type EngineEvent =
  | { type: "start"; checks: string[] }
  | { type: "check-start"; index: number; name: string }
  | { type: "progress"; index: number; text: string }
  | { type: "waiting"; index: number; text: string }
  | { type: "check-end"; index: number; result: CheckResult };

export interface RunOptions {
  session: Session;
  exercise: Exercise;
  /** Folder holding the learner's file (exercise.file). */
  programDir: string;
  /** Replaces the exercise's file with any command (`--run "python main.py"`). */
  runCommand?: string;
  timeLimitMs?: number;
  onEvent?: (e: EngineEvent) => void;
  /** Abort to stop the run (Ctrl-C in the TUI). */
  signal?: AbortSignal;
  /** Checks to run instead of the exercise's check.ts (engine tests). */
  checks?: Check[];
}

export interface ExerciseRun {
  exercise: string;
  title: string;
  kind: Exercise["kind"];
  status: CheckStatus;
  results: CheckResult[];
  durationMs: number;
  server: { url: string; version: string; detail: string };
  namespace: string;
  /** Why the exercise could not run here (server too old, no JetStream). */
  unsupported?: string;
}

export async function runExercise(o: RunOptions): Promise<ExerciseRun> {
  const started = Date.now();
  const emit = o.onEvent ?? (() => {});
  const base = {
    exercise: o.exercise.id,
    title: o.exercise.title,
    kind: o.exercise.kind,
    server: { url: o.session.target.url, version: o.session.server.version, detail: o.session.target.detail },
    namespace: o.session.namespace,
  };
  const checks = o.checks ?? (await loadChecks(o.exercise));
  emit({ type: "start", checks: checks.map((c) => c.name) });

  const unsupported = unmetRequirement(o.exercise.requires, o.session.server);
  if (unsupported) {
    const results = checks.map((c) => skipped(c, `This exercise ${unsupported}.`));
    results.forEach((result, index) => emit({ type: "check-end", index, result }));
    return { ...base, status: "skipped", results, durationMs: Date.now() - started, unsupported };
  }

  const timeLimitMs = o.timeLimitMs ?? o.exercise.timeLimitMs;
  const deadline = started + timeLimitMs;
  const results: CheckResult[] = [];
  for (const [index, check] of checks.entries()) {
    if (results.some((r) => r.status !== "pass")) {
      const result = skipped(check, "Skipped: an earlier check did not pass.");
      results.push(result);
      emit({ type: "check-end", index, result });
      continue;
    }
    emit({ type: "check-start", index, name: check.name });
    const result = await runOne(check, index, o, started, deadline, timeLimitMs, emit);
    results.push(result);
    emit({ type: "check-end", index, result });
  }
  const status: CheckStatus = results.every((r) => r.status === "pass") ? "pass" : results.some((r) => r.status === "error") ? "error" : "fail";
  return { ...base, status, results, durationMs: Date.now() - started };
}

async function runOne(
  check: Check,
  index: number,
  o: RunOptions,
  runStarted: number,
  deadline: number,
  timeLimitMs: number,
  emit: (e: EngineEvent) => void,
): Promise<CheckResult> {
  const t0 = Date.now();
  const abort = new AbortController();
  const onOuterAbort = () => abort.abort();
  o.signal?.addEventListener("abort", onOuterAbort);
  let lastProgress = "";
  const run = createContext({
    session: o.session,
    exercise: o.exercise,
    programDir: o.programDir,
    runCommand: o.runCommand,
    startedAt: runStarted,
    deadline,
    signal: abort.signal,
    onProgress: (text) => {
      lastProgress = text;
      emit({ type: "progress", index, text });
    },
    onWaiting: (text) => {
      lastProgress = text;
      emit({ type: "waiting", index, text });
    },
  });

  let timer: NodeJS.Timeout | undefined;
  const timeUp = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(
        new CheckFailure({
          expected: `"${check.name}" within the time limit (${Math.round(timeLimitMs / 1000)} s)`,
          seen: lastProgress ? `time ran out while: ${lastProgress}` : "time ran out before anything happened",
          idea: check.idea,
          hint:
            o.exercise.kind === "task"
              ? "Run the check first, then act (publish, subscribe...) while it waits; it only sees what happens while it runs."
              : "If your program hangs, its output below shows where. A subscriber must not block the event loop.",
        }),
      );
    }, Math.max(0, deadline - Date.now()));
  });
  const stopped = new Promise<never>((_, reject) =>
    o.signal?.addEventListener("abort", () => reject(new Error("stopped by you before the check finished")), { once: true }),
  );
  timeUp.catch(() => {});
  stopped.catch(() => {});

  let status: CheckStatus = "pass";
  let details: Partial<CheckResult> = {};
  try {
    const running = check.run(run.ctx);
    // If time runs out first, the check's own promise may still reject later: nobody waits for it.
    running.catch(() => {});
    const seen = await Promise.race([running, run.interrupted, timeUp, stopped]);
    if (typeof seen === "string") details.seen = seen;
  } catch (err) {
    if (err instanceof CheckFailure) {
      status = "fail";
      details = { expected: err.details.expected, seen: err.details.seen, hint: err.details.hint ?? check.hint };
      if (err.details.idea) details.idea = err.details.idea;
    } else {
      status = "error";
      details = { message: describeError(err) };
    }
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener("abort", onOuterAbort);
    abort.abort();
    await run.cleanup();
  }
  return {
    name: check.name,
    status,
    idea: check.idea,
    ...details,
    durationMs: Date.now() - t0,
    timeline: run.timeline,
    programs: run.programs.map((p) => p.report()),
  };
}

function skipped(check: Check, message: string): CheckResult {
  return { name: check.name, status: "skipped", idea: check.idea, message, durationMs: 0, timeline: [], programs: [] };
}

function describeError(err: unknown): string {
  const e = err as Error & { code?: string };
  const text = e?.message ?? String(err);
  if (/CONNECTION_CLOSED|closed|disconnect/i.test(text)) return `the connection to the NATS server was lost during the check (${text}); run it again when the server is back`;
  return `the check itself failed: ${text}`;
}
