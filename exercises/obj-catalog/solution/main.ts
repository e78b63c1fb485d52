// The build catalog: announces every object in ARTIFACTS, those already there and those to come.
import { connect } from "@nats-io/transport-node";
import { Objm } from "@nats-io/obj";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "build catalog" });
const artifacts = await new Objm(nc).open(`${names}ARTIFACTS`);

// includeHistory: true first delivers the current info of every object (the snapshot), then
// every change. Without it, an object store watch starts with changes only.
const watch = await artifacts.watch({ includeHistory: true });
console.log(`watching ${names}ARTIFACTS`);
for await (const info of watch) {
  if (info.deleted) {
    nc.publish(`${prefix}catalog.removed`, JSON.stringify({ name: info.name }));
    console.log(`removed ${info.name}`);
  } else {
    // The info is the object's meta record: no need to fetch the data.
    const record = { name: info.name, size: info.size, digest: info.digest, version: info.metadata?.version ?? null };
    nc.publish(`${prefix}catalog.added`, JSON.stringify(record));
    console.log(`added ${info.name} (${info.size} bytes)`);
  }
}
