// Creates the SENSORS stream, as in the meetup demo: the readings of the Hamar office.
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "js-stream-sensors" });
const jsm = await jetstreamManager(nc);

await jsm.streams.add({
  name: `${names}SENSORS`,
  // TODO: new sites join every week. Will their readings be kept?
  subjects: [`${prefix}sensors.hamar.temp`, `${prefix}sensors.hamar.humidity`, `${prefix}sensors.hamar.co2`],
  storage: "memory", // TODO: what happens to the readings when the server restarts?
  retention: "limits",
});
console.log(`created ${names}SENSORS`);
await nc.close();
