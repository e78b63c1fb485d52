import type { Check, CheckContext, ProgramHandle, SubscriptionInfo } from "../../src/check/types.js";

const SUBJECT = "cities.search";
const CITIES = [
  "oslo", "bergen", "trondheim", "stavanger", "drammen", "fredrikstad", "kristiansand",
  "sandnes", "tromsø", "sarpsborg", "skien", "ålesund", "sandefjord", "haugesund",
  "tønsberg", "moss", "porsgrunn", "bodø", "arendal", "hamar",
];
const MAX_WAIT_MS = 2000;
// Two searches with several results (picked at random each run) and one that matches nothing.
const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
const QUERIES = [pick(["sand", "ha", "org"]), pick(["en", "st", "s"]), `x${Math.random().toString(36).slice(2, 5).replace(/[a-z]/g, "q")}`];

interface Answer {
  texts: string[];
  sizes: number[];
  endedBySentinel: boolean;
  tookMs: number;
  noResponders: boolean;
}

export const checks: Check[] = [
  {
    name: "your program listens for searches on cities.search",
    idea: "A responder is a subscriber that answers on the request's reply subject",
    async run(ctx) {
      const program = await ctx.startProgram({ waitForSubscriptions: 1 });
      const subs = await searchSubscription(ctx, program);
      return `subscribed to ${subs.map((s) => ctx.unprefix(s.subject)).join(", ")}`;
    },
  },
  {
    name: "each answer is one message per city, ended by an empty message",
    idea: "The sentinel strategy: the responder marks the end of a multi-message answer with an empty message",
    async run(ctx) {
      const program = await ctx.startProgram({ waitForSubscriptions: 1 });
      await searchSubscription(ctx, program);

      const summary: string[] = [];
      for (const q of QUERIES) {
        const want = CITIES.filter((c) => c.includes(q));
        const a = await ask(ctx, q);
        const got = a.texts.filter((t, i) => a.sizes[i] > 0);
        const shown = got.length ? got.map((t) => JSON.stringify(t)).join(", ") : "no cities";
        const wantShown = want.length ? `${want.map((c) => JSON.stringify(c)).join(", ")}, then an empty message` : "just an empty message: nothing matches";

        if (a.noResponders) {
          return ctx.fail({
            expected: `an answer to the search "${q}"`,
            seen: "no responders: your program's subscription is gone",
            idea: "A responder must keep its subscription while it runs",
            hint: "Loop over the subscription for as long as the program runs; no `max`, no unsubscribe.",
          });
        }
        if (!a.endedBySentinel) {
          const single = got.length === 1 && got[0].includes("\n");
          if (single) {
            return ctx.fail({
              expected: `for "${q}": ${wantShown}`,
              seen: `one message holding all the cities: ${JSON.stringify(got[0])}`,
              idea: "Stream a multi-part answer as one message per part, ended by an empty message",
              hint: "Call m.respond(city) for each city, then m.respond() with no payload.",
            });
          }
          return ctx.fail({
            expected: `for "${q}": ${wantShown}`,
            seen: `${got.length ? `${shown}, and then nothing` : "nothing at all"}: no empty message came, so a requester gathering with the sentinel strategy waited the full ${MAX_WAIT_MS / 1000} s (its timeout) before it could use the answer${want.length === 0 ? `; and with nothing to say, a requester cannot tell "no matches" from "no answer yet"` : ""}`,
            idea: "A requester cannot know how many replies will come: the responder ends its answer with an empty message, the sentinel",
            hint: "After the loop over the matching cities, call m.respond() with no payload: that empty message ends the answer.",
          });
        }
        if (got.join("\n") !== want.join("\n")) {
          const oneMessage = got.length === 1 && got[0].includes("\n");
          return ctx.fail({
            expected: `for "${q}": ${wantShown}`,
            seen: `${shown}, then the empty message`,
            idea: oneMessage ? "Stream a multi-part answer as one message per part" : "Each matching city is its own reply message, in list order",
            hint: oneMessage
              ? "Call m.respond(city) once per city instead of joining them."
              : "Match with city.includes(text), where text = m.string(), and respond once per matching city.",
          });
        }
        summary.push(`"${q}": ${want.length} cit${want.length === 1 ? "y" : "ies"} in ${a.tookMs} ms`);
      }
      return summary.join("; ");
    },
  },
];

/** One search, gathered the way the lesson teaches: until the empty message, or the timeout. */
async function ask(ctx: CheckContext, q: string): Promise<Answer> {
  const started = Date.now();
  const texts: string[] = [];
  const sizes: number[] = [];
  let endedBySentinel = false;
  let noResponders = false;
  ctx.note(`request "${q}" on ${SUBJECT} (sentinel strategy, up to ${MAX_WAIT_MS} ms)`);
  try {
    const replies = await ctx.nc.requestMany(ctx.subject(SUBJECT), q, { strategy: "sentinel", maxWait: Math.min(MAX_WAIT_MS, ctx.remainingMs()) });
    for await (const m of replies) {
      texts.push(m.string());
      sizes.push(m.data.length);
      ctx.note(`reply ${texts.length}: ${m.data.length ? JSON.stringify(m.string()) : "(empty message)"}`);
      if (m.data.length === 0) endedBySentinel = true;
    }
  } catch (err) {
    if (err instanceof Error && /no responders/i.test(err.message)) noResponders = true;
    else throw err;
  }
  return { texts, sizes, endedBySentinel, tookMs: Date.now() - started, noResponders };
}

/** Waits for the program to subscribe to the search subject; fails with what the server shows when it does not. */
async function searchSubscription(ctx: CheckContext, program: ProgramHandle): Promise<SubscriptionInfo[]> {
  const target = ctx.subject(SUBJECT);
  const conns = await program.connections();
  if (!conns.length) {
    return ctx.fail({
      expected: "your program connects to the server",
      seen: `no new connection appeared; ${program.isRunning() ? "the program is still running" : "the program has stopped"}`,
      idea: "A client talks to NATS over one long-lived connection",
      hint: "Run it yourself (npx tsx main.ts) and read what it prints.",
    });
  }
  const subs = conns.flatMap((c) => c.subscriptions).filter((s) => !s.subject.startsWith("_INBOX."));
  const matching = subs.filter((s) => ctx.matches(s.subject, target));
  if (!matching.length) {
    return ctx.fail({
      expected: `a subscription on ${SUBJECT}`,
      seen: subs.length ? `your program subscribes to ${subs.map((s) => ctx.unprefix(s.subject)).join(", ")}` : "your program connected but has no subscription",
      idea: "A responder is a subscriber that answers on the request's reply subject",
      hint: `const sub = nc.subscribe(\`\${prefix}${SUBJECT}\`); then for await (const m of sub) { ... }`,
    });
  }
  return matching;
}

