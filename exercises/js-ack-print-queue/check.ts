import type { Check, CheckContext, ProgramHandle } from "../../src/check/types.js";
import type { ConsumerInfo, JetStreamManager } from "@nats-io/jetstream";

const STREAM = "PRINTS";
const CONSUMER = "SPOOLER";
const JOBS = "print.jobs";
const PRINTER = "printer.print";
const ACK_WAIT_MS = 2000;
const BIG_MS = 4000; // longer than the ack wait, shorter than the promised 5 s
const RUN = Math.random().toString(36).slice(2, 6);

interface PrintRequest {
  doc: string;
  attempt: number;
  at: number;
  repliedAt?: number;
  reply?: string;
}

type Plan = (doc: string, attempt: number) => { reply: string; delayMs: number };

export const checks: Check[] = [
  {
    name: "a big document prints once, though printing takes longer than the ack wait",
    idea: "working() tells the server a message is in progress and restarts its ack wait",
    async run(ctx) {
      const { jsm, stream, consumer } = await setup(ctx);
      const poster = `poster-${RUN}.pdf`;
      const requests = printer(ctx, (doc) => ({ reply: "ok", delayMs: doc === poster ? BIG_MS : 0 }));
      await ctx.flush();
      const program = await ctx.startProgram();
      await ready(ctx, jsm, program);

      const seq = (await ctx.js().publish(ctx.subject(JOBS), poster)).seq;
      const first = await firstRequest(ctx, jsm, requests, poster, seq, program);
      ctx.progress(`the printer takes ${BIG_MS / 1000} s for ${poster}; the ack wait is ${ACK_WAIT_MS / 1000} s`);
      while (!first.repliedAt && !ctx.signal.aborted) {
        const ci = await info(jsm, stream, consumer);
        if (ci && ci.ack_floor.stream_seq >= seq) ackedBeforePrinted(ctx, poster, first, ci);
        if (ci && (ci.delivered.consumer_seq > 1 || ci.num_redelivered > 0)) {
          const after = ((Date.now() - first.at) / 1000).toFixed(1);
          return ctx.fail({
            expected: `${poster} delivered once, and kept by your program while the printer works (${BIG_MS / 1000} s)`,
            seen: `${after} s after your program sent it to the printer, the server delivered it again (the consumer shows ${ci.delivered.consumer_seq} deliveries for 1 job, num_redelivered ${ci.num_redelivered}): the ack wait of ${ACK_WAIT_MS / 1000} s ran out while it was printing`,
            idea: "The server redelivers a message that is not acked within ack_wait; m.working() says \"still on it\" and restarts that clock",
            hint: "While the printer works, call m.working() every second: const alive = setInterval(() => m.working(), 1000), and clearInterval(alive) when the printer answered.",
          });
        }
        await ctx.sleep(100);
      }
      await settled(ctx, jsm, [seq], requests);
      return `${poster}: printed after ${BIG_MS / 1000} s, delivered once, acked after the printer said ok`;
    },
  },
  {
    name: "the job queued behind a big one prints once too",
    idea: "ack_wait starts when the server delivers a message, also while it waits in the client's buffer",
    async run(ctx) {
      const { jsm, stream, consumer } = await setup(ctx);
      const poster = `poster-${RUN}-2.pdf`;
      const flyer = `flyer-${RUN}.pdf`;
      const requests = printer(ctx, (doc) => ({ reply: "ok", delayMs: doc === poster ? BIG_MS : 0 }));
      await ctx.flush();
      const program = await ctx.startProgram();
      await ready(ctx, jsm, program);

      const seqs = [(await ctx.js().publish(ctx.subject(JOBS), poster)).seq, (await ctx.js().publish(ctx.subject(JOBS), flyer)).seq];
      const first = await firstRequest(ctx, jsm, requests, poster, seqs[0], program);
      while (!first.repliedAt && !ctx.signal.aborted) {
        const ci = await info(jsm, stream, consumer);
        if (ci && ci.ack_floor.stream_seq >= seqs[0]) ackedBeforePrinted(ctx, poster, first, ci);
        if (ci && ci.delivered.consumer_seq > 2) {
          const flyerAsked = requests.some((r) => r.doc === flyer);
          return ctx.fail({
            expected: `${poster} and ${flyer} each delivered once: 2 deliveries`,
            seen: `while the printer worked on ${poster}, the consumer showed ${ci.delivered.consumer_seq} deliveries for 2 jobs (num_redelivered ${ci.num_redelivered}); ${flyerAsked ? "" : `${flyer} had not reached the printer yet: `}it was delivered to your program together with the poster and waited in its buffer until its ${ACK_WAIT_MS / 1000} s ack wait ran out`,
            idea: "ack_wait starts when the server delivers a message; consume() fetches ahead, so queued messages expire in the client's buffer",
            hint: "Fetch one job at a time: consumer.consume({ max_messages: 1 }). (Or print them concurrently, each with its own working() timer.)",
          });
        }
        await ctx.sleep(100);
      }
      await settled(ctx, jsm, seqs, requests);
      return `${poster} and ${flyer}: 2 deliveries for 2 jobs, each printed once`;
    },
  },
  {
    name: "a jammed job is tried again a second later",
    idea: "nak asks for redelivery; nak with a delay asks for it later",
    async run(ctx) {
      const { jsm, stream, consumer } = await setup(ctx);
      const invoice = `invoice-${RUN}.pdf`;
      const requests = printer(ctx, (_doc, attempt) => ({ reply: attempt === 1 ? "jammed" : "ok", delayMs: 0 }));
      const naks: number[] = [];
      ctx.nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MSG_NAKED.${stream}.${consumer}`, {
        callback: (_e, m) => {
          try {
            naks.push(m.json<{ stream_seq: number }>().stream_seq);
          } catch {
            // ignore what we cannot read
          }
        },
      });
      await ctx.flush();
      const program = await ctx.startProgram();
      await ready(ctx, jsm, program);

      const seq = (await ctx.js().publish(ctx.subject(JOBS), invoice)).seq;
      const first = await firstRequest(ctx, jsm, requests, invoice, seq, program);
      const jammedAt = (await ctx.poll(2000, () => first.repliedAt)) ?? Date.now();
      const second = await ctx.poll(6000, async () => {
        const again = requests.find((r) => r.doc === invoice && r.attempt === 2);
        if (again) return again;
        const ci = await info(jsm, stream, consumer);
        return ci && ci.ack_floor.stream_seq >= seq ? ci : undefined;
      });
      if (!second || !("doc" in second)) {
        const ci = second ?? (await info(jsm, stream, consumer));
        const acked = !!ci && ci.ack_floor.stream_seq >= seq;
        return ctx.fail({
          expected: `${invoice} back at the printer about 1 s after it jammed`,
          seen: acked
            ? `your program acknowledged ${invoice} though the printer answered "jammed": the server considers it done and will never deliver it again; the invoice is lost`
            : `no second attempt within 6 s; the consumer shows num_ack_pending ${ci?.num_ack_pending ?? "?"}, ${naks.includes(seq) ? "a nak for it" : "no nak for it"}${ci ? `, ${ci.delivered.consumer_seq} deliveries` : ""}`,
          idea: "ack means done; a job that failed needs nak (deliver again), or it waits for ack_wait",
          hint: 'When the printer answers "jammed": m.nak(1000), not m.ack().',
        });
      }
      const gapMs = second.at - jammedAt;
      if (!naks.includes(seq)) {
        return ctx.fail({
          expected: `${invoice} nak'ed with a delay of about 1 s after the jam`,
          seen: `it came back ${(gapMs / 1000).toFixed(1)} s later with no nak from your program (no MSG_NAKED advisory): only because its ${ACK_WAIT_MS / 1000} s ack wait ran out`,
          idea: "nak tells the server at once that a delivery failed; without it the server waits for ack_wait",
          hint: "m.nak(1000) when the printer answers \"jammed\": the job comes back in one second, whatever the ack wait is.",
        });
      }
      if (gapMs < 600) {
        return ctx.fail({
          expected: `${invoice} tried again about 1 s after the jam`,
          seen: `your program nak'ed it and it was back at the printer ${gapMs} ms later: a nak without a delay asks for redelivery at once, and a jammed printer has had no time to recover (a busy loop of retries)`,
          idea: "nak(delay) asks the server to redeliver after the delay instead of at once",
          hint: "m.nak(1000): the delay is in milliseconds.",
        });
      }
      await settled(ctx, jsm, [seq], requests);
      return `jammed, nak'ed, back ${(gapMs / 1000).toFixed(1)} s later, printed and acked`;
    },
  },
];

/** A clean PRINTS stream and SPOOLER consumer for this check, removed afterwards. */
async function setup(ctx: CheckContext): Promise<{ jsm: JetStreamManager; stream: string; consumer: string }> {
  const jsm = await ctx.jsm();
  const stream = ctx.name(STREAM);
  const consumer = ctx.name(CONSUMER);
  await jsm.streams.delete(stream).catch(() => {});
  ctx.defer(() => jsm.streams.delete(stream).catch(() => {}));
  try {
    await jsm.streams.add({ name: stream, subjects: [ctx.subject(JOBS)], storage: "memory" });
  } catch (err) {
    return ctx.fail({
      expected: `goingnats can create the stream ${stream} on ${ctx.subject(JOBS)}`,
      seen: `the server said "${(err as Error).message}"`,
      idea: "Two streams may not capture the same subject",
      hint: `Delete the stream that captures ${ctx.subject(JOBS)} (nats stream ls shows them), then run the check again.`,
    });
  }
  await jsm.consumers.add(stream, { durable_name: consumer, ack_policy: "explicit", ack_wait: ACK_WAIT_MS * 1_000_000, max_deliver: 20 });
  return { jsm, stream, consumer };
}

/** The check plays the printer: every request is recorded (and noted in the timeline), answered as the plan says. */
function printer(ctx: CheckContext, plan: Plan): PrintRequest[] {
  const requests: PrintRequest[] = [];
  const timers: ReturnType<typeof setTimeout>[] = [];
  ctx.defer(() => timers.forEach(clearTimeout));
  ctx.nc.subscribe(ctx.subject(PRINTER), {
    callback: (_e, m) => {
      const doc = m.string();
      const r: PrintRequest = { doc, attempt: requests.filter((x) => x.doc === doc).length + 1, at: Date.now() };
      requests.push(r);
      ctx.note(`printer got ${doc} (attempt ${r.attempt})`);
      const { reply, delayMs } = plan(doc, r.attempt);
      timers.push(
        setTimeout(() => {
          try {
            m.respond(reply);
            r.repliedAt = Date.now();
            r.reply = reply;
            ctx.note(`printer answered ${reply} for ${doc}`);
          } catch {
            // the check is over
          }
        }, delayMs),
      );
    },
  });
  return requests;
}

/** The program is reading once the server shows a pull request waiting on the consumer. */
async function ready(ctx: CheckContext, jsm: JetStreamManager, program: ProgramHandle): Promise<void> {
  const ok = await ctx.poll(10_000, async () => {
    const ci = await info(jsm, ctx.name(STREAM), ctx.name(CONSUMER));
    if (ci && ci.num_waiting > 0) return true;
    return program.isRunning() ? undefined : false;
  });
  if (ok) return;
  return ctx.fail({
    expected: `your program pulls jobs from the consumer ${CONSUMER} on ${STREAM}`,
    seen: program.isRunning() ? "after 10 s the consumer shows no pull request waiting (num_waiting 0)" : `your program stopped before it pulled anything. It printed:\n${program.output().slice(-600) || "(nothing)"}`,
    idea: "A pull consumer delivers only when a client asks: consume() keeps a pull request open",
    hint: `const consumer = await js.consumers.get(\`\${names}${STREAM}\`, \`\${names}${CONSUMER}\`); for await (const m of await consumer.consume({ max_messages: 1 })) { ... }`,
  });
}

/** Waits for the first print request of `doc`; explains what the server shows when it does not come. */
async function firstRequest(ctx: CheckContext, jsm: JetStreamManager, requests: PrintRequest[], doc: string, seq: number, program: ProgramHandle): Promise<PrintRequest> {
  const first = await ctx.poll(8000, () => requests.find((r) => r.doc === doc));
  if (first) return first;
  const ci = await info(jsm, ctx.name(STREAM), ctx.name(CONSUMER));
  const acked = !!ci && ci.ack_floor.stream_seq >= seq;
  return ctx.fail({
    expected: `a request on ${PRINTER} with the body "${doc}"`,
    seen: `no request in 8 s. The consumer shows ${ci ? `${ci.delivered.consumer_seq} deliveries, num_ack_pending ${ci.num_ack_pending}${acked ? ", and the job ACKNOWLEDGED: it is done as far as the server knows, and was never printed" : ""}` : "nothing (it is gone)"}. ${program.isRunning() ? "" : "Your program has stopped."}`,
    idea: "Each delivered job is worth a request to the printer; the ack comes after its answer",
    hint: `const r = await nc.request(\`\${prefix}${PRINTER}\`, m.data, { timeout: 6000 })`,
  });
}

function ackedBeforePrinted(ctx: CheckContext, doc: string, req: PrintRequest, ci: ConsumerInfo): never {
  return ctx.fail({
    expected: `${doc} acknowledged after the printer answered ok`,
    seen: `the printer was still working on it (${((Date.now() - req.at) / 1000).toFixed(1)} s in), and the consumer already shows it acknowledged (ack floor at stream sequence ${ci.ack_floor.stream_seq}, num_ack_pending ${ci.num_ack_pending}); had the printer failed, the job would be lost`,
    idea: "An ack means: done, never deliver again. Ack after the work, not when the message arrives",
    hint: 'Move m.ack() after the printer\'s answer, and only when it is "ok".',
  });
}

/** After the last answer: every job acked, and nothing printed twice. */
async function settled(ctx: CheckContext, jsm: JetStreamManager, seqs: number[], requests: PrintRequest[]): Promise<void> {
  const stream = ctx.name(STREAM);
  const consumer = ctx.name(CONSUMER);
  const last = Math.max(...seqs);
  const acked = await ctx.poll(2500, async () => {
    const ci = await info(jsm, stream, consumer);
    return ci && ci.ack_floor.stream_seq >= last && ci.num_ack_pending === 0 ? ci : undefined;
  });
  if (!acked) {
    const ci = await info(jsm, stream, consumer);
    return ctx.fail({
      expected: "every job acknowledged once the printer said ok",
      seen: `the printer said ok, and the consumer still shows num_ack_pending ${ci?.num_ack_pending ?? "?"} (ack floor at ${ci?.ack_floor.stream_seq ?? "?"}); after the ack wait the server would deliver the jobs again`,
      idea: "With explicit acks, a job stays pending until the consumer acks it",
      hint: 'm.ack() when the printer answers "ok".',
    });
  }
  await ctx.sleep(500); // a duplicate, if any, follows right after
  const counts = new Map<string, number>();
  for (const r of requests) if (r.reply !== "jammed") counts.set(r.doc, (counts.get(r.doc) ?? 0) + 1);
  const twice = [...counts].find(([, n]) => n > 1);
  if (twice) {
    const ci = await info(jsm, stream, consumer);
    return ctx.fail({
      expected: "each job printed once",
      seen: `${twice[0]} was sent to the printer ${twice[1]} times; the consumer shows ${ci?.delivered.consumer_seq ?? "?"} deliveries for ${seqs.length} job${seqs.length === 1 ? "" : "s"}`,
      idea: "A message that outlives its ack wait is delivered again, and printed again",
      hint: "Call m.working() while the printer works, and fetch one job at a time (consume({ max_messages: 1 })).",
    });
  }
}

async function info(jsm: JetStreamManager, stream: string, consumer: string): Promise<ConsumerInfo | undefined> {
  return jsm.consumers.info(stream, consumer).catch(() => undefined);
}
