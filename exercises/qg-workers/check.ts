import type { Check, CheckContext, ProgramHandle, SeenMessage, SubscriptionInfo, Watcher } from "../../src/check/types.js";

const JOBS = "thumbnails.make";
const DONE = "thumbnails.done";
// Photo names the program cannot know in advance; 30 jobs over 3 workers give each one some work
// (the chance that a random pick leaves one member idle is about 1 in 60 000).
const RUN = Math.random().toString(36).slice(2, 6);
const photos = (from: number, n: number) => Array.from({ length: n }, (_, i) => `photo-${RUN}-${from + i}.jpg`);

interface Worker {
  handle: ProgramHandle;
  subs: SubscriptionInfo[];
}

export const checks: Check[] = [
  {
    name: "three copies of your worker share the jobs: each job is done exactly once",
    idea: "A queue group shares messages: each message goes to one member of the group",
    async run(ctx) {
      const out = ctx.watch(ctx.subject(">"), { label: "results" });
      await ctx.flush();
      const workers: Worker[] = [];
      // One at a time: each copy is on the server before the next starts, so the check knows whose is whose.
      for (let i = 1; i <= 3; i++) workers.push(await startWorker(ctx, `worker ${i}`));

      const jobs = photos(1, 30);
      for (const p of jobs) ctx.publish(ctx.subject(JOBS), p);
      const done = await collect(ctx, out, jobs, 3);
      judge(ctx, jobs, done, workers, 3);

      // Who did what, as the server counted it: the random spread is part of the lesson.
      const perWorker = await Promise.all(
        workers.map(async (w) => {
          const subs = (await w.handle.connections()).flatMap((c) => c.subscriptions).filter((s) => ctx.matches(s.subject, ctx.subject(JOBS)));
          return subs.reduce((n, s) => n + s.msgs, 0);
        }),
      );
      const idle = perWorker.findIndex((n) => n === 0);
      if (idle >= 0) {
        return ctx.fail({
          expected: "every copy gets a share of the 30 jobs",
          seen: `jobs delivered per worker: ${perWorker.map((n, i) => `worker ${i + 1}: ${n}`).join(", ")}`,
          idea: "The server picks a member of the queue group at random for each message",
          hint: "Another program may be in your queue group; run the check again, and give your group a name of its own.",
        });
      }
      return `30 jobs, each done once; group "${workers[0].subs[0].queue}": ${perWorker.map((n, i) => `worker ${i + 1} did ${n}`).join(", ")}`;
    },
  },
  {
    name: "when a worker stops, the others take over its share",
    idea: "A queue group needs no configuration: members join by subscribing and leave by disconnecting",
    async run(ctx) {
      const out = ctx.watch(ctx.subject(">"), { label: "results" });
      await ctx.flush();
      const first = await startWorker(ctx, "worker 1");
      const second = await startWorker(ctx, "worker 2");

      const before = photos(101, 6);
      for (const p of before) ctx.publish(ctx.subject(JOBS), p);
      judge(ctx, before, await collect(ctx, out, before, 2), [first, second], 2);

      await second.handle.stop("stopped by the check, to show fault tolerance");
      // The member is gone once its connection is gone from the server.
      const until = Date.now() + Math.min(5000, ctx.remainingMs());
      while ((await second.handle.connections()).length && Date.now() < until) await ctx.sleep(25);
      ctx.note("worker 2 stopped; its connection is gone from the server");

      const after = photos(201, 10);
      for (const p of after) ctx.publish(ctx.subject(JOBS), p);
      const done = await collect(ctx, out, after, 1);
      const missing = after.filter((p) => !done.some((m) => m.text === p));
      if (missing.length) {
        return ctx.fail({
          expected: `worker 1 does all ${after.length} jobs sent after worker 2 stopped`,
          seen: `${after.length - missing.length} of them came out on ${DONE}; missing: ${missing.slice(0, 4).join(", ")}${missing.length > 4 ? ", ..." : ""}`,
          idea: "When a member leaves, the server gives its share to the members that are left",
          hint: "Keep the subscription open for as long as the program runs: no `max` option, no unsubscribe.",
        });
      }
      judge(ctx, after, done, [first], 1);
      return `worker 2 stopped; worker 1 did all ${after.length} jobs sent after that`;
    },
  },
];

/** Starts one copy and waits for its subscription on the jobs subject; fails with what the server shows when it does not come. */
async function startWorker(ctx: CheckContext, label: string): Promise<Worker> {
  const handle = await ctx.startProgram({ label, waitForSubscriptions: 1 });
  const target = ctx.subject(JOBS);
  const own = async () => (await handle.connections()).flatMap((c) => c.subscriptions).filter((s) => !s.subject.startsWith("_INBOX."));
  // waitForSubscriptions gave it up to 8 s; give a slow start a little more before judging.
  const subs = (await ctx.poll(3000, async () => ((await own()).some((s) => ctx.matches(s.subject, target)) ? own() : undefined))) ?? (await own());
  const conns = await handle.connections();
  if (!conns.length) {
    return ctx.fail({
      expected: `${label} connects to the server`,
      seen: `no new connection appeared; ${handle.isRunning() ? "the program is still running" : "the program has stopped"}`,
      idea: "A client talks to NATS over one long-lived connection",
      hint: "Run it yourself (npx tsx main.ts) and read what it prints.",
    });
  }
  const onJobs = subs.filter((s) => ctx.matches(s.subject, target));
  if (!onJobs.length) {
    return ctx.fail({
      expected: `${label} subscribes to ${JOBS}`,
      seen: subs.length ? `it subscribes to ${subs.map((s) => ctx.unprefix(s.subject)).join(", ")}, which does not receive ${JOBS}` : "it connected but has no subscription",
      idea: "A worker receives jobs through a subscription on their subject",
      hint: `nc.subscribe(\`\${prefix}${JOBS}\`, ...) right after connecting, then loop over it.`,
    });
  }
  return { handle, subs: onJobs };
}

/** Waits until every job came out once, then a moment longer so that duplicates (if any) show up too. */
async function collect(ctx: CheckContext, out: Watcher, jobs: string[], copies: number): Promise<SeenMessage[]> {
  const isResult = (m: SeenMessage) => {
    const s = ctx.unprefix(m.subject);
    return s !== JOBS && !m.subject.startsWith("_INBOX.") && !m.subject.startsWith("$") && jobs.includes(m.text);
  };
  const wanted = new Set(jobs);
  await out.waitFor(jobs.length, { filter: (m) => isResult(m) && wanted.has(m.text), timeoutMs: 5000 });
  // Copies of the same job arrive within milliseconds of each other; give them a moment, and stop
  // early when all possible copies are in.
  await out.waitFor(jobs.length * copies, { filter: isResult, timeoutMs: copies > 1 ? 500 : 250 });
  return out.messages.filter(isResult);
}

/** Fails when a job was done more than once, on the wrong subject, or not at all; explains with the workers' subscriptions. */
function judge(ctx: CheckContext, jobs: string[], results: SeenMessage[], workers: Worker[], n: number): void {
  const wrongSubject = results.find((m) => m.subject !== ctx.subject(DONE));
  const onDone = results.filter((m) => m.subject === ctx.subject(DONE));
  const times = new Map(jobs.map((j) => [j, onDone.filter((m) => m.text === j).length]));
  const counts = [...times.values()];
  const max = Math.max(...counts);
  const groups = workers.map((w) => w.subs.map((s) => s.queue));
  const described = workers
    .map((w, i) => `  worker ${i + 1}: ${w.subs.map((s) => `${ctx.unprefix(s.subject)} ${s.queue ? `in queue group "${s.queue}"` : "with no queue group"}`).join(", ")}`)
    .join("\n");

  if (max > 1) {
    const plain = workers.filter((w) => w.subs.some((s) => !s.queue)).length;
    const names = new Set(groups.flat().filter(Boolean));
    const howOften = counts.every((c) => c === max) ? `each job was handled ${max} times` : `jobs were handled up to ${max} times`;
    let idea = "Members of a queue group share messages, plain subscribers each get a copy";
    let why: string;
    let hint = `Subscribe with the same queue group in every copy: nc.subscribe(\`\${prefix}${JOBS}\`, { queue: "thumbnailers" })`;
    if (plain === workers.length) {
      why = `all ${n} workers subscribe with no queue group, so each one receives every job: members of a queue group share messages, plain subscribers each get a copy`;
    } else if (plain > 0) {
      why = `${plain} of your workers subscribe with no queue group: a plain subscriber gets a copy of every message, next to the queue group that shares them`;
    } else if (names.size > 1) {
      why = `your workers are in ${names.size} different queue groups (${[...names].map((q) => `"${q}"`).join(", ")}); every group gets its own copy of each message, and only the members of one group share`;
      hint = "Use one fixed group name in every copy: no process id, random value or instance number in it.";
      idea = "Every queue group gets its own copy of each message; only the members of one group share it";
    } else {
      why = "a worker subscribes more than once (each subscription receives the job)";
      hint = "Subscribe once per program.";
    }
    ctx.fail({
      expected: `each of the ${jobs.length} jobs done once: ${jobs.length} results on ${DONE}`,
      seen: `${howOften}: ${onDone.length} results for ${jobs.length} jobs.\nYour workers' subscriptions, as the server sees them:\n${described}\nWhy: ${why}.`,
      idea,
      hint,
    });
  }
  if (wrongSubject) {
    ctx.fail({
      expected: `results on ${DONE}`,
      seen: `the result for ${wrongSubject.text} came out on ${ctx.unprefix(wrongSubject.subject)}`,
      idea: "A message goes to exactly the subject it is published on",
      hint: `Publish to \`\${prefix}${DONE}\`.`,
    });
  }
  const missing = jobs.filter((j) => times.get(j) === 0);
  if (missing.length) {
    ctx.fail({
      expected: `each of the ${jobs.length} jobs done once: its payload, unchanged, on ${DONE}`,
      seen: `${jobs.length - missing.length} of ${jobs.length} came out; missing: ${missing.slice(0, 4).join(", ")}${missing.length > 4 ? ", ..." : ""}.\nYour workers' subscriptions:\n${described}`,
      idea: "Each job reaches one member of the group, and that member must finish it",
      hint: `For every message: nc.publish(\`\${prefix}${DONE}\`, m.data). Publish the payload unchanged.`,
    });
  }
}

