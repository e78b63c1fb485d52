// What the exercise panel knows about a check run, built from the engine's live events. Pure, so the
// reducer can fold events in and tests can reason about it.
import type { EngineEvent, ExerciseRun } from "../check/engine.js";
import type { CheckResult, CheckStatus } from "../check/types.js";

export type LiveStatus = "pending" | "running" | CheckStatus;

export interface CheckView {
  name: string;
  status: LiveStatus;
  /** Latest progress or waiting text while it runs. */
  live?: string;
  result?: CheckResult;
}

export interface RunView {
  running: boolean;
  trigger: "key" | "watch";
  startedAt: number;
  checks: CheckView[];
  /** Instructions for a task exercise: what to do while the check watches. */
  waiting?: string;
  run?: ExerciseRun;
  /** Why the run ended without the engine's verdict (no connection, no program, connection lost). */
  problem?: string;
  endedAt?: number;
}

export function startedRun(trigger: RunView["trigger"], now: number): RunView {
  return { running: true, trigger, startedAt: now, checks: [] };
}

export function applyEvent(v: RunView, e: EngineEvent): RunView {
  switch (e.type) {
    case "start":
      return { ...v, checks: e.checks.map((name) => ({ name, status: "pending" })) };
    case "check-start":
      return { ...v, checks: setCheck(v.checks, e.index, { name: e.name, status: "running", live: undefined }) };
    case "progress":
      return { ...v, checks: setCheck(v.checks, e.index, { live: e.text }) };
    case "waiting":
      return { ...v, waiting: e.text, checks: setCheck(v.checks, e.index, { live: "waiting for you…" }) };
    case "check-end":
      return { ...v, waiting: undefined, checks: setCheck(v.checks, e.index, { name: e.result.name, status: e.result.status, result: e.result, live: undefined }) };
  }
}

export function finishedRun(v: RunView, run: ExerciseRun, now: number): RunView {
  const checks = run.results.map((result) => ({ name: result.name, status: result.status, result }));
  return { ...v, running: false, waiting: undefined, run, checks, endedAt: now };
}

/** The run ends without a verdict: the check in flight shows the reason, the ones after it did not run. */
export function failedRun(v: RunView, problem: string, now: number): RunView {
  const checks = v.checks.map((c): CheckView =>
    c.status === "running" ? { ...c, status: "error", live: undefined } : c.status === "pending" ? { ...c, status: "skipped", live: undefined } : c,
  );
  return { ...v, running: false, waiting: undefined, checks, problem, endedAt: now };
}

function setCheck(checks: CheckView[], index: number, patch: Partial<CheckView>): CheckView[] {
  const next = checks.slice();
  while (next.length <= index) next.push({ name: `check ${next.length + 1}`, status: "pending" });
  next[index] = { ...next[index], ...patch };
  return next;
}
