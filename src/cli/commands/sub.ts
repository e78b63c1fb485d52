// `goingnats sub SUBJECT...`: the NATS CLI's `nats sub`, same arguments and output. It says
// "Subscribing on ..." only after the server has confirmed the subscription (a flush), so a script
// or a lesson that waits for that line can publish without losing the first message.
import type { Command } from "commander";
import type { Msg } from "@nats-io/transport-node";
import { CliError, EXIT } from "../exit-codes.js";
import { nonNegativeInt, parseDuration } from "../nats-flags.js";

interface SubOptions {
  queue?: string;
  count?: number;
  raw?: boolean;
  headersOnly?: boolean;
  subjectsOnly?: boolean;
  wait?: number;
}

type Ended = { why: "count" | "idle" | "signal" } | { why: "error"; err: unknown };

export function register(program: Command): void {
  program
    .command("sub")
    .alias("subscribe")
    .description("subscribe and print the messages that arrive (same arguments as `nats sub`)")
    .argument("<subjects...>", "subjects to subscribe to; * matches one token, > the rest")
    .option("--queue <group>", "join a queue group: each message goes to one member of the group")
    .option("--count <n>", "exit after receiving this many messages", nonNegativeInt)
    .option("-r, --raw", "print only the payloads")
    .option("--headers-only", "print headers but not payloads")
    .option("--subjects-only", "print only the subjects of the messages")
    .option("--wait <duration>", "exit after this long without a message (e.g. 10s)", parseDuration)
    .addHelpText(
      "after",
      `
Examples:
  $ goingnats sub hello.world
  $ goingnats sub "hello.>"                  every subject under hello.
  $ goingnats sub "hello.*.dm" --count 1     exit after the first message
  $ goingnats sub orders.new --queue workers  share the work with other subscribers in "workers"`,
    )
    .action(async (subjects: string[], opts: SubOptions, cmd: Command) => {
      const io = await import("../nats-io.js");
      const session = await io.openNats(cmd, "goingnats sub", opts.raw === true);
      const { nc } = session;
      const stop = io.untilStopped();
      let settle!: (e: Ended) => void;
      const ended = new Promise<Ended>((r) => (settle = r));
      let idle: NodeJS.Timeout | undefined;
      const armIdle = () => {
        if (!opts.wait) return;
        clearTimeout(idle);
        idle = setTimeout(() => settle({ why: "idle" }), opts.wait);
      };
      let n = 0;
      const onMessage = (m: Msg) => {
        if (opts.count && n >= opts.count) return; // already done; the rest are drained unseen
        n++;
        io.write(print(io, m, n, opts));
        armIdle();
        if (opts.count && n >= opts.count) settle({ why: "count" });
      };
      try {
        for (const subject of subjects) {
          try {
            nc.subscribe(subject, {
              queue: opts.queue || undefined,
              // With one subject the server stops sending after --count, so no extra message is taken
              // from a queue group only to be dropped.
              max: opts.count && subjects.length === 1 ? opts.count : undefined,
              callback: (err, m) => (err ? settle({ why: "error", err }) : onMessage(m)),
            });
          } catch (err) {
            io.explain(err, subject);
          }
        }
        await nc.flush();
        const group = opts.queue ? ` in queue group ${JSON.stringify(opts.queue)}` : "";
        io.log(`Subscribing on ${subjects.join(", ")}${group}`);
        armIdle();
        void stop.stopped.then(() => settle({ why: "signal" }));
        void nc.closed().then((err) => settle({ why: "error", err: new CliError(`the connection to ${session.target.url} closed${err ? `: ${err.message}` : ""}`, EXIT.server) }));
        const end = await ended;
        if (end.why === "error") io.explain(end.err, subjects.join(", "));
      } finally {
        clearTimeout(idle);
        stop.dispose();
        await session.close();
      }
    });
}

function print(io: typeof import("../nats-io.js"), m: Msg, n: number, opts: SubOptions): string {
  if (opts.raw) return io.bodyText(m.data);
  if (opts.subjectsOnly) return `[#${n}] Received on ${JSON.stringify(m.subject)}\n`;
  if (opts.headersOnly) {
    const hl = io.headerLines(m.headers);
    return `[#${n}] Received on ${JSON.stringify(m.subject)}\n${hl.length ? `${hl.join("\n")}\n` : ""}\n`;
  }
  return io.formatReceived(m, n);
}
