// `goingnats request SUBJECT [BODY]` (alias req): the NATS CLI's `nats request`, same arguments.
// It tells apart the two ways a request fails, because they teach different things: "no responders"
// comes back at once from the server when nobody subscribes; a timeout means someone subscribed but
// did not answer in time.
import { Option, type Command } from "commander";
import type { Msg, MsgHdrs, NatsConnection, Subscription } from "@nats-io/transport-node";
import { CliError, EXIT } from "../exit-codes.js";
import { collect, formatDuration, nonNegativeInt, parseDuration } from "../nats-flags.js";

interface RequestOptions {
  timeout: number;
  header?: string[];
  replies: number;
  replyTimeout: number;
  waitForEmpty?: boolean;
  raw?: boolean;
  count: number;
  forceStdin?: boolean;
  templates: boolean;
}

export function register(program: Command): void {
  program
    .command("request")
    .alias("req")
    .description("send a request and print the reply (same arguments as `nats request`)")
    .argument("<subject>", "subject to send the request to")
    .argument("[body]", "request body; read from stdin when left out")
    .addOption(new Option("--timeout <duration>", "how long to wait for a reply (e.g. 2s, 500ms)").argParser(parseDuration).default(5000, "5s"))
    .option("-H, --header <K:V>", "add a header (repeatable)", collect)
    .option("--replies <n>", "wait for this many replies (scatter-gather); 0 waits until the timeout", nonNegativeInt, 1)
    .addOption(new Option("--reply-timeout <duration>", "with several replies: how long to wait for the next one").argParser(parseDuration).default(300, "300ms"))
    .option("--wait-for-empty", "collect replies until an empty message arrives")
    .option("-r, --raw", "print only the reply payloads")
    .option("--count <n>", "send this many requests", nonNegativeInt, 1)
    .option("--force-stdin", "read the body from stdin")
    .option("--no-templates", "send {{...}} in the body and subject as written")
    .addHelpText(
      "after",
      `
Examples:
  $ goingnats request time.now ""
  $ goingnats req greet.joe "hello" --timeout 2s
  $ goingnats req roll.call "" --replies 0      every answer that arrives within the timeout`,
    )
    .action(async (subject: string, body: string | undefined, opts: RequestOptions, cmd: Command) => {
      const io = await import("../nats-io.js");
      const session = await io.openNats(cmd, "goingnats request", opts.raw === true);
      try {
        const template = io.bodyFromStdin(body !== undefined, opts.forceStdin) ? await io.readStdin(opts.raw === true) : (body ?? "");
        const expand = (text: string, i: number) => (opts.templates ? io.expandTemplate(text, { count: i }) : text);
        // Like the CLI, --wait-for-empty lifts the reply limit and stops at the empty message.
        const replies = opts.waitForEmpty ? Number.MAX_SAFE_INTEGER : opts.replies;
        for (let i = 1; i <= Math.max(1, opts.count); i++) {
          const subj = expand(subject, i);
          try {
            await requestOnce(session.nc, io, subj, expand(template, i), io.buildHeaders(opts.header, { count: i }), { ...opts, replies });
          } catch (err) {
            io.explain(err, subj);
          }
        }
      } finally {
        await session.close();
      }
    });
}

async function requestOnce(
  nc: NatsConnection,
  io: typeof import("../nats-io.js"),
  subject: string,
  data: string,
  headers: MsgHdrs | undefined,
  opts: RequestOptions,
): Promise<void> {
  const { createInbox } = await import("@nats-io/transport-node");
  const inbox = createInbox();
  // Our own inbox subscription (as the NATS CLI does) so several replies can be collected with the
  // CLI's pacing: the whole timeout for the first, then the average round trip + --reply-timeout.
  const sub = nc.subscribe(inbox);
  const next = nextWithin(sub);
  try {
    nc.publish(subject, data, { reply: inbox, headers });
    if (!opts.raw) io.log(`Sending request on ${JSON.stringify(subject)}`);
    const start = performance.now();
    let timeout = opts.timeout;
    let received = 0;
    let rttSum = 0;
    for (;;) {
      const m = await next(timeout);
      if (!m) break;
      if (m.headers?.code === 503 || m.headers?.status === "503") {
        if (received > 0) break;
        throw new CliError(`no responders: nobody is subscribed to ${JSON.stringify(subject)}. In NATS a request fails fast when no one listens.`, EXIT.checkFailed);
      }
      const rtt = performance.now() - start;
      received++;
      if (opts.raw) io.write(io.bodyText(m.data));
      else {
        io.log(`Received with rtt ${formatDuration(rtt)}`);
        const hl = io.headerLines(m.headers);
        if (hl.length) {
          for (const line of hl) io.log(line);
          io.log("");
        }
        io.write(`${io.bodyText(m.data)}\n`);
      }
      if (opts.replies > 0 && (received >= opts.replies || m.data.length === 0)) break;
      if (opts.replies === 0) timeout = opts.timeout - (performance.now() - start);
      else {
        rttSum += rtt;
        timeout = rttSum / received + opts.replyTimeout;
      }
      if (timeout <= 0) break;
    }
    if (received === 0) {
      throw new CliError(
        `no reply within ${formatDuration(opts.timeout)}: something is subscribed to ${JSON.stringify(subject)} (or the server would have said "no responders" at once), but it did not answer in time. A subscriber that only listens never replies; a responder must publish to the request's reply subject.`,
        EXIT.checkFailed,
      );
    }
    if (!opts.raw && opts.replies > 1 && received < opts.replies && opts.replies !== Number.MAX_SAFE_INTEGER) {
      io.log(`Received ${received} of ${opts.replies} replies`);
    }
  } finally {
    sub.unsubscribe();
  }
}

/** The subscription's next message, or null after `ms` milliseconds (the timer never outlives the wait). */
function nextWithin(sub: Subscription): (ms: number) => Promise<Msg | null> {
  const it = sub[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<Msg>> | undefined;
  return async (ms) => {
    // A wait that timed out leaves its next() pending; reuse it rather than skipping a message.
    pending ??= it.next();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<null>((r) => (timer = setTimeout(() => r(null), Math.max(0, ms))));
    try {
      const r = await Promise.race([pending, timedOut]);
      if (r === null) return null;
      pending = undefined;
      return r.done ? null : r.value;
    } finally {
      clearTimeout(timer);
    }
  };
}
