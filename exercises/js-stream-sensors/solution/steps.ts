// Creates the SENSORS stream: temp, humidity and co2 readings of every site, kept on disk.
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "js-stream-sensors" });
const jsm = await jetstreamManager(nc);

await jsm.streams.add({
  name: `${names}SENSORS`,
  // `*` stands for the site: one token, any value, so next week's sites are captured too.
  // The status heartbeats (sensors.<site>.status) match none of these and are not stored.
  subjects: [`${prefix}sensors.*.temp`, `${prefix}sensors.*.humidity`, `${prefix}sensors.*.co2`],
  storage: "file", // survives a server restart (and is the default)
  retention: "limits", // the default: keep messages until a limit says otherwise
});
console.log(`created ${names}SENSORS`);
await nc.close();
