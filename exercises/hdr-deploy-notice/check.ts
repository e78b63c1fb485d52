import type { Check, SeenMessage } from "../../src/check/types.js";

const TARGET = "deploy.notice";
const VERSION = "v2.4.1";
const TEAMS = ["ops", "oncall"];

export const checks: Check[] = [
  {
    name: "you publish a deploy notice whose headers say env=prod and notify=ops, oncall",
    idea: "Headers carry metadata beside the payload; one name can hold several values",
    hint: `nats pub ${TARGET} ${VERSION} -H env:prod -H notify:ops -H notify:oncall`,
    async run(ctx) {
      const target = ctx.subject(TARGET);
      const everything = ctx.watch(ctx.subject(">"), { label: "your deploy notice" });
      await ctx.flush();
      ctx.waiting(`Publish the deploy notice to ${target}, e.g.  nats pub ${target} ${VERSION} -H env:prod -H notify:...`);

      const attempt = (m: SeenMessage) => !m.subject.startsWith("_INBOX.") && !m.subject.startsWith("$") && /deploy|notice/i.test(ctx.unprefix(m.subject));
      const [m] = await everything.waitFor(1, { filter: attempt });
      if (!m) {
        return ctx.fail({
          expected: `a message on ${TARGET}`,
          seen: `nothing on ${TARGET}, nor on anything like it, before the time limit`,
          idea: "The check can only see a message published while it is subscribed",
          hint: `Keep the check running and publish from a second terminal: nats pub ${target} ${VERSION} -H env:prod ...`,
        });
      }
      const shown = describe(ctx.unprefix(m.subject), m);
      if (m.subject !== target) {
        return ctx.fail({
          expected: `a message on ${TARGET}`,
          seen: `${shown}: another subject`,
          idea: "A message is addressed by its exact subject",
          hint: `Publish to ${target}.`,
        });
      }
      const names = m.headers ? m.headers.keys() : [];
      if (names.length === 0) {
        return ctx.fail({
          expected: `headers env: prod, notify: ops and notify: oncall on the message`,
          seen: `${shown}: a message without headers`,
          idea: "Headers are key/value pairs sent ahead of the payload; each -H name:value adds one",
          hint: `Add headers with -H: nats pub ${target} ${VERSION} -H env:prod ...`,
        });
      }
      const env = values(m, "env");
      if (env.length !== 1 || env[0] !== "prod") {
        return ctx.fail({
          expected: "a header env with the one value prod",
          seen: `${shown}: ${env.length ? `env is ${env.map((v) => `"${v}"`).join(", ")}` : "no env header"}`,
          idea: "A header is a name and a value, written name:value",
          hint: "-H env:prod (name, colon, value, no spaces).",
        });
      }
      const notify = values(m, "notify");
      if (notify.length === 1 && /[,;\s]/.test(notify[0]) && TEAMS.every((t) => notify[0].includes(t))) {
        return ctx.fail({
          expected: `notify with two values: "ops" and "oncall"`,
          seen: `${shown}: notify has one value, "${notify[0]}". A comma does not split a header value: a program reading notify gets one team called "${notify[0]}"`,
          idea: "A header name can appear several times, once per value; a comma inside a value is just a character",
          hint: "Repeat the flag, once per value: -H notify:ops -H notify:oncall",
        });
      }
      const sorted = (xs: string[]) => [...xs].sort().join(",");
      if (sorted(notify) !== sorted(TEAMS)) {
        return ctx.fail({
          expected: `notify with two values: "ops" and "oncall"`,
          seen: `${shown}: ${notify.length ? `notify is ${notify.map((v) => `"${v}"`).join(", ")}` : "no notify header"}`,
          idea: "A header name can appear several times, once per value",
          hint: "-H notify:ops -H notify:oncall gives notify two values.",
        });
      }
      if (m.text !== VERSION) {
        return ctx.fail({
          expected: `the payload "${VERSION}"`,
          seen: `${shown}: the payload is "${m.text}"`,
          idea: "The payload and the headers are separate parts of a message",
          hint: `The payload is the argument after the subject: nats pub ${target} ${VERSION} -H ...`,
        });
      }
      return shown;
    },
  },
];

/** All values of a header, with the name matched case-insensitively (clients differ in how they write names). */
function values(m: SeenMessage, name: string): string[] {
  if (!m.headers) return [];
  return m.headers.keys().filter((k) => k.toLowerCase() === name).flatMap((k) => m.headers!.values(k));
}

function describe(subject: string, m: SeenMessage): string {
  const h = m.headers ? m.headers.keys().flatMap((k) => m.headers!.values(k).map((v) => `${k}: ${v}`)) : [];
  return `a message on ${subject}, payload "${m.text}", headers ${h.length ? `[${h.join(" | ")}]` : "none"}`;
}
