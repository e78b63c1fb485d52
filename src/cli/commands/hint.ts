// `goingnats hint <exercise>`: one more hint each time (1, then 1–2, ...), recorded in progress.
import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("hint")
    .description("show one more hint for an exercise each time you run it")
    .argument("<exercise>", "exercise id")
    .addHelpText(
      "after",
      `
Examples:
  $ goingnats hint hello-first-message     hint 1
  $ goingnats hint hello-first-message     hints 1 and 2`,
    )
    .action(async (id: string) => {
      const { loadContent, exerciseOrExit } = await import("../../render/content.js");
      const { recordHint } = await import("../../progress/store.js");
      const { renderLines } = await import("../../render/markdown.js");
      const { palette } = await import("../../render/palette.js");
      const ex = exerciseOrExit(await loadContent(), id);
      const width = process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80;
      const pal = palette();
      const total = ex.hints.length;
      if (total === 0) {
        process.stdout.write(`"${ex.id}" has no hints. Read the task again: goingnats show ${ex.id}\n`);
        return;
      }
      const shown = recordHint(ex.id, total);
      const out = [pal.strong(`Hints for ${ex.id}`) + pal.dim(` (${shown} of ${total})`), ""];
      ex.hints.slice(0, shown).forEach((h, i) => {
        const lines = renderLines(h, width - 4);
        lines.forEach((l, j) => out.push((j === 0 ? pal.dim(`${i + 1}.`.padEnd(4)) : "    ") + l));
      });
      out.push("");
      out.push(
        shown < total
          ? pal.dim(`${total - shown} more: run "goingnats hint ${ex.id}" again.`)
          : pal.dim(`That was the last hint. Still stuck? "goingnats solution ${ex.id} --force" shows the reference solution (a spoiler).`),
      );
      process.stdout.write(out.join("\n") + "\n");
    });
}
