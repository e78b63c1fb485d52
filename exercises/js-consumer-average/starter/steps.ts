// The seed deck's averaging consumer, as a durable: average the temperatures in SENSORS.
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const stream = `${process.env.GOINGNATS_NAME_PREFIX ?? ""}SENSORS`;
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "js-consumer-average" });

const jsm = await jetstreamManager(nc);
await jsm.consumers.add(stream, {
  durable_name: "averager",
  filter_subject: `${prefix}sensors.*.temp`,
  ack_policy: AckPolicy.Explicit,
});

const consumer = await jetstream(nc).consumers.get(stream, "averager");
const messages = await consumer.consume();
let sum = 0;
let count = 0;
for await (const m of messages) {
  sum += Number(m.string());
  count++;
  // TODO: the server is waiting to hear that this reading was handled.
  if (m.info.pending === 0) break; // nothing left on the consumer
}
const average = (sum / count).toFixed(2);
console.log(`average of ${count} readings: ${average}`);
nc.publish(`${prefix}sensors.average`, average);
await nc.drain();
