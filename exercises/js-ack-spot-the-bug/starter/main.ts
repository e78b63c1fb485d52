// Averages every temperature reading and publishes the running average after each one.
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";

// On a shared server goingnats puts your namespace in front of subjects and names.
const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "temperature averager" });
const js = jetstream(nc);

// The durable consumer AVERAGER delivers sensors.*.temp from the SENSORS stream (the check makes both).
const consumer = await js.consumers.get(`${names}SENSORS`, `${names}AVERAGER`);
const messages = await consumer.consume();

let sum = 0;
let count = 0;

// TODO: spot the bug. This works while every sensor behaves; what happens to a reading like "ERR"?
for await (const m of messages) {
  const value = Number.parseFloat(m.string());
  if (Number.isNaN(value)) {
    console.log(`invalid reading "${m.string()}" on ${m.subject}`);
    m.nak(); // not a number: reject it
  }

  sum += value;
  count++;
  const average = (sum / count).toFixed(2);
  nc.publish(`${prefix}averages.temp`, average);
  console.log(`${m.subject} ${m.string()} -> average ${average}`);
  m.ack();
}
