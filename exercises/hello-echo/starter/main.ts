// Echo: every message on hello.echo goes back out on hello.echoed, with a count in a header.
import { connect, headers } from "@nats-io/transport-node";

// On a shared server goingnats puts your namespace in front of every subject.
const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "hello-echo" });
console.log(`connected to ${nc.getServer()}`);

let count = 0;

// TODO: subscribe to `${prefix}hello.echo`.
// TODO: for every message: count it, and publish its payload (m.data) to `${prefix}hello.echoed`
//       with a header "echo-count" holding the count. `headers()` (imported above) makes a header set.
void headers;
void count;

// Keep running until goingnats (or Ctrl-C) stops the program.
await nc.closed();
