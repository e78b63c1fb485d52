// The thumbnail worker: for each uploaded photo, asks the renderer for a thumbnail.
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const stream = `${process.env.GOINGNATS_NAME_PREFIX ?? ""}PHOTOS`;
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "js-consumer-ack-after-work" });

// The durable consumer "thumbnailer" exists already (explicit acks, ack wait 2 s).
const consumer = await jetstream(nc).consumers.get(stream, "thumbnailer");
const messages = await consumer.consume();
console.log(`thumbnailing the photos in ${stream}`);

for await (const m of messages) {
  const photo = m.string();
  try {
    const r = await nc.request(`${prefix}thumbnail.render`, photo, { timeout: 2000 });
    if (r.string().startsWith("ok")) {
      m.ack(); // done: only now may the server forget the photo
      console.log(`thumbnail ready: ${photo}`);
    } else {
      m.nak(); // not done: deliver it again
      console.log(`render failed for ${photo} (delivery ${m.info.deliveryCount}): ${r.string()}`);
    }
  } catch (err) {
    m.nak();
    console.log(`render failed for ${photo}: ${(err as Error).message}`);
  }
}
