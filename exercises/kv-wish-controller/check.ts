import type { Check, CheckContext } from "../../src/check/types.js";
import type { KV } from "@nats-io/kv";

const WISHES = "WISHES";
const ENVS = "ENVS";
const TEAMS = ["alpha", "bravo", "falcon", "otter", "quokka", "tundra", "zephyr", "lynx", "marten"];
const SIZES = ["small", "medium", "large"];

interface Buckets {
  wishes: KV;
  envs: KV;
  wishStream: string;
}

/** What ENVS should hold for a key: an environment (size, wish revision), or nothing. */
type Want = { size: string; wish: number } | null;

export const checks: Check[] = [
  {
    name: "it reconciles the wishes made before it started",
    idea: "A watch first delivers the current value of every key (the snapshot), then every change",
    async run(ctx) {
      const b = await freshBuckets(ctx);
      const teams = pick(TEAMS, 4);
      const want = new Map<string, Want>();
      for (const team of teams.slice(0, 3)) {
        const size = pick(SIZES, 1)[0];
        const rev = await b.wishes.put(`env.${team}`, JSON.stringify({ size }));
        want.set(`env.${team}`, { size, wish: rev });
      }
      // A wish made and withdrawn before the controller started: no environment for it.
      await b.wishes.put(`env.${teams[3]}`, JSON.stringify({ size: "large" }));
      await b.wishes.delete(`env.${teams[3]}`);
      want.set(`env.${teams[3]}`, null);
      ctx.note(`wishes before the controller starts: ${describeWant(want)}`);

      const program = await ctx.startProgram();
      let updatesOnly: string | undefined;
      const ok = await ctx.poll(6000, async () => {
        if (!updatesOnly) updatesOnly = await updatesOnlyConsumer(ctx, b);
        if (updatesOnly) return false;
        return (await mismatches(b, want)).length === 0 ? true : undefined;
      });
      if (updatesOnly) {
        return ctx.fail({
          expected: `ENVS gets an environment for each of the 3 wishes made before your controller started (${describeWant(want)})`,
          seen: `your controller's watch on WISHES is a consumer with deliver_policy "new" (${updatesOnly}): it starts after the last entry, so it misses the wishes made before it started. ENVS holds ${await describeEnvs(b, want)}`,
          idea: "A watch with include \"updates\" skips the snapshot; the default watch delivers the latest value of every key first",
          hint: "Drop include: \"updates\": wishes.watch({ key: \"env.*\" }) gives the snapshot, then the changes. Reconciling a wish twice is harmless.",
        });
      }
      if (!ok) {
        const wrong = await mismatches(b, want);
        return ctx.fail({
          expected: `ENVS gets an environment for each of the 3 wishes made before your controller started (${describeWant(want)})`,
          seen: `after 6 s: ${wrong.join("; ")}${program.isRunning() ? "" : ". Your controller has stopped"}`,
          idea: "A controller that starts late must catch up on the wishes already made: the snapshot",
          hint: 'Watch with wishes.watch({ key: "env.*" }) and, for each PUT, envs.put(e.key, JSON.stringify({ size, wish: e.revision })).',
        });
      }
      return `ENVS caught up: ${describeWant(want)}`;
    },
  },
  {
    name: "it follows every change within a second, without polling",
    idea: "A watch is pushed each change once; asking the server again and again costs the server and is late anyway",
    async run(ctx) {
      const b = await freshBuckets(ctx);
      const [a, c] = pick(TEAMS, 2);
      const want = new Map<string, Want>();
      const revA = await b.wishes.put(`env.${a}`, JSON.stringify({ size: "small" }));
      want.set(`env.${a}`, { size: "small", wish: revA });

      const program = await ctx.startProgram();
      const synced = await ctx.poll(6000, async () => ((await mismatches(b, want)).length === 0 ? true : undefined));
      if (!synced) {
        return ctx.fail({
          expected: `ENVS env.${a} {"size":"small","wish":${revA}} soon after your controller starts`,
          seen: `after 6 s: ${(await mismatches(b, want)).join("; ")}`,
          idea: "A controller that starts late must catch up on the wishes already made: the snapshot",
          hint: 'wishes.watch({ key: "env.*" }) delivers the existing wishes first.',
        });
      }
      // Everything the server is asked about WISHES from now on.
      const api = [ctx.watch(`$JS.API.*.*.${b.wishStream}`, { label: "requests about WISHES" }), ctx.watch(`$JS.API.*.*.${b.wishStream}.>`, { label: "requests about WISHES" })];
      await ctx.flush();
      const started = Date.now();
      const count = () => api.reduce((n, w) => n + w.messages.length, 0);

      const steps: Array<{ what: string; key: string; act: () => Promise<Want> }> = [
        { what: `a new wish env.${c} {"size":"medium"}`, key: `env.${c}`, act: async () => ({ size: "medium", wish: await b.wishes.put(`env.${c}`, JSON.stringify({ size: "medium" })) }) },
        { what: `env.${a} changed to {"size":"large"}`, key: `env.${a}`, act: async () => ({ size: "large", wish: await b.wishes.put(`env.${a}`, JSON.stringify({ size: "large" })) }) },
        { what: `env.${c} deleted`, key: `env.${c}`, act: async () => (await b.wishes.delete(`env.${c}`), null) },
      ];
      for (const step of steps) {
        const w = await step.act();
        want.set(step.key, w);
        ctx.note(step.what);
        const t0 = Date.now();
        const done = await ctx.poll(1500, async () => ((await envFor(b, step.key)) === show(w) ? true : undefined));
        if (!done) {
          const asked = count();
          return ctx.fail({
            expected: `ENVS follows within a second: after ${step.what}, ${step.key} ${w ? show(w) : "deleted"}`,
            seen: `1.5 s later ENVS ${step.key} is ${(await envFor(b, step.key)) ?? "missing"}${pollingNote(asked, Date.now() - started)}${program.isRunning() ? "" : ". Your controller has stopped"}`,
            idea: w ? "A watch delivers every change as it happens" : "A delete arrives on a watch as an entry whose operation is DEL (PURGE for a purge)",
            hint: w ? "Keep one watch open for the life of the controller; do not stop after the snapshot." : 'For e.operation "DEL" or "PURGE", envs.delete(e.key).',
          });
        }
        ctx.progress(`${step.what}: ENVS followed in ${Date.now() - t0} ms`);
      }

      // A quiet second and a half: nothing changes, so a watching controller asks nothing.
      const before = api.map((w) => w.messages.length);
      await ctx.sleep(1500);
      const quietMsgs = api.flatMap((w, i) => w.messages.slice(before[i]));
      if (quietMsgs.length > 1) {
        return ctx.fail({
          expected: "no requests about WISHES while nothing changes: one watch, kept open, is told about each change",
          seen: `in 1.5 s with no change at all, your controller sent ${quietMsgs.length} requests about WISHES (${sample(quietMsgs.map((m) => m.subject))}): it keeps asking "anything new?", which is polling`,
          idea: "Polling asks \"anything new?\" over and over; a watch is told once, at once",
          hint: 'Replace the loop of keys()/get() with one wishes.watch({ key: "env.*" }) and a for await over it.',
        });
      }
      const quiet = quietMsgs.length;
      return `followed a new wish, a change and a delete; ${quiet} requests while nothing changed`;
    },
  },
];

async function freshBuckets(ctx: CheckContext): Promise<Buckets> {
  const jsm = await ctx.jsm();
  const kvm = ctx.kvm();
  const names = [ctx.name(WISHES), ctx.name(ENVS)];
  for (const n of names) await jsm.streams.delete(`KV_${n}`).catch(() => {});
  ctx.defer(async () => {
    for (const n of names) await jsm.streams.delete(`KV_${n}`).catch(() => {});
  });
  const wishes = await kvm.create(names[0], { history: 5 });
  const envs = await kvm.create(names[1]);
  return { wishes, envs, wishStream: `KV_${names[0]}` };
}

function show(w: Want): string | null {
  return w ? JSON.stringify({ size: w.size, wish: w.wish }) : null;
}

/** ENVS's value for a key as a normalised JSON string, or null when missing or deleted. */
async function envFor(b: Buckets, key: string): Promise<string | null> {
  const e = await b.envs.get(key).catch(() => null);
  if (!e || e.operation !== "PUT") return null;
  try {
    const v = e.json<{ size?: unknown; wish?: unknown }>();
    return JSON.stringify({ size: v.size, wish: v.wish });
  } catch {
    return e.string();
  }
}

async function mismatches(b: Buckets, want: Map<string, Want>): Promise<string[]> {
  const out: string[] = [];
  for (const [key, w] of want) {
    const got = await envFor(b, key);
    const exp = show(w);
    if (got === exp) continue;
    if (!w) out.push(`ENVS has ${key} ${got}, but that wish was deleted`);
    else if (got === null) out.push(`ENVS has no ${key} (wish ${exp})`);
    else out.push(`ENVS ${key} is ${got}, expected ${exp}`);
  }
  return out;
}

async function describeEnvs(b: Buckets, want: Map<string, Want>): Promise<string> {
  const parts: string[] = [];
  for (const key of want.keys()) {
    const got = await envFor(b, key);
    if (got) parts.push(`${key} ${got}`);
  }
  return parts.length ? parts.join(", ") : "nothing";
}

function describeWant(want: Map<string, Want>): string {
  return [...want].map(([k, w]) => (w ? `${k} ${w.size} (revision ${w.wish})` : `${k} deleted`)).join(", ");
}

/** The program's watch consumers on WISHES (the checker never makes one). */
async function watchConsumers(ctx: CheckContext, b: Buckets) {
  const jsm = await ctx.jsm();
  const out = [];
  try {
    for await (const ci of jsm.consumers.list(b.wishStream)) out.push(ci);
  } catch {
    // the stream is gone: no consumers
  }
  return out.filter((ci) => ci.config.deliver_subject || ci.name.startsWith("KV_WATCHER_"));
}

async function updatesOnlyConsumer(ctx: CheckContext, b: Buckets): Promise<string | undefined> {
  const ci = (await watchConsumers(ctx, b)).find((c) => c.config.deliver_policy === "new");
  return ci ? `consumer ${ci.name}` : undefined;
}

function pollingNote(asked: number, ms: number): string {
  return asked > 3 ? `; meanwhile your controller sent ${asked} requests about WISHES in ${(ms / 1000).toFixed(1)} s: it polls, and a poll only sees a change at its next round` : "";
}

function sample(subjects: string[]): string {
  const counts = new Map<string, number>();
  for (const s of subjects) {
    const short = s.split(".").slice(0, 4).join(".");
    counts.set(short, (counts.get(short) ?? 0) + 1);
  }
  return [...counts].map(([s, n]) => `${s} ×${n}`).join(", ") || "none";
}

function pick<T>(xs: T[], n: number): T[] {
  return [...xs].sort(() => Math.random() - 0.5).slice(0, n);
}

