// Creates the MAILER consumer: explicit acks, retries that wait longer each time, then give up.
import { connect, nanos } from "@nats-io/transport-node";
import { AckPolicy, jetstreamManager } from "@nats-io/jetstream";

const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "js-ack-retry-policy" });
const jsm = await jetstreamManager(nc);

const ci = await jsm.consumers.add(`${names}EMAILS`, {
  durable_name: `${names}MAILER`,
  ack_policy: AckPolicy.Explicit,
  ack_wait: nanos(1000), // TODO: 1 s before the first retry, 2 s before the second, 3 s before the third
  max_deliver: 4, // the first try and three retries
});
console.log(`created ${ci.name}: ack_wait ${ci.config.ack_wait} ns, max_deliver ${ci.config.max_deliver}`);
await nc.close();
