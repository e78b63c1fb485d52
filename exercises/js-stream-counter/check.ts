import type { Check, CheckContext, ProgramHandle, SeenMessage } from "../../src/check/types.js";

const STREAM = "STOCK";
// Items nobody can know in advance.
const item = (base: string) => `${base}${Math.random().toString(36).slice(2, 6)}`;
const EXPECT_HEADERS = ["Nats-Expected-Last-Subject-Sequence", "Nats-Expected-Last-Sequence"];

export const checks: Check[] = [
  {
    name: "your service adjusts a level, stores it and answers with it",
    idea: "The last message on a subject is the current value; a new value is appended to the stream",
    async run(ctx) {
      await freshStream(ctx);
      const wax = item("skiwax");
      const boots = item("boots");
      // boots already has a history: 12, then 20.
      await ctx.js().publish(ctx.subject(`stock.${boots}`), "12");
      await ctx.js().publish(ctx.subject(`stock.${boots}`), "20");
      const program = await startService(ctx);
      const steps: Array<[string, string, number]> = [
        [wax, "+5", 5],
        [wax, "+3", 8],
        [boots, "-4", 16],
      ];
      for (const [it, change, want] of steps) {
        const answer = await adjust(ctx, program, it, change);
        const stored = await last(ctx, it);
        if (answer !== String(want) || stored?.text !== String(want)) {
          return ctx.fail({
            expected: `after "${change}" on ${it}: the answer "${want}", and "${want}" as the last message on stock.${it}`,
            seen: `the answer "${answer}"; the last message on stock.${it} is ${stored ? `"${stored.text}" (sequence ${stored.seq})` : "missing"}`,
            idea: "The last message on a subject is the current value; a new value is appended to the stream",
            hint: `Read the last message on stock.<item> (jsm.streams.getMessage(stream, { last_by_subj })), add the change, publish the sum to stock.<item>, answer with it. ${it === boots ? `(${boots} had the level 20 before your service started.)` : ""}`,
          });
        }
      }
      return `${wax}: +5 → 5, +3 → 8; ${boots} (was 20): -4 → 16`;
    },
  },
  {
    name: "it never overwrites a change it has not seen",
    idea: "Optimistic concurrency: publish with an expected last sequence, and retry when the stream refuses (10071)",
    async run(ctx) {
      await freshStream(ctx);
      const wax = item("skiwax");
      const program = await startService(ctx);
      const first = await adjust(ctx, program, wax, "+5");
      if (first !== "5") {
        return ctx.fail({
          expected: `"5" after "+5" on the new item ${wax}`,
          seen: `the answer "${first}"`,
          idea: "An item with no message yet has the level 0",
          hint: "When getMessage finds nothing on the subject, start from level 0 at sequence 0.",
        });
      }
      // The yearly stock-taking counts 100 and writes it, behind the service's back.
      const taking = await ctx.js().publish(ctx.subject(`stock.${wax}`), "100");
      ctx.note(`stock-taking wrote 100 to stock.${wax} (sequence ${taking.seq})`);
      const answer = await adjust(ctx, program, wax, "+1");
      const stored = await last(ctx, wax);
      if (answer === "101" && stored?.text === "101") {
        return `${wax}: +5 → 5; the stock-taking wrote 100; +1 → 101: the stock-taking's change was kept`;
      }
      if (stored && stored.seq > taking.seq && stored.text !== "101") {
        return ctx.fail({
          expected: `"101": the stock-taking had set ${wax} to 100 (sequence ${taking.seq}) before your service added 1`,
          seen: `your service stored "${stored.text}" on top of it (sequence ${stored.seq}) and answered "${answer}": it computed the level from what it knew before, 5, and overwrote a change it never saw. The stock-taking's 100 is lost (a lost update)`,
          idea: "Optimistic concurrency: publish with an expected last sequence, so the stream refuses a write computed from an old value (error 10071)",
          hint: "js.publish(subject, String(level), { expect: { lastSubjectSequence: seq } }), with seq the sequence of the level you computed from. On error code 10071, read the level again and retry.",
        });
      }
      if (stored?.seq === taking.seq) {
        return ctx.fail({
          expected: `"101" stored and answered: your service reads the level again (100) and retries`,
          seen: `the stream refused your service's write (wrong last sequence, 10071): stock.${wax} still ends with the stock-taking's 100, yet your service answered "${answer}"`,
          idea: "A refused write (10071) means: somebody changed it; read again, decide again, retry",
          hint: "catch the JetStreamApiError; if err.code === 10071, read the last message again (getMessage with last_by_subj), add the change to that level, and publish again with its sequence. Answer the level that was stored.",
        });
      }
      return ctx.fail({
        expected: `"101" after "+1" (the stock-taking had written 100)`,
        seen: `the answer "${answer}"; the last message on stock.${wax} is ${stored ? `"${stored.text}"` : "missing"}`,
        idea: "Optimistic concurrency: read, compute, write only if nothing changed; else read again",
        hint: "Add the change to the level you read, and answer the level that was stored.",
      });
    },
  },
  {
    name: "every write says which sequence it expects, also when many requests come at once",
    idea: "Only a write with an expectation is safe: a second copy of the service may write at any moment",
    async run(ctx) {
      await freshStream(ctx);
      const wax = item("skiwax");
      const writes = ctx.watch(ctx.subject(`stock.${wax}`), { label: "your writes" });
      await ctx.flush();
      const program = await startService(ctx);
      const n = 8;
      const answers = await Promise.all(Array.from({ length: n }, () => adjust(ctx, program, wax, "+1")));
      const stored = await last(ctx, wax);
      const bare = writes.messages.filter((m: SeenMessage) => !EXPECT_HEADERS.some((h) => m.headers?.get(h)));
      if (bare.length) {
        return ctx.fail({
          expected: `every message your service publishes to stock.${wax} carries an expected last sequence (the header ${EXPECT_HEADERS[0]} or ${EXPECT_HEADERS[1]})`,
          seen: `${bare.length} of ${writes.messages.length} writes carried none (for example "${bare[0].text}"). Those were stored whatever happened in between: with a second copy of the service running, an update would be lost`,
          idea: "Only a write with an expectation is safe: a second copy of the service may write at any moment",
          hint: "Publish every level with { expect: { lastSubjectSequence: seq } }, seq being the sequence of the level you added to.",
        });
      }
      const sorted = [...answers].sort((a, b) => Number(a) - Number(b));
      if (stored?.text !== String(n) || sorted.join(",") !== Array.from({ length: n }, (_, i) => i + 1).join(",")) {
        return ctx.fail({
          expected: `${n} requests "+1" at once on ${wax}: the answers 1 to ${n} (in any order), and the level ${n} in the stream`,
          seen: `answers ${answers.join(", ")}; the last message on stock.${wax} is ${stored ? `"${stored.text}"` : "missing"}`,
          idea: "Each change is added to the level that is really stored, one after the other",
          hint: "Handle one request at a time in the for-await loop (await the adjustment before taking the next), and retry on 10071.",
        });
      }
      return `${n} requests at once → levels 1..${n}, every write with ${EXPECT_HEADERS.find((h) => writes.messages[0]?.headers?.get(h)) ?? "an expectation"}`;
    },
  },
];

async function freshStream(ctx: CheckContext): Promise<void> {
  const jsm = await ctx.jsm();
  const name = ctx.name(STREAM);
  await jsm.streams.delete(name).catch(() => false);
  ctx.defer(() => jsm.streams.delete(name).catch(() => false));
  try {
    await jsm.streams.add({ name, subjects: [ctx.subject("stock.>")], storage: "memory" });
  } catch (err) {
    return ctx.fail({
      expected: `goingnats can create the stream ${name} for this check`,
      seen: `the server refused it: ${(err as Error).message}`,
      idea: "Two streams may not capture the same subject",
      hint: `Another stream already captures ${ctx.subject("stock.>")}: nats stream ls shows it; remove it (nats stream rm <name>) and run the check again.`,
    });
  }
}

async function last(ctx: CheckContext, it: string): Promise<{ seq: number; text: string } | undefined> {
  const jsm = await ctx.jsm();
  try {
    const m = await jsm.streams.getMessage(ctx.name(STREAM), { last_by_subj: ctx.subject(`stock.${it}`) });
    return m ? { seq: m.seq, text: m.string() } : undefined;
  } catch {
    return undefined;
  }
}

async function adjust(ctx: CheckContext, program: ProgramHandle, it: string, change: string): Promise<string> {
  const outcome = await ctx.request(ctx.subject(`warehouse.adjust.${it}`), change, { timeoutMs: 3000 });
  if (outcome.kind === "reply") return outcome.message.text;
  const running = program.isRunning();
  return ctx.fail({
    expected: `an answer to "${change}" on warehouse.adjust.${it}`,
    seen:
      outcome.kind === "no-responders"
        ? `no responders: your service ${running ? "no longer listens on warehouse.adjust.*" : "has stopped (its output is below)"}`
        : `no answer within 3 s${running ? "" : "; your service has stopped (its output is below): an error nobody caught, such as a refused publish, ends the program"}`,
    idea: "Every request gets an answer",
    hint: "Catch the error of js.publish(): on code 10071 read again and retry; answer every request.",
  });
}

/** Starts the service and waits until it listens on warehouse.adjust.<item>. */
async function startService(ctx: CheckContext): Promise<ProgramHandle> {
  const program = await ctx.startProgram();
  const probe = ctx.subject("warehouse.adjust.probe");
  const own = async () => (await program.connections()).flatMap((c) => c.subscriptions).filter((x) => !x.subject.startsWith("_INBOX."));
  const ok = await ctx.poll(10_000, async () => ((await own()).some((x) => ctx.matches(x.subject, probe)) ? true : undefined));
  if (!ok) {
    const now = await own();
    return ctx.fail({
      expected: "your service subscribes to warehouse.adjust.* (one subscription for every item)",
      seen: !program.isRunning()
        ? "your program stopped before it subscribed (its output is below)"
        : now.length
          ? `it subscribes to ${now.map((s) => ctx.unprefix(s.subject)).join(", ")}`
          : "no subscription within 10 s",
      idea: "A wildcard subscription takes requests for items nobody can list in advance",
      hint: "nc.subscribe(`${prefix}warehouse.adjust.*`), and the item is m.subject.split(\".\").at(-1).",
    });
  }
  return program;
}
