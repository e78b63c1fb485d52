import type { Check, CheckContext } from "../../src/check/types.js";
import type { StreamConfig } from "@nats-io/jetstream";

const STREAM = "LATEST";
const SITES = ["alta", "bodo", "hamar", "lillehammer", "tromso", "voss", "roros", "finse"];
const MEASUREMENTS = ["temp", "humidity"];
const ROUNDS = 5;
const KEEP = 3;
const DAY_NS = 24 * 60 * 60 * 1e9;

/** What one check hands to the next within a run: the stream the learner made, and its config. */
const run: { handedOver: boolean; config?: StreamConfig } = { handedOver: false };

export const checks: Check[] = [
  {
    name: "you create the stream LATEST, capturing sensors.*.*",
    idea: "A stream stores the messages published on the subjects it captures",
    async run(ctx) {
      run.handedOver = false;
      run.config = undefined;
      const name = ctx.name(STREAM);
      const jsm = await ctx.jsm();
      // A clean slate: the stream is made while this check watches.
      await jsm.streams.delete(name).catch(() => {});
      ctx.defer(async () => {
        if (!run.handedOver) await jsm.streams.delete(name).catch(() => {});
      });

      ctx.waiting(
        `Create the stream ${name} capturing ${ctx.subject("sensors.*.*")}: the newest ${KEEP} messages of each subject, none older than 24 h.`,
      );
      ctx.progress(`waiting for the stream ${STREAM} to appear`);
      const info = await ctx.poll(ctx.remainingMs() - 8000, () => jsm.streams.info(name).catch(() => undefined));
      if (!info) {
        const others = await streamNames(ctx);
        return ctx.fail({
          expected: `a stream named ${name}`,
          seen: others.length ? `no stream ${name}; the streams here are ${others.join(", ")}` : `no stream at all`,
          idea: "A stream is created once, by name, before anything is stored in it",
          hint: `nats stream add ${name} --subjects "${ctx.subject("sensors.*.*")}" ... (stream names are case sensitive)`,
        });
      }
      const probe = ctx.subject("sensors.hamar.temp");
      const subjects = info.config.subjects ?? [];
      if (!subjects.some((p) => ctx.matches(p, probe)) || !subjects.some((p) => ctx.matches(p, ctx.subject("sensors.alta.humidity")))) {
        return ctx.fail({
          expected: `${STREAM} captures ${ctx.subject("sensors.*.*")}`,
          seen: `it captures ${subjects.map((s) => JSON.stringify(s)).join(", ") || "no subjects"}, so a reading on ${probe} would not be stored`,
          idea: "A stream stores only what its subjects match; * is one token, > the rest",
          hint: `Give it the subject ${ctx.subject("sensors.*.*")}.`,
        });
      }
      run.handedOver = true;
      return `${STREAM} captures ${subjects.join(", ")}`;
    },
  },
  {
    name: `it keeps the newest ${KEEP} readings of each sensor`,
    idea: "max_msgs_per_subject limits each subject on its own; max_msgs limits the whole stream",
    async run(ctx) {
      const name = ctx.name(STREAM);
      const jsm = await ctx.jsm();
      const js = ctx.js();
      ctx.defer(() => jsm.streams.delete(name).catch(() => {}));
      const before = await jsm.streams.info(name).catch(() => undefined);
      if (!before) {
        return ctx.fail({
          expected: `the stream ${name} still there`,
          seen: "it was deleted while the check ran",
          idea: "A stream lives until someone deletes it",
          hint: "Create it once and leave it.",
        });
      }
      run.config = before.config;
      // Readings from your own tests would muddle the counts: start empty.
      await jsm.streams.purge(name);

      const sites = pick(SITES, 2);
      const subjects = sites.flatMap((s) => MEASUREMENTS.map((m) => `sensors.${s}.${m}`));
      const published: Record<string, string[]> = {};
      const refused: Array<{ subject: string; value: string; error: string }> = [];
      for (let round = 1; round <= ROUNDS; round++) {
        for (const subject of subjects) {
          const value = subject.endsWith("temp") ? (Math.round((Math.random() * 30 - 10) * 10) / 10).toString() : String(30 + Math.floor(Math.random() * 60));
          (published[subject] ??= []).push(value);
          try {
            await js.publish(ctx.subject(subject), value);
          } catch (err) {
            const e = err as Error & { code?: number };
            refused.push({ subject, value, error: `${e.message}${e.code ? ` (${e.code})` : ""}` });
          }
        }
      }
      ctx.note(`published ${ROUNDS} readings to each of ${subjects.join(", ")}`);

      const info = await jsm.streams.info(name, { subjects_filter: ctx.subject("sensors.>") });
      const cfg = info.config;
      const counts: Record<string, number> = {};
      for (const [s, n] of Object.entries(info.state.subjects ?? {})) counts[ctx.unprefix(s)] = n;
      const kept = await keptValues(ctx, name, info.state.first_seq, info.state.last_seq);
      const total = info.state.messages;
      const sent = subjects.length * ROUNDS;
      const countsText = subjects.map((s) => `${s}: ${counts[s] ?? 0}`).join(", ");
      const expected = `${KEEP} readings of each of the ${subjects.length} sensors, the newest ones (${subjects.length * KEEP} messages in all)`;
      const seenHead = `I published ${ROUNDS} readings to each of ${subjects.join(", ")} (${sent} messages); the stream holds ${total}`;

      if (refused.length) {
        const first = refused[0];
        return ctx.fail({
          expected,
          seen: `${seenHead}. It refused ${refused.length} of them, the first ${first.subject} "${first.value}" with "${first.error}": discard is "${cfg.discard}"${cfg.discard_new_per_subject ? " with discard_new_per_subject" : ""}, so it keeps the OLDEST readings and turns the newest away`,
          idea: "discard new refuses new messages when a limit is reached; discard old (the default) drops the oldest to make room",
          hint: "For a dashboard the newest reading matters most: leave discard at old (the default).",
        });
      }
      if (cfg.max_age > 0 && cfg.max_age < 60e9) {
        return ctx.fail({
          expected,
          seen: `${seenHead}: max_age is ${cfg.max_age} ns, that is ${duration(cfg.max_age)}, so readings expire almost at once`,
          idea: "Durations in the JetStream API (max_age, ack_wait, duplicate_window) are nanoseconds",
          hint: "24 hours is nanos(24 * 60 * 60 * 1000) = 86400000000000 ns; the NATS CLI takes --max-age 24h.",
        });
      }
      const perSubjectOk = subjects.every((s) => counts[s] === KEEP);
      if (!perSubjectOk && total < subjects.length * KEEP && cfg.max_msgs > 0 && cfg.max_msgs < subjects.length * KEEP) {
        return ctx.fail({
          expected,
          seen: `${seenHead} (${countsText}). Its max_msgs is ${cfg.max_msgs}${cfg.max_msgs_per_subject > 0 ? ` and max_msgs_per_subject ${cfg.max_msgs_per_subject}` : " and max_msgs_per_subject is unlimited"}: max_msgs counts the whole stream, so it keeps only its last ${cfg.max_msgs} readings, whichever sensors sent them`,
          idea: "max_msgs limits the whole stream; max_msgs_per_subject limits each subject on its own",
          hint: `Set max_msgs_per_subject to ${KEEP} (nats stream add --max-msgs-per-subject ${KEEP}) and leave max_msgs unlimited.`,
        });
      }
      if (!perSubjectOk && total < subjects.length * KEEP && cfg.max_bytes > 0) {
        return ctx.fail({
          expected,
          seen: `${seenHead} (${countsText}): max_bytes is ${cfg.max_bytes}, so the stream is full after ${info.state.bytes} bytes`,
          idea: "max_bytes limits the stored size of the whole stream, headers and subjects included",
          hint: `Count messages per subject instead: max_msgs_per_subject ${KEEP}, and no max_bytes.`,
        });
      }
      if (!perSubjectOk) {
        return ctx.fail({
          expected,
          seen: `${seenHead} (${countsText}); its max_msgs_per_subject is ${cfg.max_msgs_per_subject > 0 ? cfg.max_msgs_per_subject : "unlimited (-1)"}`,
          idea: "max_msgs_per_subject keeps the newest N messages of every subject",
          hint: `Set max_msgs_per_subject to ${KEEP}.`,
        });
      }
      for (const s of subjects) {
        const want = published[s].slice(-KEEP);
        const got = kept[s] ?? [];
        if (want.join(",") !== got.join(",")) {
          return ctx.fail({
            expected: `${s} keeps its newest ${KEEP} readings: ${want.join(", ")}`,
            seen: `it keeps ${got.join(", ") || "nothing"} (I published ${published[s].join(", ")}, in that order)`,
            idea: "With discard old, a full subject drops its oldest message to make room",
            hint: "Leave discard at old (the default).",
          });
        }
      }
      return `${countsText}: the newest ${KEEP} of each`;
    },
  },
  {
    name: "it forgets readings older than 24 hours",
    idea: "max_age removes messages older than the given age, whatever the other limits say",
    async run(ctx) {
      const cfg = run.config;
      if (!cfg) {
        return ctx.fail({
          expected: "the stream's configuration from the check before",
          seen: "none",
          idea: "max_age is part of the stream's configuration",
          hint: "Run the whole check again.",
        });
      }
      if (cfg.max_age !== DAY_NS) {
        return ctx.fail({
          expected: `max_age 24 h (${DAY_NS} ns)`,
          seen: cfg.max_age > 0 ? `max_age ${cfg.max_age} ns, that is ${duration(cfg.max_age)}` : "max_age 0: no age limit, so a sensor that went quiet a month ago still shows its readings",
          idea: "max_age removes messages older than the given age; in the API it is nanoseconds",
          hint: "--max-age 24h with the NATS CLI; max_age: nanos(24 * 60 * 60 * 1000) in TypeScript.",
        });
      }
      return "max_age 24h";
    },
  },
];

async function keptValues(ctx: CheckContext, stream: string, first: number, last: number): Promise<Record<string, string[]>> {
  const jsm = await ctx.jsm();
  const out: Record<string, string[]> = {};
  for (let seq = first; seq <= last && seq > 0; seq++) {
    const m = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (m) (out[ctx.unprefix(m.subject)] ??= []).push(m.string());
  }
  return out;
}

async function streamNames(ctx: CheckContext): Promise<string[]> {
  const jsm = await ctx.jsm();
  const names: string[] = [];
  for await (const n of jsm.streams.names()) if (!ctx.ns || n.startsWith(ctx.name(""))) names.push(n);
  return names;
}

function duration(ns: number): string {
  const ms = ns / 1e6;
  if (ms < 1) return `${(ns / 1000).toFixed(1)} µs`;
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  const s = ms / 1000;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function pick<T>(xs: T[], n: number): T[] {
  return [...xs].sort(() => Math.random() - 0.5).slice(0, n);
}
