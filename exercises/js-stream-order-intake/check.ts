import type { Check, CheckContext, ProgramHandle, RequestOutcome } from "../../src/check/types.js";
import type { StreamConfig, StreamInfo } from "@nats-io/jetstream";

const STREAM = "ORDERS";
const SUBMIT = "orders.submit";
// Order ids nobody can know in advance.
const orderId = (tag: string) => `${tag}${Math.random().toString(36).slice(2, 7)}`;
const orderFor = (id: string, total: number) => JSON.stringify({ id, item: "kaffe", total });

type Answer = { ok?: unknown; seq?: unknown; duplicate?: unknown; error?: unknown };

export const checks: Check[] = [
  {
    name: "your service stores an order and confirms it",
    idea: "A stream captures the subjects it lists; the intake stores each order under its own subject",
    async run(ctx) {
      await freshStream(ctx, {});
      const program = await startService(ctx);
      const id = orderId("A");
      const { answer, text } = await submit(ctx, program, id, orderFor(id, 42));
      // A plain publish may still be on its way into the stream when the answer arrives: allow a moment.
      const stored = await ctx.poll(1000, () => lastOn(ctx, `orders.${id}.created`));
      if (answer.ok !== true) {
        return ctx.fail({
          expected: `{"ok":true,...} for order ${id}, which the stream can store`,
          seen: `the answer ${text}${stored ? ` (the stream does hold orders.${id}.created)` : ""}`,
          idea: "Answer ok once the stream has stored the order",
          hint: 'Answer JSON.stringify({ ok: true, seq: ack.seq, duplicate: ack.duplicate }) after the publish.',
        });
      }
      if (!stored) {
        const si = await info(ctx, ctx.subject("orders.>"));
        const subjects = Object.keys(si?.state.subjects ?? {}).map((s) => ctx.unprefix(s));
        return ctx.fail({
          expected: `order ${id} stored on orders.${id}.created`,
          seen: `you answered ${text}, but ${ctx.name(STREAM)} holds ${subjects.length ? subjects.join(", ") : "no orders at all"}`,
          idea: "The order's id goes into the subject: orders.<id>.created",
          hint: "Publish to `${prefix}orders.${order.id}.created`, with the order's payload as it came.",
        });
      }
      if (stored.text !== orderFor(id, 42)) {
        return ctx.fail({
          expected: `the order stored as it came: ${orderFor(id, 42)}`,
          seen: `orders.${id}.created holds ${stored.text}`,
          idea: "A stream stores the payload you publish, byte for byte",
          hint: "Publish m.data, the request's payload, unchanged.",
        });
      }
      if (answer.seq !== undefined && answer.seq !== stored.seq) {
        return ctx.fail({
          expected: `"seq":${stored.seq}, the sequence the stream gave order ${id}`,
          seen: `the answer ${text}`,
          idea: "The acknowledgement of a JetStream publish carries the message's sequence in the stream",
          hint: "Answer with ack.seq from const ack = await js.publish(...).",
        });
      }
      return `order ${id} answered ${text}; stored at sequence ${stored.seq}`;
    },
  },
  {
    name: "it says so when the stream refuses an order",
    idea: "Only an acknowledgement tells you that a stream stored a message; a plain publish cannot fail",
    async run(ctx) {
      // Room for two orders, then the stream refuses new ones (discard new).
      await freshStream(ctx, { max_msgs: 2, discard: "new", storage: "memory" });
      const program = await startService(ctx);
      const ids = [orderId("B"), orderId("C"), orderId("D")];
      const answers = [];
      for (const [i, id] of ids.entries()) answers.push({ id, ...(await submit(ctx, program, id, orderFor(id, 10 + i))) });
      const [, , third] = answers;
      const stored = await lastOn(ctx, `orders.${third.id}.created`);
      if (stored) return `the stream stored order ${third.id} after all; nothing to refuse`;
      if (third.answer.ok === false) {
        return `orders ${ids[0]} and ${ids[1]} filled the stream; order ${third.id} was refused and you answered ${third.text}`;
      }
      return ctx.fail({
        expected: `{"ok":false,"error":...} for order ${third.id}: the stream was full (at most 2 messages, discard new) and refused it`,
        seen: `you answered ${third.text} for order ${third.id}, but the stream refused it ("maximum messages exceeded", error 10077): ${ctx.name(STREAM)} holds no orders.${third.id}.created. The shop now thinks that order is placed; it is lost`,
        idea: "A plain publish cannot fail: it returns before any stream looked at the message. js.publish() waits for the stream's answer and throws when it refuses",
        hint: "const ack = await js.publish(subject, m.data) inside try { ... } catch (err) { m.respond(JSON.stringify({ ok: false, error: err.message })) }, and answer ok only after it resolved.",
      });
    },
  },
  {
    name: "a retried order is stored once, and every order has its own id",
    idea: "De-duplication: a message id (Nats-Msg-Id) makes a retry safe",
    async run(ctx) {
      await freshStream(ctx, {});
      const program = await startService(ctx);
      const id = orderId("E");
      const first = await submit(ctx, program, id, orderFor(id, 99));
      // The shop never saw that answer (say), so it sends the very same order again.
      const retry = await submit(ctx, program, id, orderFor(id, 99));
      const si = await info(ctx, ctx.subject(`orders.${id}.created`));
      const copies = si?.state.subjects?.[ctx.subject(`orders.${id}.created`)] ?? 0;
      if (copies > 1) {
        return ctx.fail({
          expected: `order ${id}, sent twice (a retry), stored once`,
          seen: `${ctx.name(STREAM)} holds ${copies} copies of orders.${id}.created; your answers were ${first.text} and ${retry.text}. The warehouse will ship it twice`,
          idea: "De-duplication: within its duplicate window (2 minutes by default) a stream stores a message id only once",
          hint: "Publish with a message id that names the order: js.publish(subject, m.data, { msgID: `order-${order.id}` }). The stream then acknowledges the retry with duplicate: true.",
        });
      }
      const stored = await lastOn(ctx, `orders.${id}.created`);
      if (!stored || first.answer.ok !== true || retry.answer.ok !== true) {
        return ctx.fail({
          expected: `order ${id} stored, and {"ok":true,...} for both the order and its retry`,
          seen: `answers ${first.text} and ${retry.text}; ${stored ? `stored at sequence ${stored.seq}` : "not stored"}`,
          idea: "A duplicate is not an error: the order is stored, once",
          hint: "A duplicate publish resolves normally, with ack.duplicate === true: answer ok:true then as well.",
        });
      }
      if (first.answer.seq !== stored.seq || retry.answer.seq !== stored.seq || retry.answer.duplicate !== true) {
        return ctx.fail({
          expected: `both answers name sequence ${stored.seq}; the retry's says "duplicate":true`,
          seen: `answers ${first.text} and ${retry.text}`,
          idea: "The acknowledgement of a duplicate names the first copy's sequence and says duplicate: true",
          hint: "Answer { ok: true, seq: ack.seq, duplicate: ack.duplicate } from the acknowledgement of each publish.",
        });
      }
      // A different order must not be taken for a retry: the id names the order, not the service.
      const other = orderId("F");
      const next = await submit(ctx, program, other, orderFor(other, 7));
      const storedOther = await lastOn(ctx, `orders.${other}.created`);
      if (!storedOther || next.answer.duplicate === true) {
        return ctx.fail({
          expected: `order ${other}, a new order, stored as a new message`,
          seen: `you answered ${next.text}${storedOther ? "" : `, and ${ctx.name(STREAM)} holds no orders.${other}.created`}: the stream took it for a duplicate of an earlier message id`,
          idea: "A message id must identify one message: the same order gets the same id, a different order a different one",
          hint: "Build the id from the order: { msgID: `order-${order.id}` }, not a fixed string.",
        });
      }
      return `order ${id} twice → stored once at ${stored.seq} (answers ${first.text}, ${retry.text}); order ${other} → ${next.text}`;
    },
  },
];

async function freshStream(ctx: CheckContext, extra: Partial<StreamConfig>): Promise<void> {
  const jsm = await ctx.jsm();
  const name = ctx.name(STREAM);
  await jsm.streams.delete(name).catch(() => false);
  ctx.defer(() => jsm.streams.delete(name).catch(() => false));
  try {
    await jsm.streams.add({ name, subjects: [ctx.subject("orders.*.*")], ...extra });
  } catch (err) {
    return ctx.fail({
      expected: `goingnats can create the stream ${name} for this check`,
      seen: `the server refused it: ${(err as Error).message}`,
      idea: "Two streams may not capture the same subject",
      hint: `Another stream already captures ${ctx.subject("orders.*.*")}: nats stream ls shows it; remove it (nats stream rm <name>) and run the check again.`,
    });
  }
}

async function info(ctx: CheckContext, subjectsFilter: string): Promise<StreamInfo | undefined> {
  const jsm = await ctx.jsm();
  return jsm.streams.info(ctx.name(STREAM), { subjects_filter: subjectsFilter }).catch(() => undefined);
}

async function lastOn(ctx: CheckContext, subject: string): Promise<{ seq: number; text: string } | undefined> {
  const jsm = await ctx.jsm();
  try {
    const m = await jsm.streams.getMessage(ctx.name(STREAM), { last_by_subj: ctx.subject(subject) });
    return m ? { seq: m.seq, text: m.string() } : undefined;
  } catch {
    return undefined; // no message on that subject
  }
}

/** Sends one order as a request; fails with what happened unless a JSON answer came back. */
async function submit(ctx: CheckContext, program: ProgramHandle, id: string, order: string): Promise<{ answer: Answer; text: string }> {
  const outcome: RequestOutcome = await ctx.request(ctx.subject(SUBMIT), order, { timeoutMs: 3000 });
  if (outcome.kind !== "reply") {
    const running = program.isRunning();
    return ctx.fail({
      expected: `an answer to order ${id}`,
      seen:
        outcome.kind === "no-responders"
          ? `no responders: your service ${running ? "no longer listens on orders.submit" : "has stopped"}`
          : `no answer within 3 s${running ? "" : "; your service has stopped (its output is below): an error nobody caught ends the program"}`,
      idea: "Every order gets an answer: ok once stored, or ok:false with the reason",
      hint: "Answer every request with m.respond(...), also when the publish fails: catch the error of js.publish().",
    });
  }
  const text = outcome.message.text;
  try {
    const answer: unknown = JSON.parse(text);
    if (answer && typeof answer === "object" && !Array.isArray(answer)) return { answer: answer as Answer, text };
  } catch {
    // not JSON: below
  }
  return ctx.fail({
    expected: `a JSON answer to order ${id}, like {"ok":true,"seq":12,"duplicate":false}`,
    seen: `the answer "${text}"`,
    idea: "Requester and responder agree on the format of the answer",
    hint: "m.respond(JSON.stringify({ ok: true, seq: ack.seq, duplicate: ack.duplicate }))",
  });
}

/** Starts the service and waits until it listens on orders.submit. */
async function startService(ctx: CheckContext): Promise<ProgramHandle> {
  const program = await ctx.startProgram();
  const target = ctx.subject(SUBMIT);
  const subs = await ctx.poll(10_000, async () => {
    const s = (await program.connections()).flatMap((c) => c.subscriptions).filter((x) => !x.subject.startsWith("_INBOX."));
    return s.some((x) => ctx.matches(x.subject, target)) ? s : undefined;
  });
  if (!subs) {
    const now = (await program.connections()).flatMap((c) => c.subscriptions).filter((x) => !x.subject.startsWith("_INBOX."));
    return ctx.fail({
      expected: `your service subscribes to ${SUBMIT}`,
      seen: !program.isRunning()
        ? "your program stopped before it subscribed (its output is below)"
        : now.length
          ? `it subscribes to ${now.map((s) => ctx.unprefix(s.subject)).join(", ")}`
          : "no subscription within 10 s",
      idea: "Orders arrive as requests: a responder subscribes to their subject",
      hint: "const sub = nc.subscribe(`${prefix}orders.submit`); for await (const m of sub) { ... }",
    });
  }
  return program;
}
