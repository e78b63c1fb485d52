// The order intake: stores every order the web shop submits in the ORDERS stream.
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "order-intake" });
const js = jetstream(nc);

const sub = nc.subscribe(`${prefix}orders.submit`);
console.log(`taking orders on ${sub.getSubject()}`);

for await (const m of sub) {
  let order: { id?: unknown };
  try {
    order = m.json();
  } catch {
    m.respond(JSON.stringify({ ok: false, error: "the order is not JSON" }));
    continue;
  }
  if (typeof order.id !== "string" || !/^[\w-]+$/.test(order.id)) {
    m.respond(JSON.stringify({ ok: false, error: "the order needs an id of letters, digits, - or _" }));
    continue;
  }
  try {
    // A JetStream publish is a request: it resolves once the stream has stored the order.
    // The message id names the order, so a retry of the same order is stored only once.
    const ack = await js.publish(`${prefix}orders.${order.id}.created`, m.data, { msgID: `order-${order.id}` });
    m.respond(JSON.stringify({ ok: true, seq: ack.seq, duplicate: ack.duplicate }));
  } catch (err) {
    // Refused (a full stream, say), or no answer in time: never promise what was not stored.
    console.error(`order ${order.id} not stored: ${(err as Error).message}`);
    m.respond(JSON.stringify({ ok: false, error: (err as Error).message }));
  }
}
