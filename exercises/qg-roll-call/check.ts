import type { Check, CheckContext, SubscriptionInfo } from "../../src/check/types.js";

const SUBJECT = "rollcall";
const GATHER_MS = 1000;

export const checks: Check[] = [
  {
    name: "two responders are listening on rollcall",
    idea: "Any number of subscribers can listen on one subject",
    async run(ctx) {
      let subs = await responders(ctx);
      if (subs.length < 2) {
        ctx.waiting(`In two other terminals run  nats reply ${ctx.subject(SUBJECT)} "present: <name>" ...  and keep both running`);
        let shown = -1;
        while (subs.length < 2 && ctx.remainingMs() > 0 && !ctx.signal.aborted) {
          if (subs.length !== shown) ctx.progress(`${subs.length} of 2 responders on ${SUBJECT}`);
          shown = subs.length;
          await ctx.sleep(100);
          subs = await responders(ctx);
        }
      }
      if (subs.length < 2) {
        return ctx.fail({
          expected: `two responders subscribed to ${SUBJECT}`,
          seen: subs.length ? `one: ${describe(ctx, subs)}` : `no subscription on ${SUBJECT} appeared before the time limit`,
          idea: "A responder is a subscriber that answers: it must be running when the request is sent",
          hint: `Start  nats reply ${ctx.subject(SUBJECT)} "present: ada" ...  in one terminal and the same with another name in a second one, then run the check.`,
        });
      }
      // The second terminal may be a moment behind a third: let the list settle.
      await ctx.sleep(300);
      subs = await responders(ctx);
      return describe(ctx, subs);
    },
  },
  {
    name: "a request on rollcall gets an answer from every responder",
    idea: "Without a queue group every subscriber gets every message, so every responder answers",
    async run(ctx) {
      const subs = await responders(ctx);
      const target = ctx.subject(SUBJECT);
      ctx.note(`request on ${SUBJECT}, gathering answers for ${GATHER_MS} ms`);
      const answers: string[] = [];
      try {
        const replies = await ctx.nc.requestMany(target, "who is here?", { strategy: "timer", maxWait: Math.min(GATHER_MS, ctx.remainingMs()) });
        for await (const m of replies) {
          answers.push(m.string());
          ctx.note(`answer ${answers.length}: "${m.string()}"`);
        }
      } catch (err) {
        if (!(err instanceof Error && /no responders/i.test(err.message))) throw err;
      }
      const list = answers.map((a) => `"${a}"`).join(", ");
      const groups = [...new Set(subs.map((s) => s.queue).filter((q): q is string => Boolean(q)))];

      if (answers.length === 0) {
        return ctx.fail({
          expected: `${subs.length} answers, one from each responder`,
          seen: `no answer within ${GATHER_MS} ms (responders: ${describe(ctx, subs) || "none any more"})`,
          idea: "A responder must still be running when the request arrives",
          hint: "Keep both nats reply commands running until the check has finished.",
        });
      }
      if (answers.length < subs.length) {
        const shared = subs.filter((s) => s.queue);
        const why = groups.length
          ? `${shared.length} of them are in queue group ${groups.map((g) => `"${g}"`).join(" and ")}, and a queue group hands each request to just one of its members (the lottery).` +
            (groups.includes("NATS-RPLY-22") ? ' NATS-RPLY-22 is the group `nats reply` joins when you do not choose one.' : "")
          : "some responders did not answer in time.";
        return ctx.fail({
          expected: `${subs.length} answers, one from each of your ${subs.length} responders`,
          seen: `${answers.length} answer${answers.length === 1 ? "" : "s"} (${list}). Your responders, as the server sees them:\n${describe(ctx, subs, "\n  ")}\nWhy: ${why}`,
          idea: "Members of a queue group share requests; subscribers outside any group each get every request",
          hint: `Start each responder outside any queue group: nats reply ${ctx.subject(SUBJECT)} "present: ada" --queue ""`,
        });
      }
      if (new Set(answers).size < answers.length) {
        return ctx.fail({
          expected: "each responder answers with its own name",
          seen: `${answers.length} answers, but some say the same thing: ${list}`,
          idea: "When many answer, the requester tells the answers apart by what they say",
          hint: 'Give each responder its own answer: "present: ada" in one terminal, "present: linus" in the other.',
        });
      }
      return `${answers.length} answers: ${list}`;
    },
  },
];

/** The subscriptions on the roll-call subject, other than the checker's own. */
async function responders(ctx: CheckContext): Promise<SubscriptionInfo[]> {
  const target = ctx.subject(SUBJECT);
  return (await ctx.connections())
    .flatMap((c) => c.subscriptions)
    .filter((s) => !s.subject.startsWith("_INBOX.") && !s.subject.startsWith("$"))
    .filter((s) => ctx.matches(s.subject, target));
}

function describe(ctx: CheckContext, subs: SubscriptionInfo[], sep = ", "): string {
  const lines = subs.map((s, i) => `responder ${i + 1} on ${ctx.unprefix(s.subject)} ${s.queue ? `in queue group "${s.queue}"` : "in no queue group"}`);
  return sep.startsWith("\n") ? `  ${lines.join(sep)}` : lines.join(sep);
}

