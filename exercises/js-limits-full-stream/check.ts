import type { Check, CheckContext, RequestOutcome } from "../../src/check/types.js";
import type { DiscardPolicy } from "@nats-io/jetstream";

const STREAM = "TICKETS";
const LIMIT = 5;
const EXTRA = 3;
const PROBLEMS = ["printer jammed", "no coffee in 3rd floor kitchen", "VPN drops every hour", "badge does not open door B", "projector shows blue", "laptop fan loud", "Wi-Fi slow in room Hamar", "mouse missing", "screen flickers"];

interface Answer {
  ticket: string;
  outcome: RequestOutcome["kind"];
  text?: string;
}
interface Round {
  tickets: string[];
  room: Answer[];
  full: Answer[];
  again: Answer[];
  /** seq -> ticket, after each phase. */
  afterRoom: Map<number, string>;
  afterFull: Map<number, string>;
  afterAgain: Map<number, string>;
  freed: number[];
  /** A check that passes leaves the stream to the next one. */
  keep: boolean;
}

let round: Round | undefined;

export const checks: Check[] = [
  {
    name: "it stores each ticket and replies \"stored <seq>\" while there is room",
    idea: "A JetStream publish is a request: the stream answers with an ack that carries the message's sequence",
    async run(ctx) {
      round = undefined;
      const r = await playRoom(ctx);
      round = r;
      for (const a of r.room) {
        const at = seqOf(r.afterRoom, a.ticket);
        if (a.outcome !== "reply") return ctx.fail(noAnswer(ctx, a, r));
        if (!/^stored\b/i.test(a.text!)) {
          return ctx.fail({
            expected: `"stored <seq>" for "${a.ticket}" (the stream had room: ${r.afterRoom.size} of ${LIMIT} tickets)`,
            seen: `"${a.text}"`,
            idea: "While the stream has room it stores every message it captures",
            hint: 'Reply "stored " followed by ack.seq, the sequence the stream gave the ticket.',
          });
        }
        if (at === undefined) {
          return ctx.fail({
            expected: `the ticket "${a.ticket}" in the stream ${STREAM}, since your desk replied "${a.text}"`,
            seen: `the stream holds ${describe(r.afterRoom)}`,
            idea: "A stream stores only what is published on the subjects it captures",
            hint: `Publish the ticket to ${ctx.subject("tickets.new")}.`,
          });
        }
        const said = Number(/\d+/.exec(a.text!)?.[0]);
        if (!Number.isNaN(said) && said !== at) {
          return ctx.fail({
            expected: `"stored ${at}" for "${a.ticket}": the stream keeps it at sequence ${at}`,
            seen: `"${a.text}"`,
            idea: "The ack of a JetStream publish carries the sequence the stream gave the message",
            hint: "const ack = await js.publish(...); then reply `stored ${ack.seq}`.",
          });
        }
      }
      r.keep = true;
      return r.room.map((a) => a.text).join(", ");
    },
  },
  {
    name: "when the stream is full, it replies \"full\" instead of pretending",
    idea: "With discard new, a full stream refuses new messages (error 10077); only a publisher that waits for the ack hears it",
    async run(ctx) {
      const r = round;
      if (!r) return ctx.fail({ expected: "the round played by the check before", seen: "none", idea: "Each check judges the round the first check played", hint: "Run the whole check again." });
      r.keep = false;
      cleanUp(ctx, false);
      await playFull(ctx, r);
      const lied = r.full.filter((a) => a.outcome === "reply" && /^stored\b/i.test(a.text!) && seqOf(r.afterFull, a.ticket) === undefined);
      if (lied.length) {
        return ctx.fail({
          expected: `"full" for the ${EXTRA} tickets sent once ${LIMIT} were waiting`,
          seen: `your desk replied "${lied[0].text}" to ${lied.map((a) => `"${a.ticket}"`).join(", ")}, but the stream still holds only the ${r.afterFull.size} tickets stored before (sequences ${[...r.afterFull.keys()].join(", ")}). It refused them with error 10077 "maximum messages exceeded" (max_msgs ${LIMIT}, discard new), and your desk never heard it: those senders think their tickets are safe, and they are lost`,
          idea: "A full stream with discard new answers a publish with error 10077; nc.publish() is fire-and-forget and never sees that answer",
          hint: 'Store with `await js.publish(...)` (js = jetstream(nc)) and catch the error: a JetStreamApiError with code 10077 means "full".',
        });
      }
      for (const a of r.full) {
        if (a.outcome !== "reply") return ctx.fail({ ...noAnswer(ctx, a, r), idea: "A request deserves an answer, and a refusal is an answer too" });
        if (!/^full\b/i.test(a.text!)) {
          return ctx.fail({
            expected: `"full" for "${a.ticket}": the stream already held ${LIMIT} tickets`,
            seen: `"${a.text}"`,
            idea: "With discard new a full stream refuses new messages with error 10077",
            hint: 'Catch the error of js.publish: err instanceof JetStreamApiError && err.code === 10077 means the stream is full: reply "full".',
          });
        }
      }
      r.keep = true;
      return `${r.full.length} × "full"; the stream kept its ${r.afterFull.size} waiting tickets`;
    },
  },
  {
    name: "once there is room again, it stores tickets again",
    idea: "discard new is back-pressure, not a dead end: as soon as messages leave the stream, new ones fit",
    async run(ctx) {
      const r = round;
      cleanUp(ctx, true);
      if (!r) return ctx.fail({ expected: "the round played by the check before", seen: "none", idea: "Each check judges the round the first check played", hint: "Run the whole check again." });
      const a = r.again[0];
      if (a.outcome !== "reply") return ctx.fail(noAnswer(ctx, a, r));
      const at = seqOf(r.afterAgain, a.ticket);
      if (!/^stored\b/i.test(a.text!) || at === undefined) {
        return ctx.fail({
          expected: `"stored <seq>" for "${a.ticket}": I removed ${r.freed.length} handled tickets (sequences ${r.freed.join(", ")}), so the stream had room again`,
          seen: `"${a.text}"; the stream holds ${describe(r.afterAgain)}`,
          idea: "Ask the stream every time: whether it has room changes as messages come and go",
          hint: "Do not remember \"full\": publish each ticket with js.publish and reply with what the stream answered this time.",
        });
      }
      return `"${a.text}"`;
    },
  },
];

/** Every check removes the stream afterwards unless it passed and a later check needs it. */
function cleanUp(ctx: CheckContext, last: boolean) {
  ctx.defer(async () => {
    if (last || !round?.keep) await (await ctx.jsm()).streams.delete(ctx.name(STREAM)).catch(() => {});
  });
}

/** Starts the desk and waits for its subscription on intake. */
async function startDesk(ctx: CheckContext, label?: string): Promise<void> {
  const program = await ctx.startProgram({ label, waitForSubscriptions: 1 });
  const intake = ctx.subject("intake");
  const subs = await ctx.waitForSubscriptions({ subject: intake, timeoutMs: 8000 });
  if (subs.length === 0) {
    const own = (await program.connections()).flatMap((c) => c.subscriptions.map((s) => s.subject)).filter((s) => !s.startsWith("_INBOX."));
    return ctx.fail({
      expected: `your desk subscribes to ${intake}`,
      seen: own.length ? `it subscribed to ${own.map(ctx.unprefix).join(", ")}` : program.isRunning() ? "no subscription from your program" : "your program stopped before it subscribed",
      idea: "A service listens on its request subject",
      hint: "nc.subscribe(`${prefix}intake`) and answer each message with m.respond(...).",
    });
  }
}

async function send(ctx: CheckContext, ticket: string): Promise<Answer> {
  const o = await ctx.request(ctx.subject("intake"), ticket, { timeoutMs: 2000 });
  return o.kind === "reply" ? { ticket, outcome: o.kind, text: o.message.text.trim() } : { ticket, outcome: o.kind };
}

/** A fresh stream with room for LIMIT tickets, and the desk storing that many. */
async function playRoom(ctx: CheckContext): Promise<Round> {
  const name = ctx.name(STREAM);
  const jsm = await ctx.jsm();
  await jsm.streams.delete(name).catch(() => {});
  await jsm.streams.add({ name, subjects: [ctx.subject("tickets.>")], max_msgs: LIMIT, discard: "new" as DiscardPolicy });
  const tickets = [...PROBLEMS].sort(() => Math.random() - 0.5).map((p) => `#${Math.floor(1000 + Math.random() * 9000)} ${p}`);
  const r: Round = { tickets, room: [], full: [], again: [], afterRoom: new Map(), afterFull: new Map(), afterAgain: new Map(), freed: [], keep: false };
  round = r;
  cleanUp(ctx, false);
  ctx.note(`created the stream ${STREAM}: max_msgs ${LIMIT}, discard new`);
  await startDesk(ctx);
  for (const t of tickets.slice(0, LIMIT)) r.room.push(await send(ctx, t));
  r.afterRoom = await contents(ctx, name);
  return r;
}

/** The desk again (restarted), in front of the full stream; then two tickets leave and one more comes. */
async function playFull(ctx: CheckContext, r: Round): Promise<void> {
  const name = ctx.name(STREAM);
  const jsm = await ctx.jsm();
  await startDesk(ctx, "your desk (second run)");
  for (const t of r.tickets.slice(LIMIT, LIMIT + EXTRA)) r.full.push(await send(ctx, t));
  r.afterFull = await contents(ctx, name);
  // Two tickets were handled: they leave the stream, and there is room again.
  r.freed = [...r.afterFull.keys()].slice(0, 2);
  for (const seq of r.freed) await jsm.streams.deleteMessage(name, seq);
  ctx.note(`removed handled tickets at sequences ${r.freed.join(", ")}`);
  r.again = [await send(ctx, r.tickets[LIMIT + EXTRA])];
  r.afterAgain = await contents(ctx, name);
}

/** The stream's messages, seq -> body. */
async function contents(ctx: CheckContext, name: string): Promise<Map<number, string>> {
  const jsm = await ctx.jsm();
  const info = await jsm.streams.info(name);
  const out = new Map<number, string>();
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && seq > 0; seq++) {
    const m = await jsm.streams.getMessage(name, { seq }).catch(() => null);
    if (m) out.set(seq, m.string());
  }
  return out;
}

function seqOf(m: Map<number, string>, ticket: string): number | undefined {
  for (const [seq, body] of m) if (body === ticket) return seq;
  return undefined;
}

function describe(m: Map<number, string>): string {
  if (m.size === 0) return "no tickets at all";
  return `${m.size} ticket${m.size === 1 ? "" : "s"} (${[...m].map(([s, b]) => `${s}: "${b}"`).join(", ")})`;
}

function noAnswer(ctx: CheckContext, a: Answer, r: Round) {
  const inStream = r.afterFull.size >= LIMIT;
  return {
    expected: `an answer to the ticket "${a.ticket}" on ${ctx.subject("intake")}`,
    seen:
      a.outcome === "no-responders"
        ? "no responders: nobody listens on intake any more (did your desk stop?)"
        : `no reply within 2 s${inStream ? `; by then the stream was full and refused it with error 10077, so a desk that only answers on success stays silent` : ""}`,
    idea: "A request deserves an answer, and a refusal is an answer too",
    hint: "Answer every request with m.respond(...), in the catch branch as well.",
  };
}
