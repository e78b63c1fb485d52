// Routes every room's temperature reading to rooms.<room>.temperature.
import { connect } from "@nats-io/transport-node";

// On a shared server goingnats puts your namespace in front of every subject.
const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "sensor-router" });

// TODO: this receives every reading of every kind (co2, humidity...), not just temperatures.
//       Choose a subject so the server sends only temperature readings, from any room.
const sub = nc.subscribe(`${prefix}sensors.>`);
console.log(`listening on ${sub.getSubject()}`);

for await (const m of sub) {
  if (!m.subject.endsWith(".temp")) continue; // filtering here means the server sent it for nothing
  // TODO: take the room from the subject and publish the reading (m.data, unchanged)
  //       to `${prefix}rooms.<room>.temperature`.
  console.log(`reading on ${m.subject}: ${m.string()}`);
}
