// Creates the MAILER consumer: explicit acks, retries that wait longer each time, then give up.
import { connect, nanos } from "@nats-io/transport-node";
import { AckPolicy, jetstreamManager } from "@nats-io/jetstream";

const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "js-ack-retry-policy" });
const jsm = await jetstreamManager(nc);

const ci = await jsm.consumers.add(`${names}EMAILS`, {
  durable_name: `${names}MAILER`,
  ack_policy: AckPolicy.Explicit,
  // One delay per redelivery, in nanoseconds; the server uses the first as the ack wait.
  backoff: [nanos(1000), nanos(2000), nanos(3000)],
  max_deliver: 4, // counts every delivery: the first try and three retries
});
console.log(`created ${ci.name}: backoff ${ci.config.backoff?.map((ns) => `${ns / 1e9}s`).join(", ")}, max_deliver ${ci.config.max_deliver}`);
await nc.close();
