import type { Check, CheckContext, FailureDetails, ProgramHandle, SeenMessage, SubscriptionInfo } from "../../src/check/types.js";

const ROOM = "oslo.chatroom";
const BOT = "statsbot";
// A member nobody can know in advance: hard-coded handles show up as a miss.
const NEWCOMER = `guest${Math.random().toString(36).slice(2, 6)}`;
type Line = { who: string; text: string };
const ROUND_1: Line[] = [
  { who: "ada", text: "hei" },
  { who: NEWCOMER, text: "hallo, first time here" },
  { who: "ada", text: "kaffe?" },
  { who: "linus", text: "!stats" },
];
const ROUND_2: Line[] = [
  { who: NEWCOMER, text: "ja takk" },
  { who: "ada", text: "!stats" },
];
const MEMBERS = ["ada", "linus", NEWCOMER];

export const checks: Check[] = [
  {
    name: "your bot listens to the whole room with one subscription",
    idea: "Fan-in: one wildcard subscription hears many publishers, including ones that join later",
    async run(ctx) {
      const program = await ctx.startProgram();
      const subs = await roomSubscriptions(ctx, program);
      const shown = subs.map((s) => ctx.unprefix(s.subject)).join(", ");
      const hears = (subject: string) => subs.some((s) => ctx.matches(s.subject, ctx.subject(subject)));
      const must = MEMBERS.map((h) => `${ROOM}.${h}`);
      const mustNot = ["bergen.chatroom.ada"];
      const missed = must.filter((s) => !hears(s));
      const extra = mustNot.filter((s) => hears(s));
      const table = [
        ...must.map((s) => `  ${missed.includes(s) ? "✘ misses  " : "✔ receives"} ${s}`),
        ...mustNot.map((s) => `  ${extra.includes(s) ? "✘ receives" : "✔ ignores "} ${s}`),
      ].join("\n");
      if (missed.length || extra.length) {
        return ctx.fail({
          expected: `a subscription that receives ${ROOM}.<handle> for any handle, and no other room`,
          seen: `your bot subscribes to ${shown}:\n${table}`,
          idea: extra.length
            ? "A wildcard too far to the left hears other rooms too"
            : "A wildcard covers members you cannot know in advance; a list of handles misses the next newcomer",
          hint: `One subscription: nc.subscribe(\`\${prefix}${ROOM}.>\`). (${NEWCOMER} joined just now.)`,
        });
      }
      return `subscribes to ${shown}`;
    },
  },
  {
    name: "it answers !stats with everyone's counts, and never counts itself",
    idea: "Fan-out includes the publisher: a subscriber receives its own messages too",
    async run(ctx) {
      const room = ctx.watch(ctx.subject(">"), { label: "bot answers" });
      await ctx.flush();
      const program = await ctx.startProgram();
      await roomSubscriptions(ctx, program);

      const fromMembers = new Set(MEMBERS.map((h) => ctx.subject(`${ROOM}.${h}`)));
      const isAnswer = (m: SeenMessage) => !fromMembers.has(m.subject) && !m.subject.startsWith("_INBOX.") && !m.subject.startsWith("$");
      const said: Line[] = [];

      for (const [round, lines] of [ROUND_1, ROUND_2].entries()) {
        for (const l of lines) {
          ctx.publish(ctx.subject(`${ROOM}.${l.who}`), l.text);
          said.push(l);
        }
        const [answer] = (await room.waitFor(round + 1, { filter: isAnswer, timeoutMs: 5000 })).slice(round);
        const failure = judge(ctx, answer, said, room.messages.filter(isAnswer), round);
        if (failure) return ctx.fail(failure);
      }
      return `answered "!stats" twice on ${ROOM}.${BOT}: ${room.messages.filter(isAnswer).map((m) => m.text).join(", then ")}`;
    },
  },
];

function countsAfter(lines: Line[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const l of lines) counts[l.who] = (counts[l.who] ?? 0) + 1;
  return counts;
}

const show = (c: Record<string, number>) => JSON.stringify(c);
const saidList = (lines: Line[]) => lines.map((l) => `${l.who}: "${l.text}"`).join(", ");

function judge(ctx: CheckContext, answer: SeenMessage | undefined, said: Line[], answers: SeenMessage[], round: number): FailureDetails | undefined {
  const want = countsAfter(said);
  const expected = `after ${saidList(said)}: an answer on ${ROOM}.${BOT} with ${show(want)}`;
  if (!answer) {
    return {
      expected,
      seen: answers.length
        ? `your bot answered the first "!stats" (${answers[0].text}) but not the second one within 5 s`
        : `I said ${saidList(said)} in the room; your bot published nothing within 5 s`,
      idea: "Fan-in: the bot hears every member on its one subscription; answering is publishing",
      hint: `When m.string() === "!stats": nc.publish(\`\${prefix}${ROOM}.${BOT}\`, JSON.stringify(counts))`,
    };
  }
  if (answer.subject !== ctx.subject(`${ROOM}.${BOT}`)) {
    return {
      expected,
      seen: `an answer on ${ctx.unprefix(answer.subject)}: ${answer.text}`,
      idea: "In the room, the last token says who speaks: the bot speaks as statsbot",
      hint: `Publish the answer to \`\${prefix}${ROOM}.${BOT}\`.`,
    };
  }
  let got: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(answer.text);
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new Error("not an object");
    got = parsed as Record<string, unknown>;
  } catch {
    return {
      expected,
      seen: `the answer "${answer.text}", which is not a JSON object`,
      idea: "A payload is bytes; sender and receiver agree on its format (here JSON)",
      hint: "Publish JSON.stringify(counts), where counts is an object like { ada: 2 }.",
    };
  }
  const same = (a: Record<string, unknown>, b: Record<string, number>) =>
    Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);
  if (same(got, want)) return undefined;

  const seen = `after ${saidList(said)}, your bot answered ${answer.text}`;
  if (BOT in got) {
    return {
      expected,
      seen: `${seen}: it counted "${BOT}" ${String(got[BOT])} time(s). Those are its own answers: the bot is subscribed to ${ROOM}.>, so the server delivers its own messages to it as well, and it counted them as a member's lines`,
      idea: "Fan-out includes the publisher: a subscriber receives its own messages too",
      hint: `Skip your own subject before counting (if (m.subject === me) continue;), or connect with noEcho: true.`,
    };
  }
  // Answered a line that is not "!stats": the answer matches the counts at an earlier line.
  const early = said.findIndex((_, i) => i < said.length - 1 && same(got, countsAfter(said.slice(0, i + 1))));
  if (early >= 0 && said[early].text !== "!stats") {
    return {
      expected,
      seen: `${seen}, which are the counts right after ${said[early].who} said "${said[early].text}"`,
      idea: "React to the content of the message: only the line !stats asks for an answer",
      hint: 'Publish only when m.string() === "!stats".',
    };
  }
  const strangers = Object.keys(got).filter((k) => !MEMBERS.includes(k));
  if (strangers.length) {
    return {
      expected,
      seen: `${seen}: ${strangers.join(", ")} never spoke; the members were ${MEMBERS.join(", ")}`,
      idea: "The speaker's handle is the last token of the subject",
      hint: 'm.subject.split(".").at(-1) is the handle, even with a namespace prefix in front.',
    };
  }
  const missing = MEMBERS.filter((k) => want[k] && !(k in got));
  if (missing.length) {
    return {
      expected,
      seen: `${seen}: ${missing.join(", ")} missing (${NEWCOMER} joined just now)`,
      idea: "Fan-in: count whoever speaks; the subject tells you who it is",
      hint: "Count every handle you see, not a fixed list.",
    };
  }
  const askers = said.filter((l) => l.text === "!stats").map((l) => l.who);
  const offByAsk = Object.entries(want).every(([k, v]) => got[k] === v - said.filter((l) => l.who === k && l.text === "!stats").length);
  if (offByAsk) {
    return {
      expected,
      seen: `${seen}: the "!stats" lines (by ${askers.join(", ")}) were not counted`,
      idea: "Every line said in the room counts, the question included",
      hint: "Count the line first, then answer if it is !stats.",
    };
  }
  return {
    expected,
    seen: `${seen}${round ? " (on the second !stats: counts must keep growing, never reset)" : ""}`,
    idea: "Fan-in: one subscriber hears every member; count each line once",
    hint: "Keep one counts object for the whole run, add 1 per line for the handle in the subject.",
  };
}

/** Waits for the program to connect and subscribe; fails with what the server shows when it does not. */
async function roomSubscriptions(ctx: CheckContext, program: ProgramHandle): Promise<SubscriptionInfo[]> {
  const connected = await ctx.poll(Math.min(10_000, ctx.remainingMs()), async () => ((await program.connections()).length ? true : undefined));
  if (!connected) {
    return ctx.fail({
      expected: "your bot connects to the server",
      seen: `no new connection appeared within 10 s; ${program.isRunning() ? "the program is still running" : "the program has stopped"}`,
      idea: "A client talks to NATS over one long-lived connection",
      hint: "Run it yourself (npx tsx main.ts) and read what it prints.",
    });
  }
  const own = async () => (await program.connections()).flatMap((c) => c.subscriptions).filter((s) => !s.subject.startsWith("_INBOX."));
  const subs = (await ctx.poll(3000, async () => ((await own()).length ? true : undefined))) ? await settle(ctx, own) : [];
  if (subs.length === 0) {
    return ctx.fail({
      expected: `a subscription on the room, ${ROOM}.>`,
      seen: "your bot connected but has no subscription, so every line said in the room passes it by",
      idea: "Subscribe first: NATS delivers at most once, to the subscriptions that exist at that moment",
      hint: `const sub = nc.subscribe(\`\${prefix}${ROOM}.>\`); for await (const m of sub) { ... }`,
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

