// Check results for graders and CI: JSON (one object per run) and JUnit XML.
import type { ExerciseRun } from "./engine.js";

export function toJson(runs: ExerciseRun[]): string {
  const passed = runs.filter((r) => r.status === "pass").length;
  return JSON.stringify({ version: 1, passed, total: runs.length, runs }, null, 2);
}

export function toJunit(runs: ExerciseRun[]): string {
  const suites = runs.map((run) => {
    const failures = run.results.filter((r) => r.status === "fail").length;
    const errors = run.results.filter((r) => r.status === "error").length;
    const skippedCount = run.results.filter((r) => r.status === "skipped").length;
    const cases = run.results.map((r) => {
      const body =
        r.status === "fail"
          ? `<failure message="${xml(r.expected ?? "")}">${xml(
              [`expected: ${r.expected}`, `seen: ${r.seen}`, `idea: ${r.idea}`, `hint: ${r.hint ?? ""}`, ...r.programs.map((p) => `${p.label} output:\n${p.tail}`)].join("\n"),
            )}</failure>`
          : r.status === "error"
            ? `<error message="${xml(r.message ?? "")}"/>`
            : r.status === "skipped"
              ? `<skipped message="${xml(r.message ?? "")}"/>`
              : "";
      return `    <testcase classname="${xml(run.exercise)}" name="${xml(r.name)}" time="${(r.durationMs / 1000).toFixed(3)}">${body}</testcase>`;
    });
    return `  <testsuite name="${xml(run.exercise)}" tests="${run.results.length}" failures="${failures}" errors="${errors}" skipped="${skippedCount}" time="${(run.durationMs / 1000).toFixed(3)}">\n${cases.join("\n")}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="goingnats">\n${suites.join("\n")}\n</testsuites>\n`;
}

function xml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}
