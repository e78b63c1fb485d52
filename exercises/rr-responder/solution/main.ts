// A greeting service: answers every request on greet with "Hello, <name>!".
import { connect } from "@nats-io/transport-node";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "rr-responder" });

const sub = nc.subscribe(`${prefix}greet`);
console.log(`answering requests on ${sub.getSubject()}`);

for await (const m of sub) {
  // respond() publishes to m.reply, the requester's inbox; a plain message has none.
  if (!m.respond(`Hello, ${m.string()}!`)) {
    console.log(`not a request (no reply subject): "${m.string()}"`);
  }
}
