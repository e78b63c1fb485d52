import type { Check, CheckContext, FailureDetails, SeenMessage, SubscriptionInfo } from "../../src/check/types.js";

const ROOM = "oslo.chatroom";
// Members the learner cannot know in advance: a subscription listing known handles misses them.
const NEWCOMER = `guest${Math.random().toString(36).slice(2, 6)}`;
const MEMBERS = ["ada", NEWCOMER];
const MUST = MEMBERS.map((h) => `${ROOM}.${h}`);
const MUST_NOT = ["bergen.chatroom.ada", "oslo.weather", ROOM];

const line = (handle: string) => `${handle}: hei!`;

// A greeting sent while check 1 was still looking at subscriptions (a learner who does both steps
// at once) is kept here for check 2. Reset at the start of every run.
let earlyGreeting: SeenMessage | undefined;

export const checks: Check[] = [
  {
    name: "you join the room: one subscription hears everyone in oslo.chatroom",
    idea: "Fan-out: every subscription that matches a subject gets its own copy of each message",
    hint: `Subscribe to the room with a wildcard for the handle: nats sub "${ROOM}.>"`,
    async run(ctx) {
      earlyGreeting = undefined;
      const lines = ctx.watch(ctx.subject(">"), { label: "greetings" });
      await ctx.flush();
      const key = (s: SubscriptionInfo) => `${s.cid} ${s.subject} ${s.queue ?? ""}`;
      const before = await candidates(ctx);
      const oldKeys = new Set(before.map(key));

      let chosen = before.find((s) => verdict(ctx, s.subject).ok);
      if (!chosen) {
        ctx.waiting(`Join the room in another terminal, e.g.  nats sub "${ctx.subject(`${ROOM}.<wildcard>`)}"  and keep it running`);
        ctx.progress("waiting for your subscription to appear on the server");
        while (!chosen && ctx.remainingMs() > 0 && !ctx.signal.aborted) {
          const now = await candidates(ctx);
          chosen = now.find((s) => verdict(ctx, s.subject).ok) ?? now.find((s) => !oldKeys.has(key(s)));
          if (!chosen) await ctx.sleep(50);
        }
      }
      if (!chosen) {
        const old = before.map((s) => ctx.unprefix(s.subject));
        return ctx.fail({
          expected: `a subscription that receives ${MUST.join(", ")} and anyone else in the room`,
          seen: `no subscription for the room appeared before the time limit${old.length ? `; subscriptions already there: ${old.join(", ")} (none of them fits)` : ""}`,
          idea: "The check sees the subscriptions of every connection on the server",
          hint: `Keep this check running and, in a second terminal, run nats sub with the room's subject and a wildcard (quote it).`,
        });
      }
      const v = verdict(ctx, chosen.subject);
      if (!v.ok) return ctx.fail(v.failure);

      // Right on paper; now members speak, and the server's delivery count must go up.
      const base = chosen.msgs;
      for (const h of MEMBERS) ctx.publish(ctx.subject(`${ROOM}.${h}`), line(h));
      await ctx.flush();
      let delivered = 0;
      const until = Date.now() + Math.min(3000, ctx.remainingMs());
      for (;;) {
        const now = (await ctx.connections()).flatMap((c) => c.subscriptions).find((s) => key(s) === key(chosen!));
        if (!now) {
          return ctx.fail({
            expected: "your subscription stays while members speak",
            seen: `${ctx.unprefix(chosen.subject)} went away before their lines arrived`,
            idea: "A subscription lives only as long as its connection: stopping nats sub leaves the room",
            hint: "Leave nats sub running until the check has finished.",
          });
        }
        delivered = now.msgs - base;
        if (delivered >= MEMBERS.length || Date.now() >= until) break;
        await ctx.sleep(25);
      }
      if (delivered < MEMBERS.length) {
        return ctx.fail({
          expected: `the ${MEMBERS.length} lines from ${MEMBERS.join(" and ")} delivered to ${ctx.unprefix(chosen.subject)}`,
          seen: `the server counted ${delivered} delivered`,
          idea: "A subscription receives exactly the messages whose subjects match it",
          hint: "Is your subscriber a slow consumer or paused? Start it again and rerun the check.",
        });
      }
      earlyGreeting = lines.messages.find((m) => isAttempt(ctx, m));
      return `${ctx.unprefix(chosen.subject)} heard ${MEMBERS.join(" and ")} (${NEWCOMER} joined just now)`;
    },
  },
  {
    name: "you say hello as yourself, on oslo.chatroom.<your handle>",
    idea: "Fan-in: many speakers, one room; the last token of the subject says who spoke",
    hint: `Publish to ${ROOM}.<handle>, e.g. nats pub ${ROOM}.kari "Hei!"`,
    async run(ctx) {
      let greeting = earlyGreeting;
      if (!greeting) {
        const lines = ctx.watch(ctx.subject(">"), { label: "your greeting" });
        // On a shared server, also catch the greeting that forgot the namespace.
        const bare = ctx.ns ? ctx.watch(`*.chatroom.>`, { label: "your greeting" }) : undefined;
        const bareRoom = ctx.ns ? ctx.watch(`*.chatroom`, { label: "your greeting" }) : undefined;
        await ctx.flush();
        ctx.waiting(`Now say hello in the room as yourself: nats pub ${ctx.subject(`${ROOM}.<your handle>`)} "Hei!"`);
        const [m] = await Promise.race([
          lines.waitFor(1, { filter: (m) => isAttempt(ctx, m) }),
          ...(bare ? [bare.waitFor(1)] : []),
          ...(bareRoom ? [bareRoom.waitFor(1)] : []),
        ]);
        greeting = m;
      }
      if (!greeting) {
        return ctx.fail({
          expected: `a greeting on ${ROOM}.<your handle>`,
          seen: "no message in the room, nor on anything like it, before the time limit",
          idea: "Publishing is fire-and-forget: the check only sees a message sent while it listens",
          hint: `While this check waits, run: nats pub ${ctx.subject(`${ROOM}.kari`)} "Hei fra Kari!"`,
        });
      }
      const failure = diagnose(ctx, greeting);
      if (failure) return ctx.fail(failure);
      const handle = greeting.subject.split(".").slice(ctx.subject(ROOM).split(".").length).join(".");
      return `"${greeting.text}" from ${handle}, heard by everyone on ${ROOM}.>`;
    },
  },
];

/** Subscriptions that look like an attempt to join (other traffic on a shared server is left alone). */
async function candidates(ctx: CheckContext): Promise<SubscriptionInfo[]> {
  return (await ctx.connections())
    .flatMap((c) => c.subscriptions)
    .filter((s) => !s.subject.startsWith("_INBOX.") && !s.subject.startsWith("$"))
    .filter((s) => !ctx.ns || s.subject.startsWith(ctx.ns) || s.subject.split(".")[0] === ">")
    .filter((s) => {
      const u = ctx.unprefix(s.subject).toLowerCase();
      return u.includes("chat") || u.startsWith("oslo") || MUST.some((m) => ctx.matches(s.subject, ctx.subject(m)));
    });
}

function verdict(ctx: CheckContext, pattern: string): { ok: true } | { ok: false; failure: FailureDetails } {
  const missed = MUST.filter((s) => !ctx.matches(pattern, ctx.subject(s)));
  const extra = MUST_NOT.filter((s) => ctx.matches(pattern, ctx.subject(s)));
  if (!missed.length && !extra.length) return { ok: true };

  const shown = ctx.unprefix(pattern);
  const table = [
    ...MUST.map((s) => `  ${missed.includes(s) ? "✘ misses  " : "✔ receives"} ${s}`),
    ...MUST_NOT.map((s) => `  ${extra.includes(s) ? "✘ receives" : "✔ ignores "} ${s}`),
  ].join("\n");
  const expected = `one subscription that receives ${ROOM}.<handle> for every handle, and nothing from other rooms`;
  const seen = `your subscription ${shown}:\n${table}`;
  const fail = (idea: string, hint: string, more = ""): { ok: false; failure: FailureDetails } => ({
    ok: false,
    failure: { expected, seen: seen + more, idea, hint },
  });

  if (shown === ROOM) {
    return fail(
      "A subject without wildcards matches only itself: the members speak one token deeper",
      `Members speak on ${ROOM}.<handle>; listen with a wildcard for that token: "${ROOM}.>"`,
    );
  }
  if (extra.length) {
    return fail(
      "A wildcard too far to the left hears more than you meant: here, other rooms",
      `Keep ${ROOM} literal and put the wildcard after it: "${ROOM}.>"`,
    );
  }
  if (!shown.includes("*") && !shown.includes(">")) {
    return fail(
      "A room is fan-out to everyone listening: one wildcard covers every member, even those who join later",
      `A subject naming one member hears only that member (${NEWCOMER} joined just now). Use "${ROOM}.>".`,
    );
  }
  if (pattern !== pattern.toLowerCase()) {
    return fail("Subjects are case sensitive, wildcards included", `Write it in lowercase: "${ROOM}.>"`);
  }
  return fail("Subjects match token by token: * is one token, > the rest", `Compare your subject with ${ROOM}.ada token by token.`);
}

/** Messages in the namespace that look like the learner's greeting (not the members the check plays). */
function isAttempt(ctx: CheckContext, m: SeenMessage): boolean {
  if (m.subject.startsWith("$") || m.subject.startsWith("_INBOX.")) return false;
  if (MEMBERS.some((h) => m.subject === ctx.subject(`${ROOM}.${h}`) && m.text === line(h))) return false;
  const u = ctx.unprefix(m.subject).toLowerCase();
  return u.includes("chat") || u.startsWith("oslo");
}

function diagnose(ctx: CheckContext, m: SeenMessage): FailureDetails | undefined {
  const room = ctx.subject(ROOM);
  const subject = ctx.unprefix(m.subject);
  const seen = `a message on ${subject}: "${m.text}"`;
  const expected = `a greeting on ${ROOM}.<your handle>`;
  if (ctx.ns && !m.subject.startsWith(ctx.ns)) {
    return {
      expected: `a greeting on ${room}.<your handle>`,
      seen: `a message on ${m.subject}: without your namespace "${ctx.ns}" in front`,
      idea: "On a shared server each learner's subjects start with their namespace",
      hint: `Publish to ${room}.<your handle>.`,
    };
  }
  if (m.subject === room) {
    return {
      expected,
      seen: `${seen}. The room listens on ${ROOM}.>, and > needs at least one token after chatroom, so a message on ${ROOM} itself matches nobody's subscription: nobody in the room heard you`,
      idea: "> matches at least one token: the speaker's handle is that token, and it is what makes fan-in readable",
      hint: `Put your handle last: nats pub ${room}.kari "${m.text || "Hei!"}"`,
    };
  }
  if (m.subject.startsWith(`${room}.`)) {
    if (!m.data.length) {
      return {
        expected: `${expected}, with something to say`,
        seen: `an empty message on ${subject}`,
        idea: "The payload is the message; the subject only addresses it",
        hint: `Give the greeting a body: nats pub ${m.subject} "Hei!"`,
      };
    }
    return undefined;
  }
  if (subject.toLowerCase().startsWith(`${ROOM}.`)) {
    return {
      expected,
      seen: `${seen}: that differs from ${ROOM} in case, and subjects are case sensitive`,
      idea: "Subjects are case sensitive",
      hint: `Write the room in lowercase: ${room}.<your handle>`,
    };
  }
  return {
    expected,
    seen: `${seen}: not in the ${ROOM} room, so its members did not hear it`,
    idea: "A message reaches only the subscriptions that match its subject",
    hint: `Publish to ${room}.<your handle>`,
  };
}

