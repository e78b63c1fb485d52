// A thumbnail worker: every job on thumbnails.make is "done" and reported on thumbnails.done.
// Run as many copies as you like: they share the jobs through the queue group.
import { connect } from "@nats-io/transport-node";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "thumbnail worker" });

// Every copy joins the same queue group: the server gives each job to one member, picked at random.
// A copy that stops simply leaves the group; the others get its share.
const sub = nc.subscribe(`${prefix}thumbnails.make`, { queue: "thumbnailers" });
console.log(`worker in queue group "thumbnailers" on ${sub.getSubject()}`);

for await (const m of sub) {
  nc.publish(`${prefix}thumbnails.done`, m.data);
}
