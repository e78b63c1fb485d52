import type { Check, CheckContext, FailureDetails, SubscriptionInfo } from "../../src/check/types.js";

// A city the learner cannot guess, so a subscription listing known cities shows up as one.
const SOME_CITY = ["tromso", "hamar", "stavanger", "bodo", "alta"][Math.floor(Math.random() * 5)];
const MUST = ["hello.meetup.oslo", "hello.meetup.bergen", `hello.meetup.${SOME_CITY}`, "hello.meetup.oslo.pizza", "hello.meetup.bergen.bryggen.loft"];
const MUST_NOT = ["hello.world", "hello.ada.dm", "hello.linus.dm"];

export const checks: Check[] = [
  {
    name: "one subscription receives every meetup subject and nothing else",
    idea: "Wildcards: * matches exactly one token, > matches one or more at the end",
    hint: "Count the tokens of the subjects that must match: the first two are fixed, then come one or more.",
    async run(ctx) {
      const key = (s: SubscriptionInfo) => `${s.cid} ${s.subject} ${s.queue ?? ""}`;
      const before = await candidates(ctx);
      const oldKeys = new Set(before.map(key));

      let chosen = before.find((s) => verdict(ctx, s.subject).ok);
      if (!chosen) {
        ctx.waiting(`Subscribe in another terminal, e.g.  nats sub "${ctx.subject("hello.meetup.<wildcard>")}"  and keep it running`);
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
          expected: `a subscription that receives ${MUST.map((s) => ctx.unprefix(ctx.subject(s))).join(", ")}`,
          seen: `no new subscription appeared before the time limit${old.length ? `; subscriptions already there: ${old.join(", ")} (none of them fits)` : ""}`,
          idea: "The check sees the subscriptions of every connection on the server",
          hint: `Keep this check running and, in a second terminal, run nats sub with your wildcard subject (quote it).`,
        });
      }

      const v = verdict(ctx, chosen.subject);
      if (!v.ok) return ctx.fail(v.failure);

      // The subject is right on paper; now prove it on the wire.
      const base = chosen.msgs;
      for (const s of [...MUST, ...MUST_NOT]) ctx.publish(ctx.subject(s), `test message for ${s}`);
      await ctx.flush();
      let delivered = 0;
      const until = Date.now() + Math.min(3000, ctx.remainingMs());
      for (;;) {
        const now = (await ctx.connections()).flatMap((c) => c.subscriptions).find((s) => key(s) === key(chosen!));
        if (!now) {
          return ctx.fail({
            expected: "your subscription stays while the check publishes",
            seen: `${ctx.unprefix(chosen.subject)} went away before the test messages arrived`,
            idea: "A subscription lives only as long as its connection: stopping nats sub removes it",
            hint: "Leave nats sub running until the check has finished.",
          });
        }
        delivered = now.msgs - base;
        if (delivered >= MUST.length || Date.now() >= until) break;
        await ctx.sleep(25);
      }
      if (delivered !== MUST.length) {
        return ctx.fail({
          expected: `${MUST.length} of my ${MUST.length + MUST_NOT.length} test messages delivered to ${ctx.unprefix(chosen.subject)}`,
          seen: `the server counted ${delivered} delivered`,
          idea: "A subscription receives exactly the messages whose subjects match it",
          hint: "Another program may have published to these subjects at the same time; run the check again.",
        });
      }
      return `${ctx.unprefix(chosen.subject)} received all ${MUST.length} meetup messages and none of ${MUST_NOT.join(", ")}`;
    },
  },
];

/** Subscriptions that look like an attempt at this exercise (other traffic on a shared or busy server is left alone). */
async function candidates(ctx: CheckContext): Promise<SubscriptionInfo[]> {
  return (await ctx.connections())
    .flatMap((c) => c.subscriptions)
    .filter((s) => !s.subject.startsWith("_INBOX.") && !s.subject.startsWith("$"))
    .filter((s) => !ctx.ns || s.subject.startsWith(ctx.ns))
    .filter((s) => {
      const u = ctx.unprefix(s.subject).toLowerCase();
      return u.startsWith("hello") || u.includes("meetup") || [...MUST, ...MUST_NOT].some((m) => ctx.matches(s.subject, ctx.subject(m)));
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
  const expected = `one subscription that receives every hello.meetup.<city> subject, at any depth, and none of ${MUST_NOT.join(", ")}`;
  const seen = `your subscription ${shown}:\n${table}`;
  const tokens = shown.split(".");

  if (missed.length && !extra.length && tokens[tokens.length - 1] === "*" && missed.every((s) => s.split(".").length > tokens.length)) {
    return {
      ok: false,
      failure: {
        expected,
        seen: `${seen}\nA * matches exactly one token, so the deeper subjects are missed.`,
        idea: "* matches exactly one token; > matches one or more tokens, at the end",
        hint: `Your * stops at one token, so ${missed[0]} (${missed[0].split(".").length} tokens) is missed. Replace the last * with >.`,
      },
    };
  }
  if (extra.length) {
    return {
      ok: false,
      failure: {
        expected,
        seen,
        idea: "A wildcard matches every subject of its shape: placed too far left, it catches more than you meant",
        hint: "Keep the fixed tokens hello.meetup literal and put the wildcard after them.",
      },
    };
  }
  if (!tokens.includes("*") && !tokens.includes(">")) {
    return {
      ok: false,
      failure: {
        expected,
        seen,
        idea: "A subject without wildcards matches only itself",
        hint: "Use a wildcard for the tokens that vary (the city, the venue).",
      },
    };
  }
  if (pattern !== pattern.toLowerCase() && MUST.filter((s) => ctx.matches(pattern.toLowerCase(), ctx.subject(s))).length > MUST.length - missed.length) {
    return { ok: false, failure: { expected, seen, idea: "Subjects are case sensitive, wildcards included", hint: "Write the literal tokens in lowercase: hello.meetup" } };
  }
  return {
    ok: false,
    failure: { expected, seen, idea: "Subjects match token by token: * is one token, > the rest", hint: "Compare your subject with hello.meetup.oslo and hello.meetup.oslo.pizza token by token." },
  };
}

