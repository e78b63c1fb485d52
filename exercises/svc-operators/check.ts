import type { Check, CheckContext, ProgramHandle, SeenMessage, StartProgramOptions, SubscriptionInfo } from "../../src/check/types.js";

const CREATE = "projects.create";
const OPERATORS = ["openstack", "kubernetes"];
const REQUESTS = 20;
// Project names the program cannot know in advance. With 20 requests per operator, the chance that
// a random pick leaves one of its two instances idle is about 1 in 500 000.
const RUN = Math.random().toString(36).slice(2, 6);
const spec = (operator: string): ServiceSpec => ({ service: operator, version: "1.0.0", subjects: [CREATE] });

interface Identity {
  name: string;
  id: string;
  version: string;
}
interface Info extends Identity {
  description?: string;
  endpoints?: { name: string; subject: string; queue_group?: string }[];
}
interface Stats extends Identity {
  endpoints?: { name: string; subject: string; num_requests: number; num_errors: number; average_processing_time: number }[];
}

interface Instance {
  operator: string;
  label: string;
  started: Started;
  /** The instance's subscription(s) on projects.create, as the server sees them. */
  subs: SubscriptionInfo[];
}

export const checks: Check[] = [
  {
    name: "two instances each of openstack and kubernetes are discoverable",
    idea: "Every instance of a service answers $SRV.PING with its own id: instances are how a service scales out",
    async run(ctx) {
      const all = await startAll(ctx);
      const seen: string[] = [];
      for (const op of OPERATORS) {
        const ids = (await gather<Identity>(ctx, `$SRV.PING.${ctx.name(op)}`)).map((p) => p.id);
        const mine = all.filter((i) => i.operator === op).map((i) => i.started.ping.id);
        const missing = mine.filter((id) => !ids.includes(id));
        if (missing.length) {
          return ctx.fail({
            expected: `$SRV.PING.${ctx.name(op)} answered by both ${op} instances`,
            seen: `answers from ${ids.join(", ") || "nobody"}; missing ${missing.join(", ")}`,
            idea: "$SRV.PING.<name> reaches every instance of a service",
            hint: "Keep the service running until the program is stopped: await svc.stopped at the end.",
          });
        }
        seen.push(`${ctx.name(op)}: ${mine.join(", ")}`);
      }
      return seen.join("; ");
    },
  },
  {
    name: "every request reaches each operator exactly once, and the instances of an operator share the load",
    idea: "Each operator its own queue group: every group gets a copy of each request, the members of one group share it",
    async run(ctx) {
      const inbox = `_INBOX.goingnats-${RUN}`;
      const replies = ctx.watch(`${inbox}.>`, { label: "operators' replies" });
      await ctx.flush();
      const all = await startAll(ctx);

      const projects = Array.from({ length: REQUESTS }, (_, i) => `proj-${RUN}-${i + 1}`);
      projects.forEach((p, i) => ctx.publish(ctx.subject(CREATE), p, { reply: `${inbox}.${i + 1}` }));
      await replies.waitFor(REQUESTS * OPERATORS.length, { timeoutMs: 3000 });
      // Extra copies (if any) arrive within milliseconds: give them a moment.
      await replies.waitFor(REQUESTS * all.length + 1, { timeoutMs: 400 });

      const byRequest = projects.map((p, i) => ({ project: p, msgs: replies.messages.filter((m) => m.subject === `${inbox}.${i + 1}`) }));
      const groups = describeGroups(ctx, all);
      const total = byRequest.reduce((n, r) => n + r.msgs.length, 0);
      if (total === 0) {
        return ctx.fail({
          expected: `a reply from each operator to each of my ${REQUESTS} requests on ${CREATE}`,
          seen: `no reply at all within 3 s.\n${groups}`,
          idea: "An endpoint answers on the request's reply subject",
          hint: "In the endpoint's handler: m.respond(`${operator} created ${m.string()}`).",
        });
      }
      const strange = replies.messages.find((m) => !OPERATORS.includes(m.text.split(" ")[0]) || !m.text.endsWith(` created ${byRequest[Number(m.subject.split(".").at(-1)) - 1]?.project}`));
      if (strange) {
        const n = Number(strange.subject.split(".").at(-1));
        return ctx.fail({
          expected: `replies of the form "<operator> created <project>", e.g. "kubernetes created ${projects[n - 1] ?? projects[0]}"`,
          seen: `the reply "${strange.text}" to the request for ${projects[n - 1] ?? "?"}`,
          idea: "The portal tells the operators' answers apart by what they say",
          hint: "m.respond(`${operator} created ${m.string()}`), with operator from process.env.OPERATOR.",
        });
      }

      const count = (msgs: SeenMessage[], op: string) => msgs.filter((m) => m.text.startsWith(`${op} `)).length;
      for (const op of OPERATORS) {
        const dup = byRequest.filter((r) => count(r.msgs, op) > 1);
        if (dup.length) {
          const inst = all.filter((i) => i.operator === op);
          const queues = inst.flatMap((i) => i.subs.map((s) => s.queue ?? ""));
          const why = queues.some((q) => !q)
            ? `${op}'s endpoint is not in a queue group on ${queues.filter((q) => !q).length === inst.length ? "any instance" : "every instance"}, so each instance gets its own copy`
            : `${op}'s instances are in ${new Set(queues).size} different queue groups (${[...new Set(queues)].map((q) => `"${q}"`).join(", ")}), and every group gets its own copy`;
          return ctx.fail({
            expected: `each request handled once by ${op}, by one of its two instances`,
            seen: `${dup.length} of ${REQUESTS} requests were handled ${Math.max(...dup.map((r) => count(r.msgs, op)))} times by ${op}: ${why}.\n${groups}`,
            idea: "Instances of one service share its work only when they are in the same queue group",
            hint: `Use one fixed queue group per operator, the same in all its instances: queue: operator (no instance id, no random part, not "").`,
          });
        }
      }
      for (const op of OPERATORS) {
        const missed = byRequest.filter((r) => count(r.msgs, op) === 0);
        if (!missed.length) continue;
        const shared = sharedGroups(all);
        const answered = OPERATORS.map((o) => `${o} answered ${byRequest.filter((r) => count(r.msgs, o) > 0).length}`).join(", ");
        if (shared.length) {
          const [q, ops] = shared[0];
          return ctx.fail({
            expected: `each of my ${REQUESTS} requests answered by every operator: ${OPERATORS.join(" and ")}`,
            seen: `each request reached only one operator (${answered} of ${REQUESTS}): ${ops.join(" and ")} are all in queue group "${q}", so they share the requests between them as if they were one service.\n${groups}`,
            idea: `The service API puts every endpoint in queue group "q" unless told otherwise; operators that must all see each request need a queue group each`,
            hint: "Give each operator its own group in the service config: new Svcm(nc).add({ name, version, description, queue: operator }).",
          });
        }
        return ctx.fail({
          expected: `each of my ${REQUESTS} requests answered by ${op}`,
          seen: `${op} answered ${REQUESTS - missed.length} of ${REQUESTS} (missing: ${missed.slice(0, 3).map((r) => r.project).join(", ")}${missed.length > 3 ? ", ..." : ""}).\n${groups}`,
          idea: "Every request that reaches an endpoint must be answered",
          hint: "Answer every request in the handler with m.respond(...).",
        });
      }

      // Every request reached each operator once. Did the instances of each operator share them?
      const perInstance = await Promise.all(
        all.map(async (i) => {
          const [stats] = await gather<Stats>(ctx, `$SRV.STATS.${i.started.ping.name}.${i.started.ping.id}`);
          const ep = stats?.endpoints?.find((e) => e.subject === ctx.subject(CREATE));
          return { i, n: ep?.num_requests };
        }),
      );
      const line = perInstance.map(({ i, n }) => `${i.label} (${i.started.ping.id}): ${n ?? "?"}`).join(", ");
      const idle = perInstance.find(({ n }) => n === 0);
      if (idle) {
        return ctx.fail({
          expected: `both ${idle.i.operator} instances handle a share of the ${REQUESTS} requests`,
          seen: `$SRV.STATS num_requests per instance: ${line}`,
          idea: "The members of a queue group share its messages, picked at random for each message",
          hint: "Another program may be in the same queue group; run the check again, and keep the group name the operator's own.",
        });
      }
      return `${REQUESTS} requests, each answered once by ${OPERATORS.join(" and ")}; $SRV.STATS requests per instance: ${line}`;
    },
  },
];

/** Starts two instances of each operator, one at a time, so the check knows which connection is whose. */
async function startAll(ctx: CheckContext): Promise<Instance[]> {
  const all: Instance[] = [];
  for (const operator of OPERATORS) {
    for (const n of [1, 2]) {
      const label = `${operator} ${n}`;
      const started = await startService(ctx, spec(operator), { label, env: { OPERATOR: operator } });
      const onCreate = async () => (await started.program.connections()).flatMap((c) => c.subscriptions).filter((s) => s.subject === ctx.subject(CREATE));
      // INFO lists an endpoint as soon as it is added; give its subscription a moment to reach the server.
      const subs = (await poll(ctx, 2000, async () => ((await onCreate()).length ? onCreate() : undefined))) ?? [];
      all.push({ operator, label, started, subs });
    }
  }
  return all;
}

/** Queue groups that more than one operator's endpoint is in. */
function sharedGroups(all: Instance[]): [string, string[]][] {
  const byGroup = new Map<string, Set<string>>();
  for (const i of all) for (const s of i.subs) if (s.queue) byGroup.set(s.queue, (byGroup.get(s.queue) ?? new Set()).add(i.operator));
  return [...byGroup].filter(([, ops]) => ops.size > 1).map(([q, ops]) => [q, [...ops]]);
}

function describeGroups(ctx: CheckContext, all: Instance[]): string {
  const lines = all.map((i) => `  ${i.label}: ${i.subs.map((s) => `${ctx.unprefix(s.subject)} ${s.queue ? `in queue group "${s.queue}"` : "in no queue group"}`).join(", ") || `no subscription on ${CREATE}`}`);
  return `The instances' endpoints, as the server sees them:\n${lines.join("\n")}`;
}

interface ServiceSpec {
  /** The service name without the namespace. */
  service: string;
  /** For hints. */
  version: string;
  /** Endpoint subjects without the namespace. */
  subjects: string[];
}

interface Started {
  program: ProgramHandle;
  /** $SRV.<VERB>.<name>.<id> reaches this program's instance only, not another copy that may be running. */
  ping: Identity;
  info: Info;
}

/**
 * Starts the program and finds its service instance on the server: every instance subscribes to
 * $SRV.PING.<name>.<id>, so the program's own subscriptions name it. Explains what the server shows
 * when there is none.
 */
async function startService(ctx: CheckContext, want: ServiceSpec, start: StartProgramOptions = {}): Promise<Started> {
  const program = await ctx.startProgram({ waitForSubscriptions: 1, ...start });
  const name = ctx.name(want.service);
  const who = start.label ?? "your program";
  const own = async () => (await program.connections()).flatMap((c) => c.subscriptions).filter((s) => !s.subject.startsWith("_INBOX."));
  // A service subscribes to its $SRV subjects first; a program with other subscriptions and none of
  // those after half a second is not a service: fail fast instead of waiting.
  const started = Date.now();
  const instances = (subs: SubscriptionInfo[]) =>
    subs.map((s) => s.subject.split(".")).filter((t) => t.length === 4 && t[0] === "$SRV" && t[1] === "PING").map(([, , n, id]) => ({ name: n, id }));
  const found = await poll(ctx, Math.min(5000, ctx.remainingMs()), async () => {
    const subs = await own();
    if (instances(subs).length) return instances(subs);
    return Date.now() - started > 500 && subs.length > 0 ? null : undefined;
  });

  if (!found) {
    const conns = await program.connections();
    if (!conns.length) {
      return ctx.fail({
        expected: "your program connects to the server",
        seen: `no new connection appeared for ${who}; ${program.isRunning() ? "the program is still running" : "the program has stopped"}`,
        idea: "A client talks to NATS over one long-lived connection",
        hint: "Run it yourself (npx tsx main.ts) and read what it prints.",
      });
    }
    const plain = (await own()).filter((s) => !s.subject.startsWith("$"));
    const ping = await gather<Identity>(ctx, `$SRV.PING.${name}`);
    return ctx.fail({
      expected: `a service named ${name} that answers $SRV.PING.${name}`,
      seen: plain.length
        ? `${who} subscribes to ${describe(ctx, plain)} and to no $SRV subject, so ${ping.length ? "only other programs" : "nothing"} answered $SRV.PING.${name}: a plain subscription answers requests, but it is not a service`
        : `${who} connected but subscribes to nothing, and it did not answer $SRV.PING`,
      idea: "The service API makes a responder discoverable: every instance answers $SRV.PING, $SRV.INFO and $SRV.STATS",
      hint: `const svc = await new Svcm(nc).add({ name: \`\${namePrefix}${want.service}\`, version: "${want.version}", description: "..." }); then svc.addGroup(...).addEndpoint(...) instead of nc.subscribe().`,
    });
  }
  const mine = found.find((i) => i.name === name);
  if (!mine) {
    return ctx.fail({
      expected: `a service named ${name}`,
      seen: `${who} is a service named ${[...new Set(found.map((i) => i.name))].join(", ")}, so $SRV.PING.${name} does not reach it`,
      idea: "Services are found by name: $SRV.PING.<name> and `nats micro info <name>` match it exactly, case included",
      hint: `name: \`\${namePrefix}${want.service}\` in the config of Svcm.add().`,
    });
  }
  const [ping] = await gather<Identity>(ctx, `$SRV.PING.${name}.${mine.id}`);
  if (!ping) {
    return ctx.fail({
      expected: `an answer to $SRV.PING.${name}.${mine.id}`,
      seen: `${who} subscribes to it but did not answer`,
      idea: "Every service instance answers PING, INFO and STATS",
      hint: "Use the service API (@nats-io/services); don't subscribe to $SRV subjects by hand.",
    });
  }
  ctx.note(`$SRV.PING.${name}.${mine.id}: ${ping.name} ${ping.version}`);

  // INFO lists the endpoints added so far: give the program a moment to add them all.
  let info: Info | undefined;
  await poll(ctx, 1500, async () => {
    info = (await gather<Info>(ctx, `$SRV.INFO.${name}.${mine.id}`))[0] ?? info;
    const subjects = (info?.endpoints ?? []).map((e) => e.subject);
    return want.subjects.every((e) => subjects.includes(ctx.subject(e))) ? true : undefined;
  });
  if (!info) {
    return ctx.fail({
      expected: `an answer to $SRV.INFO.${name}.${mine.id}`,
      seen: "it answered $SRV.PING but not $SRV.INFO",
      idea: "Every service instance answers PING, INFO and STATS",
      hint: "Use the service API (@nats-io/services); don't subscribe to $SRV subjects by hand.",
    });
  }
  ctx.note(`$SRV.INFO.${name}.${mine.id}: ${JSON.stringify(info)}`);
  return { program, ping, info };
}

/**
 * Scatter-gather on a $SRV subject: every instance answers. Stops 300 ms after the last answer, or at
 * the first one for a subject that names one instance ($SRV.<VERB>.<name>.<id>).
 */
async function gather<T>(ctx: CheckContext, subject: string): Promise<T[]> {
  const out: T[] = [];
  const oneInstance = subject.split(".").length === 4;
  try {
    const it = await ctx.nc.requestMany(subject, "", oneInstance ? { strategy: "count", maxMessages: 1, maxWait: 1500 } : { strategy: "stall", stall: 300, maxWait: 1500 });
    for await (const m of it) {
      if (!m.data.length) continue;
      try {
        out.push(m.json<T>());
      } catch {
        // not a service answer
      }
    }
  } catch {
    // no responders: nobody answers that subject
  }
  return out;
}

function describe(ctx: CheckContext, subs: SubscriptionInfo[]): string {
  return subs.map((s) => `${ctx.unprefix(s.subject)}${s.queue ? ` (queue group "${s.queue}")` : ""}`).join(", ");
}

async function poll<T>(ctx: CheckContext, ms: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined || Date.now() >= until || ctx.signal.aborted) return v;
    await ctx.sleep(50);
  }
}
