// Ask every coffee shop for a price and publish the cheapest quote.
import { connect, type Msg } from "@nats-io/transport-node";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "quote shopper" });

interface Quote {
  shop: string;
  price: number;
}

// Scatter: one request reaches every shop. Gather: we don't know how many shops there are, but each
// answers within a second, so collect whatever arrives in that second (the "timer" strategy).
const replies = await nc.requestMany(`${prefix}quotes.espresso`, "", { strategy: "timer", maxWait: 1000 });

let best: Msg | undefined;
let count = 0;
try {
  for await (const m of replies) {
    count++;
    if (!best || m.json<Quote>().price < best.json<Quote>().price) best = m;
  }
} catch (err) {
  // With no shop running at all, the server says "no responders" at once instead of a quiet timeout.
  console.log(`no quotes: ${(err as Error).message}`);
}

if (best) {
  const quote = best.json<Quote>();
  console.log(`${count} quotes; best: ${quote.shop} at ${quote.price}`);
  nc.publish(`${prefix}quotes.best`, best.data);
} else {
  console.log("no quotes arrived");
}
await nc.drain();
