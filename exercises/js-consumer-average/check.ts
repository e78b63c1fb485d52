import type { Check, CheckContext } from "../../src/check/types.js";
import type { ConsumerInfo } from "@nats-io/jetstream";

const STREAM = "SENSORS";
const CONSUMER = "averager";
const SITES = ["alta", "bodo", "hamar", "lillehammer", "tromso", "voss", "roros", "finse"];
const PER_SITE = 5;

interface Run {
  temps: number[];
  others: number[];
  lastTempSeq: number;
  /** How far each check got: a check that passes leaves the stream to the next one. */
  keep: boolean;
}
let run: Run | undefined;

/** Every check removes the stream afterwards unless it passed and a later check needs it. */
function cleanUp(ctx: CheckContext, last: boolean) {
  const name = ctx.name(STREAM);
  if (run) run.keep = false;
  ctx.defer(async () => {
    if (last || !run?.keep) await (await ctx.jsm()).streams.delete(name).catch(() => {});
  });
}

export const checks: Check[] = [
  {
    name: "you publish the average temperature to sensors.average",
    idea: "A consumer with a filter subject sees only the messages of the stream that match it",
    async run(ctx) {
      run = undefined;
      const name = ctx.name(STREAM);
      const jsm = await ctx.jsm();
      const js = ctx.js();
      await jsm.streams.delete(name).catch(() => {});
      await jsm.streams.add({ name, subjects: [ctx.subject("sensors.>")] });
      const r: Run = { temps: [], others: [], lastTempSeq: 0, keep: false };
      run = r;
      cleanUp(ctx, false);
      const sites = [...SITES].sort(() => Math.random() - 0.5).slice(0, 2);
      for (let i = 0; i < PER_SITE; i++) {
        for (const site of sites) {
          const t = Math.round((Math.random() * 25 - 5) * 10) / 10;
          r.temps.push(t);
          r.lastTempSeq = (await js.publish(ctx.subject(`sensors.${site}.temp`), String(t))).seq;
          const h = 40 + Math.floor(Math.random() * 50);
          r.others.push(h);
          await js.publish(ctx.subject(`sensors.${site}.humidity`), String(h));
        }
        const co2 = 400 + Math.floor(Math.random() * 800);
        r.others.push(co2);
        await js.publish(ctx.subject(`sensors.${sites[i % 2]}.co2`), String(co2));
      }
      ctx.note(`stream ${STREAM}: ${r.temps.length} temperatures and ${r.others.length} other readings from ${sites.join(" and ")}`);

      const avg = ctx.watch(ctx.subject("sensors.average"), { label: "the average" });
      await ctx.flush();
      ctx.waiting(
        `Create the durable pull consumer ${CONSUMER} on ${name} (filter ${ctx.subject("sensors.*.temp")}, explicit acks), read and ack every reading, and publish the average to ${ctx.subject("sensors.average")}.`,
      );
      const [m] = await avg.waitFor(1, { timeoutMs: Math.max(1000, ctx.remainingMs() - 8000) });
      const want = mean(r.temps);
      if (!m) {
        const ci = await jsm.consumers.info(name, CONSUMER).catch(() => undefined);
        return ctx.fail({
          expected: `the average of the ${r.temps.length} temperatures on ${ctx.subject("sensors.average")}`,
          seen: `nothing on sensors.average; ${ci ? `the consumer ${CONSUMER} exists and has delivered ${ci.delivered.stream_seq ? `messages up to stream sequence ${ci.delivered.stream_seq}` : "nothing"}${ci.config.deliver_policy !== "all" ? ` (its deliver policy is "${ci.config.deliver_policy}": it skips what was stored before it was created)` : ""}` : `there is no consumer named ${CONSUMER} on ${name}`}`,
          idea: "A durable consumer is created once by name; it starts at the beginning of the stream with deliver policy all",
          hint: `Create ${CONSUMER}, read its messages with consume(), fetch() or next(), then nc.publish(\`\${prefix}sensors.average\`, String(average)).`,
        });
      }
      const got = Number(m.text.trim());
      if (Number.isNaN(got)) {
        return ctx.fail({
          expected: `a number on sensors.average, about ${want.toFixed(2)}`,
          seen: `"${m.text}"`,
          idea: "A payload is bytes; agree on a plain format",
          hint: "Publish just the number, e.g. String(average) or average.toFixed(2).",
        });
      }
      if (Math.abs(got - want) > 0.011) {
        const all = mean([...r.temps, ...r.others]);
        const seen = Math.abs(got - all) < 0.011
          ? `${got}: the average of all ${r.temps.length + r.others.length} readings, humidity and CO₂ included. The consumer had no filter subject, so it delivered everything in the stream`
          : `${got}, but the ${r.temps.length} temperatures average ${want.toFixed(2)}${(await partial(ctx, r, got)) ?? ""}`;
        return ctx.fail({
          expected: `${want.toFixed(2)}, the average of the ${r.temps.length} temperatures (${r.temps.join(", ")})`,
          seen,
          idea: "A consumer's filter_subject picks the messages of the stream it delivers",
          hint: `Give the consumer filter_subject ${ctx.subject("sensors.*.temp")}, and read until it has nothing left (m.info.pending === 0).`,
        });
      }
      r.keep = true;
      return `${got} (the ${r.temps.length} temperatures average ${want.toFixed(2)})`;
    },
  },
  {
    name: `the consumer ${CONSUMER} is durable, filtered to temperatures, with explicit acks`,
    idea: "A durable consumer has a name and lives on the server, with its own configuration and state",
    async run(ctx) {
      cleanUp(ctx, false);
      const name = ctx.name(STREAM);
      const jsm = await ctx.jsm();
      const ci = await jsm.consumers.info(name, CONSUMER).catch(() => undefined);
      if (!ci) {
        const names: string[] = [];
        for await (const list of jsm.consumers.list(name)) names.push(`${list.name}${list.config.durable_name ? "" : " (ephemeral)"}`);
        return ctx.fail({
          expected: `a durable consumer named ${CONSUMER} on ${name}`,
          seen: names.length ? `the consumers on ${name}: ${names.join(", ")}` : `no consumer on ${name} now: an ephemeral consumer is removed soon after its client stops`,
          idea: "A durable consumer has a name, and the server keeps it (and its position) when nobody is connected",
          hint: `jsm.consumers.add(stream, { durable_name: "${CONSUMER}", ... }) or nats consumer add ${name} ${CONSUMER} --pull ...`,
        });
      }
      const c = ci.config;
      const filter = c.filter_subject ?? "";
      if (c.durable_name !== CONSUMER) {
        return ctx.fail({
          expected: `durable_name "${CONSUMER}"`,
          seen: `the consumer ${ci.name} has no durable_name: it is ephemeral, and the server removes it after inactive_threshold`,
          idea: "A durable consumer survives its clients; an ephemeral one does not",
          hint: `Set durable_name: "${CONSUMER}".`,
        });
      }
      if (c.ack_policy !== "explicit") {
        return ctx.fail({
          expected: 'ack_policy "explicit"',
          seen: `ack_policy "${c.ack_policy}"${c.ack_policy === "none" ? ": the server counts a message as done the moment it sends it, so a reading lost on the way is never sent again" : ": one ack confirms every message before it"}`,
          idea: "With explicit acks every message is confirmed on its own, and unconfirmed ones are delivered again",
          hint: "ack_policy: AckPolicy.Explicit (nats consumer add --ack explicit).",
        });
      }
      if (!filter || !ctx.matches(filter, ctx.subject("sensors.x.temp")) || ctx.matches(filter, ctx.subject("sensors.x.co2"))) {
        return ctx.fail({
          expected: `filter_subject ${ctx.subject("sensors.*.temp")}`,
          seen: filter ? `filter_subject ${filter}` : "no filter_subject: the consumer delivers every reading, humidity and CO₂ too",
          idea: "A consumer's filter_subject picks the messages of the stream it delivers",
          hint: `filter_subject: \`\${prefix}sensors.*.temp\`.`,
        });
      }
      if (c.deliver_policy !== "all") {
        return ctx.fail({
          expected: 'deliver_policy "all": start with the first temperature in the stream',
          seen: `deliver_policy "${c.deliver_policy}"`,
          idea: "The deliver policy says where a new consumer starts in the stream",
          hint: "Leave deliver_policy at its default, all.",
        });
      }
      run!.keep = true;
      return `durable ${ci.name}, filter ${ctx.unprefix(filter)}, ack explicit`;
    },
  },
  {
    name: "every reading it delivered was acked",
    idea: "With explicit acks the server tracks every delivered message until it is acked: num_ack_pending",
    async run(ctx) {
      cleanUp(ctx, true);
      const r = run!;
      const name = ctx.name(STREAM);
      const jsm = await ctx.jsm();
      // Acks are fire-and-forget messages: give the last ones a moment to reach the server.
      let ci: ConsumerInfo | undefined;
      const done = await ctx.poll(3000, async () => {
        ci = await jsm.consumers.info(name, CONSUMER);
        return ci.num_ack_pending === 0 && ci.num_pending === 0 && ci.ack_floor.stream_seq >= r.lastTempSeq ? true : undefined;
      });
      if (!done && ci) {
        const total = r.temps.length;
        const seen = ci.num_ack_pending > 0
          ? `num_ack_pending is ${ci.num_ack_pending} after you published the average: the consumer delivered ${ci.delivered.consumer_seq} readings and ${ci.num_ack_pending === ci.delivered.consumer_seq ? "none" : `only ${ci.delivered.consumer_seq - ci.num_ack_pending}`} ${ci.num_ack_pending === ci.delivered.consumer_seq ? "was" : "were"} acked (ack floor: stream sequence ${ci.ack_floor.stream_seq}). The server still waits for them, and after ack_wait (${Math.round((ci.config.ack_wait ?? 30e9) / 1e9)} s) it will deliver them again, to be counted twice`
          : `num_pending is ${ci.num_pending}: ${ci.num_pending} of the ${total} temperatures were never delivered (ack floor: stream sequence ${ci.ack_floor.stream_seq}, last temperature at ${r.lastTempSeq})`;
        return ctx.fail({
          expected: `num_ack_pending 0 and num_pending 0: all ${total} temperatures delivered and acked`,
          seen,
          idea: "With explicit acks a delivered message stays pending until it is acked; unacked messages are redelivered after ack_wait",
          hint: "Call m.ack() for each reading once it is counted.",
        });
      }
      return `delivered ${ci!.delivered.consumer_seq}, num_ack_pending 0, ack floor at stream sequence ${ci!.ack_floor.stream_seq}`;
    },
  },
];

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Explains an average over only part of the temperatures, e.g. the first batch of a fetch. */
async function partial(ctx: CheckContext, r: Run, got: number): Promise<string | undefined> {
  for (let n = 1; n < r.temps.length; n++) {
    if (Math.abs(mean(r.temps.slice(0, n)) - got) < 0.011) {
      return `: the average of the first ${n} only. Read until the consumer has nothing left (m.info.pending === 0), not one batch`;
    }
  }
  void ctx;
  return undefined;
}
