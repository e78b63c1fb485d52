import type { Check, CheckContext } from "../../src/check/types.js";
import type { ConsumerInfo, JetStreamManager } from "@nats-io/jetstream";

const STREAM = "WEATHER";
const STATIONS = ["finse", "hamar", "alta", "bodo", "voss", "roros", "tromso"];
const MEASUREMENTS = ["temp", "wind"];
const NOTICE = "weather.service.recalibrated";

interface Stored {
  subject: string;
  seq: number;
}

/** What the first check hands to the second within a run: the stream's contents and the notice. */
const run: { handedOver: boolean; stored: Stored[]; noticeSeq: number } = { handedOver: false, stored: [], noticeSeq: 0 };

export const checks: Check[] = [
  {
    name: "BOARD starts with the latest reading of every station and measurement",
    idea: "deliver_policy last_per_subject: the newest message of each subject, then everything new",
    async run(ctx) {
      run.handedOver = false;
      const jsm = await ctx.jsm();
      const stream = ctx.name(STREAM);
      await jsm.streams.delete(stream).catch(() => {});
      ctx.defer(async () => {
        if (!run.handedOver) await jsm.streams.delete(stream).catch(() => {});
      });
      try {
        await jsm.streams.add({ name: stream, subjects: [ctx.subject("weather.*.*")], storage: "memory" });
      } catch (err) {
        return ctx.fail({
          expected: `goingnats can create the stream ${stream} on ${ctx.subject("weather.*.*")}`,
          seen: `the server said "${(err as Error).message}"`,
          idea: "Two streams may not capture the same subject",
          hint: `Delete the stream that captures ${ctx.subject("weather.*.*")} (nats stream ls shows them), then run the check again.`,
        });
      }

      // Three rounds from three stations; the recalibration notice lands somewhere in the second round.
      const stations = [...STATIONS].sort(() => Math.random() - 0.5).slice(0, 3);
      const subjects = stations.flatMap((s) => MEASUREMENTS.map((m) => `weather.${s}.${m}`));
      const stored: Stored[] = [];
      const noticeAfter = subjects.length + 1 + Math.floor(Math.random() * (subjects.length - 1));
      for (let i = 0; i < subjects.length * 3; i++) {
        const subject = subjects[i % subjects.length];
        const value = subject.endsWith("temp") ? (Math.random() * 20 - 5).toFixed(1) : (Math.random() * 15).toFixed(1);
        stored.push({ subject, seq: (await ctx.js().publish(ctx.subject(subject), value)).seq });
        if (i + 1 === noticeAfter) {
          stored.push({ subject: NOTICE, seq: (await ctx.js().publish(ctx.subject(NOTICE), "offsets reset")).seq });
        }
      }
      const noticeSeq = stored.find((s) => s.subject === NOTICE)!.seq;
      run.stored = stored;
      run.noticeSeq = noticeSeq;
      ctx.note(`the stream holds ${stored.length} messages; the recalibration notice is sequence ${noticeSeq}`);

      ctx.waiting(
        `The stations were recalibrated at stream sequence ${noticeSeq} (the message on ${ctx.subject(NOTICE)}). Create the durable pull consumers ${ctx.name("BOARD")} (the latest reading of every subject, then new ones) and ${ctx.name("AUDIT")} (every message from sequence ${noticeSeq} on) on ${stream}.`,
      );
      ctx.progress("waiting for the consumer BOARD to appear");
      const ci = await ctx.poll(Math.max(5000, ctx.remainingMs() - 25_000), () => jsm.consumers.info(stream, ctx.name("BOARD")).catch(() => undefined));
      if (!ci) return missing(ctx, jsm, "BOARD");
      pullOnly(ctx, ci, "BOARD");

      // The newest message of each subject BOARD's filter lets through; every reading subject must be among them.
      const filters = [ci.config.filter_subject, ...(ci.config.filter_subjects ?? [])].filter((f): f is string => !!f);
      const passes = (s: string) => !filters.length || filters.some((f) => ctx.matches(f, ctx.subject(s)));
      const uncovered = subjects.filter((s) => !passes(s));
      if (uncovered.length) {
        return ctx.fail({
          expected: `BOARD sees every station and measurement (${ctx.subject("weather.*.*")})`,
          seen: `its filter ${filters.join(", ")} leaves out ${uncovered.join(", ")}`,
          idea: "A consumer's filter subject selects which of the stream's subjects it delivers",
          hint: `filter_subject: ${ctx.subject("weather.>")}`,
        });
      }
      const lastPer = new Map<string, number>();
      for (const s of stored) if (passes(s.subject)) lastPer.set(s.subject, s.seq);
      const want = [...lastPer.values()].sort((a, b) => a - b);
      const got = await drain(ctx, jsm, "BOARD");
      const policy = ci.config.deliver_policy;
      const expected = `${want.length} messages, the newest of each subject: sequences ${want.join(", ")}`;
      if (got.join(",") !== want.join(",")) {
        const why: Record<string, string> = {
          last: "deliver_policy last starts at the single newest message of the whole stream: one reading in all, not one per subject",
          all: "deliver_policy all replays every reading, old ones included",
          new: "deliver_policy new starts after the newest message: nothing stored is delivered, only what comes later",
          by_start_sequence: "by_start_sequence delivers everything from one sequence on, old readings of each subject included",
          by_start_time: "by_start_time delivers everything from one moment on, old readings of each subject included",
        };
        return ctx.fail({
          expected,
          seen: `BOARD (deliver_policy ${policy}) delivered ${got.length} message${got.length === 1 ? "" : "s"}: ${got.length ? `sequence${got.length === 1 ? "" : "s"} ${got.slice(0, 12).join(", ")}${got.length > 12 ? ", ..." : ""}` : "none"}. ${why[policy] ?? ""}`,
          idea: "deliver_policy last_per_subject starts with the newest message of each subject; last gives just one",
          hint: `deliver_policy: DeliverPolicy.LastPerSubject with filter_subject ${ctx.subject("weather.>")} (nats-server 2.9 requires a filter with it); with the NATS CLI: --deliver subject --filter "${ctx.subject("weather.>")}".`,
        });
      }
      run.handedOver = true;
      return `BOARD delivered sequences ${got.join(", ")}: the newest of each of ${want.length} subjects`;
    },
  },
  {
    name: "AUDIT delivers every message from the recalibration on",
    idea: "deliver_policy by_start_sequence with opt_start_seq starts a consumer at a chosen sequence",
    async run(ctx) {
      const jsm = await ctx.jsm();
      const stream = ctx.name(STREAM);
      ctx.defer(() => jsm.streams.delete(stream).catch(() => {}));
      ctx.progress("waiting for the consumer AUDIT");
      const ci = await ctx.poll(Math.max(3000, Math.min(15_000, ctx.remainingMs() - 5000)), () => jsm.consumers.info(stream, ctx.name("AUDIT")).catch(() => undefined));
      if (!ci) return missing(ctx, jsm, "AUDIT");
      pullOnly(ctx, ci, "AUDIT");
      const want = run.stored.filter((s) => s.seq >= run.noticeSeq).map((s) => s.seq);
      const got = await drain(ctx, jsm, "AUDIT");
      if (got.join(",") !== want.join(",")) {
        const c = ci.config;
        const start = c.deliver_policy === "by_start_sequence" ? ` from ${c.opt_start_seq}` : c.deliver_policy === "by_start_time" ? ` from ${c.opt_start_time}` : "";
        let why = "";
        if (c.deliver_policy === "by_start_sequence" && c.opt_start_seq !== run.noticeSeq) why = `: it starts at ${c.opt_start_seq}, the recalibration is ${run.noticeSeq}`;
        else if (c.deliver_policy === "all") why = ": deliver_policy all starts at the first message, before the recalibration";
        else if (c.deliver_policy === "new") why = ": deliver_policy new skips everything already stored";
        else if (c.deliver_policy === "last" || c.deliver_policy === "last_per_subject") why = `: ${c.deliver_policy} starts at the newest message${c.deliver_policy === "last" ? "" : " of each subject"}, not at a sequence`;
        else if (c.filter_subject) why = `: its filter ${c.filter_subject} leaves some messages out`;
        return ctx.fail({
          expected: `sequences ${want[0]} to ${want[want.length - 1]} (${want.length} messages)`,
          seen: `AUDIT (deliver_policy ${c.deliver_policy}${start}) delivered ${got.length ? `sequences ${got.slice(0, 12).join(", ")}${got.length > 12 ? ", ..." : ""}` : "nothing"}${why}`,
          idea: "by_start_sequence with opt_start_seq begins at that sequence and delivers everything after it",
          hint: `deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: ${run.noticeSeq} (nats consumer add --deliver ${run.noticeSeq}), and no filter.`,
        });
      }
      return `AUDIT delivered sequences ${want[0]} to ${want[want.length - 1]}`;
    },
  },
];

async function missing(ctx: CheckContext, jsm: JetStreamManager, name: string): Promise<never> {
  const stream = ctx.name(STREAM);
  const others: string[] = [];
  for await (const c of jsm.consumers.list(stream)) others.push(c.name);
  return ctx.fail({
    expected: `a durable consumer ${ctx.name(name)} on ${stream}`,
    seen: others.length ? `the consumers on ${stream} are ${others.join(", ")}` : `no consumer on ${stream}`,
    idea: "A durable consumer is found by its name (durable_name), on its stream",
    hint: `jsm.consumers.add("${stream}", { durable_name: "${ctx.name(name)}", ... }) (names are case sensitive)`,
  });
}

function pullOnly(ctx: CheckContext, ci: ConsumerInfo, name: string): void {
  if (!ci.config.deliver_subject) return;
  ctx.fail({
    expected: `${name} is a pull consumer`,
    seen: `it has deliver_subject ${ci.config.deliver_subject}: a push consumer`,
    idea: "A pull consumer has no deliver subject: clients ask it for messages",
    hint: "Leave deliver_subject out (nats consumer add --pull).",
  });
}

/** Everything the consumer has for us now, as stream sequences (acked, so a second look starts fresh). */
async function drain(ctx: CheckContext, jsm: JetStreamManager, name: string): Promise<number[]> {
  const stream = ctx.name(STREAM);
  const c = await ctx.js().consumers.get(stream, ctx.name(name));
  const pending = (await jsm.consumers.info(stream, ctx.name(name))).num_pending;
  const seqs: number[] = [];
  if (pending === 0) return seqs;
  const batch = await c.fetch({ max_messages: Math.min(pending, 200), expires: 2000 });
  for await (const m of batch) {
    seqs.push(m.seq);
    m.ack();
  }
  return seqs;
}
