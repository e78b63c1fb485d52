// The dead-letter mover: payments the settlement worker gave up on go to the DLQ stream.
import { connect, headers } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "dead-letter mover" });
const js = jetstream(nc);
const jsm = await jetstreamManager(nc);

interface MaxDeliveriesAdvisory {
  stream: string;
  consumer: string;
  stream_seq: number;
  deliveries: number;
}

const advisories = nc.subscribe(`$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${names}PAYMENTS.${names}SETTLE`);
console.log(`waiting for dead letters on ${advisories.getSubject()}`);

for await (const a of advisories) {
  // The advisory only names the message; the message itself is still in the stream.
  const { stream, consumer, stream_seq, deliveries } = a.json<MaxDeliveriesAdvisory>();
  const original = await jsm.streams.getMessage(stream, { seq: stream_seq });
  if (!original) {
    console.log(`${stream} ${stream_seq} is gone already (limits or a purge)`);
    continue;
  }
  // Body unchanged; where it came from travels in headers.
  const h = headers();
  h.set("Dlq-Stream", stream);
  h.set("Dlq-Consumer", consumer);
  h.set("Dlq-Subject", original.subject);
  h.set("Dlq-Sequence", String(stream_seq));
  h.set("Dlq-Deliveries", String(deliveries));
  // The msgID makes a repeated advisory harmless: the DLQ stores each dead letter once.
  const ack = await js.publish(`${prefix}dlq.payments`, original.data, { headers: h, msgID: `${stream}:${stream_seq}` });
  console.log(`${original.subject} (seq ${stream_seq}, ${deliveries} deliveries) -> ${ack.stream} seq ${ack.seq}`);
}
