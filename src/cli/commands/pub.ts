// `goingnats pub SUBJECT [BODY]`: the NATS CLI's `nats pub`, same arguments, so lessons can show
// `nats pub ...` and learners without the NATS CLI run the same line through goingnats.
import { Option, type Command } from "commander";
import type { MsgHdrs, NatsConnection } from "@nats-io/transport-node";
import { CliError, EXIT } from "../exit-codes.js";
import { collect, nonNegativeInt, parseDuration } from "../nats-flags.js";

interface PubOptions {
  header?: string[];
  reply?: string;
  count: number;
  sleep?: number;
  forceStdin?: boolean;
  jetstream?: boolean;
  quiet?: boolean;
  timeout: number;
  templates: boolean;
}

/** Above this many messages one summary line replaces a line per message (the CLI shows a bar). */
const LINE_PER_MESSAGE_UP_TO = 20;

export function register(program: Command): void {
  program
    .command("pub")
    .alias("publish")
    .description("publish a message (same arguments as `nats pub`)")
    .argument("<subject>", "subject to publish to")
    .argument("[body]", "message body; read from stdin when left out")
    .option("-H, --header <K:V>", "add a header (repeatable)", collect)
    .option("--reply <subject>", "set a reply subject")
    .option("--count <n>", "publish this many messages", nonNegativeInt, 1)
    .option("--sleep <duration>", "pause between messages when publishing several (e.g. 100ms)", parseDuration)
    .option("--force-stdin", "read the body from stdin")
    .option("-J, --jetstream", "publish to JetStream and wait for the stream's acknowledgement")
    .addOption(new Option("--timeout <duration>", "how long to wait for a JetStream acknowledgement").argParser(parseDuration).default(5000, "5s"))
    .option("--no-templates", "send {{...}} in the body and subject as written")
    .option("-q, --quiet", "print nothing but errors")
    .addHelpText(
      "after",
      `
The body and subject may use templates, like the NATS CLI:
  {{Count}} the message number, {{TimeStamp}} RFC3339 time, {{Unix}}, {{UnixNano}}, {{Time}},
  {{ID}} a unique id, {{Random 10 100}} a random string 10 to 100 characters long.

Examples:
  $ goingnats pub hello.world "Hello NATS"
  $ goingnats pub -H "Lang:nb" hello.meetup.hamar "Hei!"
  $ goingnats pub orders.{{Count}}.created --count 1000 '{"order":{{Count}}}'
  $ echo '{"temp":21.5}' | goingnats pub sensors.kitchen`,
    )
    .action(async (subject: string, body: string | undefined, opts: PubOptions, cmd: Command) => {
      const io = await import("../nats-io.js");
      const quiet = opts.quiet === true;
      const session = await io.openNats(cmd, "goingnats pub", quiet);
      try {
        const template = io.bodyFromStdin(body !== undefined, opts.forceStdin) ? await io.readStdin(quiet) : (body ?? "");
        const count = Math.max(1, opts.count);
        const perLine = !quiet && count <= LINE_PER_MESSAGE_UP_TO;
        const expand = (text: string, i: number) => (opts.templates ? io.expandTemplate(text, { count: i }) : text);
        let bytes = 0;
        for (let i = 1; i <= count; i++) {
          const subj = expand(subject, i);
          const data = expand(template, i);
          const headers = io.buildHeaders(opts.header, { count: i });
          bytes += Buffer.byteLength(data);
          if (opts.jetstream) {
            // Say "published" only once the stream has taken it: a refusal is the whole story.
            const ack = await jetstreamPublish(session.nc, subj, data, headers, opts.timeout);
            if (perLine) io.log(`Published ${Buffer.byteLength(data)} bytes to ${JSON.stringify(subj)}`);
            if (perLine) io.log(ack);
          } else {
            session.nc.publish(subj, data, { headers, reply: opts.reply || undefined });
            if (perLine) io.log(`Published ${Buffer.byteLength(data)} bytes to ${JSON.stringify(subj)}`);
          }
          if (opts.sleep && i < count) {
            await session.nc.flush();
            await new Promise((r) => setTimeout(r, opts.sleep));
          }
        }
        // publish() only queues the message: flush so it has reached the server before we exit.
        await session.nc.flush();
        if (!quiet && !perLine) io.log(`Published ${count} messages (${bytes} bytes) to ${JSON.stringify(subject)}`);
      } catch (err) {
        io.explain(err, subject, session.nc.info?.max_payload);
      } finally {
        await session.close();
      }
    });
}

/** A JetStream publish is a request to the stream, answered with an acknowledgement (or an error). */
async function jetstreamPublish(
  nc: NatsConnection,
  subject: string,
  data: string,
  headers: MsgHdrs | undefined,
  timeout: number,
): Promise<string> {
  let reply;
  try {
    reply = await nc.request(subject, data, { headers, timeout });
  } catch (err) {
    const e = err as Error & { isNoResponders?: () => boolean };
    if (e.isNoResponders?.()) {
      throw new CliError(`no stream stores ${JSON.stringify(subject)}: with --jetstream a publish is a request that a stream answers, and no stream listens on this subject (or JetStream is off)`, EXIT.checkFailed);
    }
    if (e.name === "TimeoutError" || /timeout/i.test(e.message)) {
      throw new CliError(`JetStream did not acknowledge the message within ${timeout} ms`, EXIT.checkFailed);
    }
    throw err;
  }
  const ack = reply.json<{ stream?: string; seq?: number; duplicate?: boolean; domain?: string; error?: { code: number; description: string; err_code?: number } }>();
  if (ack.error) throw new CliError(`JetStream refused the message: ${ack.error.description} (${ack.error.err_code ?? ack.error.code})`, EXIT.checkFailed);
  let line = `Stored in Stream: ${ack.stream} Sequence: ${ack.seq}`;
  if (ack.domain) line += ` Domain: ${JSON.stringify(ack.domain)}`;
  if (ack.duplicate) line += " Duplicate: true";
  return line;
}
