// The order intake: stores every order the web shop submits in the ORDERS stream.
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "order-intake" });
const js = jetstream(nc); // TODO: publish through JetStream instead, and wait for its answer

const sub = nc.subscribe(`${prefix}orders.submit`);
console.log(`taking orders on ${sub.getSubject()}`);

for await (const m of sub) {
  const order = m.json<{ id: string }>();
  // TODO: the stream captures this subject... but did it store the order? Nobody knows.
  nc.publish(`${prefix}orders.${order.id}.created`, m.data);
  m.respond(JSON.stringify({ ok: true }));
}
