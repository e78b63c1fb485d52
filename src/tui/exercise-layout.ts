// The exercise panel as lines: the task, where the learner's file is, the checks (live while they run,
// then pass or fail with expected / seen / idea / hint), and the hints shown so far. Pure: the reducer
// uses it to clamp scrolling, the panel to draw.
import { join } from "node:path";
import wrapAnsi from "wrap-ansi";
import { skipNote } from "../check/report-text.js";
import type { Exercise } from "../curriculum/types.js";
import { exerciseState } from "../progress/status.js";
import type { Progress } from "../progress/store.js";
import { CLEAN_SLATE } from "../render/exercise-view.js";
import { renderLines } from "../render/markdown.js";
import { substituteVars } from "../render/namespace-vars.js";
import { palette, type Palette } from "../render/palette.js";
import type { RunView, LiveStatus } from "./run-view.js";

export interface ProgramDirInfo {
  dir: string;
  found: boolean;
  tried: string[];
}

export interface ExerciseInput {
  ex: Exercise;
  progress: Progress;
  run?: RunView;
  width: number;
  vars: { ns: string; NS: string };
  color: boolean;
  programDir?: ProgramDirInfo;
  watching: boolean;
  /** Why the connected server cannot run this exercise. */
  unmet?: string;
  /** Current spinner frame for running checks. */
  spinner: string;
  /** Words instead of marks (screen readers read ✓ as "check mark", or not at all). */
  words?: boolean;
}

export interface ExerciseLayout {
  lines: string[];
  /** Line where the checks section starts (scrolled to when a run starts). */
  checksAt: number;
  /** Line of the newest hint shown. */
  lastHintAt: number;
}

const MARK: Record<LiveStatus, string> = { pending: "·", running: "", pass: "✓", fail: "✗", error: "!", skipped: "·" };
const WORD: Record<LiveStatus, string> = { pending: "waiting:", running: "running:", pass: "passed:", fail: "failed:", error: "error:", skipped: "skipped:" };

export function exerciseLayout(o: ExerciseInput): ExerciseLayout {
  const p = palette(o.color);
  const w = o.width;
  const { ex } = o;
  const out: string[] = [];
  const push = (...l: string[]) => out.push(...l);
  const wrap = (text: string, indent = 0, width = w) =>
    wrapAnsi(text, Math.max(10, width - indent), { hard: true, trim: true })
      .split("\n")
      .map((l) => " ".repeat(indent) + l);
  // The first line as is; the rest under its text (after a mark), not under the mark.
  const hang = (text: string, by: number) => {
    const [first, ...rest] = wrapAnsi(text, Math.max(10, w), { hard: true, trim: true }).split("\n");
    return rest.length ? [first, ...wrap(rest.join(" "), by)] : [first];
  };

  const state = exerciseState(o.progress, ex.id);
  const seconds = Math.round(ex.timeLimitMs / 1000);
  const lastFailed = o.run && !o.run.running && (o.run.problem || (o.run.run && o.run.run.status !== "pass"));
  const passedWord = o.words ? "passed" : "✓ passed";
  const status =
    state === "passed"
      ? p.ok(passedWord) + (lastFailed ? p.bad(o.words ? ", but the last run failed" : " before · ✗ last run failed") : "")
      : state === "failed"
        ? p.bad(o.words ? "the last run failed" : "✗ last run failed")
        : p.dim("not passed yet");
  push(...wrap(`${p.heading(ex.title)}  ${status}`));
  push(...wrap(p.dim(`${ex.kind === "program" ? "program: edit a starter file, the check runs it" : "task: act with any tool while the check watches"} · time limit ${seconds} s`)));
  if (o.unmet) push("", ...wrap(p.accent(`⊘ This exercise ${o.unmet}. You can read it; the checks need another server.`)));
  push("");
  push(...renderLines(ex.prompt, w, { vars: o.vars, color: o.color }));
  push("");

  if (ex.kind === "program") {
    const pd = o.programDir;
    if (pd?.found) {
      push(...wrap(`${p.strong("Your file:")} ${join(pd.dir, ex.file)}`));
      push(...wrap(p.dim(o.watching ? "Watching it: every save re-runs the checks (r re-runs now, w stops watching)." : "Edit it, save, then press c to check (w re-runs the checks on every save; y copies the path).")));
    } else {
      push(...wrap(`${p.bad("No workspace yet:")} your ${ex.file} for this exercise was not found.`));
      push(...wrap(`Run ${p.code("goingnats init")} in a terminal, or press ${p.strong("i")} to write ./goingnats-workspace here.`));
      if (pd?.tried.length) push(...wrap(p.dim(`Looked in: ${pd.tried.join(", ")}`)));
    }
  } else {
    push(...wrap(p.dim(`Press c: the check watches the server for up to ${seconds} s while you act from another terminal (NATS CLI, goingnats pub/sub, your own code).`)));
    if (ex.requires.jetstream) push(...wrap(p.dim(CLEAN_SLATE)));
  }
  push("");

  const checksAt = out.length;
  push(p.strong("Checks"));
  const run = o.run;
  if (!run) {
    push(p.dim("Not run yet: press c."));
  } else {
    if (run.checks.length === 0 && run.running) push(`${o.spinner} starting…`);
    for (const c of run.checks) {
      const mark = o.words ? WORD[c.status] : c.status === "running" ? o.spinner : colorFor(p, c.status)(MARK[c.status]);
      const live = c.status === "running" && c.live ? p.dim(` — ${substituteVars(c.live, o.vars)}`) : "";
      push(...hang(`${mark} ${c.status === "fail" || c.status === "error" ? colorFor(p, c.status)(c.name) : c.name}${live}`, 2));
      const r = c.result;
      if (!r) continue;
      const field = (label: string, text: string | undefined) => {
        if (!text) return;
        const lines = wrap(substituteVars(text, o.vars), 13);
        lines[0] = `    ${p.strong(label.padEnd(9))}${lines[0].slice(13)}`;
        push(...lines);
      };
      if (r.status === "pass") field("seen", r.seen);
      else if (r.status === "fail") {
        field("expected", r.expected);
        field("seen", r.seen);
        field("idea", r.idea);
        field("hint", r.hint);
      } else if (r.status === "error") field("error", r.message);
      else {
        const note = skipNote(r, run.run);
        if (note) push(...wrap(p.dim(note), 4));
      }
      if (r.status === "fail" || r.status === "error") {
        for (const prog of r.programs) {
          const how = prog.stoppedBecause ? `stopped: ${prog.stoppedBecause}` : prog.signal ? `ended by ${prog.signal}` : prog.exitCode === null ? "running" : `exit code ${prog.exitCode}`;
          push(...wrap(p.dim(`${prog.label} (${prog.command}) ${how}`), 4));
          const tail = prog.tail ? prog.tail.replace(/\n$/, "").split("\n").slice(-8) : ["(no output)"];
          for (const l of tail) push(`      ${p.dim("│")} ${l}`);
        }
      }
    }
    if (run.waiting) push("", ...hang(p.accent(`${o.words ? "Now:" : "▶"} ${substituteVars(run.waiting, o.vars)}`), 2), ...wrap(p.dim(`Do it now from another terminal; the check waits up to ${seconds} s (x stops it).`)));
    if (run.problem) push("", ...wrap(p.bad(run.problem)));
    if (!run.running && run.run && !run.problem) {
      const r = run.run;
      push("");
      if (r.unsupported) push(...wrap(p.accent(`This exercise ${r.unsupported}. Use another server (goingnats doctor shows which one you use).`)));
      else if (r.status === "pass") push(...wrap(p.ok(r.results.length === 1 ? `The check passed in ${secs(r.durationMs)}.` : `All ${r.results.length} checks passed in ${secs(r.durationMs)}.`) + p.dim(" s: the reference solution · t: the message timeline")));
      else {
        const failed = r.results.filter((x) => x.status === "fail" || x.status === "error").length;
        const again = o.watching ? "Fix it and save (or press r)" : "Fix it and press c again";
        const verdict = r.results.length === 1 ? "The check did not pass." : `${failed} of ${r.results.length} checks did not pass.`;
        push(...wrap(p.bad(verdict) + p.dim(` ${again} · h: a hint · t: the message timeline`)));
      }
    }
    if (run.running) push("", p.dim(`running… ${o.watching ? "(watching for saves) " : ""}x stops it`));
  }
  push("");

  const shown = Math.min(o.progress.exercises[ex.id]?.hintsShown ?? 0, ex.hints.length);
  let lastHintAt = out.length;
  if (ex.hints.length === 0) push(p.dim("No hints for this exercise."));
  else if (shown === 0) push(p.dim(state === "passed" ? `h shows the hints (${ex.hints.length}), to compare with your way.` : `Stuck? Press h for a hint (${ex.hints.length} available).`));
  else {
    push(p.strong(`Hints (${shown} of ${ex.hints.length})`));
    for (let i = 0; i < shown; i++) {
      lastHintAt = out.length;
      const lines = renderLines(ex.hints[i], w - 3, { vars: o.vars, color: o.color });
      lines.forEach((l, j) => push(`${j === 0 ? `${i + 1}. ` : "   "}${l}`));
    }
    push(p.dim(shown < ex.hints.length ? `h: the next hint (${ex.hints.length - shown} left)` : "All hints shown."));
  }
  return { lines: out, checksAt, lastHintAt };
}

function colorFor(p: Palette, s: LiveStatus): (t: string) => string {
  return s === "pass" ? p.ok : s === "fail" || s === "error" ? p.bad : p.dim;
}

function secs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
