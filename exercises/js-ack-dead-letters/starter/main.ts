// The dead-letter mover: payments the settlement worker gave up on go to the DLQ stream.
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "dead-letter mover" });
const js = jetstream(nc);

// The server announces here each message that SETTLE delivered max_deliver times without an ack.
const advisories = nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${names}PAYMENTS.${names}SETTLE`);
console.log(`waiting for dead letters on ${advisories.getSubject()}`);

for await (const a of advisories) {
  console.log(`the server gave up on: ${a.string()}`);
  // TODO: is this the payment?
  const ack = await js.publish(`${prefix}dlq.payments`, a.data);
  console.log(`stored in ${ack.stream} at ${ack.seq}`);
}
