import type { Check, CheckContext, ProgramHandle, SeenMessage, SubscriptionInfo } from "../../src/check/types.js";

const SUBJECT = "greet";
// Names with a random tail, so an answer cannot be hard-coded.
const tail = () => Math.random().toString(36).slice(2, 5);
const NAMES = ["Ingrid", "Sindre", "Kari", "Ola", "Grace", "Linus"].map((n) => `${n}-${tail()}`);
const greeting = (name: string) => `Hello, ${name}!`;

export const checks: Check[] = [
  {
    name: "your service subscribes to greet",
    idea: "A responder is a subscriber: requests are messages on its subject",
    async run(ctx) {
      const program = await ctx.startProgram();
      const subs = await greetSubscription(ctx, program);
      return `subscribed to ${subs.map((s) => ctx.unprefix(s.subject) + (s.queue ? ` (queue group ${s.queue})` : "")).join(", ")}`;
    },
  },
  {
    name: "it answers a request on the request's reply subject",
    idea: "Request-reply: the answer goes to the reply subject that came with the request",
    async run(ctx) {
      const wire = ctx.watch(ctx.subject(">"), { label: "your answer" });
      await ctx.flush();
      const program = await ctx.startProgram();
      await greetSubscription(ctx, program);

      const name = NAMES[0];
      const isStray = (m: SeenMessage) =>
        !m.subject.startsWith("_INBOX.") && !m.subject.startsWith("$") && !(m.subject === ctx.subject(SUBJECT) && m.text === name);
      const asked = ctx.request(ctx.subject(SUBJECT), name, { timeoutMs: 2000 });
      // Fail fast: an answer that shows up on some other subject will never reach my inbox. (A short
      // grace period lets a responder that answers properly *and* logs elsewhere pass.)
      const strayFirst = await Promise.race([
        asked.then(() => undefined),
        wire.waitFor(1, { filter: (m) => isStray(m) && m.text.includes(name), timeoutMs: 2500 }).then(([m]) => m),
      ]);
      const outcome = strayFirst
        ? await Promise.race([asked, ctx.sleep(300).then(() => ({ kind: "timeout" as const, afterMs: -1 }))])
        : await asked;
      if (outcome.kind === "no-responders") {
        return ctx.fail({
          expected: `an answer to my request on ${SUBJECT}`,
          seen: "no responders: by the time I asked, your program had no subscription on greet any more",
          idea: "No responders: the server answers at once when no subscription matches",
          hint: "Keep the for-await loop running; don't unsubscribe or close the connection.",
        });
      }
      if (outcome.kind === "timeout") {
        // Where did the answer go? Everything the program published in the namespace is on the wire.
        const published = wire.messages.filter(isStray);
        const stray = published.find((m) => m.text.includes(name)) ?? published[0];
        if (stray) {
          return ctx.fail({
            expected: `"${greeting(name)}" on the reply subject of my request (an _INBOX. subject made up for that one request)`,
            seen: `your answer "${stray.text}" went to ${ctx.unprefix(stray.subject)}: a fixed subject instead of the request's reply subject. Nobody waits there, so my request ${outcome.afterMs < 0 ? "never got it (it would time out after 2 s)" : `timed out after ${outcome.afterMs} ms`}`,
            idea: "Request-reply: each requester waits on its own inbox, which arrives with the request as its reply subject",
            hint: "Answer with m.respond(data): it publishes to m.reply, the requester's inbox.",
          });
        }
        return ctx.fail({
          expected: `"${greeting(name)}" on the reply subject of my request`,
          seen: `your program received my request on ${SUBJECT} (it is subscribed) but published nothing; my request timed out after ${outcome.afterMs} ms`,
          idea: "A timeout means somebody got the request and did not answer in time",
          hint: "In the loop over your subscription, answer each message: m.respond(`Hello, ${m.string()}!`)",
        });
      }
      const got = outcome.message.text;
      if (got !== greeting(name)) {
        return ctx.fail({
          expected: `the answer "${greeting(name)}" to my request "${name}"`,
          seen: `the answer "${got}"`,
          idea: "The request's payload is the question: read it with m.string()",
          hint: "Answer with `Hello, ${m.string()}!` exactly: capital H, a comma, a space, and ! at the end.",
        });
      }
      return `"${name}" got "${got}" on its inbox`;
    },
  },
  {
    name: "each of many requests at once gets its own answer, also after a message that is not a request",
    idea: "Every request carries its own reply subject, so answers never mix",
    async run(ctx) {
      const program = await ctx.startProgram();
      await greetSubscription(ctx, program);

      // A plain publish: no reply subject, nobody waits. A responder skips it and lives on.
      ctx.publish(ctx.subject(SUBJECT), "just saying hi, no answer needed");
      await ctx.flush();

      const names = NAMES.slice(1);
      const outcomes = await Promise.all(names.map((n) => ctx.request(ctx.subject(SUBJECT), n, { timeoutMs: 3000 })));
      const wrong = names
        .map((n, i) => ({ n, o: outcomes[i] }))
        .filter(({ n, o }) => o.kind !== "reply" || o.message.text !== greeting(n));
      if (!wrong.length) return `${names.length} requests at once, ${names.length} right answers`;

      const describe = ({ n, o }: (typeof wrong)[number]) =>
        `"${n}" → ${o.kind === "reply" ? `"${o.message.text}"` : o.kind === "timeout" ? "timeout" : "no responders"}`;
      const seen = wrong.map(describe).join(", ");
      if (!program.isRunning() || wrong.every(({ o }) => o.kind === "no-responders")) {
        return ctx.fail({
          expected: "your service survives a plain message (no reply subject) and keeps answering",
          seen: `after I published a plain message to ${SUBJECT}, ${program.isRunning() ? "your program stopped answering" : "your program stopped"}: ${seen}`,
          idea: "A message without a reply subject is not a request: there is nobody to answer",
          hint: "m.respond() returns false when m.reply is empty; publishing to m.reply! with no reply subject throws.",
        });
      }
      return ctx.fail({
        expected: `each of ${names.length} requests sent at once gets "Hello, <its own name>!"`,
        seen: seen,
        idea: "Every request carries its own reply subject, so answers never mix",
        hint: "Answer each message inside the loop, from that message: m.respond(`Hello, ${m.string()}!`). Keep no reply subject in a shared variable.",
      });
    },
  },
];

/** Waits for the program to connect and subscribe to greet; fails with what the server shows when it does not. */
async function greetSubscription(ctx: CheckContext, program: ProgramHandle): Promise<SubscriptionInfo[]> {
  const target = ctx.subject(SUBJECT);
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
  const subs =
    (await ctx.poll(3000, async () => {
      const s = own((await program.connections()).flatMap((c) => c.subscriptions));
      return s.some((x) => ctx.matches(x.subject, target)) ? s : undefined;
    })) ?? own((await program.connections()).flatMap((c) => c.subscriptions));
  const matching = subs.filter((s) => ctx.matches(s.subject, target));
  if (matching.length === 0) {
    const outcome = await ctx.request(target, "anybody there?", { timeoutMs: 500 });
    return ctx.fail({
      expected: `a subscription on ${SUBJECT}: a responder receives requests like any subscriber`,
      seen: `${subs.length ? `your program subscribes to ${subs.map((s) => ctx.unprefix(s.subject)).join(", ")}` : "your program has no subscription"}; a request to ${SUBJECT} got ${outcome.kind === "no-responders" ? '"no responders" at once' : outcome.kind}`,
      idea: "No responders: with no matching subscription, the server fails a request at once",
      hint: `const sub = nc.subscribe(\`\${prefix}${SUBJECT}\`); then for await (const m of sub) { ... }`,
    });
  }
  return matching;
}

