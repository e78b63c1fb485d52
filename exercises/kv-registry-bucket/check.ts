import type { Check } from "../../src/check/types.js";
import type { KvStatus } from "@nats-io/kv";

const BUCKET = "REGISTRY";
const HISTORY = 3;
const TTL_MS = 30_000;
const SERVICES = ["billing", "mailer", "search", "stock", "payments"];
const REGIONS = ["eu-north", "eu-west", "us-east", "ap-south"];

/** Handed from one check to the next within a run: the bucket the learner made. */
const run: { handedOver: boolean; status?: KvStatus } = { handedOver: false };

export const checks: Check[] = [
  {
    name: "you create the bucket REGISTRY",
    idea: "A KV bucket is a stream named KV_<bucket>, made once before anything is stored in it",
    async run(ctx) {
      run.handedOver = false;
      run.status = undefined;
      const name = ctx.name(BUCKET);
      const jsm = await ctx.jsm();
      // A clean slate: the bucket is made while this check watches.
      await jsm.streams.delete(`KV_${name}`).catch(() => {});
      const plainBefore = await jsm.streams.info(name).then(() => true).catch(() => false);
      ctx.defer(async () => {
        if (!run.handedOver) await jsm.streams.delete(`KV_${name}`).catch(() => {});
        if (!plainBefore) await jsm.streams.delete(name).catch(() => {});
      });

      ctx.waiting(`Create the KV bucket ${name}: the last ${HISTORY} values of each key, entries gone after 30 s without a write.`);
      ctx.progress(`waiting for the bucket ${name} (the stream KV_${name}) to appear`);
      const info = await ctx.poll(ctx.remainingMs() - 8000, () => jsm.streams.info(`KV_${name}`).catch(() => undefined));
      if (!info) {
        const plain = !plainBefore && (await jsm.streams.info(name).then(() => true).catch(() => false));
        const buckets: string[] = [];
        for await (const s of ctx.kvm().list()) if (!ctx.ns || s.bucket.startsWith(ctx.name(""))) buckets.push(s.bucket);
        return ctx.fail({
          expected: `a KV bucket named ${name} (on the server: the stream KV_${name})`,
          seen: plain
            ? `a plain stream named ${name}, not a bucket: a bucket is a stream with the name KV_${name}, the subjects $KV.${name}.> and settings the KV client relies on`
            : buckets.length
              ? `no bucket ${name}; the buckets here are ${buckets.join(", ")}`
              : "no bucket at all",
          idea: "A KV bucket is a stream named KV_<bucket>; create it with nats kv add or Kvm.create()",
          hint: `nats kv add ${name} ... (bucket names are case sensitive)`,
        });
      }
      run.handedOver = true;
      return `bucket ${BUCKET} (stream KV_${name})`;
    },
  },
  {
    name: `it keeps the last ${HISTORY} values of every key`,
    idea: "A bucket's history is how many values it keeps per key: the stream's max_msgs_per_subject",
    async run(ctx) {
      const name = ctx.name(BUCKET);
      const jsm = await ctx.jsm();
      ctx.defer(() => jsm.streams.delete(`KV_${name}`).catch(() => {}));
      const kv = await ctx.kvm().open(name);
      const status = await kv.status().catch(() => undefined);
      if (!status) {
        return ctx.fail({
          expected: `the bucket ${name} still there`,
          seen: "it was deleted while the check ran",
          idea: "A bucket lives until someone deletes it",
          hint: "Create it once and leave it.",
        });
      }
      run.status = status;

      // A deployment the learner cannot know in advance registers itself five times.
      const key = `deploy.${pick(SERVICES)}.${pick(REGIONS)}`;
      const written: string[] = [];
      for (let i = 1; i <= 5; i++) {
        const value = JSON.stringify({ endpoint: `10.0.${Math.floor(Math.random() * 250)}.${i}:8080`, version: `1.${i}.0` });
        await kv.put(key, value);
        written.push(value);
      }
      ctx.note(`registered ${key} 5 times`);
      const kept: string[] = [];
      for await (const e of await kv.history({ key })) if (e.operation === "PUT") kept.push(e.string());
      const want = written.slice(-HISTORY);
      const expected = `the history of ${key} holds its last ${HISTORY} values (I wrote 5)`;

      if (kept.length === 1 && status.history === 1) {
        return ctx.fail({
          expected,
          seen: `kv history ${key} shows 1 value: the bucket's history is 1 (the default), so it keeps only the latest value of each key and every write throws the one before away`,
          idea: "History is how many values a bucket keeps per key; the default is 1",
          hint: `Create the bucket with history ${HISTORY}: nats kv add ${name} --history ${HISTORY} ... (TypeScript: { history: ${HISTORY} }).`,
        });
      }
      if (kept.length !== HISTORY || kept.join("\n") !== want.join("\n")) {
        return ctx.fail({
          expected,
          seen: `kv history ${key} shows ${kept.length} value${kept.length === 1 ? "" : "s"}; the bucket's history is ${status.history}`,
          idea: "History is how many values a bucket keeps per key: the newest N",
          hint: `History ${HISTORY}: nats kv add ${name} --history ${HISTORY}.`,
        });
      }
      return `history ${status.history}: ${key} keeps its last ${HISTORY} of 5 values`;
    },
  },
  {
    name: "an entry not written for 30 seconds disappears",
    idea: "A bucket's TTL is a maximum age for every entry (the stream's max_age); a write makes an entry young again",
    async run(ctx) {
      const status = run.status;
      if (!status) {
        return ctx.fail({
          expected: "the bucket's settings from the check before",
          seen: "none",
          idea: "The TTL is a setting of the bucket",
          hint: "Run the whole check again.",
        });
      }
      const name = ctx.name(BUCKET);
      const ttl = status.ttl; // milliseconds, from the stream's max_age
      if (ttl === TTL_MS) return "ttl 30 s (max_age of the stream)";
      if (ttl === 0) {
        return ctx.fail({
          expected: "a bucket TTL of 30 s",
          seen: "no TTL (0): entries live for ever, so a deployment that crashed stays registered and keeps being found",
          idea: "A bucket TTL removes every entry that has not been written for that long",
          hint: `nats kv add ${name} --ttl 30s ... (TypeScript: { ttl: 30_000 }, in milliseconds).`,
        });
      }
      const unitMistake = ttl === 30 ? " That is 30 milliseconds: the KV client's ttl option is in milliseconds, so 30 seconds is 30_000." : "";
      return ctx.fail({
        expected: "a bucket TTL of 30 s",
        seen: `a TTL of ${describe(ttl)}.${unitMistake}`,
        idea: "A bucket TTL is the maximum age of every entry (the stream's max_age)",
        hint: `nats kv add ${name} --ttl 30s ... (TypeScript: { ttl: 30_000 }).`,
      });
    },
  },
];

function describe(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

function pick<T>(xs: T[]): T {
  return xs[Math.floor(Math.random() * xs.length)];
}
