// The order service: announces every order downstream and accepts it, on the caller's trace.
import { connect, headers } from "@nats-io/transport-node";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "order-service" });

const sub = nc.subscribe(`${prefix}orders.place`);
console.log(`taking orders on ${sub.getSubject()}`);

for await (const m of sub) {
  // Keep the caller's trace id; only a request without one starts a new chain.
  const traceId = m.headers?.get("trace-id") || crypto.randomUUID();
  const h = headers();
  h.set("trace-id", traceId);

  nc.publish(`${prefix}orders.placed`, m.data, { headers: h });
  m.respond("accepted", { headers: h });
  console.log(`order ${m.string()} on trace ${traceId}`);
}
