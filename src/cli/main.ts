// The goingnats command line. Each command lives in commands/<name>.ts and loads its heavy modules
// (the NATS client, ink, the markdown renderer) only when it runs, so `--version` and `list` stay fast.
import { Command, CommanderError } from "commander";
import { CliError, EXIT } from "./exit-codes.js";
import { VERSION } from "./version.js";
import { commands } from "./commands/index.js";

export function buildProgram(): Command {
  const program = new Command("goingnats")
    .description("Learn NATS in your terminal: short lessons and live exercises checked against a real NATS server.")
    .version(VERSION, "-v, --version")
    .option("-s, --server <url>", "NATS server URL (also NATS_URL); 'demo' means demo.nats.io")
    .option("--context <name>", "use a NATS CLI context (also NATS_CONTEXT)")
    .option("--creds <file>", "credentials file")
    .option("--user <name>", "user name")
    .option("--password <secret>", "password")
    .option("--token <token>", "authentication token")
    .option("--nkey <file>", "nkey seed file")
    .option("--tls-cert <file>", "client certificate (TLS)")
    .option("--tls-key <file>", "client certificate key (TLS)")
    .option("--tls-ca <file>", "CA certificate to trust (TLS)")
    .option("--namespace <name>", "prefix your subjects and streams on a shared server (also GOINGNATS_NAMESPACE)")
    .option("--no-color", "plain output (also NO_COLOR)")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText(
      "after",
      `
Examples:
  $ goingnats                      start learning (lessons, exercises, progress)
  $ goingnats show hello-nats      read a lesson
  $ goingnats check hello-first-message
  $ goingnats server start         a local nats-server for your other terminals
  $ goingnats doctor               which server am I using, and does it work?
  $ goingnats --server demo list   use the public demo server`,
    );
  // Before the commands are added, so that they inherit it: usage errors inside them exit 2 too.
  program.exitOverride();
  for (const register of commands) register(program);
  return program;
}

export async function main(argv = process.argv): Promise<void> {
  // `goingnats list | head` closes the pipe early, and a closed terminal window (EIO) is gone too:
  // neither is an error worth a stack trace.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    if (err.code === "EIO") return void process.kill(process.pid, "SIGHUP");
    throw err;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version end through here too, with exit code 0.
    return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  if (err instanceof CliError) {
    process.stderr.write(`goingnats: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(`goingnats: unexpected error: ${e?.stack ?? String(err)}\nPlease report this at the goingnats issue tracker.\n`);
  return EXIT.internal;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, "/"))) {
  await main();
}
