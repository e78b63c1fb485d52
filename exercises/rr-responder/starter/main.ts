// A greeting service: answers every request on greet with "Hello, <name>!".
import { connect } from "@nats-io/transport-node";

// On a shared server goingnats puts your namespace in front of every subject.
const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "rr-responder" });

const sub = nc.subscribe(`${prefix}greet`);
console.log(`answering requests on ${sub.getSubject()}`);

for await (const m of sub) {
  const name = m.string();
  // TODO: `nats request greet Ada` never gets this answer and times out.
  //       Where is the requester waiting for it?
  nc.publish(`${prefix}greet.answers`, `Hello, ${name}!`);
}
