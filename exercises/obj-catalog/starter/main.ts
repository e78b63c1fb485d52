// The build catalog: announces every object in ARTIFACTS.
import { connect } from "@nats-io/transport-node";
import { Objm } from "@nats-io/obj";

// On a shared server goingnats puts your namespace in front of every subject and bucket name.
const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "build catalog" });
const artifacts = await new Objm(nc).open(`${names}ARTIFACTS`);

for (const info of await artifacts.list()) {
  const record = { name: info.name, size: info.size, digest: info.digest, version: info.metadata?.version ?? null };
  nc.publish(`${prefix}catalog.added`, JSON.stringify(record));
  console.log(`added ${info.name} (${info.size} bytes)`);
}
// TODO: builds keep coming (and going) after this. Announce those too, as they happen:
//       catalog.added for a new object, catalog.removed with {"name"} for a deleted one.
console.log("catalog published; waiting");
await nc.closed();
