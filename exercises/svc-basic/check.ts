import type { Check, CheckContext, ProgramHandle, StartProgramOptions, SubscriptionInfo } from "../../src/check/types.js";

const SERVICE = "tempconv";
const VERSION = "1.1.0";
const GROUP = "temp";
const ENDPOINTS = ["c2f", "f2c"];
const SPEC: ServiceSpec = { service: SERVICE, version: VERSION, subjects: ENDPOINTS.map((e) => `${GROUP}.${e}`) };

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

// Temperatures the program cannot know in advance.
const randomTemp = (lo: number, hi: number) => Math.round((lo + Math.random() * (hi - lo)) * 2) / 2;
const round1 = (x: number) => Math.round(x * 10) / 10;
const c2f = (c: number) => (c * 9) / 5 + 32;
const f2c = (f: number) => ((f - 32) * 5) / 9;

export const checks: Check[] = [
  {
    name: "your program is discoverable: it answers $SRV.PING as tempconv",
    idea: "The service API makes a responder discoverable: every instance answers $SRV.PING, $SRV.INFO and $SRV.STATS",
    async run(ctx) {
      const { ping } = await startService(ctx, SPEC);
      return `$SRV.PING.${ping.name} answered: ${ping.name} ${ping.version}, instance ${ping.id}`;
    },
  },
  {
    name: "$SRV.INFO reports version 1.1.0 and a description",
    idea: "A service tells the world which release it is: clients and operators can tell versions apart",
    async run(ctx) {
      const { info } = await startService(ctx, SPEC);
      if (info.version !== VERSION) {
        return ctx.fail({
          expected: `version "${VERSION}" (the release that adds f2c)`,
          seen: `$SRV.INFO.${info.name} says version "${info.version}"`,
          idea: "A service reports its version (semantic versioning), so you can see which release each instance runs",
          hint: `Set version: "${VERSION}" in the config you pass to new Svcm(nc).add({...}).`,
        });
      }
      if (!info.description?.trim()) {
        return ctx.fail({
          expected: "a description: one line that says what the service does",
          seen: `$SRV.INFO.${info.name} has no description`,
          idea: "INFO is the service's self-description: what `nats micro info` prints",
          hint: 'Add description: "Converts temperatures between Celsius and Fahrenheit" to the config of Svcm.add().',
        });
      }
      return `version ${info.version}: "${info.description}"`;
    },
  },
  {
    name: "$SRV.INFO lists the endpoints c2f and f2c, in the group temp",
    idea: "A service is a set of endpoints; a group gives them a common subject prefix",
    async run(ctx) {
      const { info } = await startService(ctx, SPEC);
      const eps = info.endpoints ?? [];
      const shown = eps.length ? eps.map((e) => `${e.name} on ${ctx.unprefix(e.subject)}`).join(", ") : "no endpoints at all";
      for (const name of ENDPOINTS) {
        const want = ctx.subject(`${GROUP}.${name}`);
        if (eps.some((e) => e.subject === want)) continue;
        const byName = eps.find((e) => e.name === name);
        if (byName) {
          return ctx.fail({
            expected: `the endpoint ${name} on ${GROUP}.${name}`,
            seen: `the endpoint ${name} listens on ${ctx.unprefix(byName.subject)}; all endpoints: ${shown}`,
            idea: "An endpoint's subject is its group's subject, a dot, and the endpoint's name",
            hint: `Add it to the group: const temp = svc.addGroup(\`\${prefix}${GROUP}\`); temp.addEndpoint("${name}", handler).`,
          });
        }
        return ctx.fail({
          expected: `the endpoints ${ENDPOINTS.join(" and ")} on ${ENDPOINTS.map((e) => `${GROUP}.${e}`).join(" and ")}`,
          seen: `$SRV.INFO.${info.name} lists ${shown}: ${name} is missing`,
          idea: "Only endpoints added to the service are part of it: discoverable, counted, load balanced",
          hint: `temp.addEndpoint("${name}", (_err, m) => m.respond(...)) for every conversion, on the same group.`,
        });
      }
      const mine = eps.filter((e) => ENDPOINTS.some((n) => e.subject === ctx.subject(`${GROUP}.${n}`)));
      return mine.map((e) => `${e.name} on ${ctx.unprefix(e.subject)} (queue group "${e.queue_group ?? ""}")`).join(", ");
    },
  },
  {
    name: "both endpoints convert, and $SRV.STATS counts the requests",
    idea: "An endpoint is a responder: the answer goes back on the request's reply subject",
    async run(ctx) {
      const { ping } = await startService(ctx, SPEC);
      const cases = [
        { ep: "c2f", x: randomTemp(-30, 45), fn: c2f },
        { ep: "c2f", x: 100, fn: c2f },
        { ep: "f2c", x: randomTemp(-20, 110), fn: f2c },
        { ep: "f2c", x: 212, fn: f2c },
      ];
      for (const { ep, x, fn } of cases) {
        const want = round1(fn(x));
        const o = await ctx.request(ctx.subject(`${GROUP}.${ep}`), String(x), { timeoutMs: 2000 });
        if (o.kind !== "reply") {
          return ctx.fail({
            expected: `an answer to "${x}" on ${GROUP}.${ep}`,
            seen: o.kind === "timeout" ? `no answer within 2 s: the endpoint received the request and did not respond` : "no responders: nothing listens on that subject",
            idea: "An endpoint handler must answer every request with m.respond()",
            hint: "In the handler: m.respond(String(result)).",
          });
        }
        const h = o.message.headers;
        const err = h?.get("Nats-Service-Error");
        if (err) {
          return ctx.fail({
            expected: `"${want}" for "${x}" on ${GROUP}.${ep}`,
            seen: `a service error: ${h?.get("Nats-Service-Error-Code")} ${err}`,
            idea: "A handler that throws makes the service answer with error 500",
            hint: "Read the payload with Number(m.string()) and answer with m.respond(String(result)).",
          });
        }
        const got = Number(o.message.text);
        if (o.message.text.trim() === "" || Number.isNaN(got) || Math.abs(got - want) > 0.051) {
          return ctx.fail({
            expected: `"${want}" for "${x}" on ${GROUP}.${ep} (${ep === "c2f" ? "°F = °C × 9/5 + 32" : "°C = (°F − 32) × 5/9"})`,
            seen: `"${o.message.text}"`,
            idea: "The request's payload is the question: read it with m.string()",
            hint: "Answer with the number alone, as text: m.respond(String(Math.round(result * 10) / 10)).",
          });
        }
      }
      const stats = (await gather<Stats>(ctx, `$SRV.STATS.${ping.name}.${ping.id}`))[0];
      const counted = (stats?.endpoints ?? []).filter((e) => ENDPOINTS.some((n) => e.subject === ctx.subject(`${GROUP}.${n}`)));
      const total = counted.reduce((n, e) => n + e.num_requests, 0);
      if (stats && total < cases.length) {
        return ctx.fail({
          expected: `$SRV.STATS counts the ${cases.length} requests I sent`,
          seen: `it counts ${counted.map((e) => `${e.name}: ${e.num_requests}`).join(", ") || "no requests on c2f or f2c"}`,
          idea: "The service counts each request its endpoints handle",
          hint: "Answer through the endpoints you added to the service, not through a separate subscription.",
        });
      }
      return `${cases.length} conversions right; $SRV.STATS: ${counted.map((e) => `${e.name} ${e.num_requests} requests, ${e.num_errors} errors`).join("; ")}`;
    },
  },
];

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
