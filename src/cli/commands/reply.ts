// `goingnats reply SUBJECT [BODY]`: the NATS CLI's `nats reply`, same arguments and defaults. Like
// the CLI it joins the queue group "NATS-RPLY-22" unless told otherwise, so several repliers share
// the requests (the workshop's "lottery"); `--queue ""` leaves the group and every replier answers
// (the "roll call").
import type { Command } from "commander";
import type { Msg } from "@nats-io/transport-node";
import { CliError, EXIT } from "../exit-codes.js";
import { collect, nonNegativeInt, parseDuration } from "../nats-flags.js";

export const DEFAULT_REPLY_QUEUE = "NATS-RPLY-22";

interface ReplyOptions {
  echo?: boolean;
  command?: string;
  queue: string;
  count?: number;
  header?: string[];
  sleep?: number;
}

export function register(program: Command): void {
  program
    .command("reply")
    .description("answer every request on a subject (same arguments as `nats reply`)")
    .argument("<subject>", "subject to answer requests on")
    .argument("[body]", "the reply; {{Request}} is the request's payload, {{Count}} its number (from 0)")
    .option("--echo", "answer with the request's own payload and headers")
    .option("--command <command>", "run this command for each request and answer with its output ({{Request}}, {{1}} = 2nd subject token)")
    .option("-q, --queue <group>", 'queue group; "" answers every request without sharing', DEFAULT_REPLY_QUEUE)
    .option("--count <n>", "exit after this many requests", nonNegativeInt)
    .option("-H, --header <K:V>", "add a header to each reply (repeatable)", collect)
    .option("--sleep <duration>", "wait a random time up to this long before each reply", parseDuration)
    .addHelpText(
      "after",
      `
Examples:
  $ goingnats reply greet.joe "hello, I am Joe"
  $ goingnats reply echo.> --echo
  $ goingnats reply roll.call "present: {{Request}}" --queue ""   every replier answers
  $ goingnats reply 'weather.>' --command "curl -s wttr.in/{{1}}?format=3"`,
    )
    .action(async (subject: string, body: string | undefined, opts: ReplyOptions, cmd: Command) => {
      const io = await import("../nats-io.js");
      const session = await io.openNats(cmd, "goingnats reply", false);
      const { nc } = session;
      const stop = io.untilStopped();
      let echo = opts.echo === true;
      if (!body && !opts.command && !echo) {
        io.log("No body or command supplied, enabling echo mode");
        echo = true;
      }
      try {
        io.buildHeaders(opts.header, { count: 0 }); // a malformed -H fails now, not at the first request
        // (an invalid subject throws here and is explained below)
        const sub = nc.subscribe(subject, { queue: opts.queue || undefined, max: opts.count || undefined });
        let i = 0;
        // One request at a time, in order, like the CLI's handler.
        const served = (async () => {
          for await (const m of sub) {
            await answer(io, m, i, { echo, body: body ?? "", opts });
            i++;
          }
        })();
        await nc.flush();
        io.log(`Listening on ${JSON.stringify(subject)} in group ${JSON.stringify(opts.queue)}`);
        const closed = nc.closed().then((err) => {
          throw new CliError(`the connection to ${session.target.url} closed${err ? `: ${err.message}` : ""}`, EXIT.server);
        });
        await Promise.race([served, stop.stopped, closed]);
        await nc.flush();
      } catch (err) {
        io.explain(err, subject);
      } finally {
        stop.dispose();
        await session.close();
      }
    });
}

async function answer(
  io: typeof import("../nats-io.js"),
  m: Msg,
  i: number,
  how: { echo: boolean; body: string; opts: ReplyOptions },
): Promise<void> {
  io.log(`[#${i}] Received on subject ${JSON.stringify(m.subject)}:`);
  for (const line of io.headerLines(m.headers)) io.log(line);
  io.write(`\n${m.string()}\n`);
  if (!m.reply) {
    io.log(`Not answered: this message was published, not requested, so it has no reply subject`);
    return;
  }
  if (how.opts.sleep) await new Promise((r) => setTimeout(r, Math.random() * how.opts.sleep!));
  const headers = io.buildHeaders(how.opts.header, { count: i });
  if (how.echo) {
    const h = headers ?? (await import("@nats-io/transport-node")).headers();
    for (const [k, values] of m.headers ?? []) for (const v of values) h.append(k, v);
    h.append("NATS-Reply-Counter", String(i));
    m.respond(m.data, { headers: h });
  } else if (how.opts.command) {
    m.respond(await runCommand(io, how.opts.command, m, i), { headers });
  } else {
    m.respond(io.expandTemplate(how.body, { count: i, request: m.string() }), { headers });
  }
}

/**
 * `--command`, as the NATS CLI does it: {{0}}, {{1}}... are the request subject's tokens, then the
 * body templates; run without a shell, NATS_REQUEST_SUBJECT and NATS_REQUEST_BODY in its environment;
 * the answer is its combined output, even when it fails (the failure is logged).
 */
async function runCommand(io: typeof import("../nats-io.js"), template: string, m: Msg, i: number): Promise<string> {
  const { spawn } = await import("node:child_process");
  let line = template;
  m.subject.split(".").forEach((token, n) => (line = line.replaceAll(`{{${n}}}`, token)));
  line = io.expandTemplate(line, { count: i, request: m.string() });
  const [file, ...args] = io.splitWords(line);
  if (!file) return "";
  return new Promise((resolve) => {
    let out = "";
    const child = spawn(file, args, { env: { ...process.env, NATS_REQUEST_SUBJECT: m.subject, NATS_REQUEST_BODY: m.string() }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.once("error", (err) => {
      io.log(`Command ${JSON.stringify(line)} failed to run: ${err.message}`);
      resolve(out);
    });
    child.once("close", (code) => {
      if (code !== 0) io.log(`Command ${JSON.stringify(line)} failed: exit code ${code}`);
      resolve(out);
    });
  });
}
