import type { Check, CheckContext, ProgramHandle, SubscriptionInfo } from "../../src/check/types.js";
import type { JetStreamManager, StoredMsg } from "@nats-io/jetstream";

const STREAM = "PAYMENTS";
const DLQ = "DLQ";
const CONSUMER = "SETTLE";
const MAX_DELIVER = 3;
const RUN = Math.random().toString(36).slice(2, 6);

interface Payment {
  id: string;
  body: string;
  poison: boolean;
  seq: number;
}

export const checks: Check[] = [
  {
    name: "your program listens for SETTLE's max-deliveries advisories",
    idea: "The server announces each message a consumer gave up on, on $JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.<stream>.<consumer>",
    async run(ctx) {
      await setup(ctx);
      const program = await ctx.startProgram({ waitForSubscriptions: 1 });
      const subs = await listening(ctx, program);
      return `subscribed to ${subs.map((s) => s.subject).join(", ")}`;
    },
  },
  {
    name: "each poison payment lands in DLQ once, exactly as it was",
    idea: "A max-deliveries advisory names the message; the dead-letter handler reads it from the stream and keeps it",
    async run(ctx) {
      const { jsm, stream, consumer } = await setup(ctx);
      const gaveUp: number[] = [];
      ctx.nc.subscribe(advisorySubject(ctx), {
        callback: (_e, m) => {
          try {
            gaveUp.push(m.json<{ stream_seq: number }>().stream_seq);
          } catch {
            // not for us
          }
        },
      });
      const out = ctx.watch(ctx.subject(">"), { label: "dead letters" });
      await ctx.flush();
      const program = await ctx.startProgram({ waitForSubscriptions: 1 });
      await listening(ctx, program);

      // Five payments, two of them poison (an amount the worker cannot read), in random places.
      const poisonAt = new Set([1 + Math.floor(Math.random() * 2), 3 + Math.floor(Math.random() * 2)]);
      const payments: Payment[] = [];
      for (let i = 0; i < 5; i++) {
        const id = `pay-${RUN}-${i + 1}`;
        const poison = poisonAt.has(i);
        const body = JSON.stringify({ id, amount: poison ? "12,50 kr" : 100 + Math.floor(Math.random() * 9000), currency: "NOK" });
        const ack = await ctx.js().publish(ctx.subject(`payments.${id}`), body);
        payments.push({ id, body, poison, seq: ack.seq });
      }
      const poison = payments.filter((p) => p.poison);

      // The check plays the settlement worker: it naks what it cannot read, and acks the rest.
      const worker = await (await ctx.js().consumers.get(stream, consumer)).consume();
      ctx.defer(() => worker.stop());
      void (async () => {
        for await (const m of worker) {
          const body = m.string();
          if (poison.some((p) => p.body === body)) m.nak();
          else m.ack();
        }
      })().catch(() => {});

      const allGaveUp = await ctx.poll(8000, () => (poison.every((p) => gaveUp.includes(p.seq)) ? true : undefined));
      if (!allGaveUp) {
        return ctx.fail({
          expected: `the server gives up on ${poison.map((p) => p.id).join(" and ")} after ${MAX_DELIVER} deliveries`,
          seen: `only ${gaveUp.length} max-deliveries advisories in 8 s`,
          idea: "After max_deliver deliveries without an ack the server stops delivering a message and says so",
          hint: "Something else may be consuming from SETTLE; run the check again.",
        });
      }
      ctx.note(`the server gave up on stream sequences ${poison.map((p) => p.seq).join(", ")}`);

      const dlq = ctx.name(DLQ);
      await ctx.poll(5000, async () => ((await jsm.streams.info(dlq)).state.messages >= poison.length ? true : undefined));
      await ctx.sleep(300); // a duplicate, if any, comes right behind
      const stored = await messages(jsm, dlq);
      const elsewhere = out.messages.filter((m) => !ctx.matches(ctx.subject("payments.>"), m.subject) && !m.subject.startsWith("_INBOX.") && !m.subject.startsWith("$") && m.subject !== ctx.subject("dlq.payments"));

      if (!stored.length) {
        const got = (await program.connections()).flatMap((c) => c.subscriptions).filter((s) => ctx.matches(s.subject, advisorySubject(ctx))).reduce((n, s) => n + s.msgs, 0);
        return ctx.fail({
          expected: `${poison.length} dead letters in ${DLQ}: ${poison.map((p) => p.body).join(" and ")}`,
          seen: `${DLQ} is empty. Your program received ${got} advisor${got === 1 ? "y" : "ies"}${elsewhere.length ? ` and published to ${[...new Set(elsewhere.map((m) => ctx.unprefix(m.subject)))].join(", ")}, which ${DLQ} does not capture` : ""}.`,
          idea: "A dead letter is kept only if a stream captures the subject it is published on",
          hint: `await js.publish(\`\${prefix}dlq.payments\`, original.data): js.publish waits for the stream's acknowledgement.`,
        });
      }
      const advisoryBodies = stored.filter((m) => m.string().includes("io.nats.jetstream.advisory"));
      if (advisoryBodies.length) {
        const a = advisoryBodies[0].json<{ stream?: string; stream_seq?: number }>();
        return ctx.fail({
          expected: `the poison payments themselves in ${DLQ}, for example ${poison[0].body}`,
          seen: `${DLQ} holds the advisories: ${advisoryBodies[0].string().slice(0, 160)}... The advisory only names the message (stream ${ctx.unprefix(a.stream ?? "?")}, stream_seq ${a.stream_seq ?? "?"}); nobody on Monday can tell from it what the payment was`,
          idea: "An advisory names the message by stream and stream_seq; the message itself is still in the stream",
          hint: "const original = await jsm.streams.getMessage(a.stream, { seq: a.stream_seq }); then publish original.data.",
        });
      }
      const bodies = stored.map((m) => m.string());
      const healthy = payments.filter((p) => !p.poison && bodies.includes(p.body));
      if (healthy.length) {
        return ctx.fail({
          expected: `only the payments the server gave up on (${poison.map((p) => p.id).join(", ")}) in ${DLQ}`,
          seen: `${DLQ} also holds ${healthy.map((p) => p.id).join(", ")}, which the worker settled and acked`,
          idea: "The max-deliveries advisory is the signal: only those messages are dead letters",
          hint: "Move exactly the message each advisory names (its stream_seq), nothing else.",
        });
      }
      for (const p of poison) {
        const n = bodies.filter((b) => b === p.body).length;
        if (n !== 1) {
          return ctx.fail({
            expected: `${p.id} in ${DLQ} once, its body unchanged: ${p.body}`,
            seen: n ? `it is there ${n} times` : `it is not there; ${DLQ} holds: ${bodies.map((b) => b.slice(0, 80)).join(" | ")}`,
            idea: "A dead letter keeps the original body, so it can be examined or replayed later",
            hint: n ? "Publish once per advisory (a msgID such as `${stream}:${stream_seq}` makes a repeat harmless)." : "Publish original.data as it is: no JSON.stringify around it, no added fields.",
          });
        }
      }
      const hdrs = stored[0].header ? [...stored[0].header.keys()] : [];
      return `${DLQ} holds ${poison.map((p) => p.id).join(" and ")}, unchanged${hdrs.length ? `, with headers ${hdrs.join(", ")}` : ""}`;
    },
  },
];

/** Fresh PAYMENTS and DLQ streams and the SETTLE consumer for this check, removed afterwards. */
async function setup(ctx: CheckContext): Promise<{ jsm: JetStreamManager; stream: string; consumer: string }> {
  const jsm = await ctx.jsm();
  const stream = ctx.name(STREAM);
  const dlq = ctx.name(DLQ);
  const consumer = ctx.name(CONSUMER);
  for (const [name, subject] of [
    [stream, ctx.subject("payments.>")],
    [dlq, ctx.subject("dlq.>")],
  ]) {
    await jsm.streams.delete(name).catch(() => {});
    ctx.defer(() => jsm.streams.delete(name).catch(() => {}));
    try {
      await jsm.streams.add({ name, subjects: [subject], storage: "memory" });
    } catch (err) {
      return ctx.fail({
        expected: `goingnats can create the stream ${name} on ${subject}`,
        seen: `the server said "${(err as Error).message}"`,
        idea: "Two streams may not capture the same subject",
        hint: `Delete the stream that captures ${subject} (nats stream ls shows them), then run the check again.`,
      });
    }
  }
  await jsm.consumers.add(stream, { durable_name: consumer, ack_policy: "explicit", max_deliver: MAX_DELIVER, ack_wait: 30_000_000_000 });
  return { jsm, stream, consumer };
}

function advisorySubject(ctx: CheckContext): string {
  return `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${ctx.name(STREAM)}.${ctx.name(CONSUMER)}`;
}

/** The program's subscriptions must include one that receives SETTLE's max-deliveries advisories. */
async function listening(ctx: CheckContext, program: ProgramHandle): Promise<SubscriptionInfo[]> {
  const target = advisorySubject(ctx);
  const own = async () => (await program.connections()).flatMap((c) => c.subscriptions).filter((s) => !s.subject.startsWith("_INBOX."));
  const subs = (await ctx.poll(3000, async () => ((await own()).some((s) => ctx.matches(s.subject, target)) ? own() : undefined))) ?? (await own());
  const right = subs.filter((s) => ctx.matches(s.subject, target));
  if (right.length) return right;
  return ctx.fail({
    expected: `a subscription that receives ${target}`,
    seen: subs.length ? `your program subscribes to ${subs.map((s) => s.subject).join(", ")}` : program.isRunning() ? "your program has no subscription" : `your program stopped. It printed:\n${program.output().slice(-500) || "(nothing)"}`,
    idea: "Advisories are ordinary messages on $JS.EVENT.ADVISORY.…; the stream and consumer names are the last two tokens",
    hint: `nc.subscribe(\`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.\${names}${STREAM}.\${names}${CONSUMER}\`)`,
  });
}

async function messages(jsm: JetStreamManager, stream: string): Promise<StoredMsg[]> {
  const si = await jsm.streams.info(stream);
  const out: StoredMsg[] = [];
  for (let seq = si.state.first_seq; seq <= si.state.last_seq && seq > 0; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (m) out.push(m);
  }
  return out;
}
