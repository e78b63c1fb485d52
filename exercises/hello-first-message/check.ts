import type { Check, CheckContext, SeenMessage } from "../../src/check/types.js";

const TARGET = "hello.world";

export const checks: Check[] = [
  {
    name: "you publish a message to hello.world",
    idea: "A message is addressed by its subject, and must match it exactly",
    hint: 'Run `nats pub hello.world "Hello, NATS!"` (or `npx goingnats pub ...`) while the check waits.',
    async run(ctx) {
      const target = ctx.subject(TARGET);
      // Watch the whole namespace, not just the target: a near miss (hello.World, hello) can then be
      // explained instead of silently timing out.
      const everything = ctx.watch(ctx.subject(">"), { label: "your message" });
      // On a shared server, also catch the message that forgot the namespace.
      const bare = ctx.ns ? ctx.watch(TARGET, { label: "your message" }) : undefined;
      await ctx.flush();
      ctx.waiting(`Publish a message to ${target}, e.g.  nats pub ${target} "Hello, NATS!"`);

      const attempt = (m: SeenMessage) => !m.subject.startsWith("$") && !m.subject.startsWith("_INBOX.") && looksLikeAnAttempt(ctx.unprefix(m.subject));
      const first = await Promise.race([
        everything.waitFor(1, { filter: attempt }),
        ...(bare ? [bare.waitFor(1)] : []),
      ]);
      const m = first[0];
      if (!m) {
        return ctx.fail({
          expected: `a message on ${TARGET}`,
          seen: "no message on hello.world, nor on anything like it, before the time limit",
          idea: "Publishing is fire-and-forget: the check can only see a message sent while it is subscribed",
          hint: `Keep this check running and publish from a second terminal: nats pub ${target} "Hello, NATS!"`,
        });
      }
      if (m.subject === target) {
        return `"${m.text}" on ${TARGET} (${m.data.length} bytes)`;
      }
      return ctx.fail(diagnose(ctx, m));
    },
  },
];

/** Subjects a learner plausibly meant as hello.world; other traffic in the namespace is ignored. */
function looksLikeAnAttempt(subject: string): boolean {
  const s = subject.toLowerCase();
  return s.includes("hello") || s.includes("world");
}

function diagnose(ctx: CheckContext, m: SeenMessage) {
  const subject = ctx.unprefix(m.subject);
  const seen = `a message on ${subject} with the body "${m.text}"`;
  const expected = `a message on ${TARGET}`;
  if (ctx.ns && !m.subject.startsWith(ctx.ns)) {
    return {
      expected: `a message on ${ctx.subject(TARGET)}`,
      seen: `a message on ${m.subject}: without your namespace "${ctx.ns}" in front`,
      idea: "On a shared server each learner's subjects start with their namespace",
      hint: `Publish to ${ctx.subject(TARGET)}.`,
    };
  }
  if (subject.toLowerCase() === TARGET) {
    return {
      expected,
      seen: `${seen}. ${subject} and ${TARGET} differ only in case: subjects are case sensitive, so for NATS these are two different subjects`,
      idea: "Subjects are case sensitive: hello.World is not hello.world",
      hint: `Write the subject all in lowercase: ${ctx.subject(TARGET)}`,
    };
  }
  if (subject === "hello" && m.text.toLowerCase().startsWith("world")) {
    return {
      expected,
      seen: `${seen}: "world" became the body, and the subject stopped at hello`,
      idea: "pub takes the subject first, then the body; a subject's tokens are joined by dots, not spaces",
      hint: `nats pub ${ctx.subject(TARGET)} "Hello, NATS!"`,
    };
  }
  if (subject.replace(/[-_ /:]/g, ".").toLowerCase() === TARGET || subject.toLowerCase() === "helloworld") {
    return {
      expected,
      seen: `${seen}: that is a single token, ${TARGET} is two (hello and world) joined by a dot`,
      idea: "Subject tokens are separated by dots",
      hint: `Use a dot: ${ctx.subject(TARGET)}`,
    };
  }
  return {
    expected,
    seen: `${seen}: a different subject, so a subscriber on ${TARGET} would not get it`,
    idea: "A message reaches only the subscribers of its exact subject",
    hint: `Publish to exactly ${ctx.subject(TARGET)}`,
  };
}
