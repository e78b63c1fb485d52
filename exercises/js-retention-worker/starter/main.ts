// A thumbnail worker: takes jobs from the JOBS work queue, makes the thumbnail, acknowledges the job.
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const stream = `${process.env.GOINGNATS_NAME_PREFIX ?? ""}JOBS`;
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "thumbnail worker" });
const jsm = await jetstreamManager(nc);
const js = jetstream(nc);

// A consumer of our own for the thumbnail jobs.
// TODO: it works with one worker. What happens when a second copy starts?
const info = await jsm.consumers.add(stream, { ack_policy: "explicit", filter_subject: `${prefix}jobs.thumbnail` });
const consumer = await js.consumers.get(stream, info.name);
console.log(`worker ready, consumer ${info.name}`);

const messages = await consumer.consume();
for await (const m of messages) {
  const image = m.string();
  nc.publish(`${prefix}thumbnails.ready`, image.replace(/\.png$/, ".thumb.png"));
  m.ack(); // done: the work queue deletes the job
}
