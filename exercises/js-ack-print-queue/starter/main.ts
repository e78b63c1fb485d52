// The print spooler: takes jobs from the PRINTS stream and sends them to the printer.
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "print spooler" });
const js = jetstream(nc);

// SPOOLER: explicit acks, ack wait 2 s (the check creates it).
const consumer = await js.consumers.get(`${names}PRINTS`, `${names}SPOOLER`);

// TODO: a big document takes the printer up to 5 s, longer than the ack wait.
for await (const m of await consumer.consume()) {
  const doc = m.string();
  try {
    const reply = await nc.request(`${prefix}printer.print`, m.data, { timeout: 6000 });
    if (reply.string() === "ok") {
      console.log(`printed ${doc}`);
      m.ack();
    } else {
      // TODO: the printer needs a moment after a jam
      console.log(`${doc}: ${reply.string()}, trying again`);
      m.nak();
    }
  } catch (err) {
    console.log(`${doc}: ${(err as Error).message}, trying again`);
    m.nak();
  }
}
