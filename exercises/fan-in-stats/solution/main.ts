// A stats bot for the chat room: counts who said how much, and tells when someone asks "!stats".
import { connect } from "@nats-io/transport-node";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "fan-in-stats" });

const room = `${prefix}oslo.chatroom`;
const me = `${room}.statsbot`;
const counts: Record<string, number> = {};

// One subscription for the whole room: many speakers, one listener (fan-in).
const sub = nc.subscribe(`${room}.>`);
console.log(`listening to ${sub.getSubject()}, answering as ${me}`);

for await (const m of sub) {
  // The bot is subscribed to the room, so the server sends it its own answers too: skip them.
  // (Connecting with `noEcho: true` would stop the server sending them at all.)
  if (m.subject === me) continue;
  const handle = m.subject.split(".").at(-1)!;
  counts[handle] = (counts[handle] ?? 0) + 1;
  if (m.string() === "!stats") nc.publish(me, JSON.stringify(counts));
}
