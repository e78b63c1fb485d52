// The invoicer: one invoice per order in the ORDERS stream, through the durable consumer "invoicer".
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const stream = `${process.env.GOINGNATS_NAME_PREFIX ?? ""}ORDERS`;
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "js-consumer-resume" });
const jsm = await jetstreamManager(nc);

// Creates the durable the first time. On later starts the same configuration finds the consumer
// that is already there, with its position and acks: the invoicer resumes where it stopped.
await jsm.consumers.add(stream, { durable_name: "invoicer", ack_policy: AckPolicy.Explicit });

const consumer = await jetstream(nc).consumers.get(stream, "invoicer");
const messages = await consumer.consume();
console.log(`invoicing the orders in ${stream}`);
for await (const m of messages) {
  const order = m.json<{ id: string; amount: number }>();
  nc.publish(`${prefix}invoices.${order.id}`, `${order.amount} NOK`);
  m.ack(); // after the invoice is sent, never before
  console.log(`invoiced ${order.id} (stream sequence ${m.seq}, delivery ${m.info.deliveryCount})`);
}
