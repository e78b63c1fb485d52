// Routes every room's temperature reading to rooms.<room>.temperature.
import { connect } from "@nats-io/transport-node";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "sensor-router" });

// `*` is exactly one token: any room, but only the temp kind; the server drops co2 and humidity for us.
const sub = nc.subscribe(`${prefix}sensors.*.temp`);
console.log(`routing ${sub.getSubject()}`);

for await (const m of sub) {
  // Count from the end so a namespace prefix (which may hold dots) does not shift the position.
  const room = m.subject.split(".").at(-2);
  nc.publish(`${prefix}rooms.${room}.temperature`, m.data);
}
