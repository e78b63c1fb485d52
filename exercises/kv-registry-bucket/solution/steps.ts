// Creates the REGISTRY bucket, where deployments register themselves.
import { connect } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";

const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "kv-registry-bucket" });

const kv = await new Kvm(nc).create(`${names}REGISTRY`, {
  history: 3, // the last 3 values of every key
  ttl: 30_000, // milliseconds: an entry not written for 30 s disappears (the stream's max_age)
});
const status = await kv.status();
console.log(`created bucket ${status.bucket}: history ${status.history}, ttl ${status.ttl} ms`);
await nc.close();
