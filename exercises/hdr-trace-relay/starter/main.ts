// The order service: announces every order downstream and accepts it.
import { connect, headers } from "@nats-io/transport-node";

// On a shared server goingnats puts your namespace in front of every subject.
const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "order-service" });

const sub = nc.subscribe(`${prefix}orders.place`);
console.log(`taking orders on ${sub.getSubject()}`);

for await (const m of sub) {
  console.log(`order ${m.string()} (trace ${m.headers?.get("trace-id") ?? "none"})`);
  // TODO: both messages below should carry the request's trace-id header (or, when the
  //       request has none, one new id). Build them with headers() and pass { headers }.
  nc.publish(`${prefix}orders.placed`, m.data);
  m.respond("accepted");
}
void headers;
