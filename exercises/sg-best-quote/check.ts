import type { Check } from "../../src/check/types.js";

const ASK = "quotes.espresso";
const BEST = "quotes.best";

interface Shop {
  name: string;
  price: number;
  delayMs: number;
  payload: string;
}

// A different number of shops each run (4 to 6), so a hard-coded count misses some. The cheapest is
// the slowest, well inside the promised second; the first to answer is never the cheapest.
const NAMES = ["kaffeknappen", "bryggeriet", "dampen", "baristaen", "kvernhuset", "bønna", "mokkastua"];
function makeShops(): Shop[] {
  const n = 4 + Math.floor(Math.random() * 3);
  const names = [...NAMES].sort(() => Math.random() - 0.5).slice(0, n);
  const cheapest = 2000 + Math.floor(Math.random() * 1500);
  const delays = [15, 60, 110, 170, 230, 290].slice(0, n - 1);
  return names.map((name, i) => {
    const last = i === n - 1;
    const price = last ? cheapest : cheapest + 150 + Math.floor(Math.random() * 2500);
    return { name, price, delayMs: last ? 600 : delays[i], payload: JSON.stringify({ shop: name, price }) };
  });
}

export const checks: Check[] = [
  {
    name: "your program asks every shop once and publishes the cheapest quote",
    idea: "Scatter-gather: one request, many replies; the requester decides when to stop gathering",
    async run(ctx) {
      const shops = makeShops();
      const cheapest = shops[shops.length - 1];
      const target = ctx.subject(ASK);
      const requests: Array<{ atMs: number; reply?: string }> = [];
      const sent: Array<{ shop: Shop; atMs: number }> = [];
      const t0 = Date.now();
      const timers: ReturnType<typeof setTimeout>[] = [];
      ctx.defer(() => timers.forEach(clearTimeout));

      // The check plays the shops: each one its own subscriber, outside any queue group.
      for (const shop of shops) {
        ctx.nc.subscribe(target, {
          callback: (_err, m) => {
            if (shop === shops[0]) {
              requests.push({ atMs: Date.now() - t0, reply: m.reply });
              ctx.note(`request ${requests.length} on ${ASK}`);
            }
            if (!m.reply) return;
            const reply = m.reply;
            timers.push(
              setTimeout(() => {
                try {
                  ctx.publish(reply, shop.payload);
                  sent.push({ shop, atMs: Date.now() - t0 });
                } catch {
                  // the check is over and its connection closed
                }
              }, shop.delayMs),
            );
          },
        });
      }
      // The watcher puts everything in the timeline; the callback stamps arrivals on the shops' clock.
      ctx.watch(ctx.subject(">"), { label: "your result" });
      const arrivals: Array<{ subject: string; text: string; atMs: number }> = [];
      ctx.nc.subscribe(ctx.subject(">"), {
        callback: (_err, m) => {
          arrivals.push({ subject: m.subject, text: m.string(), atMs: Date.now() - t0 });
        },
      });
      await ctx.flush();

      const program = await ctx.startProgram();
      const isResult = (m: { subject: string }) => m.subject !== target && !m.subject.startsWith("_INBOX.") && !m.subject.startsWith("$");
      // tsx may take a few seconds to start; the gathering takes about one, publishing is instant.
      const until = Date.now() + Math.min(12_000, ctx.remainingMs());
      while (!arrivals.some(isResult) && Date.now() < until && !ctx.signal.aborted) {
        if (requests.length && Date.now() - t0 - requests[0].atMs > 3000) break;
        if (!program.isRunning() && !requests.length) break;
        await ctx.sleep(25);
      }
      const result = arrivals.find(isResult);
      const quotes = shops.map((s) => `${s.name} ${s.price} after ${s.delayMs} ms`).join(", ");

      if (!requests.length) {
        return ctx.fail({
          expected: `a request on ${ASK}`,
          seen: `no request reached the ${shops.length} shops; ${program.isRunning() ? "your program is still running" : "your program has stopped"}`,
          idea: "A request is a message with a reply subject: it goes to every subscriber of its subject",
          hint: `Send it with nc.requestMany(\`\${prefix}${ASK}\`, "", { ... }).`,
        });
      }
      const noReply = requests.find((r) => !r.reply);
      if (noReply) {
        return ctx.fail({
          expected: `a request on ${ASK}, with a reply subject`,
          seen: "a message with no reply subject: the shops cannot answer it",
          idea: "A request carries a reply subject (an inbox) for the answers",
          hint: "Use nc.requestMany(), not nc.publish().",
        });
      }
      if (!result) {
        return ctx.fail({
          expected: `the cheapest quote on ${BEST} after your request`,
          seen: `nothing published within 3 s of your request; the shops answered: ${quotes}`,
          idea: "Gathering ends by a rule you choose; then the requester acts on what it has",
          hint: "Give requestMany a maxWait, loop over its replies, and publish after the loop.",
        });
      }
      const firstRequest = requests[0].atMs;
      const tookMs = result.atMs - firstRequest;
      const before = sent.filter((s) => s.atMs <= result.atMs);
      const repliedShop = shops.find((s) => s.payload === result.text);
      const sawList = before.map((s) => s.shop.name).join(", ") || "none";

      if (result.subject !== ctx.subject(BEST)) {
        return ctx.fail({
          expected: `the cheapest quote on ${BEST}`,
          seen: `"${result.text}" on ${ctx.unprefix(result.subject)}`,
          idea: "A message goes to exactly the subject it is published on",
          hint: `Publish to \`\${prefix}${BEST}\`.`,
        });
      }
      if (result.text === cheapest.payload) {
        if (requests.length > 1) {
          return ctx.fail({
            expected: `one request on ${ASK}; every shop answers it`,
            seen: `${requests.length} requests: each one made every shop work again`,
            idea: "One scatter-gather request reaches every responder: asking again is not needed",
            hint: "Send one request with requestMany and gather all its replies.",
          });
        }
        return `${shops.length} shops; you published ${cheapest.name} at ${cheapest.price}, ${tookMs} ms after asking`;
      }
      if (!repliedShop) {
        return ctx.fail({
          expected: `the cheapest quote, unchanged: ${cheapest.payload}`,
          seen: `"${result.text}"`,
          idea: "Pass the chosen reply on as it came: its payload is bytes",
          hint: "Publish best.data, the winning message's own payload.",
        });
      }
      if (before.length <= 1 && repliedShop === shops[0]) {
        return ctx.fail({
          expected: `${cheapest.payload} (the cheapest of ${shops.length} quotes)`,
          seen: `you published ${repliedShop.name}'s quote ${repliedShop.price}, ${tookMs} ms after asking: your program stopped at the first reply. The shops answered: ${quotes}`,
          idea: "request() returns the first reply and drops the rest; scatter-gather keeps listening for more",
          hint: "Use nc.requestMany() and loop over the replies with for await; its strategy decides when the loop ends.",
        });
      }
      if (!before.some((s) => s.shop === cheapest)) {
        return ctx.fail({
          expected: `${cheapest.payload} (the cheapest of ${shops.length} quotes)`,
          seen: `you published ${repliedShop.name} at ${repliedShop.price}, ${tookMs} ms after asking, when ${before.length} of ${shops.length} shops had answered (${sawList}); ${cheapest.name} answered after ${cheapest.delayMs} ms. The shops: ${quotes}`,
          idea: "Gathering stops by a rule: a count you cannot know, or a stall shorter than the slowest responder, stops too early",
          hint: "The number of shops changes and each answers within 1 s: gather for that second (strategy \"timer\", maxWait: 1000).",
        });
      }
      return ctx.fail({
        expected: `${cheapest.payload} (the cheapest)`,
        seen: `you published ${repliedShop.name} at ${repliedShop.price} after all ${before.length} quotes had arrived: ${quotes}`,
        idea: "Gathering hands you every reply; choosing among them is your code's job",
        hint: "Compare prices as numbers (m.json().price) and keep the message with the lowest: if (!best || price < bestPrice) best = m",
      });
    },
  },
];
