import type { Check, CheckContext, FailureDetails, SeenMessage } from "../../src/check/types.js";

const SERVICES = ["billing", "mailer", "stock"] as const;
type Service = (typeof SERVICES)[number];
type Role = "answers" | "silent" | "absent";

interface Round {
  role: Record<Service, Role>;
  byRole: Record<Role, Service>;
  answer: string;
  /** The requests the check's services received, per service (none for the absent one: nobody is there). */
  requests: Partial<Record<Service, SeenMessage[]>>;
  reports: Partial<Record<Service, SeenMessage>>;
  extraReports: SeenMessage[];
  programExited: boolean;
}

export const checks: Check[] = [
  {
    name: "it asks with a request, and reports the reply of a service that answers",
    idea: "Request-reply: a request carries a reply subject, and the answer comes back to it",
    async run(ctx) {
      const r = await playRound(ctx);
      const svc = r.byRole.answers;
      const want = `reply: ${r.answer}`;
      const got = r.reports[svc];
      const reqs = r.requests[svc] ?? [];
      if (reqs.length === 0) {
        return ctx.fail({
          expected: `a request on status.${svc} (this run, ${svc} is up and answers "${r.answer}")`,
          seen: `no request reached status.${svc}${got ? `; your program still reported "${got.text}"` : ""}${allReports(ctx, r)}`,
          idea: "A request is a message on the service's subject",
          hint: "nc.request(`${prefix}status.${service}`, \"\", { timeout: 1000 }) for each service.",
        });
      }
      const noReply = reqs.find((m) => !m.reply);
      if (noReply) {
        return ctx.fail({
          expected: `a request on status.${svc}: a message with a reply subject`,
          seen: `a plain message on status.${svc} with no reply subject, so ${svc} had nowhere to send its answer`,
          idea: "Request-reply: a request is a message whose reply subject is the requester's inbox",
          hint: "Use nc.request(), not nc.publish(): it makes the inbox, sets the reply subject and waits.",
        });
      }
      if (!got) {
        return ctx.fail({
          expected: `a report "${want}" on report.${svc}`,
          seen: `${svc} answered "${r.answer}", but nothing came on report.${svc}${allReports(ctx, r)}`,
          idea: "Publishing is how a program tells others what it found",
          hint: "After each request: nc.publish(`${prefix}report.${service}`, report).",
        });
      }
      if (got.text !== want) {
        return ctx.fail({
          expected: `"${want}" on report.${svc}`,
          seen: `"${got.text}"${allReports(ctx, r)}`,
          idea: "The reply's payload is the answer: m.string()",
          hint: `Report exactly "reply: " followed by the answer's text.`,
        });
      }
      return `${svc} answered "${r.answer}", reported "${got.text}"`;
    },
  },
  {
    name: "it tells a timeout from no responders",
    idea: "No responders means nobody is subscribed, and the server says so at once; a timeout means somebody got the request and did not answer",
    async run(ctx) {
      const r = await playRound(ctx);
      const silent = r.byRole.silent;
      const absent = r.byRole.absent;
      const expected = `report.${absent} "no responders" (nobody is subscribed to status.${absent}) and report.${silent} "timeout" (I get requests on status.${silent} but never answer)`;

      const ab = r.reports[absent];
      if (ab?.text === "timeout") {
        return ctx.fail({
          expected,
          seen: `report.${absent} "timeout". But nobody is subscribed to status.${absent}: the server answered your request at once with "no responders", and your program reported it as a timeout. It treats no responders as a timeout${allReports(ctx, r)}`,
          idea: "No responders: with no matching subscription the server fails the request at once; only when somebody got it can it time out",
          hint: "In the catch: err instanceof errors.RequestError && err.isNoResponders() means nobody is there; err instanceof errors.TimeoutError is a timeout.",
        });
      }
      const si = r.reports[silent];
      const silentGot = (r.requests[silent] ?? []).length;
      if (si?.text === "no responders") {
        return ctx.fail({
          expected,
          seen: `report.${silent} "no responders". But ${silentGot ? `your request did reach status.${silent}: I am subscribed there, I just never answer` : `I am subscribed to status.${silent}`}; the server only says "no responders" when no subscription matches. That was a timeout${allReports(ctx, r)}`,
          idea: "A timeout means somebody got the request and did not answer in time",
          hint: "Check the error's kind instead of assuming one: errors.TimeoutError is a timeout.",
        });
      }
      const problems: string[] = [];
      if (!ab) problems.push(`no report on report.${absent}`);
      else if (ab.text !== "no responders") problems.push(`report.${absent} "${ab.text}" where "no responders" was due`);
      if (!si) problems.push(`no report on report.${silent}`);
      else if (si.text !== "timeout") problems.push(`report.${silent} "${si.text}" where "timeout" was due`);
      if (problems.length) {
        const failure: FailureDetails = {
          expected,
          seen: `${problems.join("; ")}${allReports(ctx, r)}${r.programExited && (!ab || !si) ? " (your program had already exited)" : ""}`,
          idea: "A failed request throws; the error says whether nobody was there or nobody answered",
          hint: 'Report exactly "no responders" or "timeout", one message per service on report.<service>, even when the request fails.',
        };
        return ctx.fail(failure);
      }
      return `${absent}: "no responders", ${silent}: "timeout"`;
    },
  },
];

/** Plays the three services in a random arrangement, runs the program, and collects its reports. */
async function playRound(ctx: CheckContext): Promise<Round> {
  const shuffled = [...SERVICES].sort(() => Math.random() - 0.5);
  const roles: Role[] = ["answers", "silent", "absent"];
  const role = Object.fromEntries(shuffled.map((s, i) => [s, roles[i]])) as Record<Service, Role>;
  const byRole = Object.fromEntries(shuffled.map((s, i) => [roles[i], s])) as Record<Role, Service>;
  const answer = `ok, v1.${Math.floor(Math.random() * 90 + 10)}`;
  ctx.note(`this run: ${byRole.answers} answers, ${byRole.silent} listens and never answers, ${byRole.absent} is not there`);

  // The answering service: responds to every request. Its requests are also recorded by a watcher.
  // (ctx.nc outlives this check: unsubscribe, or this service would still answer in the next check.)
  const responder = ctx.nc.subscribe(ctx.subject(`status.${byRole.answers}`), {
    callback: (err, m) => {
      if (!err && m.reply) m.respond(answer);
    },
  });
  ctx.defer(() => responder.unsubscribe());
  const watchers = {
    [byRole.answers]: ctx.watch(ctx.subject(`status.${byRole.answers}`), { label: "requests" }),
    [byRole.silent]: ctx.watch(ctx.subject(`status.${byRole.silent}`), { label: "requests" }),
  } as Partial<Record<Service, ReturnType<CheckContext["watch"]>>>;
  const reports = ctx.watch(ctx.subject("report.>"), { label: "reports" });
  await ctx.flush();

  const program = await ctx.startProgram();
  let exited = false;
  const exitedThenSettled = program.exited.then(async () => {
    exited = true;
    await ctx.sleep(300); // reports published just before exiting are still on their way
  });
  await Promise.race([reports.waitFor(SERVICES.length, { timeoutMs: 10_000 }), exitedThenSettled]);

  const byService: Partial<Record<Service, SeenMessage>> = {};
  const extra: SeenMessage[] = [];
  for (const m of reports.messages) {
    const svc = SERVICES.find((s) => m.subject === ctx.subject(`report.${s}`));
    if (svc && !byService[svc]) byService[svc] = m;
    else extra.push(m);
  }
  const requests: Partial<Record<Service, SeenMessage[]>> = {};
  for (const s of SERVICES) if (watchers[s]) requests[s] = watchers[s]!.messages;
  return { role, byRole, answer, requests, reports: byService, extraReports: extra, programExited: exited };
}

function allReports(ctx: CheckContext, r: Round): string {
  const lines = SERVICES.map((s) => {
    const m = r.reports[s];
    const what = r.role[s] === "answers" ? `answers "${r.answer}"` : r.role[s] === "silent" ? "listens, never answers" : "nobody subscribed";
    return `  report.${s.padEnd(7)} ${m ? `"${m.text}"` : "(nothing)"}   [status.${s}: ${what}]`;
  });
  const extra = r.extraReports.map((m) => `  also ${ctx.unprefix(m.subject)} "${m.text}"`);
  return `\nall reports this run:\n${[...lines, ...extra].join("\n")}`;
}
