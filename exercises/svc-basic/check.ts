import type { Check, CheckContext, ProgramHandle, StartProgramOptions, SubscriptionInfo } from "../../src/check/types.js";
import { startService, gather, type ServiceSpec, type Identity, type Info } from "../_shared/services.js";

const SERVICE = "tempconv";
const VERSION = "1.1.0";
const GROUP = "temp";
const ENDPOINTS = ["c2f", "f2c"];
const SPEC: ServiceSpec = { service: SERVICE, version: VERSION, subjects: ENDPOINTS.map((e) => `${GROUP}.${e}`) };

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

