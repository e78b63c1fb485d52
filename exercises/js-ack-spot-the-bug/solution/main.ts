// Averages every valid temperature reading and publishes the running average after each one.
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "temperature averager" });
const js = jetstream(nc);

const consumer = await js.consumers.get(`${names}SENSORS`, `${names}AVERAGER`);
const messages = await consumer.consume();

let sum = 0;
let count = 0;

for await (const m of messages) {
  const text = m.string().trim();
  const value = Number(text);
  if (text === "" || !Number.isFinite(value)) {
    // It will never become a number: term() tells the server "done, never deliver this again".
    // (nak() would mean "try again", and the reading would come back until max_deliver.)
    console.log(`invalid reading "${text}" on ${m.subject}: terminated`);
    m.term();
    continue; // and it must not reach the average
  }

  sum += value;
  count++;
  const average = (sum / count).toFixed(2);
  nc.publish(`${prefix}averages.temp`, average);
  console.log(`${m.subject} ${value} -> average ${average}`);
  m.ack(); // after the work is done: a crash before this line means the reading comes back
}
