// `goingnats reset [exercise]`: forget one exercise's progress (or all of it, after confirmation), and
// with --workspace put the starter file back, keeping the learner's version as <file>.bak-<time>.
import type { Command } from "commander";
import { CliError, EXIT } from "../exit-codes.js";

interface ResetOptions {
  yes?: boolean;
  workspace?: string;
}

export function register(program: Command): void {
  program
    .command("reset")
    .description("clear an exercise's progress (or all progress), optionally restoring its starter file")
    .argument("[exercise]", "exercise id (leave out to reset everything)")
    .option("-y, --yes", "do not ask before resetting everything")
    .option("--workspace <dir>", "also restore the starter files in this workspace (your version is kept as .bak-<time>)")
    .addHelpText(
      "after",
      `
Examples:
  $ goingnats reset hello-first-message
  $ goingnats reset hello-first-message --workspace ./goingnats-workspace
  $ goingnats reset --yes                 all progress (a copy of the old file is kept)`,
    )
    .action(async (id: string | undefined, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ResetOptions>();
      const { loadContent, exerciseOrExit } = await import("../../render/content.js");
      const { updateProgress, warnOnce, progressFile } = await import("../../progress/store.js");
      const { palette } = await import("../../render/palette.js");
      const { restoreStarters } = await import("../../workspace/restore.js");
      const c = await loadContent();
      const pal = palette();
      const out: string[] = [];

      const exercises = id ? [exerciseOrExit(c, id)] : [...c.exercises.values()];
      if (opts.workspace !== undefined) {
        const { existsSync } = await import("node:fs");
        if (!existsSync(opts.workspace)) throw new CliError(`no workspace at ${opts.workspace} (create one with: goingnats init ${opts.workspace})`, EXIT.usage);
      }
      if (!id && !opts.yes) {
        if (process.stdin.isTTY !== true || process.stdout.isTTY !== true) {
          throw new CliError("resetting ALL progress needs confirmation: run it again with --yes (or name one exercise: goingnats reset <exercise>)", EXIT.usage);
        }
        const { createInterface } = await import("node:readline/promises");
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        const answer = await rl.question(`Reset ALL progress${opts.workspace ? ` and restore every starter file in ${opts.workspace}` : ""}? [y/N] `);
        rl.close();
        if (!/^y(es)?$/i.test(answer.trim())) {
          process.stdout.write("Nothing was reset.\n");
          return;
        }
      }

      if (id) {
        const { warning } = updateProgress((p) => {
          delete p.exercises[id];
        });
        warnOnce(warning);
        out.push(pal.ok(`✓ Progress of ${id} cleared.`));
      } else {
        const { existsSync, copyFileSync } = await import("node:fs");
        const { stamp } = await import("../../workspace/files.js");
        const file = progressFile();
        const backup = `${file}.bak-${stamp()}`;
        if (existsSync(file)) copyFileSync(file, backup);
        const { warning } = updateProgress((p) => {
          p.exercises = {};
          delete p.lastLesson;
          delete p.lastPage;
          delete p.lastExercise;
        });
        warnOnce(warning);
        out.push(pal.ok("✓ All progress cleared.") + (existsSync(backup) ? pal.dim(` The old file is kept as ${backup}.`) : ""));
      }

      if (opts.workspace !== undefined) {
        for (const r of restoreStarters(exercises, opts.workspace)) {
          if (r.backup) out.push(`  restored ${r.file}; your version is kept as ${r.backup}`);
          else if (r.created) out.push(`  restored ${r.file} (it was missing)`);
        }
        if (out.length === 1) out.push(pal.dim("  the workspace files were already the starter versions"));
      }
      process.stdout.write(out.join("\n") + "\n");
    });
}
