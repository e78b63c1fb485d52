// Sets up SIGNUPS for the mailer and the CRM, and publishes the first sign-up.
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const stream = `${process.env.GOINGNATS_NAME_PREFIX ?? ""}SIGNUPS`;
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "js-retention-interest" });
const jsm = await jetstreamManager(nc);
const js = jetstream(nc);

await jsm.streams.add({ name: stream, subjects: [`${prefix}signups.>`], retention: "interest" });

// The first sign-up, while it is fresh.
const ack = await js.publish(`${prefix}signups.web`, "Ada");
console.log(`sign-up stored as ${ack.seq}`);

// TODO: the services' consumers, added after the sign-up. Will they get it?
for (const name of ["mailer", "crm"]) {
  await jsm.consumers.add(stream, { durable_name: name, ack_policy: "explicit" });
}
await nc.close();
