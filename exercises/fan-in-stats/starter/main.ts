// A stats bot for the chat room: counts who said how much, and tells when someone asks "!stats".
import { connect } from "@nats-io/transport-node";

// On a shared server goingnats puts your namespace in front of every subject.
const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "fan-in-stats" });

const room = `${prefix}oslo.chatroom`;
const me = `${room}.statsbot`; // where the bot speaks
const counts: Record<string, number> = {};

const sub = nc.subscribe(`${room}.>`);
console.log(`listening to ${sub.getSubject()}, answering as ${me}`);

for await (const m of sub) {
  // The handle is the last token: counting from the end ignores any namespace prefix.
  const handle = m.subject.split(".").at(-1)!;
  // TODO: the numbers look right the first time someone asks. Ask twice in a row and compare:
  //       is every line counted here really said by a member of the room?
  counts[handle] = (counts[handle] ?? 0) + 1;
  if (m.string() === "!stats") {
    nc.publish(me, JSON.stringify(counts));
  }
}
