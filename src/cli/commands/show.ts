// `goingnats show <lesson|exercise> [page]`: a lesson rendered for the terminal width, or an
// exercise's prompt with how to do and check it.
import type { Command } from "commander";
import { CliError, EXIT } from "../exit-codes.js";

interface ShowOptions {
  page?: string;
  raw?: boolean;
  width?: string;
  namespace?: string;
}

export function register(program: Command): void {
  program
    .command("show")
    .description("read a lesson (by id or number), or an exercise's task")
    .argument("<lesson>", "lesson id or number (1, 01), or an exercise id")
    .argument("[page]", "only this page (1-based)")
    .option("-p, --page <n>", "only this page (1-based)")
    .option("--raw", "print the markdown source")
    .option("--width <columns>", "wrap to this width (default: the terminal's, or 80)")
    .addHelpText(
      "after",
      `
Examples:
  $ goingnats show 1                 lesson 1, all pages
  $ goingnats show hello-nats 2      only page 2
  $ goingnats show 01 --page 3
  $ goingnats show hello-nats --raw  the markdown source
  $ goingnats show hello-first-message   an exercise's task`,
    )
    .action(async (target: string, pageArg: string | undefined, _opts: ShowOptions, cmd: Command) => {
      const opts = cmd.optsWithGlobals<ShowOptions>();
      const { loadContent, findLesson, lessonNumber, lessonIds } = await import("../../render/content.js");
      const c = await loadContent();
      const width = parseWidth(opts.width);
      const { namespaceVars } = await import("../../render/namespace-vars.js");
      const vars = namespaceVars(opts.namespace ?? process.env.GOINGNATS_NAMESPACE);
      const pageText = opts.page ?? pageArg;

      const lesson = findLesson(c, target);
      if (!lesson) {
        const ex = c.exercises.get(target);
        if (!ex) {
          throw new CliError(`no lesson or exercise "${target}". Lessons: ${lessonIds(c)}. Exercises: ${[...c.exercises.keys()].join(", ") || "(none)"}`, EXIT.usage);
        }
        const { exerciseView } = await import("../../render/exercise-view.js");
        const { readProgress } = await import("../../render/content.js");
        process.stdout.write((exerciseView(c, ex, readProgress(), width, vars, opts.raw === true)) + "\n");
        return;
      }

      let pages = lesson.pages.map((pg, i) => ({ ...pg, n: i + 1 }));
      if (pageText !== undefined) {
        const n = Number(pageText);
        if (!Number.isInteger(n) || n < 1 || n > pages.length) {
          throw new CliError(`lesson "${lesson.id}" has pages 1 to ${pages.length}; "${pageText}" is not one of them`, EXIT.usage);
        }
        pages = [pages[n - 1]];
      }

      const { updateProgress, warnOnce } = await import("../../progress/store.js");
      const { warning } = updateProgress((p) => {
        p.lastLesson = lesson.id;
        (p.lastPage ??= {})[lesson.id] = pages[pages.length - 1].n;
      });
      warnOnce(warning);

      if (opts.raw) {
        process.stdout.write(pages.map((pg) => pg.markdown).join("\n\n---\n\n") + "\n");
        return;
      }
      const { renderLines } = await import("../../render/markdown.js");
      const { palette } = await import("../../render/palette.js");
      const pal = palette();
      const total = lesson.pages.length;
      const out: string[] = [
        pal.dim(`Lesson ${lessonNumber(c, lesson)} · ${lesson.id} · ~${lesson.minutes} min · ${total} page${total === 1 ? "" : "s"}`),
        "",
      ];
      pages.forEach((pg, i) => {
        if (i > 0 || pages.length === 1) out.push(...separator(`page ${pg.n} of ${total}`, width, pal.dim), "");
        out.push(...renderLines(pg.markdown, width, { vars }), "");
      });
      const last = pages[pages.length - 1].n;
      // One command per line: a command is never wrapped, and stays easy to copy.
      if (last < total) out.push(pal.dim("Next page:"), `  ${pal.code(`goingnats show ${lesson.id} ${last + 1}`)}`);
      else if (lesson.exercises.length) out.push(pal.dim("Exercises:"), ...lesson.exercises.map((id) => `  ${pal.code(`goingnats show ${id}`)}`));
      process.stdout.write(out.join("\n") + "\n");
    });
}

function parseWidth(text: string | undefined): number {
  if (text !== undefined) {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 20) throw new CliError(`--width should be a whole number of columns, 20 or more; got "${text}"`, EXIT.usage);
    return n;
  }
  return process.stdout.isTTY && process.stdout.columns ? process.stdout.columns : 80;
}

function separator(label: string, width: number, dim: (s: string) => string): string[] {
  const text = `── ${label} `;
  return [dim(text + "─".repeat(Math.max(0, width - text.length)))];
}
