import type { Check, CheckContext, ProgramHandle, SeenMessage, StartProgramOptions, SubscriptionInfo } from "../../src/check/types.js";
import { startService, gather, type ServiceSpec, type Started, type Identity, type Info } from "../_shared/services.js";

const CREATE = "projects.create";
const OPERATORS = ["openstack", "kubernetes"];
const REQUESTS = 20;
// Project names the program cannot know in advance. With 20 requests per operator, the chance that
// a random pick leaves one of its two instances idle is about 1 in 500 000.
const RUN = Math.random().toString(36).slice(2, 6);
const spec = (operator: string): ServiceSpec => ({ service: operator, version: "1.0.0", subjects: [CREATE] });

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
      const subs = (await ctx.poll(2000, async () => ((await onCreate()).length ? onCreate() : undefined))) ?? [];
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

