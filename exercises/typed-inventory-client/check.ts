import type { Check, CheckContext, ProgramHandle, SeenMessage, Watcher } from "../../src/check/types.js";

const RESERVE = "inventory.v1.Reserve";
const AUDIT = "inventory.v1.Audit";

interface Run {
  program: ProgramHandle;
  watcher: Watcher;
  left: number;
  /** Resolves once the program has exited and its last messages had time to arrive. */
  done: Promise<void>;
}

export const checks: Check[] = [
  {
    name: "Reserve goes out as a request on inventory.v1.Reserve, with a JSON ReserveRequest",
    idea: "One subject per service, version and method: service.version.Method",
    async run(ctx) {
      const run = await start(ctx);
      const isInventory = (m: SeenMessage) => /inventory|reserve|audit/i.test(ctx.unprefix(m.subject)) && !m.subject.startsWith("_INBOX.");
      const [first] = await Promise.race([run.watcher.waitFor(1, { filter: isInventory, timeoutMs: 10_000 }), run.done.then(() => [])]);
      const m = first ?? run.watcher.messages.find(isInventory);
      if (!m) {
        return ctx.fail({
          expected: `a request on ${RESERVE}`,
          seen: `nothing on any inventory subject${run.program.isRunning() ? " within 10 s" : "; your program exited"}`,
          idea: "A typed call is a request on its method's subject",
          hint: "await inventory.reserve.call(nc, { sku: \"beans-1kg\", qty: 2 })",
        });
      }
      const subject = ctx.unprefix(m.subject);
      if (subject !== RESERVE) {
        const lower = subject.toLowerCase() === RESERVE.toLowerCase();
        const unversioned = !subject.split(".").includes("v1");
        return ctx.fail({
          expected: `the first call on ${RESERVE}`,
          seen: `a message on ${subject}${lower ? ": subjects are case sensitive, and the method is spelled Reserve" : unversioned ? ": no version token, so a v2 could never run next to it" : ""}`,
          idea: unversioned ? "Versioned subjects: service.v1.Method lets two versions run side by side" : "Each method has exactly one subject, and subjects match exactly",
          hint: "defineMethod builds the subject as `${prefix}${service}.${version}.${method}`: call it with (\"inventory\", \"v1\", \"Reserve\").",
        });
      }
      if (!m.reply) {
        return ctx.fail({
          expected: `a request on ${RESERVE}: a message with a reply subject`,
          seen: `a plain message on ${RESERVE}, with no reply subject: the service has nowhere to send the ReserveResult`,
          idea: "A method that returns a result is a request: the caller waits on its inbox for the answer",
          hint: "Use defineMethod(...).call(), which sends with nc.request().",
        });
      }
      const body = parse(m.text);
      if (!body || body.sku !== "beans-1kg" || body.qty !== 2) {
        return ctx.fail({
          expected: `the JSON ReserveRequest {"sku":"beans-1kg","qty":2}`,
          seen: `the payload ${JSON.stringify(m.text)}`,
          idea: "Both sides agree on the types; the payload is their JSON",
          hint: "Pass the request object to call(); it sends JSON.stringify(req).",
        });
      }
      return `request on ${RESERVE}: ${m.text}`;
    },
  },
  {
    name: "Audit is fire-and-forget: a plain publish on inventory.v1.Audit",
    idea: "A method that returns nothing is a plain publish: no reply subject, nothing to wait for",
    async run(ctx) {
      const run = await start(ctx);
      const isAudit = (m: SeenMessage) => /audit/i.test(ctx.unprefix(m.subject)) && !m.subject.startsWith("_INBOX.");
      const [first] = await Promise.race([run.watcher.waitFor(1, { filter: isAudit, timeoutMs: 10_000 }), run.done.then(() => [])]);
      const m = first ?? run.watcher.messages.find(isAudit);
      if (!m) {
        return ctx.fail({
          expected: `an AuditEntry on ${AUDIT}, after Reserve`,
          seen: `nothing on ${AUDIT}${run.program.isRunning() ? " within 10 s" : "; your program exited without sending it"}`,
          idea: "Fire-and-forget still sends a message: only the waiting is left out",
          hint: "inventory.audit.send(nc, { action: \"reserve\", sku: \"beans-1kg\", qty: 2 })",
        });
      }
      const subject = ctx.unprefix(m.subject);
      if (subject !== AUDIT) {
        return ctx.fail({
          expected: `the AuditEntry on ${AUDIT}`,
          seen: `a message on ${subject}`,
          idea: "One subject per service, version and method: service.version.Method",
          hint: "Build the subject the same way defineMethod does: `${prefix}${service}.${version}.${method}`.",
        });
      }
      if (m.reply) {
        return ctx.fail({
          expected: `a plain publish on ${AUDIT}, without a reply subject`,
          seen: `a request on ${AUDIT} with the reply subject ${m.reply}: Audit was sent as a request, so your program waits its whole timeout (5 s by default) for an answer that no Audit handler ever sends, and then reports an error for work that was done. Fire-and-forget means no reply subject`,
          idea: "A fire-and-forget method is a plain publish: no inbox, no reply subject, no waiting",
          hint: "Write defineEvent<Req>(service, version, method) with send(nc, req) { nc.publish(subject, JSON.stringify(req)) }, and use it for Audit.",
        });
      }
      const body = parse(m.text);
      if (!body || body.action !== "reserve" || body.sku !== "beans-1kg" || body.qty !== 2) {
        return ctx.fail({
          expected: `the JSON AuditEntry {"action":"reserve","sku":"beans-1kg","qty":2}`,
          seen: `the payload ${JSON.stringify(m.text)}`,
          idea: "Both sides agree on the types; the payload is their JSON",
          hint: "send(nc, req) publishes JSON.stringify(req).",
        });
      }
      return `plain publish on ${AUDIT}: ${m.text}`;
    },
  },
  {
    name: "the report uses Reserve's typed answer",
    idea: "A typed call returns the handler's answer as a value of the result type",
    async run(ctx) {
      const run = await start(ctx);
      const want = `reserved 2, ${run.left} left`;
      const isReport = (m: SeenMessage) => m.subject === ctx.subject("report");
      const [first] = await Promise.race([run.watcher.waitFor(1, { filter: isReport, timeoutMs: 10_000 }), run.done.then(() => [])]);
      const m = first ?? run.watcher.messages.find(isReport);
      if (!m) {
        return ctx.fail({
          expected: `"${want}" on report (this run, Reserve answered left: ${run.left})`,
          seen: `nothing on report${run.program.isRunning() ? " within 10 s" : "; your program exited without publishing it"}`,
          idea: "Publishing is how the program tells others what it found",
          hint: "nc.publish(`${prefix}report`, `reserved 2, ${result.left} left`) before nc.drain().",
        });
      }
      if (m.text !== want) {
        return ctx.fail({
          expected: `"${want}" (this run, Reserve answered {"reserved":true,"left":${run.left}})`,
          seen: `"${m.text}"`,
          idea: "A typed call returns the handler's answer: use its fields",
          hint: "`reserved 2, ${result.left} left`, with result from inventory.reserve.call().",
        });
      }
      return `"${m.text}"`;
    },
  },
];

/** Plays the inventory service (Reserve answers with a made-up stock level; Audit never answers) and starts the program. */
async function start(ctx: CheckContext): Promise<Run> {
  const left = Math.floor(Math.random() * 80 + 11);
  const watcher = ctx.watch(ctx.subject(">"), { label: "your client's messages" });
  const reserve = ctx.nc.subscribe(ctx.subject(RESERVE), {
    callback: (err, m) => {
      if (!err && m.reply) m.respond(JSON.stringify({ reserved: true, left }));
    },
  });
  ctx.defer(() => reserve.unsubscribe());
  await ctx.flush();
  ctx.note(`this run, Reserve answers {"reserved":true,"left":${left}}`);
  const program = await ctx.startProgram();
  const done = program.exited.then(() => ctx.sleep(300));
  return { program, watcher, left, done };
}

function parse(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === "object" ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
