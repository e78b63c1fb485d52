// `goingnats list`: lessons in order with their exercises and progress marks. Never connects to a server.
import type { Command } from "commander";

export function register(program: Command): void {
  program
    .command("list")
    .description("list lessons and exercises with your progress")
    .option("--json", "machine-readable output")
    .addHelpText(
      "after",
      `
Marks: ✓ passed  ✗ failed  · not started  ▸ next

Examples:
  $ goingnats list
  $ goingnats list --json | jq '.lessons[].id'`,
    )
    .action(async (opts: { json?: boolean }) => {
      // Loaded together: one after another, each import waits for the file system in turn.
      const [{ loadContent, readProgress }, { renderLessonList, renderNextStep, lessonListJson }, { nextStep }, { palette }] = await Promise.all([
        import("../../render/content.js"),
        import("../../render/lesson-list.js"),
        import("../../progress/status.js"),
        import("../../render/palette.js"),
      ]);
      const c = await loadContent();
      const p = readProgress();
      if (opts.json) {
        process.stdout.write(JSON.stringify(lessonListJson(c, p), null, 2) + "\n");
        return;
      }
      const pal = palette();
      const lines = [...renderLessonList(c, p, pal), "", ...renderNextStep(c, nextStep(c, p), pal)];
      process.stdout.write(lines.join("\n") + "\n");
    });
}
