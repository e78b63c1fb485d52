import type { Check, CheckContext, ProgramHandle, SeenMessage } from "../../src/check/types.js";
import type { ConsumerInfo } from "@nats-io/jetstream";

const STREAM = "JOBS";
const JOB = "jobs.thumbnail";
const READY = "thumbnails.ready";
// Image names nobody can know in advance.
const batch = (n: number) => {
  const tag = Math.random().toString(36).slice(2, 6);
  return Array.from({ length: n }, (_, i) => `${["hamar", "alta", "bodo", "molde"][i % 4]}-${tag}${i}.png`);
};
const thumb = (image: string) => image.replace(/\.png$/, ".thumb.png");

export const checks: Check[] = [
  {
    name: "your worker does every waiting job, and the work queue empties",
    idea: "A work queue deletes a job once a consumer has acknowledged it",
    async run(ctx) {
      await freshQueue(ctx);
      const images = batch(6);
      for (const image of images) await ctx.js().publish(ctx.subject(JOB), image);
      const results = ctx.watch(ctx.subject(READY), { label: "thumbnails" });
      await ctx.flush();
      const worker = await ctx.startProgram({ label: "worker" });
      const got = await results.waitFor(images.length, { timeoutMs: 10_000 });
      const done = await judgeResults(ctx, worker, images, got);
      const left = await emptied(ctx);
      if (left > 0) {
        const consumers = await consumerList(ctx);
        const pending = consumers.reduce((n, c) => n + c.num_ack_pending, 0);
        return ctx.fail({
          expected: `all ${images.length} jobs done and acknowledged: ${ctx.name(STREAM)} empty`,
          seen: `your worker published ${done} thumbnails, but ${ctx.name(STREAM)} still holds ${left} jobs; num_ack_pending is ${pending}: they were handed out and never acknowledged. After the ack wait (30 s) the server hands them out again, and the thumbnails are made twice`,
          idea: "A work queue deletes a job only when a consumer acknowledges it",
          hint: "Call m.ack() after publishing the thumbnail, once per job.",
        });
      }
      const names = (await consumerList(ctx)).map((c) => c.name);
      return `${images.length} jobs → ${images.length} thumbnails; the queue is empty (consumer ${names.join(", ")})`;
    },
  },
  {
    name: "two copies of your worker share the queue, and each job is done once",
    idea: "A work queue allows one consumer per subject: every copy of the worker binds to the same durable consumer",
    async run(ctx) {
      await freshQueue(ctx);
      const results = ctx.watch(ctx.subject(READY), { label: "thumbnails" });
      await ctx.flush();
      const first = await ctx.startProgram({ label: "worker 1" });
      await ready(ctx, first, "the first copy");
      await secondConsumerWouldBeRefused(ctx);
      const second = await ctx.startProgram({ label: "worker 2" });
      await ready(ctx, second, "the second copy");
      const consumers = await consumerList(ctx);

      const images = batch(10);
      for (const image of images) await ctx.js().publish(ctx.subject(JOB), image);
      const got = await results.waitFor(images.length, { timeoutMs: 10_000 });
      await judgeResults(ctx, first, images, got, second);
      const left = await emptied(ctx);
      // A job done twice shows up as a second thumbnail: allow a moment for late ones.
      await ctx.sleep(300);
      const twice = images.filter((img) => results.messages.filter((m) => m.text === thumb(img)).length > 1);
      if (twice.length || left > 0) {
        return ctx.fail({
          expected: `each of ${images.length} jobs done once, and ${ctx.name(STREAM)} empty`,
          seen: `${twice.length ? `${twice.length} jobs were done twice (${twice.slice(0, 3).join(", ")})` : "every job was done"}; ${left} jobs left in the stream`,
          idea: "A work queue deletes a job once it is acknowledged: acknowledge every job once, after the work",
          hint: "m.ack() once per job, after publishing its thumbnail.",
        });
      }
      if (!first.isRunning() || !second.isRunning()) {
        return ctx.fail(stopped(ctx, first.isRunning() ? second : first, first.isRunning() ? "the second copy" : "the first copy"));
      }
      return `two copies running, consumer${consumers.length === 1 ? "" : "s"} ${consumers.map((c) => c.name).join(", ")}; ${images.length} jobs → ${images.length} thumbnails, none twice, queue empty`;
    },
  },
];

async function freshQueue(ctx: CheckContext): Promise<void> {
  const jsm = await ctx.jsm();
  const name = ctx.name(STREAM);
  await jsm.streams.delete(name).catch(() => false);
  ctx.defer(() => jsm.streams.delete(name).catch(() => false));
  try {
    await jsm.streams.add({ name, subjects: [ctx.subject("jobs.>")], retention: "workqueue", storage: "memory" });
  } catch (err) {
    return ctx.fail({
      expected: `goingnats can create the work queue ${name} for this check`,
      seen: `the server refused it: ${(err as Error).message}`,
      idea: "Two streams may not capture the same subject",
      hint: `Another stream already captures ${ctx.subject("jobs.>")}: nats stream ls shows it; remove it (nats stream rm <name>) and run the check again.`,
    });
  }
}

async function consumerList(ctx: CheckContext): Promise<ConsumerInfo[]> {
  const jsm = await ctx.jsm();
  const out: ConsumerInfo[] = [];
  try {
    for await (const ci of jsm.consumers.list(ctx.name(STREAM))) out.push(ci);
  } catch {
    // the stream is gone: no consumers
  }
  return out;
}

/** Polls the stream until it holds no messages (or 3 s pass); returns what is left. */
async function emptied(ctx: CheckContext): Promise<number> {
  const jsm = await ctx.jsm();
  const count = async () => (await jsm.streams.info(ctx.name(STREAM))).state.messages;
  const zero = await ctx.poll(3000, async () => ((await count()) === 0 ? true : undefined));
  return zero ? 0 : count();
}

/**
 * A copy of the worker with a consumer of its own (an ephemeral one the server named) fails at start,
 * and goingnats reports a crashed program only in general terms. So, before the second copy starts:
 * do what it would do, create a second consumer for the same jobs, and show the server's refusal.
 */
async function secondConsumerWouldBeRefused(ctx: CheckContext): Promise<void> {
  const consumers = await ctx.poll(3000, async () => {
    const list = await consumerList(ctx);
    return list.length ? list : undefined;
  });
  const own = consumers?.length === 1 ? consumers[0] : undefined;
  if (!own || own.config.durable_name) return;
  const jsm = await ctx.jsm();
  const filter = own.config.filter_subject;
  try {
    const probe = await jsm.consumers.add(ctx.name(STREAM), { ack_policy: "explicit", ...(filter ? { filter_subject: filter } : {}), inactive_threshold: 1_000_000_000 });
    await jsm.consumers.delete(ctx.name(STREAM), probe.name).catch(() => false);
  } catch (err) {
    const code = (err as { code?: number }).code;
    return ctx.fail({
      expected: "a second copy of your worker runs next to the first, taking jobs from the same queue",
      seen: `the first copy created an ephemeral consumer, ${own.name} (a name the server made up, so no other copy can find it). A second copy creates its own${filter ? ` for ${ctx.unprefix(filter)}` : ""}, and I did just that: the server refused it ("${(err as Error).message}", ${code}). A work queue refuses a second consumer for the same jobs, so a second copy of your worker stops at start`,
      idea: "A work queue refuses a second consumer that could see the same jobs: every copy of the worker binds to one shared, durable consumer",
      hint: 'Name the consumer: jsm.consumers.add(stream, { durable_name: "thumbnailer", ack_policy: "explicit", filter_subject }) in every copy (harmless when it exists), then js.consumers.get(stream, "thumbnailer").',
    });
  }
}

/** Waits until a copy of the worker is connected and pulling (or has stopped). */
async function ready(ctx: CheckContext, worker: ProgramHandle, which: string): Promise<void> {
  const pulling = await ctx.poll(10_000, async () => {
    if (!worker.isRunning()) return false;
    const conns = await worker.connections();
    return conns.some((c) => c.subscriptions.length > 0) ? true : undefined;
  });
  if (pulling === true) return;
  return ctx.fail(stopped(ctx, worker, which));
}

function stopped(ctx: CheckContext, worker: ProgramHandle, which: string) {
  const out = worker.output();
  const refused = /not unique|non-filtered|10100|10099/i.test(out);
  if (refused) {
    const why = /non-filtered/i.test(out) ? '"multiple non-filtered consumers not allowed on workqueue stream", 10099' : '"filtered consumer not unique on workqueue stream", 10100';
    return {
      expected: `${which} of your worker runs next to the other, taking jobs from the same queue`,
      seen: `${which} stopped at start: the server refused its consumer (${why}). Each copy created a consumer of its own, and a work queue refuses a second consumer for the same subjects`,
      idea: "A work queue refuses a second consumer that could see the same jobs: every copy of the worker binds to one shared, durable consumer",
      hint: 'Name the consumer: jsm.consumers.add(stream, { durable_name: "thumbnailer", ack_policy: "explicit", filter_subject }) in every copy (harmless when it exists), then js.consumers.get(stream, "thumbnailer").',
    };
  }
  return {
    expected: `${which} of your worker connects and takes jobs`,
    seen: worker.isRunning() ? "it did not start pulling jobs within 10 s" : "it stopped (its output is below)",
    idea: "A worker pulls jobs from a consumer of the work queue",
    hint: "const consumer = await js.consumers.get(stream, name); for await (const m of await consumer.consume()) { ... }",
  };
}

/** Did every image get its thumbnail? Returns how many did. */
async function judgeResults(ctx: CheckContext, worker: ProgramHandle, images: string[], got: SeenMessage[], other?: ProgramHandle): Promise<number> {
  const want = new Set(images.map(thumb));
  const good = new Set(got.filter((m) => want.has(m.text)).map((m) => m.text));
  if (good.size === images.length) return good.size;
  const dead = [worker, other].find((p) => p && !p.isRunning());
  if (dead) return ctx.fail(stopped(ctx, dead, dead === worker ? (other ? "the first copy" : "your worker") : "the second copy"));
  const wrong = got.find((m) => !want.has(m.text));
  const jobs = await consumerList(ctx);
  return ctx.fail({
    expected: `a thumbnail on ${READY} for each of the ${images.length} jobs, e.g. "${thumb(images[0])}" for "${images[0]}"`,
    seen: wrong
      ? `"${wrong.text}" on ${READY}`
      : `${good.size} of ${images.length} thumbnails within 10 s; consumers on ${ctx.name(STREAM)}: ${jobs.map((c) => `${c.name} (delivered ${c.delivered.stream_seq}, ack pending ${c.num_ack_pending})`).join(", ") || "none"}`,
    idea: "A worker takes every job from the queue, does it, and acknowledges it",
    hint: `For each job m: nc.publish(\`\${prefix}${READY}\`, m.string().replace(/\\.png$/, ".thumb.png")); m.ack();`,
  });
}
