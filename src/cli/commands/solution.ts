// `goingnats solution <exercise>`: the reference solution, only after the exercise passed (or with
// --force, which says it is a spoiler), like rustlings and workshopper.
import type { Command } from "commander";
import { CliError, EXIT } from "../exit-codes.js";

export function register(program: Command): void {
  program
    .command("solution")
    .description("print an exercise's reference solution (after you passed it, or with --force)")
    .argument("<exercise>", "exercise id")
    .option("--force", "show it anyway (a spoiler)")
    .addHelpText(
      "after",
      `
Examples:
  $ goingnats solution hello-first-message           after it passed
  $ goingnats solution hello-first-message --force   spoiler`,
    )
    .action(async (id: string, opts: { force?: boolean }) => {
      const { loadContent, exerciseOrExit, readProgress } = await import("../../render/content.js");
      const { readTree } = await import("../../workspace/files.js");
      const { palette } = await import("../../render/palette.js");
      const { join } = await import("node:path");
      const ex = exerciseOrExit(await loadContent(), id);
      const p = readProgress();
      const passed = p.exercises[ex.id]?.status === "passed";
      if (!passed && !opts.force) {
        const left = ex.hints.length - (p.exercises[ex.id]?.hintsShown ?? 0);
        throw new CliError(
          `the solution to "${ex.id}" is shown once the exercise passes.\n` +
            (left > 0 ? `  ${left} hint${left === 1 ? "" : "s"} left: goingnats hint ${ex.id}\n` : `  all hints shown: goingnats hint ${ex.id}\n`) +
            `  to see it anyway (a spoiler): goingnats solution ${ex.id} --force`,
          EXIT.usage,
        );
      }
      const pal = palette();
      const files = readTree(join(ex.dir, "solution"));
      const out: string[] = [];
      if (!passed) out.push(pal.accent(`Spoiler: the reference solution to "${ex.id}", which you have not passed yet.`), "");
      else out.push(pal.ok(`You passed "${ex.id}". The reference solution, to compare with yours:`), "");
      for (const f of files) {
        out.push(pal.strong(`── ${f.path} `) + pal.dim("─".repeat(Math.max(0, 60 - f.path.length))));
        out.push(f.text.replace(/\n$/, ""), "");
      }
      if (files.length === 0) out.push(pal.dim("(this exercise has no solution files)"));
      process.stdout.write(out.join("\n") + "\n");
    });
}
