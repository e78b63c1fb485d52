import type { Check, CheckContext, ProgramHandle, SeenMessage } from "../../src/check/types.js";
import type { ConsumerInfo, JetStreamManager } from "@nats-io/jetstream";

const STREAM = "SENSORS";
const CONSUMER = "AVERAGER";
const OUT = "averages.temp";
const MAX_DELIVER = 5;
const SITES = ["hamar", "alta", "bodo", "voss", "roros", "finse", "tromso", "lillehammer"];

interface Reading {
  subject: string;
  text: string;
  value?: number;
  seq: number;
}

interface Advisory {
  kind: string;
  seq: number;
  deliveries: number;
}

export const checks: Check[] = [
  {
    name: "your program averages the readings AVERAGER delivers, and acks each one",
    idea: "A consumer delivers each stored message; an ack after the work tells the server it is done",
    async run(ctx) {
      const { jsm, stream, consumer } = await setup(ctx);
      const out = ctx.watch(ctx.subject(">"), { label: "averages" });
      await ctx.flush();
      const program = await ctx.startProgram();
      await ready(ctx, jsm, program);

      const readings: Reading[] = [];
      for (const value of values(3)) readings.push(await publish(ctx, `sensors.${pick(SITES)}.temp`, value.toFixed(1)));
      const expected = mean(readings);
      const averages = await out.waitFor(readings.length, { filter: (m) => isOutput(ctx, m), timeoutMs: 6000 });
      const elsewhere = out.messages.find((m) => !isOutput(ctx, m) && !isInput(ctx, m));
      if (!averages.length) {
        return ctx.fail({
          expected: `a running average on ${OUT} after each of the ${readings.length} readings`,
          seen: elsewhere ? `nothing on ${OUT}; your program published to ${ctx.unprefix(elsewhere.subject)}` : `nothing on ${OUT}. ${await describe(ctx, jsm, stream, consumer)}`,
          idea: "A consumer delivers each stored message; the program does the work and publishes the result",
          hint: `nc.publish(\`\${prefix}${OUT}\`, average.toFixed(2)) after each reading.`,
        });
      }
      const last = averages[averages.length - 1];
      if (!close(Number(last.text), expected)) {
        return ctx.fail({
          expected: `after ${readings.map((r) => r.text).join(", ")}: the average ${expected.toFixed(2)}`,
          seen: `your averages: ${averages.map((m) => m.text).join(", ")}`,
          idea: "The average of the readings is their sum divided by their count",
          hint: "Keep a sum and a count across messages, outside the loop.",
        });
      }
      // The server's view: every reading acknowledged, nothing left waiting for an ack.
      const lastSeq = readings[readings.length - 1].seq;
      const acked = await ctx.poll(3000, async () => {
        const ci = await info(jsm, stream, consumer);
        return ci && ci.num_ack_pending === 0 && ci.ack_floor.stream_seq >= lastSeq ? ci : undefined;
      });
      if (!acked) {
        const ci = await info(jsm, stream, consumer);
        return ctx.fail({
          expected: `all ${readings.length} readings acknowledged: num_ack_pending 0, ack floor at stream sequence ${lastSeq}`,
          seen: `num_ack_pending is ${ci?.num_ack_pending ?? "?"} and the ack floor is at stream sequence ${ci?.ack_floor.stream_seq ?? "?"}, though your program published ${averages.length} averages`,
          idea: "With explicit acks, a delivered message stays pending until the consumer acks it; after ack_wait the server delivers it again",
          hint: "Call m.ack() once the average for that reading is published. Unacked readings come back after ack_wait (30 s here) and would be counted twice.",
        });
      }
      return `averages ${averages.map((m) => m.text).join(", ")}; every reading acked (ack floor ${acked.ack_floor.stream_seq})`;
    },
  },
  {
    name: "an invalid reading does not change the average, and does not come back",
    idea: "nak means: deliver it again; term means: done, never again; an ack after the work",
    async run(ctx) {
      const { jsm, stream, consumer } = await setup(ctx);
      const advisories: Advisory[] = [];
      ctx.nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.*.${stream}.${consumer}`, {
        callback: (_e, m) => {
          try {
            const a = m.json<{ stream_seq?: number; deliveries?: number }>();
            const kind = m.subject.split(".")[4];
            if (a.stream_seq) advisories.push({ kind, seq: a.stream_seq, deliveries: a.deliveries ?? 0 });
          } catch {
            // not an advisory we understand
          }
        },
      });
      const out = ctx.watch(ctx.subject(">"), { label: "averages" });
      await ctx.flush();
      const program = await ctx.startProgram();
      await ready(ctx, jsm, program);

      // Valid and invalid temperatures, and a humidity reading the consumer's filter leaves out.
      const [a, b, c, d] = values(4);
      const plan: Array<[string, string]> = [
        [`sensors.${pick(SITES)}.temp`, a.toFixed(1)],
        [`sensors.${pick(SITES)}.temp`, b.toFixed(1)],
        [`sensors.${pick(SITES)}.temp`, "ERR"],
        [`sensors.${pick(SITES)}.humidity`, "41"],
        [`sensors.${pick(SITES)}.temp`, c.toFixed(1)],
        [`sensors.${pick(SITES)}.temp`, "offline"],
        [`sensors.${pick(SITES)}.temp`, d.toFixed(1)],
      ];
      const readings: Reading[] = [];
      for (const [subject, text] of plan) {
        const r = await publish(ctx, subject, text);
        if (subject.endsWith(".temp")) readings.push(r);
      }
      const valid = readings.filter((r) => r.value !== undefined);
      const invalid = readings.filter((r) => r.value === undefined);
      const invalidSeqs = new Set(invalid.map((r) => r.seq));
      const lastSeq = readings[readings.length - 1].seq;
      const expected = mean(valid);
      const outputs = () => out.messages.filter((m) => isOutput(ctx, m));
      const badAverage = () => outputs().find((m) => !Number.isFinite(Number(m.text)) || m.text.trim() === "");
      const naked = () => advisories.filter((x) => x.kind === "MSG_NAKED" && invalidSeqs.has(x.seq));

      // Wait for the server to show every reading settled, or for a clear sign of the bug.
      let done: ConsumerInfo | undefined;
      const until = Date.now() + Math.min(10_000, ctx.remainingMs() - 3000);
      let troubleSince = 0;
      while (Date.now() < until && !ctx.signal.aborted) {
        const ci = await info(jsm, stream, consumer);
        if (ci && ci.num_pending === 0 && ci.num_ack_pending === 0 && ci.ack_floor.stream_seq >= lastSeq && outputs().length >= valid.length) {
          done = ci;
          break;
        }
        if (badAverage() || naked().length) {
          troubleSince ||= Date.now();
          // Let the story finish (redeliveries up to max_deliver) before telling it.
          const maxed = invalid.every((r) => advisories.some((x) => x.kind === "MAX_DELIVERIES" && x.seq === r.seq));
          if (maxed || Date.now() - troubleSince > 1500) break;
        }
        await ctx.sleep(50);
      }

      const averages = outputs().map((m) => m.text);
      const shown = averages.length > 12 ? [...averages.slice(0, 12), `${averages.length - 12} more`] : averages;
      const story = invalid
        .map((r) => {
          const naks = advisories.filter((x) => x.kind === "MSG_NAKED" && x.seq === r.seq).length;
          const maxed = advisories.find((x) => x.kind === "MAX_DELIVERIES" && x.seq === r.seq);
          if (naks) return `"${r.text}" (stream seq ${r.seq}) was nak'ed ${naks} time${naks === 1 ? "" : "s"}, so the server delivered it ${maxed ? `${maxed.deliveries} times, then gave up (max_deliver ${MAX_DELIVER}, MAX_DELIVERIES advisory)` : "again and again"}`;
          return "";
        })
        .filter(Boolean)
        .join("; ");
      const expectedText = `the average of the ${valid.length} valid readings (${valid.map((r) => r.text).join(", ")}): ${expected.toFixed(2)}, and ${invalid.map((r) => `"${r.text}"`).join(" and ")} each handled once`;

      const bad = badAverage();
      if (bad) {
        return ctx.fail({
          expected: expectedText,
          seen: `your averages: ${shown.join(", ")}. After an invalid reading the average became "${bad.text}": the invalid value was still added to the sum.${story ? ` And ${story}: nak asks the server to deliver it again, and each time it was counted again (the ack after the nak is never sent: a delivery is acknowledged once).` : ""}`,
          idea: naked().length
            ? "nak asks the server to deliver it again (it is not \"skip\"); after a nak the client sends no ack for that delivery"
            : "A reading that fails validation must leave the loop before it is counted",
          hint: "For a reading that can never be valid: m.term(), then `continue` before the counting. nak() is for failures that may pass (a database that is down).",
        });
      }
      if (naked().length) {
        return ctx.fail({
          expected: expectedText,
          seen: `${story}. Your averages: ${shown.join(", ")}`,
          idea: "nak asks the server to deliver it again; a reading that can never be valid needs term: done, never deliver again",
          hint: "Replace m.nak() with m.term() for invalid readings (and keep them out of the average).",
        });
      }
      const last = averages[averages.length - 1];
      if (last === undefined || !close(Number(last), expected)) {
        return ctx.fail({
          expected: expectedText,
          seen: last === undefined ? `no average on ${OUT}. ${await describe(ctx, jsm, stream, consumer)}` : `your averages: ${shown.join(", ")}; the last one, ${last}, is not ${expected.toFixed(2)}${Number(last) < expected ? ": were the invalid readings counted as 0?" : ""}`,
          idea: "A reading that fails validation must not reach the sum or the count",
          hint: "Check the reading first, and `continue` (after term) before `sum += value; count++`.",
        });
      }
      if (!done) {
        const ci = await info(jsm, stream, consumer);
        const stuck = invalid.filter((r) => (ci?.ack_floor.stream_seq ?? 0) < r.seq).map((r) => `"${r.text}" (seq ${r.seq})`);
        return ctx.fail({
          expected: `every reading settled: num_pending 0, num_ack_pending 0, ack floor at stream sequence ${lastSeq}`,
          seen: `num_pending ${ci?.num_pending ?? "?"}, num_ack_pending ${ci?.num_ack_pending ?? "?"}, ack floor at ${ci?.ack_floor.stream_seq ?? "?"}${stuck.length ? `: ${stuck.join(", ")} never acked or terminated` : ""}`,
          idea: "With explicit acks every delivery must be answered: ack (done), nak (again), term (never again)",
          hint: "Skipping a message is not enough: term() it (or ack it), or the server delivers it again after ack_wait.",
        });
      }
      const how = invalid.map((r) => `"${r.text}" ${advisories.some((x) => x.kind === "MSG_TERMINATED" && x.seq === r.seq) ? "terminated" : "acked"}`).join(", ");
      return `averages ${shown.join(", ")}; ${how}; num_redelivered ${done.num_redelivered}, ack floor ${done.ack_floor.stream_seq}`;
    },
  },
];

/** A clean SENSORS stream and AVERAGER consumer for this check, removed afterwards. */
async function setup(ctx: CheckContext): Promise<{ jsm: JetStreamManager; stream: string; consumer: string }> {
  const jsm = await ctx.jsm();
  const stream = ctx.name(STREAM);
  const consumer = ctx.name(CONSUMER);
  await jsm.streams.delete(stream).catch(() => {});
  ctx.defer(() => jsm.streams.delete(stream).catch(() => {}));
  const subjects = [ctx.subject("sensors.*.*")];
  try {
    await jsm.streams.add({ name: stream, subjects, storage: "memory" });
  } catch (err) {
    const others: string[] = [];
    for await (const si of jsm.streams.list()) {
      if ((si.config.subjects ?? []).some((s) => ctx.matches(s, ctx.subject("sensors.x.temp")) || ctx.matches(subjects[0], s))) others.push(`${si.config.name} (${si.config.subjects?.join(", ")})`);
    }
    return ctx.fail({
      expected: `goingnats can create the stream ${stream} on ${subjects[0]}`,
      seen: `the server said "${(err as Error).message}"${others.length ? `; these streams capture the same subjects: ${others.join(", ")}` : ""}`,
      idea: "Two streams may not capture the same subject",
      hint: others.length ? `Delete the other stream if you no longer need it: nats stream rm ${others[0].split(" ")[0]}` : "Run the check again.",
    });
  }
  await jsm.consumers.add(stream, {
    durable_name: consumer,
    ack_policy: "explicit",
    filter_subject: ctx.subject("sensors.*.temp"),
    ack_wait: 30_000_000_000, // long: nothing is redelivered by time during the check, only by nak
    max_deliver: MAX_DELIVER,
  });
  return { jsm, stream, consumer };
}

/** The program is reading once the server shows a pull request waiting on the consumer. */
async function ready(ctx: CheckContext, jsm: JetStreamManager, program: ProgramHandle): Promise<void> {
  const stream = ctx.name(STREAM);
  const consumer = ctx.name(CONSUMER);
  const ok = await ctx.poll(10_000, async () => {
    const ci = await info(jsm, stream, consumer);
    if (ci && ci.num_waiting > 0) return true;
    return program.isRunning() ? undefined : false;
  });
  if (ok) return;
  return ctx.fail({
    expected: `your program pulls from the consumer ${CONSUMER} on ${STREAM}`,
    seen: program.isRunning()
      ? `after 10 s the consumer shows no pull request waiting (num_waiting 0)`
      : `your program stopped before it pulled anything. It printed:\n${program.output().slice(-600) || "(nothing)"}`,
    idea: "A pull consumer delivers only when a client asks: consume() keeps a pull request open",
    hint: `const consumer = await js.consumers.get(\`\${names}${STREAM}\`, \`\${names}${CONSUMER}\`); for await (const m of await consumer.consume()) { ... }`,
  });
}

async function publish(ctx: CheckContext, subject: string, text: string): Promise<Reading> {
  const ack = await ctx.js().publish(ctx.subject(subject), text);
  const n = Number(text);
  return { subject, text, value: text.trim() !== "" && Number.isFinite(n) ? n : undefined, seq: ack.seq };
}

async function info(jsm: JetStreamManager, stream: string, consumer: string): Promise<ConsumerInfo | undefined> {
  return jsm.consumers.info(stream, consumer).catch(() => undefined);
}

async function describe(ctx: CheckContext, jsm: JetStreamManager, stream: string, consumer: string): Promise<string> {
  const ci = await info(jsm, stream, consumer);
  if (!ci) return `The consumer ${CONSUMER} is gone.`;
  return `The consumer shows ${ci.delivered.stream_seq ? `deliveries up to stream sequence ${ci.delivered.stream_seq}` : "nothing delivered"}, num_ack_pending ${ci.num_ack_pending}, ack floor ${ci.ack_floor.stream_seq}.`;
}

function isOutput(ctx: CheckContext, m: SeenMessage): boolean {
  return m.subject === ctx.subject(OUT);
}

function isInput(ctx: CheckContext, m: SeenMessage): boolean {
  return ctx.matches(ctx.subject("sensors.>"), m.subject) || m.subject.startsWith("_INBOX.") || m.subject.startsWith("$");
}

function values(n: number): number[] {
  // One-decimal temperatures, one of them below zero (winter in Finse).
  return Array.from({ length: n }, (_, i) => Math.round((i === 1 ? -2 - Math.random() * 8 : 8 + Math.random() * 20) * 10) / 10);
}

function mean(rs: Reading[]): number {
  const vs = rs.map((r) => r.value ?? 0);
  return vs.reduce((a, b) => a + b, 0) / vs.length;
}

function close(a: number, b: number): boolean {
  return Number.isFinite(a) && Math.abs(a - b) < 0.0051;
}

function pick<T>(xs: T[]): T {
  return xs[Math.floor(Math.random() * xs.length)];
}
