import type { Check, CheckContext, ProgramHandle, SeenMessage, Watcher } from "../../src/check/types.js";

const rand = () => Math.random().toString(16).slice(2, 10);

interface Round {
  /** The trace id the check sent, if any. */
  sent?: string;
  payload: string;
  reply: SeenMessage;
  announced: SeenMessage;
}

export const checks: Check[] = [
  {
    name: "it announces each order on orders.placed and answers the request",
    idea: "A service can answer its caller and tell others at the same time: a reply plus a publish",
    async run(ctx) {
      const { watcher } = await start(ctx);
      const r = await placeOrder(ctx, watcher, rand());
      if (r.reply.text !== "accepted") {
        return ctx.fail({
          expected: `the reply "accepted"`,
          seen: `the reply "${r.reply.text}"`,
          idea: "The reply's payload is the answer the caller reads",
          hint: 'm.respond("accepted", ...)',
        });
      }
      return `reply "accepted", orders.placed ${r.announced.text}`;
    },
  },
  {
    name: "the reply and the announcement carry the caller's trace-id",
    idea: "Propagate the trace id: every message sent because of a request carries the request's trace id",
    async run(ctx) {
      const { watcher } = await start(ctx);
      // Two orders with two ids: an id remembered from an earlier request shows up as the wrong one.
      for (const id of [`t-${rand()}`, `t-${rand()}`]) {
        const r = await placeOrder(ctx, watcher, id);
        const onReply = traceId(r.reply);
        const onEvent = traceId(r.announced);
        const seen = `I requested with trace-id: ${id}. ${summary(r)}`;
        if (onEvent === undefined || onReply === undefined) {
          const where = [onEvent === undefined && "orders.placed", onReply === undefined && "the reply"].filter(Boolean).join(" and ");
          return ctx.fail({
            expected: `trace-id: ${id} on the reply and on orders.placed`,
            seen: `${seen}\n${where} had no trace-id header, so the chain breaks at your service: the logs of billing and the mailer can no longer be joined to this order`,
            idea: "Propagate the trace id: copy it from the request onto every message you send because of it",
            hint: "const h = headers(); h.set(\"trace-id\", m.headers?.get(\"trace-id\") ...); then nc.publish(..., { headers: h }) and m.respond(..., { headers: h }).",
          });
        }
        if (onEvent !== id || onReply !== id) {
          return ctx.fail({
            expected: `trace-id: ${id} on the reply and on orders.placed`,
            seen: `${seen}\nthe caller's id was ${id}, but your service sent ${[...new Set([onReply, onEvent].filter((x) => x !== id))].join(" and ")}: that starts a new chain instead of continuing the caller's`,
            idea: "A trace id is made up once, where the chain starts; every later message copies it",
            hint: "Read the id from this request's headers (m.headers?.get(\"trace-id\")) and make up a new one only when there is none.",
          });
        }
      }
      return "both orders kept their caller's trace-id on the reply and on orders.placed";
    },
  },
  {
    name: "an order without a trace-id starts one new chain",
    idea: "The first message of a chain gets a new trace id, and everything after it shares that one id",
    async run(ctx) {
      const { watcher } = await start(ctx);
      const r = await placeOrder(ctx, watcher, undefined);
      const onReply = traceId(r.reply);
      const onEvent = traceId(r.announced);
      const seen = `I requested without a trace-id. ${summary(r)}`;
      if (!onReply || !onEvent) {
        return ctx.fail({
          expected: "a new, non-empty trace-id, the same on the reply and on orders.placed",
          seen: `${seen}\n${!onEvent ? "orders.placed" : "the reply"} had ${onEvent === "" || onReply === "" ? "an empty trace-id" : "no trace-id"}: this order's chain was never started`,
          idea: "A request without a trace id is the start of a chain: that is where a new id is made",
          hint: 'const id = m.headers?.get("trace-id") || crypto.randomUUID(); (get() returns "" when the header is missing)',
        });
      }
      if (onReply !== onEvent) {
        return ctx.fail({
          expected: "one new trace-id, the same on the reply and on orders.placed",
          seen: `${seen}\nthe reply says ${onReply} and orders.placed says ${onEvent}: one order became two chains`,
          idea: "Make the id once per request, then put that one id on everything you send for it",
          hint: "Make the id before sending anything, and build both messages' headers from it.",
        });
      }
      return `a new chain ${onReply} on both messages`;
    },
  },
];

/** Starts the service and a watcher on orders.placed; fails with what the server shows when it does not subscribe. */
async function start(ctx: CheckContext): Promise<{ program: ProgramHandle; watcher: Watcher }> {
  const watcher = ctx.watch(ctx.subject("orders.placed"), { label: "announcements" });
  await ctx.flush();
  const program = await ctx.startProgram({ waitForSubscriptions: 1 });
  const subs = await ctx.waitForSubscriptions({ subject: ctx.subject("orders.place"), count: 1, timeoutMs: 3000 });
  if (subs.length === 0) {
    const theirs = (await program.connections()).flatMap((c) => c.subscriptions).filter((s) => !s.subject.startsWith("_INBOX."));
    return ctx.fail({
      expected: "your service subscribed to orders.place",
      seen: theirs.length
        ? `your program subscribes to ${theirs.map((s) => ctx.unprefix(s.subject)).join(", ")}`
        : `no subscription from your program; ${program.isRunning() ? "it is still running" : "it has stopped"}`,
      idea: "A service receives requests through a subscription on its subject",
      hint: "nc.subscribe(`${prefix}orders.place`), then answer in a for await loop.",
    });
  }
  return { program, watcher };
}

/** Places one order (with or without a trace id) and collects the reply and the matching announcement. */
async function placeOrder(ctx: CheckContext, watcher: Watcher, trace: string | undefined): Promise<Round> {
  const payload = JSON.stringify({ order: Math.floor(Math.random() * 90000 + 10000), item: "espresso beans" });
  const out = await ctx.request(ctx.subject("orders.place"), payload, {
    timeoutMs: 3000,
    ...(trace === undefined ? {} : { headers: { "trace-id": trace } }),
  });
  if (out.kind !== "reply") {
    return ctx.fail({
      expected: `an answer to the request on orders.place (${payload})`,
      seen: out.kind === "timeout" ? `no answer within ${out.afterMs} ms: the service got the request and did not respond` : "no responders: nobody is subscribed to orders.place",
      idea: "A service answers on the request's reply subject",
      hint: 'm.respond("accepted", { headers: h }) in the loop.',
    });
  }
  const [announced] = await watcher.waitFor(1, { filter: (m) => m.text === payload, timeoutMs: 2000 });
  if (!announced) {
    const other = watcher.messages.map((m) => `"${m.text}"`).join(", ");
    return ctx.fail({
      expected: `the order ${payload} published on orders.placed`,
      seen: `your service answered "${out.message.text}", but ${other ? `orders.placed only carried ${other}` : "nothing came on orders.placed"} within 2 s`,
      idea: "Billing and the mailer learn about orders from orders.placed: the service must publish the order there",
      hint: "nc.publish(`${prefix}orders.placed`, m.data, ...) for every request: the payload unchanged.",
    });
  }
  return { sent: trace, payload, reply: out.message, announced };
}

/** The trace-id header's first value (name matched case-insensitively), undefined when absent. */
function traceId(m: SeenMessage | undefined): string | undefined {
  const h = m?.headers;
  if (!h) return undefined;
  const key = h.keys().find((k) => k.toLowerCase() === "trace-id");
  return key === undefined ? undefined : h.get(key);
}

function summary(r: Round): string {
  const show = (m: SeenMessage | undefined) => {
    if (!m) return "(nothing)";
    const hs = m.headers ? m.headers.keys().flatMap((k) => m.headers!.values(k).map((v) => `${k}: ${v}`)) : [];
    return `"${m.text}" headers ${hs.length ? `[${hs.join(" | ")}]` : "none"}`;
  };
  return `Your service sent:\n  reply          ${show(r.reply)}\n  orders.placed  ${show(r.announced)}`;
}
