// Check results for people: what was expected, what was seen on the wire, the idea, the hint.
import { style } from "../render/style.js";
import type { ExerciseRun } from "./engine.js";
import type { CheckResult, CheckStatus, ProgramOutput, TimelineEntry } from "./types.js";

export const MARK: Record<CheckStatus, string> = { pass: "✓", fail: "✗", error: "!", skipped: "·" };

export function statusColor(status: CheckStatus): (s: string) => string {
  return status === "pass" ? style.green : status === "fail" ? style.red : status === "error" ? style.magenta : style.gray;
}

export function formatHeader(run: Pick<ExerciseRun, "exercise" | "title" | "kind" | "server" | "namespace">): string {
  const ns = run.namespace ? ` · namespace ${run.namespace}` : "";
  return `${style.bold(run.title)} ${style.gray(`(${run.exercise}, ${run.kind})`)}\n${style.gray(`server ${run.server.url} (${run.server.detail}) · nats-server ${run.server.version}${ns}`)}`;
}

/**
 * A skipped check's own note for people. When the server cannot run the exercise at all, every check
 * carries the same reason (machine reports want it per check); the summary says it once instead.
 */
export function skipNote(r: CheckResult, run?: Pick<ExerciseRun, "unsupported">): string | undefined {
  return run?.unsupported && r.message?.includes(run.unsupported) ? undefined : r.message;
}

export function formatResult(r: CheckResult, opts: { timeline?: boolean; run?: Pick<ExerciseRun, "unsupported"> } = {}): string {
  const color = statusColor(r.status);
  const lines = [`${color(MARK[r.status])} ${r.status === "pass" ? r.name : color(r.name)} ${style.gray(seconds(r.durationMs))}`];
  const field = (label: string, text: string | undefined) => {
    if (!text) return;
    const [first, ...rest] = text.split("\n");
    lines.push(`    ${style.bold(label.padEnd(9))}${first}`);
    for (const l of rest) lines.push(`    ${" ".repeat(9)}${l}`);
  };
  if (r.status === "pass") {
    if (r.seen) field("seen", r.seen);
  } else if (r.status === "fail") {
    field("expected", r.expected);
    field("seen", r.seen);
    field("idea", r.idea);
    field("hint", r.hint);
  } else if (r.status === "error") {
    field("error", r.message);
  } else {
    const note = skipNote(r, opts.run);
    if (note) lines.push(`    ${style.gray(note)}`);
  }
  if (r.status === "fail" || r.status === "error") {
    for (const p of r.programs) lines.push(...formatProgram(p));
  }
  if (opts.timeline && r.timeline.length) {
    lines.push(`    ${style.bold("timeline")}`);
    for (const e of r.timeline) lines.push(`      ${formatTimelineEntry(e)}`);
  }
  return lines.join("\n");
}

export function formatProgram(p: ProgramOutput): string[] {
  const how = p.stoppedBecause
    ? `stopped by goingnats: ${p.stoppedBecause}`
    : p.signal
      ? `ended by signal ${p.signal}`
      : p.exitCode === null
        ? "still running"
        : `exited with code ${p.exitCode}`;
  const lines = [`    ${style.bold(p.label)} ${style.gray(`(${p.command}) ${how}`)}`];
  const tail = p.tail.split("\n").slice(-15);
  if (!p.tail) lines.push(style.gray("      (no output)"));
  else for (const l of tail) lines.push(`      ${style.gray("│")} ${l}`);
  return lines;
}

export function formatTimelineEntry(e: TimelineEntry): string {
  const at = style.gray(`+${(e.atMs / 1000).toFixed(3)}s`);
  if (e.direction === "note") return `${at} ${style.italic(e.data)}`;
  const arrow = e.direction === "in" ? style.cyan("← received") : style.yellow("→ sent    ");
  const reply = e.reply ? style.gray(` reply ${e.reply}`) : "";
  const hdrs = e.headers ? style.gray(` ${Object.entries(e.headers).map(([k, v]) => `${k}: ${v.join(", ")}`).join("; ")}`) : "";
  return `${at} ${arrow} ${e.subject}${reply}${hdrs} ${JSON.stringify(e.data)}`;
}

export function formatSummary(run: ExerciseRun): string {
  if (run.unsupported) return style.yellow(`This exercise ${run.unsupported}. Use another server (goingnats doctor shows which one you use).`);
  const failed = run.results.filter((r) => r.status === "fail" || r.status === "error").length;
  const total = run.results.length;
  if (run.status === "pass") return style.green(`All ${total} check${total === 1 ? "" : "s"} passed in ${seconds(run.durationMs)}.`);
  return style.red(`${failed} of ${total} checks did not pass.`) + ` Next: fix it and run \`goingnats check ${run.exercise}\` again, or \`goingnats hint ${run.exercise}\`.`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
