// `goingnats progress`: per lesson, exercises passed and attempted, hints used.
import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("progress")
    .description("show your progress: exercises passed and attempted, hints used")
    .option("--json", "machine-readable output")
    .addHelpText(
      "after",
      `
Progress is kept in your state folder (see "goingnats doctor"); GOINGNATS_HOME moves it.

Examples:
  $ goingnats progress
  $ goingnats progress --json`,
    )
    .action(async (opts: { json?: boolean }) => {
      const { loadContent, readProgress, lessonNumber } = await import("../../render/content.js");
      const { totals } = await import("../../progress/status.js");
      const { progressFile } = await import("../../progress/store.js");
      const { palette } = await import("../../render/palette.js");
      const c = await loadContent();
      const p = readProgress();
      const rows = c.lessons.map((l) => {
        const ex = l.exercises.map((id) => p.exercises[id]);
        return {
          number: lessonNumber(c, l),
          id: l.id,
          title: l.title,
          passed: totals(c, p, [l]).passed,
          attempted: ex.filter((e) => e && e.attempts > 0).length,
          total: l.exercises.length,
          attempts: ex.reduce((n, e) => n + (e?.attempts ?? 0), 0),
          hints: ex.reduce((n, e) => n + (e?.hintsShown ?? 0), 0),
        };
      });
      const all = totals(c, p);
      if (opts.json) {
        process.stdout.write(JSON.stringify({ ...all, file: progressFile(), workspace: p.workspace ?? null, lessons: rows, exercises: p.exercises }, null, 2) + "\n");
        return;
      }
      const pal = palette();
      const titleWidth = Math.max(6, ...rows.map((r) => r.title.length));
      const out = [
        pal.strong(`${all.passed} of ${all.total} exercises passed (${all.percent}%)`),
        "",
        pal.dim(`  #  ${"lesson".padEnd(titleWidth)}  passed  attempted  runs  hints`),
      ];
      for (const r of rows) {
        const done = r.total > 0 && r.passed === r.total;
        const passed = `${r.passed}/${r.total}`.padStart(6);
        out.push(
          `${String(r.number).padStart(3)}  ${r.title.padEnd(titleWidth)}  ${done ? pal.ok(passed) : passed}  ${String(r.attempted).padStart(9)}  ${String(r.attempts).padStart(4)}  ${String(r.hints).padStart(5)}`,
        );
      }
      out.push("", pal.dim(`Kept in ${progressFile()}${p.workspace ? ` · workspace ${p.workspace}` : ""}`));
      process.stdout.write(out.join("\n") + "\n");
    });
}
