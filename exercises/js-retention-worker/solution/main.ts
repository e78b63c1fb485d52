// A thumbnail worker: takes jobs from the JOBS work queue, makes the thumbnail, acknowledges the job.
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const stream = `${process.env.GOINGNATS_NAME_PREFIX ?? ""}JOBS`;
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "thumbnail worker" });
const jsm = await jetstreamManager(nc);
const js = jetstream(nc);

// One durable consumer for every copy of the worker: a work queue allows one consumer per subject.
// Adding it again with the same configuration is harmless, so each copy may do it at start.
await jsm.consumers.add(stream, {
  durable_name: "thumbnailer",
  ack_policy: "explicit",
  filter_subject: `${prefix}jobs.thumbnail`,
});
const consumer = await js.consumers.get(stream, "thumbnailer");
console.log("worker ready, sharing consumer thumbnailer");

const messages = await consumer.consume();
for await (const m of messages) {
  const image = m.string();
  nc.publish(`${prefix}thumbnails.ready`, image.replace(/\.png$/, ".thumb.png"));
  m.ack(); // done: the work queue deletes the job, and no other copy will get it
}
