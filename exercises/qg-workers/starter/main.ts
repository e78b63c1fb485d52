// A thumbnail worker: every job on thumbnails.make is "done" and reported on thumbnails.done.
import { connect } from "@nats-io/transport-node";

// On a shared server goingnats puts your namespace in front of every subject.
const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "thumbnail worker" });

// This works while one copy runs. TODO: several copies of this program will run side by side,
// and each job must be done by exactly one of them. Change how this subscription is made.
const sub = nc.subscribe(`${prefix}thumbnails.make`);
console.log(`worker listening on ${sub.getSubject()}`);

for await (const m of sub) {
  // (A real worker would resize the photo here.)
  nc.publish(`${prefix}thumbnails.done`, m.data);
}
