import type { Check, CheckContext, ProgramHandle, SeenMessage, SubscriptionInfo } from "../../src/check/types.js";

const IN = "hello.echo";
const OUT = "hello.echoed";
// Text, JSON and non-ASCII: a payload is bytes, and an echo must not change any of them.
const PROBES = ["hello 1", '{"n":2,"ok":true}', "hei på deg 👋"];

export const checks: Check[] = [
  {
    name: "your program subscribes to hello.echo",
    idea: "Subscribe first: a message reaches only the subscriptions that exist when it is published",
    async run(ctx) {
      const program = await ctx.startProgram();
      const subs = await echoSubscription(ctx, program);
      return `subscribed to ${subs.map((s) => ctx.unprefix(s.subject)).join(", ")}`;
    },
  },
  {
    name: "it echoes every message to hello.echoed, payload unchanged, with an echo-count header",
    idea: "A message is a subject, a payload of bytes and optional headers",
    async run(ctx) {
      const out = ctx.watch(ctx.subject(">"), { label: "echoes" });
      await ctx.flush();
      const program = await ctx.startProgram();
      await echoSubscription(ctx, program);

      for (const text of PROBES) ctx.publish(ctx.subject(IN), text);
      const isEcho = (m: SeenMessage) => m.subject !== ctx.subject(IN) && !m.subject.startsWith("_INBOX.") && !m.subject.startsWith("$");
      const onInput = (m: SeenMessage) => m.subject === ctx.subject(IN);
      // Stop waiting early when hello.echo gets more than we sent: the program is feeding itself.
      await Promise.race([
        out.waitFor(PROBES.length, { filter: isEcho, timeoutMs: 5000 }),
        out.waitFor(PROBES.length + 1, { filter: onInput, timeoutMs: 5000 }),
      ]);
      const echoes = out.messages.filter(isEcho).slice(0, PROBES.length);
      const onIn = out.messages.filter(onInput);

      if (onIn.length > PROBES.length) {
        return ctx.fail({
          expected: `${PROBES.length} echoes on ${OUT}`,
          seen: `${onIn.length > 1000 ? "over 1000" : onIn.length} messages on ${IN} although I sent ${PROBES.length}: your program publishes to the subject it subscribes to, so it receives its own echoes and echoes them again`,
          idea: "A subscriber receives every message on its subject, including its own",
          hint: `Publish the echo to ${ctx.subject(OUT)}, not to ${ctx.subject(IN)}.`,
        });
      }
      if (echoes.length === 0) {
        return ctx.fail({
          expected: `${PROBES.length} messages on ${OUT}, one per message I sent to ${IN}`,
          seen: `I sent ${PROBES.map((p) => `"${p}"`).join(", ")} to ${IN}; nothing came back within 5 s`,
          idea: "A message is a subject, a payload of bytes and optional headers",
          hint: `In the loop over your subscription, call nc.publish(\`\${prefix}${OUT}\`, m.data, { headers: h }).`,
        });
      }
      const wrong = echoes.find((m) => m.subject !== ctx.subject(OUT));
      if (wrong) {
        const subject = ctx.unprefix(wrong.subject);
        return ctx.fail({
          expected: `echoes on ${OUT}`,
          seen: `an echo on ${subject}${subject.toLowerCase() === OUT ? " (differs only in case; subjects are case sensitive)" : ""}`,
          idea: "A message reaches only the subscribers of its exact subject",
          hint: `Publish to \`\${prefix}${OUT}\`; prefix is process.env.GOINGNATS_PREFIX ?? "".`,
        });
      }
      if (echoes.length < PROBES.length) {
        return ctx.fail({
          expected: `${PROBES.length} echoes on ${OUT}`,
          seen: `${echoes.length} echo(es) for ${PROBES.length} messages sent to ${IN}`,
          idea: "Every message on a subject is delivered to every subscription on it",
          hint: "Echo inside the `for await` loop, once per message, and keep the loop running.",
        });
      }
      echoes.forEach((m, i) => {
        const sent = new TextEncoder().encode(PROBES[i]);
        if (!sameBytes(sent, m.data)) {
          return ctx.fail({
            expected: `echo ${i + 1} has the payload I sent, byte for byte: "${PROBES[i]}" (${sent.length} bytes)`,
            seen: `"${m.text}" (${m.data.length} bytes)`,
            idea: "A payload is bytes; NATS passes them on untouched, and so should your program",
            hint: "Publish m.data as it is.",
          });
        }
      });
      const counts = echoes.map((m) => m.headers?.get("echo-count") ?? "");
      const want = PROBES.map((_, i) => String(i + 1));
      if (counts.join() !== want.join()) {
        return ctx.fail({
          expected: `header echo-count: ${want.join(", ")} on the ${PROBES.length} echoes`,
          seen: `echo-count: ${counts.map((c) => (c ? c : "(missing)")).join(", ")}${echoes[0]?.headers ? "" : " (the echoes have no headers at all)"}`,
          idea: "Headers carry metadata next to the payload, as key/value pairs",
          hint: 'const h = headers(); h.set("echo-count", String(count)); then nc.publish(subject, m.data, { headers: h })',
        });
      }
      return `${echoes.length} echoes on ${OUT}, payloads intact, echo-count ${counts.join(", ")}`;
    },
  },
];

/** Waits for the program to connect and subscribe; fails with what the server shows when it does not. */
async function echoSubscription(ctx: CheckContext, program: ProgramHandle): Promise<SubscriptionInfo[]> {
  const target = ctx.subject(IN);
  // Starting tsx can take a while on a busy machine, subscribing after connecting does not:
  // a generous bound for the first, a short one for the second.
  const connected = await ctx.poll(Math.min(10_000, ctx.remainingMs()), async () => ((await program.connections()).length ? true : undefined));
  if (!connected) {
    return ctx.fail({
      expected: "your program connects to the server",
      seen: `no new connection appeared within 10 s; ${program.isRunning() ? "the program is still running" : "the program has stopped"}`,
      idea: "A client talks to NATS over one long-lived connection",
      hint: "Run it yourself (npx tsx main.ts) and read what it prints.",
    });
  }
  const own = (subs: SubscriptionInfo[]) => subs.filter((s) => !s.subject.startsWith("_INBOX."));
  const subs = (await ctx.poll(3000, async () => {
    const s = own((await program.connections()).flatMap((c) => c.subscriptions));
    return s.length ? s : undefined;
  })) ?? [];
  if (subs.length === 0) {
    // Show the consequence on the wire: this message goes nowhere.
    ctx.publish(target, "is anybody there?");
    return ctx.fail({
      expected: `a subscription on ${IN} before any message is sent there`,
      seen: `your program connected but has no subscription on ${IN} (no subscriptions at all); the message I published to ${IN} reached nobody and was dropped`,
      idea: "Subscribe first: NATS delivers at most once, to the subscriptions that exist at that moment",
      hint: `Right after connect(): const sub = nc.subscribe(\`\${prefix}${IN}\`); then loop: for await (const m of sub) { ... }`,
    });
  }
  const matching = subs.filter((s) => ctx.matches(s.subject, target));
  if (matching.length === 0) {
    const list = subs.map((s) => ctx.unprefix(s.subject)).join(", ");
    const caseOnly = subs.some((s) => s.subject.toLowerCase() === target.toLowerCase());
    return ctx.fail({
      expected: `a subscription on ${IN}`,
      seen: `your program subscribes to ${list}, which does not receive messages sent to ${IN}`,
      idea: caseOnly ? "Subjects are case sensitive" : "A subscription receives only messages on its subject",
      hint: `Subscribe to \`\${prefix}${IN}\` exactly.`,
    });
  }
  return matching;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
