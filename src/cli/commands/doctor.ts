// `goingnats doctor`: which server am I using, how was it found, and does it work? (src/server/doctor.ts)
import type { Command } from "commander";
import { EXIT } from "../exit-codes.js";

export function register(program: Command): void {
  program
    .command("doctor")
    .description("show how goingnats finds a NATS server, and test the one it would use")
    .option("--json", "machine-readable output")
    .addHelpText(
      "after",
      `
Examples:
  $ goingnats doctor                      what would goingnats use right now?
  $ goingnats --server demo doctor        test the public demo server
  $ goingnats --context work doctor       test a NATS CLI context
  $ goingnats doctor --json
Exit code 0 when a server works, ${EXIT.server} when none does.`,
    )
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const { runDoctor, formatDoctor } = await import("../../server/doctor.js");
      const { serverOptionsFromFlags } = await import("../../server/resolve.js");
      const report = await runDoctor(serverOptionsFromFlags(cmd.optsWithGlobals()));
      process.stdout.write(o.json ? JSON.stringify(report, null, 2) + "\n" : formatDoctor(report));
      if (!report.ok) process.exitCode = EXIT.server;
    });
}
