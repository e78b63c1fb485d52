// The ticket desk: stores each ticket it is sent in the TICKETS stream, and tells the sender.
import { connect } from "@nats-io/transport-node";
import { jetstream, JetStreamApiError } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "js-limits-full-stream" });
const js = jetstream(nc);

const sub = nc.subscribe(`${prefix}intake`);
console.log(`ticket desk open on ${sub.getSubject()}`);

for await (const m of sub) {
  try {
    // A JetStream publish waits for the stream's answer: an ack with the sequence, or a refusal.
    const ack = await js.publish(`${prefix}tickets.new`, m.data);
    m.respond(`stored ${ack.seq}`);
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === 10077) {
      // "maximum messages exceeded": the stream is full and discards new messages.
      console.log(`full: ${err.message}`);
      m.respond("full");
    } else {
      m.respond(`error: ${(err as Error).message}`);
    }
  }
}
