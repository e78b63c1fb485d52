// Echo: every message on hello.echo goes back out on hello.echoed, with a count in a header.
import { connect, headers } from "@nats-io/transport-node";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "hello-echo" });

// Subscribe first: a message published before this line would be lost (at-most-once).
const sub = nc.subscribe(`${prefix}hello.echo`);
console.log(`echoing ${sub.getSubject()} to ${prefix}hello.echoed`);

let count = 0;
for await (const m of sub) {
  count++;
  const h = headers();
  h.set("echo-count", String(count));
  // m.data is the payload as bytes: passing it on unchanged keeps any encoding intact.
  nc.publish(`${prefix}hello.echoed`, m.data, { headers: h });
}
