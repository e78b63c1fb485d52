import type { Check, CheckContext } from "../../src/check/types.js";
import type { ConsumerConfig } from "@nats-io/jetstream";

const STREAM = "EMAILS";
const CONSUMER = "MAILER";
const GAPS_MS = [1000, 2000, 3000];
const DELIVERIES = GAPS_MS.length + 1;

/** What the first check hands to the second within a run. */
const run: { handedOver: boolean; config?: ConsumerConfig } = { handedOver: false };

export const checks: Check[] = [
  {
    name: "you create the durable pull consumer MAILER on EMAILS, with explicit acks",
    idea: "A consumer's configuration decides when the server redelivers and when it gives up",
    async run(ctx) {
      run.handedOver = false;
      run.config = undefined;
      const jsm = await ctx.jsm();
      const stream = ctx.name(STREAM);
      const consumer = ctx.name(CONSUMER);
      // A clean slate: the stream (and any old MAILER with it) is made fresh while this check watches.
      await jsm.streams.delete(stream).catch(() => {});
      ctx.defer(async () => {
        if (!run.handedOver) await jsm.streams.delete(stream).catch(() => {});
      });
      try {
        await jsm.streams.add({ name: stream, subjects: [ctx.subject("emails.>")], storage: "memory" });
      } catch (err) {
        return ctx.fail({
          expected: `goingnats can create the stream ${stream} on ${ctx.subject("emails.>")}`,
          seen: `the server said "${(err as Error).message}"`,
          idea: "Two streams may not capture the same subject",
          hint: `Delete the stream that captures ${ctx.subject("emails.>")} (nats stream ls shows them), then run the check again.`,
        });
      }

      ctx.waiting(`Create the durable pull consumer ${consumer} on ${stream}: explicit acks, redelivery after 1 s, 2 s, 3 s, at most ${DELIVERIES} deliveries.`);
      ctx.progress(`waiting for the consumer ${CONSUMER} to appear`);
      const ci = await ctx.poll(Math.max(5000, ctx.remainingMs() - 25_000), () => jsm.consumers.info(stream, consumer).catch(() => undefined));
      if (!ci) {
        const others: string[] = [];
        for await (const c of jsm.consumers.list(stream)) others.push(c.name);
        return ctx.fail({
          expected: `a consumer named ${consumer} on the stream ${stream}`,
          seen: others.length ? `the consumers on ${stream} are ${others.join(", ")}` : `no consumer on ${stream}`,
          idea: "A durable consumer is found by its name (durable_name), on its stream",
          hint: `jsm.consumers.add("${stream}", { durable_name: "${consumer}", ... }) (names are case sensitive)`,
        });
      }
      const cfg = ci.config;
      if (cfg.deliver_subject) {
        return ctx.fail({
          expected: `${CONSUMER} is a pull consumer`,
          seen: `it has deliver_subject ${cfg.deliver_subject}: a push consumer`,
          idea: "A pull consumer has no deliver subject: clients ask it for messages",
          hint: "Leave deliver_subject out (nats consumer add --pull).",
        });
      }
      if (cfg.ack_policy !== "explicit") {
        return ctx.fail({
          expected: `${CONSUMER} with ack_policy explicit`,
          seen: `ack_policy ${cfg.ack_policy}${cfg.ack_policy === "none" ? ": every delivered email counts as sent at once, so nothing is ever redelivered" : ": one ack settles every earlier email too"}`,
          idea: "Only messages that wait for their own ack can be redelivered one by one",
          hint: "ack_policy: AckPolicy.Explicit (nats consumer add --ack explicit)",
        });
      }
      run.config = cfg;
      run.handedOver = true;
      return `${CONSUMER}: pull, ack_policy explicit, ack_wait ${secs(cfg.ack_wait)}, backoff ${cfg.backoff?.length ? cfg.backoff.map(secs).join(", ") : "none"}, max_deliver ${cfg.max_deliver}`;
    },
  },
  {
    name: "an email never acked is delivered again after 1 s, 2 s and 3 s, then given up",
    idea: "backoff gives each redelivery its own delay; max_deliver counts every delivery, the first one included",
    async run(ctx) {
      const jsm = await ctx.jsm();
      const stream = ctx.name(STREAM);
      const consumer = ctx.name(CONSUMER);
      ctx.defer(() => jsm.streams.delete(stream).catch(() => {}));
      const cfg = run.config ?? (await jsm.consumers.info(stream, consumer).catch(() => undefined))?.config;
      if (!cfg) {
        return ctx.fail({
          expected: `the consumer ${CONSUMER} still there`,
          seen: "it is gone",
          idea: "A durable consumer lives until someone deletes it",
          hint: "Create it once and leave it; run the whole check again.",
        });
      }
      let gaveUpAt = 0;
      const advisory = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${stream}.${consumer}`;
      ctx.nc.subscribe(advisory, { callback: () => void (gaveUpAt ||= Date.now()) });
      await ctx.flush();

      const id = Math.random().toString(36).slice(2, 8);
      await ctx.js().publish(ctx.subject(`emails.${id}`), `To: ada@example.com\nSubject: your order ${id}`);
      const c = await ctx.js().consumers.get(stream, consumer);
      const deliveries: Array<{ at: number; count: number }> = [];
      const expectedGiveUp = GAPS_MS.reduce((a, b) => a + b, 0) + GAPS_MS[GAPS_MS.length - 1];
      const until = Date.now() + Math.min(expectedGiveUp + 4000, ctx.remainingMs() - 2000);
      ctx.progress("taking the email from MAILER, never acking it, and timing each delivery");
      while (!gaveUpAt && deliveries.length <= DELIVERIES + 1 && Date.now() < until && !ctx.signal.aborted) {
        // One long pull at a time: a pull that expires just as a redelivery falls due can push it to the next pull.
        const m = await c.next({ expires: Math.max(1000, until - Date.now()) }).catch(() => null);
        if (!m) continue;
        deliveries.push({ at: Date.now(), count: m.info.deliveryCount });
        ctx.note(`delivery ${deliveries.length} (the server counts ${m.info.deliveryCount})`);
        // Never acked: the mail server is "away".
      }
      if (!gaveUpAt && deliveries.length === DELIVERIES) {
        // The fourth delivery came; the server gives up when its wait runs out.
        await ctx.poll(Math.max(0, until - Date.now()), () => (gaveUpAt ? true : undefined));
      }

      const gaps = deliveries.slice(1).map((d, i) => d.at - deliveries[i].at);
      const t0 = deliveries[0]?.at ?? Date.now();
      const timeline = deliveries.map((d) => `${((d.at - t0) / 1000).toFixed(1)} s`).join(", ");
      const shown = `deliveries at ${timeline || "nothing"}${gaveUpAt ? `, then the server gave up (MAX_DELIVERIES advisory at ${((gaveUpAt - t0) / 1000).toFixed(1)} s)` : ""}`;
      const settings = `(ack_wait ${secs(cfg.ack_wait)}, backoff ${cfg.backoff?.length ? `[${cfg.backoff.map(secs).join(", ")}]` : "none"}, max_deliver ${cfg.max_deliver})`;
      const expected = `deliveries at 0 s, 1 s, 3 s and 6 s, then the server gives up`;

      if (!deliveries.length) {
        return ctx.fail({
          expected,
          seen: `no delivery at all from ${CONSUMER} ${settings}`,
          idea: "A consumer delivers what its deliver policy and filter select",
          hint: "Leave deliver_policy at all and filter_subject empty (or emails.>).",
        });
      }
      const tiny = gaps.find((g) => g < 300);
      if (tiny !== undefined) {
        return ctx.fail({
          expected,
          seen: `${shown}: the retries came ${tiny} ms apart ${settings}`,
          idea: "Durations in the JetStream API (ack_wait, backoff) are nanoseconds",
          hint: "One second is nanos(1000) = 1000000000 ns.",
        });
      }
      const flat = gaps.length >= 2 && gaps.every((g) => Math.abs(g - gaps[0]) < 400);
      if (flat && !cfg.backoff?.length) {
        return ctx.fail({
          expected,
          seen: `${shown}: every retry waited the same ${secs(cfg.ack_wait)}, the ack wait ${settings}`,
          idea: "ack_wait is one delay for every redelivery; backoff lists a delay for each redelivery",
          hint: "Set backoff: [nanos(1000), nanos(2000), nanos(3000)] (the server then uses its first value as the ack wait).",
        });
      }
      if (gaveUpAt && deliveries.length < DELIVERIES) {
        return ctx.fail({
          expected,
          seen: `${shown}: ${deliveries.length} deliveries in all ${settings}`,
          idea: "max_deliver counts every delivery, the first one included: three retries need max_deliver 4",
          hint: `max_deliver: ${DELIVERIES}`,
        });
      }
      if (deliveries.length > DELIVERIES) {
        return ctx.fail({
          expected,
          seen: `${shown}: a ${deliveries.length}th delivery came ${settings}`,
          idea: "Without max_deliver (or with -1) the server redelivers forever",
          hint: `max_deliver: ${DELIVERIES}`,
        });
      }
      // Early retries are the mistake to catch; late ones are the server's timer on a busy machine.
      const wrong = GAPS_MS.findIndex((want, i) => gaps[i] === undefined || gaps[i] < want * 0.8 || gaps[i] > want * 2 + 1500);
      if (wrong >= 0 || !gaveUpAt) {
        return ctx.fail({
          expected,
          seen: `${shown} ${settings}`,
          idea: "backoff[0] is the wait after the first delivery, backoff[1] after the second, and so on",
          hint: "backoff: [nanos(1000), nanos(2000), nanos(3000)], max_deliver: 4",
        });
      }
      return shown;
    },
  },
];

function secs(ns: number | undefined): string {
  if (ns === undefined) return "?";
  return `${Math.round(ns / 1e7) / 100} s`;
}
