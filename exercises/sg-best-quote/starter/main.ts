// Ask every coffee shop for a price and publish the cheapest quote.
import { connect } from "@nats-io/transport-node";

// On a shared server goingnats puts your namespace in front of every subject.
const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "quote shopper" });

interface Quote {
  shop: string;
  price: number;
}

// TODO: this asks once and takes the first answer. Every shop answers (within 1 s): gather all
//       the quotes and keep the cheapest.
const reply = await nc.request(`${prefix}quotes.espresso`, "", { timeout: 1000 });
const best = reply;
const quote = best.json<Quote>();
console.log(`best quote: ${quote.shop} at ${quote.price}`);

// Pass the winning quote on as it came.
nc.publish(`${prefix}quotes.best`, best.data);
await nc.drain();
