// `goingnats init [dir]`: write the learner's workspace (starter files, READMEs, package.json,
// tsconfig.json and the NATS client packages), ready to run and edit with no install step.
import type { Command } from "commander";
import { CliError, EXIT } from "../exit-codes.js";

export const DEFAULT_WORKSPACE = "goingnats-workspace";

export function register(program: Command): void {
  program
    .command("init")
    .description("write a workspace with every exercise's starter files, ready to run and edit")
    .argument("[dir]", "where to write it", DEFAULT_WORKSPACE)
    .option("--force", "write into an existing, non-empty folder (your edited exercise files are still kept)")
    .addHelpText(
      "after",
      `
Examples:
  $ goingnats init                      ./${DEFAULT_WORKSPACE}
  $ goingnats init ~/nats-exercises
  $ goingnats init ${DEFAULT_WORKSPACE} --force   add new exercises, keep your files`,
    )
    .action(async (dirArg: string, _opts: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals<{ force?: boolean; namespace?: string }>();
      const { existsSync, readdirSync, statSync } = await import("node:fs");
      const { resolve, relative, isAbsolute } = await import("node:path");
      const dir = resolve(dirArg);
      if (existsSync(dir)) {
        if (!statSync(dir).isDirectory()) throw new CliError(`${dir} exists and is not a folder; choose another place: goingnats init <dir>`, EXIT.usage);
        if (readdirSync(dir).length > 0 && !opts.force) {
          throw new CliError(
            `${dir} already exists and is not empty.\n` +
              `  To add missing exercises and refresh the packages (your edited files are kept): goingnats init ${JSON.stringify(dirArg)} --force\n` +
              `  Or choose another folder: goingnats init <dir>`,
            EXIT.usage,
          );
        }
      }
      const { loadContent } = await import("../../render/content.js");
      const { writeWorkspace } = await import("../../workspace/init.js");
      const { namespaceVars } = await import("../../render/namespace-vars.js");
      const { VERSION } = await import("../version.js");
      const { updateProgress, warnOnce } = await import("../../progress/store.js");
      const { palette } = await import("../../render/palette.js");
      const c = await loadContent();
      let report;
      try {
        report = writeWorkspace(c, dir, { vars: namespaceVars(opts.namespace ?? process.env.GOINGNATS_NAMESPACE), goingnatsVersion: VERSION });
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === "EACCES" || e.code === "EPERM" || e.code === "ENOSPC" || e.code === "EROFS") {
          throw new CliError(`cannot write the workspace in ${dir}: ${e.message}`, EXIT.usage);
        }
        throw err;
      }
      const { warning } = updateProgress((p) => {
        p.workspace = report.dir;
      });
      warnOnce(warning);

      const pal = palette();
      const rel = relative(process.cwd(), report.dir);
      const cdTo = rel && !rel.startsWith("..") && !isAbsolute(rel) ? rel : report.dir;
      const first = report.exercises[0];
      const out = [
        pal.ok(`✓ Workspace ready in ${report.dir}`),
        pal.dim(`  ${report.exercises.length} exercise folder${report.exercises.length === 1 ? "" : "s"}, ` +
          `${report.packages.length} packages in node_modules (no npm install needed)${report.typesNode ? "" : "; @types/node was not available, so editors may not know Node's types"}`),
      ];
      for (const f of report.kept) out.push(pal.accent(`  kept your ${f} (not overwritten)`));
      for (const f of report.backedUp) out.push(pal.dim(`  replaced ${f}; your previous copy is next to it as ${f}.bak-<time>`));
      out.push(
        "",
        pal.strong("Next:"),
        `  ${pal.dim("$")} ${pal.code(`cd ${JSON.stringify(cdTo).replace(/^"([\w./-]+)"$/, "$1")}`)}`,
        `  ${pal.dim("$")} ${pal.code("code .")}${pal.dim("   (or open the folder in your editor)")}`,
      );
      // From inside the workspace (and anywhere, once progress knows it) the exercise folder is found.
      out.push(`  ${pal.dim("$")} ${pal.code("goingnats")}${pal.dim("   (the app: lessons, and c checks the exercise you are on)")}`);
      if (first) out.push(`  ${pal.dim("$")} ${pal.code(`goingnats check ${first}`)}${pal.dim("   (or check from the command line)")}`);
      process.stdout.write(out.join("\n") + "\n");
    });
}
