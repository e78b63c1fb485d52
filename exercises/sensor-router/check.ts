import type { Check, CheckContext, ProgramHandle, SeenMessage, SubscriptionInfo } from "../../src/check/types.js";

// A room the program cannot know in advance: hard-coded room names show up as a miss.
const NEW_ROOM = `attic-${Math.random().toString(36).slice(2, 6)}`;
// Values that survive a round trip through Number(), so "unchanged" is about bytes, not formatting.
const READINGS: Array<{ room: string; kind: string; value: string }> = [
  { room: "kitchen", kind: "temp", value: "21.5" },
  { room: "kitchen", kind: "co2", value: "812" },
  { room: NEW_ROOM, kind: "temp", value: "17.25" },
  { room: "office", kind: "humidity", value: "43" },
  { room: "office", kind: "temp", value: "22.75" },
];
const TEMPS = READINGS.filter((r) => r.kind === "temp");
const OTHERS = READINGS.filter((r) => r.kind !== "temp");
const subjectOf = (r: { room: string; kind: string }) => `sensors.${r.room}.${r.kind}`;

export const checks: Check[] = [
  {
    name: "one subscription receives every room's temperature and nothing else",
    idea: "Let the server filter: a wildcard in the right token selects exactly the subjects you need",
    async run(ctx) {
      const program = await ctx.startProgram();
      const subs = await programSubscriptions(ctx, program);
      const shown = subs.map((s) => ctx.unprefix(s.subject)).join(", ");
      const receives = (subject: string) => subs.some((s) => ctx.matches(s.subject, ctx.subject(subject)));
      const missed = TEMPS.map(subjectOf).filter((s) => !receives(s));
      const extra = OTHERS.map(subjectOf).filter((s) => receives(s));
      const table = [
        ...TEMPS.map(subjectOf).map((s) => `  ${missed.includes(s) ? "✘ misses  " : "✔ receives"} ${s}`),
        ...OTHERS.map(subjectOf).map((s) => `  ${extra.includes(s) ? "✘ receives" : "✔ ignores "} ${s}`),
      ].join("\n");
      const expected = "a subscription that receives sensors.<any room>.temp, and no co2 or humidity readings";
      if (extra.length) {
        return ctx.fail({
          expected,
          seen: `your program subscribes to ${shown}:\n${table}\nso the server sends it ${extra.join(" and ")} too, only for your code to throw them away: let the server filter instead`,
          idea: "Put the filter in the subject and let the server filter: a wildcard in the kind position matches every kind",
          hint: "Keep temp as a literal token and put a one-token wildcard where the room goes.",
        });
      }
      if (missed.length) {
        const hardCoded = missed.length < TEMPS.length && !subs.some((s) => s.subject.split(".").includes("*"));
        return ctx.fail({
          expected,
          seen: `your program subscribes to ${shown}:\n${table}`,
          idea: hardCoded
            ? "A wildcard covers names you cannot know in advance; a list of rooms misses the next new one"
            : "* matches exactly one token, in any position",
          hint: `The room is one token in a fixed position: sensors.<one token>.temp. (The room ${NEW_ROOM} was made up just now.)`,
        });
      }
      return `subscribes to ${shown}`;
    },
  },
  {
    name: "it republishes each temperature to rooms.<room>.temperature, unchanged",
    idea: "A wildcard subscription receives many subjects: the tokens of m.subject carry data",
    async run(ctx) {
      const watcher = ctx.watch(ctx.subject(">"), { label: "routed readings" });
      await ctx.flush();
      const program = await ctx.startProgram();
      await programSubscriptions(ctx, program);

      for (const r of READINGS) ctx.publish(ctx.subject(subjectOf(r)), r.value);
      const isOutput = (m: SeenMessage) =>
        !ctx.unprefix(m.subject).startsWith("sensors.") && !m.subject.startsWith("_INBOX.") && !m.subject.startsWith("$");
      // The program handles readings in order: once the last reading's value comes out, everything
      // routed before it has come out too.
      const last = TEMPS[TEMPS.length - 1];
      await watcher.waitFor(1, { filter: (m) => isOutput(m) && m.text === last.value, timeoutMs: 5000 });
      const out = watcher.messages.filter(isOutput);
      const seenList = out.length ? out.map((m) => `${ctx.unprefix(m.subject)} "${m.text}"`).join(", ") : "nothing";
      const expectedList = TEMPS.map((r) => `rooms.${r.room}.temperature "${r.value}"`).join(", ");
      const sentList = READINGS.map((r) => `${subjectOf(r)} "${r.value}"`).join(", ");

      if (out.length === 0) {
        return ctx.fail({
          expected: expectedList,
          seen: `I published ${sentList}; your program published nothing within 5 s`,
          idea: "Receiving is half the job: a router publishes what it receives",
          hint: "In the loop: nc.publish(`${prefix}rooms.${room}.temperature`, m.data)",
        });
      }
      for (const r of TEMPS) {
        const want = ctx.subject(`rooms.${r.room}.temperature`);
        const got = out.find((m) => m.text === r.value);
        if (!got) continue;
        if (got.subject !== want) {
          const tokens = ctx.unprefix(got.subject).split(".");
          const usedWrongToken = !tokens.includes(r.room) && ["sensors", "temp", ...ctx.ns.split(".")].some((t) => t && tokens.includes(t));
          return ctx.fail({
            expected: `the reading from ${subjectOf(r)} on rooms.${r.room}.temperature`,
            seen: `it came out on ${ctx.unprefix(got.subject)} (all output: ${seenList})`,
            idea: usedWrongToken
              ? "Tokens are positions in the subject: the room is the token the * matched"
              : "A message goes to exactly the subject it is published on",
            hint: 'm.subject.split(".").at(-2) is the room (counting from the end keeps a namespace prefix out of the way).',
          });
        }
      }
      const missing = TEMPS.filter((r) => !out.some((m) => m.subject === ctx.subject(`rooms.${r.room}.temperature`) && m.text === r.value));
      if (missing.length) {
        return ctx.fail({
          expected: expectedList,
          seen: `${seenList}; missing: ${missing.map((r) => `rooms.${r.room}.temperature "${r.value}"`).join(", ")}`,
          idea: "Publish the payload as it came: m.data is the reading's bytes",
          hint: "Pass m.data on unchanged; don't parse and re-format the value.",
        });
      }
      const extra = out.filter((m) => !TEMPS.some((r) => m.subject === ctx.subject(`rooms.${r.room}.temperature`) && m.text === r.value));
      if (extra.length) {
        return ctx.fail({
          expected: `${expectedList}, and nothing else`,
          seen: `also ${extra.map((m) => `${ctx.unprefix(m.subject)} "${m.text}"`).join(", ")}`,
          idea: "Route only temperature readings; co2 and humidity are not temperatures",
          hint: "Publish once per temperature reading received.",
        });
      }
      return `routed ${TEMPS.length} readings: ${seenList}`;
    },
  },
];

/** Waits for the program to connect and subscribe; fails with what the server shows when it does not. */
async function programSubscriptions(ctx: CheckContext, program: ProgramHandle): Promise<SubscriptionInfo[]> {
  // Starting tsx can take a while on a busy machine, subscribing after connecting does not.
  const connected = await ctx.poll(Math.min(10_000, ctx.remainingMs()), async () => ((await program.connections()).length ? true : undefined));
  if (!connected) {
    return ctx.fail({
      expected: "your program connects to the server",
      seen: `no new connection appeared within 10 s; ${program.isRunning() ? "the program is still running" : "the program has stopped"}`,
      idea: "A client talks to NATS over one long-lived connection",
      hint: "Run it yourself (npx tsx main.ts) and read what it prints.",
    });
  }
  const own = async () => (await program.connections()).flatMap((c) => c.subscriptions).filter((s) => !s.subject.startsWith("_INBOX."));
  const subs = (await ctx.poll(3000, async () => ((await own()).length ? true : undefined))) ? await settle(ctx, own) : [];
  if (subs.length === 0) {
    return ctx.fail({
      expected: "a subscription on the temperature readings",
      seen: "your program connected but has no subscription, so every reading published to it is dropped",
      idea: "Subscribe first: NATS delivers at most once, to the subscriptions that exist at that moment",
      hint: "const sub = nc.subscribe(`${prefix}sensors.<?>.temp`); for await (const m of sub) { ... }",
    });
  }
  return subs;
}

/** Several subscribe() calls may reach the server a moment apart: read until the list stops growing. */
async function settle(ctx: CheckContext, read: () => Promise<SubscriptionInfo[]>): Promise<SubscriptionInfo[]> {
  let subs = await read();
  for (let i = 0; i < 5; i++) {
    await ctx.sleep(20);
    const again = await read();
    if (again.length === subs.length) return again;
    subs = again;
  }
  return subs;
}

