import type { Check, CheckContext, ProgramHandle } from "../../src/check/types.js";
import type { ConsumerInfo, JetStreamManager } from "@nats-io/jetstream";

const STREAM = "BANK";
const RUN = Math.random().toString(36).slice(2, 6);
const ACCOUNTS = ["ada", "linus", "grace"].map((n) => `${n}-${RUN}`);

interface Event {
  account: string;
  type: "deposited" | "withdrawn";
  amount: number;
}

type Balances = Record<string, number>;

/** Another way the balances could have come out, and what it says about the program. */
interface Suspect {
  balances: Balances;
  why: string;
  idea: string;
  hint: string;
}

export const checks: Check[] = [
  {
    name: "right after it starts, your program knows the balances the history adds up to",
    idea: "Event sourcing: the state is rebuilt by replaying every event in the stream, from the first",
    async run(ctx) {
      const { jsm } = await setup(ctx);
      const history = events(12);
      await publish(ctx, history);
      const program = await start(ctx);
      await expectBalances(ctx, jsm, program, sum(history), "after the start", [
        {
          balances: sum([]),
          why: "every balance is 0, as if there were no history",
          idea: "deliver_policy new starts after the last message in the stream: a rebuild needs deliver_policy all (the default)",
          hint: "js.consumers.get(stream) with no deliver_policy replays from the first event.",
        },
        {
          balances: sum(history.filter((e, i) => history.findLastIndex((x) => x.account === e.account) === i)),
          why: "each balance is the last event of its account alone",
          idea: "deliver_policy last_per_subject gives the newest message of each subject: right for a snapshot, wrong for a sum of events",
          hint: "Replay every event: leave deliver_policy at all.",
        },
      ]);
      return `${ACCOUNTS.map((a) => `${a}: ${sum(history)[a]}`).join(", ")} from ${history.length} events`;
    },
  },
  {
    name: "new events change the balances, each once",
    idea: "After the replay the same consumer keeps delivering new events, each once",
    async run(ctx) {
      const { jsm } = await setup(ctx);
      const history = events(9);
      await publish(ctx, history);
      const program = await start(ctx);
      await expectBalances(ctx, jsm, program, sum(history), "after the start", []);

      const live = events(4);
      await publish(ctx, live);
      ctx.note(`published ${live.length} new events while your program runs`);
      await expectBalances(ctx, jsm, program, sum([...history, ...live]), `after ${live.length} new events`, [
        {
          balances: sum(history),
          why: "the new events did not reach the balances",
          idea: "A replay that stops at the end of the history misses everything after it; consume() keeps going",
          hint: "Keep consuming after the history is in (consume(), not a single fetch()).",
        },
        {
          balances: sum([...history, ...live, ...live]),
          why: "each new event was counted twice",
          idea: "A core subscription on bank.events.* next to the consumer delivers every new event a second time",
          hint: "Take events from the stream's consumer only; drop any nc.subscribe on the event subjects.",
        },
      ]);
      return `${live.length} new events applied once each`;
    },
  },
  {
    name: "after a restart the balances are the same: nothing missed, nothing counted twice",
    idea: "In-memory state is rebuilt from the whole stream on every start; a durable consumer would resume instead",
    async run(ctx) {
      const { jsm } = await setup(ctx);
      const before = events(9);
      await publish(ctx, before);
      let program = await start(ctx);
      await expectBalances(ctx, jsm, program, sum(before), "after the first start", []);

      await program.stop("stopped by the check, to restart it");
      const gone = await ctx.poll(5000, async () => ((await program.connections()).length === 0 ? true : undefined));
      if (!gone) ctx.note("your program's connection was still there 5 s after it stopped");
      const whileDown = events(3);
      await publish(ctx, whileDown);
      ctx.note(`published ${whileDown.length} events while your program was down`);

      program = await start(ctx, "your program, started again");
      await expectBalances(ctx, jsm, program, sum([...before, ...whileDown]), "after the restart", [
        {
          balances: sum(whileDown),
          why: "the balances hold only the events published while your program was down: it forgot the history",
          idea: "A durable consumer resumes where it stopped, but the balances in memory died with the process: replay from the first event on every start",
          hint: "Use an ordered consumer (js.consumers.get(stream) with no name), or a consumer made fresh with deliver_policy all, on every start.",
        },
        {
          balances: sum([...before, ...before, ...whileDown]),
          why: "the history was counted twice: once in a saved state, and again by the replay",
          idea: "Saved state and a full replay together apply every event twice; keep the last applied sequence with the state and start after it",
          hint: "Either replay everything into empty balances, or resume with opt_start_seq = last applied + 1.",
        },
      ]);
      return `restarted: ${ACCOUNTS.map((a) => `${a}: ${sum([...before, ...whileDown])[a]}`).join(", ")}`;
    },
  },
];

/** A fresh BANK stream for this check, removed afterwards. */
async function setup(ctx: CheckContext): Promise<{ jsm: JetStreamManager }> {
  const jsm = await ctx.jsm();
  const stream = ctx.name(STREAM);
  const subject = ctx.subject("bank.events.*");
  await jsm.streams.delete(stream).catch(() => {});
  ctx.defer(() => jsm.streams.delete(stream).catch(() => {}));
  try {
    await jsm.streams.add({ name: stream, subjects: [subject], storage: "memory" });
  } catch (err) {
    return ctx.fail({
      expected: `goingnats can create the stream ${stream} on ${subject}`,
      seen: `the server said "${(err as Error).message}"`,
      idea: "Two streams may not capture the same subject",
      hint: `Delete the stream that captures ${subject} (nats stream ls shows them), then run the check again.`,
    });
  }
  return { jsm };
}

/** Random deposits and withdrawals over the accounts; every account gets at least one deposit first. */
function events(n: number): Event[] {
  const out: Event[] = ACCOUNTS.map((account) => ({ account, type: "deposited", amount: 100 + 10 * Math.floor(Math.random() * 50) }));
  while (out.length < n) {
    const account = ACCOUNTS[Math.floor(Math.random() * ACCOUNTS.length)];
    const deposit = Math.random() < 0.55;
    out.push({ account, type: deposit ? "deposited" : "withdrawn", amount: 5 * (1 + Math.floor(Math.random() * (deposit ? 40 : 15))) });
  }
  return n < ACCOUNTS.length ? out.slice(0, n) : out.sort(() => Math.random() - 0.5);
}

async function publish(ctx: CheckContext, evs: Event[]): Promise<void> {
  for (const e of evs) await ctx.js().publish(ctx.subject(`bank.events.${e.account}`), JSON.stringify({ type: e.type, amount: e.amount }));
}

function sum(evs: Event[]): Balances {
  const b: Balances = Object.fromEntries(ACCOUNTS.map((a) => [a, 0]));
  for (const e of evs) b[e.account] += e.type === "deposited" ? e.amount : -e.amount;
  return b;
}

/** Starts the program and waits for its subscription on bank.balance.*. */
async function start(ctx: CheckContext, label?: string): Promise<ProgramHandle> {
  const program = await ctx.startProgram({ label, waitForSubscriptions: 1 });
  const probe = ctx.subject(`bank.balance.${ACCOUNTS[0]}`);
  const subs = await ctx.poll(8000, async () => {
    const s = (await program.connections()).flatMap((c) => c.subscriptions);
    return s.some((x) => ctx.matches(x.subject, probe)) ? s : undefined;
  });
  if (subs) return program;
  const own = (await program.connections()).flatMap((c) => c.subscriptions).filter((s) => !s.subject.startsWith("_INBOX."));
  return ctx.fail({
    expected: `your program answers requests on ${ctx.subject("bank.balance.*")}`,
    seen: own.length ? `it subscribes to ${own.map((s) => ctx.unprefix(s.subject)).join(", ")}` : program.isRunning() ? "it has no subscription yet" : `it stopped. It printed:\n${program.output().slice(-500) || "(nothing)"}`,
    idea: "A service answers on its own subject; the account is the last token",
    hint: "nc.subscribe(`${prefix}bank.balance.*`, { callback: (_e, m) => m.respond(String(balance)) })",
  });
}

async function ask(ctx: CheckContext, account: string): Promise<string> {
  const r = await ctx.request(ctx.subject(`bank.balance.${account}`), "", { timeoutMs: 1000 });
  if (r.kind === "reply") return r.message.text.trim();
  return r.kind === "timeout" ? "(no answer within 1 s)" : "(no responders)";
}

/** Asks for every balance until all are right (a replay may still be catching up) or 2 s pass, then judges. */
async function expectBalances(ctx: CheckContext, jsm: JetStreamManager, program: ProgramHandle, want: Balances, when: string, suspects: Suspect[]): Promise<void> {
  let answers: Record<string, string> = {};
  const ok = await ctx.poll(2000, async () => {
    answers = {};
    for (const a of ACCOUNTS) answers[a] = await ask(ctx, a);
    return ACCOUNTS.every((a) => Number(answers[a]) === want[a] && answers[a] !== "") ? true : undefined;
  });
  if (ok) return;

  const expected = `${when}: ${ACCOUNTS.map((a) => `${a} ${want[a]}`).join(", ")}`;
  const said = `your program answered ${ACCOUNTS.map((a) => `${a} ${answers[a]}`).join(", ")}`;
  const view = await consumerView(ctx, jsm);
  const suspect = suspects.find((s) => ACCOUNTS.every((a) => Number(answers[a]) === s.balances[a]));
  const policy = view.consumers.find((c) => c.config.deliver_policy !== "all" && c.config.deliver_policy !== "by_start_sequence");
  if (policy && policy.config.deliver_policy === "new" && !suspect?.why.includes("twice")) {
    return ctx.fail({
      expected,
      seen: `${said}. ${view.text} With deliver_policy new a consumer starts after the last stored message: it never sees the history.`,
      idea: "deliver_policy new misses the history; a rebuild needs deliver_policy all (the default)",
      hint: "js.consumers.get(`${names}BANK`) with no options replays from the first event.",
    });
  }
  if (suspect) {
    return ctx.fail({ expected, seen: `${said}: ${suspect.why}. ${view.text}`, idea: suspect.idea, hint: suspect.hint });
  }
  if (!view.consumers.length) {
    return ctx.fail({
      expected,
      seen: `${said}. ${view.text}`,
      idea: "Only a consumer on the stream delivers stored events; a core subscription sees only what is published from now on",
      hint: "const consumer = await js.consumers.get(`${names}BANK`); for await (const m of await consumer.consume()) { ... }",
    });
  }
  return ctx.fail({
    expected,
    seen: `${said}. ${view.text}`,
    idea: "Each event applied once, in stream order: deposited adds its amount, withdrawn subtracts it",
    hint: "The account is the last token of the subject (m.subject.split(\".\").at(-1)); the body is {\"type\":...,\"amount\":...}.",
  });
}

/** The consumers on BANK as the server shows them: deliver policy, what they delivered, what is left. */
async function consumerView(ctx: CheckContext, jsm: JetStreamManager): Promise<{ consumers: ConsumerInfo[]; text: string }> {
  const stream = ctx.name(STREAM);
  const consumers: ConsumerInfo[] = [];
  try {
    for await (const c of jsm.consumers.list(stream)) consumers.push(c);
  } catch {
    // the stream is gone; say so below
  }
  const last = (await jsm.streams.info(stream).catch(() => undefined))?.state.last_seq ?? 0;
  if (!consumers.length) return { consumers, text: `The stream ${STREAM} (${last} events) has no consumer: your program does not read it.` };
  const text = `The server shows ${consumers.length === 1 ? "one consumer" : `${consumers.length} consumers`} on ${STREAM} (${last} events): ${consumers
    .map((c) => `${c.config.durable_name ? `durable ${ctx.unprefix(c.config.durable_name)}` : "an ephemeral one"} with deliver_policy ${c.config.deliver_policy}${c.config.opt_start_seq ? ` from ${c.config.opt_start_seq}` : ""}, ${c.delivered.consumer_seq ? `delivered up to stream sequence ${c.delivered.stream_seq}` : "nothing delivered"}, ${c.num_pending} pending`)
    .join("; ")}.`;
  return { consumers, text };
}
