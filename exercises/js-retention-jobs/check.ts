import type { Check, CheckContext } from "../../src/check/types.js";
import type { StreamInfo } from "@nats-io/jetstream";

const STREAM = "JOBS";
// A kind of job the site adds next month: nobody can list it in advance.
const NEW_KIND = `transcode${Math.random().toString(36).slice(2, 5)}`;

export const checks: Check[] = [
  {
    name: "you create the stream JOBS",
    idea: "A stream is created once, by name, and then captures its subjects on the server",
    async run(ctx) {
      const name = ctx.name(STREAM);
      await deleteStream(ctx, name); // a clean slate: the stream you create now is the one judged
      const keep = keepUnlessFailed(ctx, name);
      ctx.waiting(`Create the stream ${name} now (see the prompt)`);
      ctx.progress(`waiting for a stream named ${name}`);
      const si = await ctx.poll(Math.max(0, ctx.remainingMs() - 1500), () => streamInfo(ctx, name));
      if (!si) {
        return ctx.fail({
          expected: `a stream named ${name}`,
          seen: `no stream named ${name} appeared before the time limit`,
          idea: "A stream is created once, by name, and then captures its subjects on the server",
          hint: `Run the check first, then in a second terminal: nats stream add ${name} --subjects "${ctx.subject("jobs.>")}" ... --defaults`,
        });
      }
      keep();
      return `${name}: subjects ${(si.config.subjects ?? []).map((s) => ctx.unprefix(s)).join(", ")}; ${si.config.storage} storage, ${si.config.retention} retention`;
    },
  },
  {
    name: "it captures every kind of job and keeps waiting jobs on disk",
    idea: "A stream's subjects may hold wildcards; file storage survives a restart",
    async run(ctx) {
      const name = ctx.name(STREAM);
      const keep = keepUnlessFailed(ctx, name);
      const si = await mustExist(ctx, name);
      const patterns = si.config.subjects ?? [];
      const kinds = ["resize", "email", NEW_KIND];
      const missed = kinds.filter((k) => !patterns.some((p) => ctx.matches(p, ctx.subject(`jobs.${k}`))));
      if (missed.length) {
        return ctx.fail({
          expected: `${name} captures jobs.<kind> for every kind, such as jobs.resize and jobs.${NEW_KIND} (added just now)`,
          seen: `${name} has the subjects ${patterns.map((p) => ctx.unprefix(p)).join(", ") || "(none)"}: it misses ${missed.map((k) => `jobs.${k}`).join(", ")}`,
          idea: "A stream's subjects may hold wildcards: one filter covers kinds you cannot list in advance",
          hint: `Use ${ctx.subject("jobs.>")} (or ${ctx.subject("jobs.*")}).`,
        });
      }
      if (si.config.storage !== "file") {
        return ctx.fail({
          expected: `${name} with file storage`,
          seen: `${name} uses ${si.config.storage} storage: a restart of the server loses every waiting job`,
          idea: "File storage survives a server restart; memory storage does not",
          hint: `Create ${name} again with --storage file (storage: "file"); the check deletes the old one when it starts.`,
        });
      }
      keep();
      return `subjects ${patterns.map((p) => ctx.unprefix(p)).join(", ")} (jobs.${NEW_KIND} too), file storage`;
    },
  },
  {
    name: "a job is deleted once a worker acknowledged it, and a second consumer is refused",
    idea: "A work queue deletes a job once it is acknowledged, and allows one consumer per subject",
    async run(ctx) {
      const name = ctx.name(STREAM);
      ctx.defer(() => deleteStream(ctx, name)); // the last check: leave nothing behind
      const jsm = await ctx.jsm();
      const js = ctx.js();
      const before = (await mustExist(ctx, name)).state.messages;
      const jobs = ["resize cat.png", "email ada", `${NEW_KIND} film.mov`];
      for (const job of jobs) await js.publish(ctx.subject(`jobs.${job.split(" ")[0]}`), job);
      const held = async () => (await mustExist(ctx, name)).state.messages;
      const queued = await held();

      // Play a worker: a consumer, one job taken and acknowledged.
      let worker: string;
      try {
        worker = (await jsm.consumers.add(name, { durable_name: "check-worker", ack_policy: "explicit" })).name;
      } catch (err) {
        return ctx.fail({
          expected: `goingnats can add a consumer to ${name} to play a worker`,
          seen: `the server refused it: ${(err as Error).message}. Does ${name} have a consumer of yours already? (nats consumer ls ${name})`,
          idea: "A work queue allows one consumer per subject",
          hint: `Remove your consumers from ${name} (nats consumer rm ${name} <name>) and run the check again.`,
        });
      }
      const job = await (await js.consumers.get(name, worker)).next({ expires: 2000 });
      if (!job) {
        return ctx.fail({
          expected: `a job for the worker from ${name}`,
          seen: `${name} holds ${queued} messages, but the worker's consumer got none`,
          idea: "A consumer hands out the stream's messages",
          hint: `Look at nats stream info ${name}: does it have limits that drop messages?`,
        });
      }
      await job.ackAck();
      const afterAck = (await ctx.poll(1000, async () => ((await held()) < queued ? held() : undefined))) ?? (await held());
      const retention = (await mustExist(ctx, name)).config.retention;
      if (afterAck >= queued) {
        return ctx.fail({
          expected: `after a worker acknowledged "${job.string()}", ${name} holds ${queued - 1} jobs: the done job is deleted`,
          seen: `I published ${jobs.length} jobs${before ? ` (${before} were there already)` : ""}; a worker took "${job.string()}" and acknowledged it, and ${name} still holds it: ${afterAck} messages. With ${retention} retention an acknowledgement only moves the consumer's bookmark; the done job stays until a limit removes it`,
          idea: "Work-queue retention deletes a message once a consumer has acknowledged it; limits retention keeps it",
          hint: `Run the check again (it deletes the old ${name}) and create ${name} with --retention work (retention: "workqueue"): a stream's retention is chosen when it is created.`,
        });
      }
      // A second consumer for the same jobs must be refused.
      try {
        await jsm.consumers.add(name, { durable_name: "check-second", ack_policy: "explicit" });
        return ctx.fail({
          expected: `${name} refuses a second consumer for the same jobs`,
          seen: `the server accepted a second consumer: a job could then be done twice`,
          idea: "A work queue allows one consumer per subject",
          hint: `Create ${name} with --retention work (retention: "workqueue").`,
        });
      } catch (err) {
        const code = (err as { code?: number }).code;
        return `${jobs.length} jobs queued (${queued} held); one acknowledged → ${afterAck} held; a second consumer refused: "${(err as Error).message}" (${code})`;
      }
    },
  },
];

/** Deletes the stream at the end of the check unless the check passed (then the next check needs it). */
function keepUnlessFailed(ctx: CheckContext, name: string): () => void {
  let keep = false;
  ctx.defer(async () => {
    if (!keep) await deleteStream(ctx, name);
  });
  return () => {
    keep = true;
  };
}

async function deleteStream(ctx: CheckContext, name: string): Promise<void> {
  const jsm = await ctx.jsm();
  await jsm.streams.delete(name).catch(() => false);
}

async function streamInfo(ctx: CheckContext, name: string): Promise<StreamInfo | undefined> {
  const jsm = await ctx.jsm();
  try {
    return await jsm.streams.info(name);
  } catch (err) {
    if ((err as { code?: number }).code === 10059) return undefined; // stream not found
    throw err;
  }
}

async function mustExist(ctx: CheckContext, name: string): Promise<StreamInfo> {
  const si = await streamInfo(ctx, name);
  if (si) return si;
  return ctx.fail({
    expected: `the stream ${name}`,
    seen: `${name} is gone: it was deleted while the check ran`,
    idea: "A stream lives on the server until it is deleted",
    hint: "Run the check again and leave the stream in place.",
  });
}
