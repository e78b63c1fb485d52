// The invoicer: one invoice per order in the ORDERS stream, through the durable consumer "invoicer".
import { connect } from "@nats-io/transport-node";
import { AckPolicy, jetstream, jetstreamManager } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const stream = `${process.env.GOINGNATS_NAME_PREFIX ?? ""}ORDERS`;
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "js-consumer-resume" });
const jsm = await jetstreamManager(nc);

// A fresh consumer on every start, so its settings are always the ones below.
// TODO: this runs each time the invoicer starts. What happens to the orders it invoiced last time?
await jsm.consumers.delete(stream, "invoicer").catch(() => {});
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
