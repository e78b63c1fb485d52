// The ticket desk: stores each ticket it is sent in the TICKETS stream, and tells the sender.
import { connect } from "@nats-io/transport-node";
import { jetstream, JetStreamApiError } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "js-limits-full-stream" });
const js = jetstream(nc);

const sub = nc.subscribe(`${prefix}intake`);
console.log(`ticket desk open on ${sub.getSubject()}`);

for await (const m of sub) {
  // The stream captures tickets.>, so this lands in it...
  nc.publish(`${prefix}tickets.new`, m.data);
  // TODO: ...unless the stream is full: it holds 5 tickets and refuses more (discard new).
  //       Store the ticket with JetStream (js, above) to hear the stream's answer, reply
  //       "stored <seq>" when it kept the ticket and "full" when it refused it.
  m.respond("stored");
}
void js;
void JetStreamApiError;
