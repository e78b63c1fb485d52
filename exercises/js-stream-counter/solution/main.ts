// Adjusts stock levels: a request on warehouse.adjust.<item> with "+5" or "-2" answers with the new level.
// The level of an item is the last message on stock.<item> in the STOCK stream.
import { connect } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, JetStreamApiError } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const stream = `${process.env.GOINGNATS_NAME_PREFIX ?? ""}STOCK`;
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "stock-keeper" });
const jsm = await jetstreamManager(nc);
const js = jetstream(nc);

// What this service knows: each item's level, and the stream sequence that level was stored at.
const known = new Map<string, { level: number; seq: number }>();

/** Reads an item's current level from the stream: 0 at sequence 0 when it has none yet. */
async function read(subject: string): Promise<{ level: number; seq: number }> {
  try {
    const m = await jsm.streams.getMessage(stream, { last_by_subj: subject });
    return m ? { level: Number(m.string()), seq: m.seq } : { level: 0, seq: 0 };
  } catch {
    return { level: 0, seq: 0 }; // no message on that subject yet
  }
}

/** Stores level + change, unless someone wrote in between: then read again and retry. */
async function adjust(item: string, change: number): Promise<number> {
  const subject = `${prefix}stock.${item}`;
  for (let attempt = 1; ; attempt++) {
    const current = known.get(item) ?? (await read(subject));
    const level = current.level + change;
    try {
      // Stored only if the last message on this subject is still the one we computed from.
      const ack = await js.publish(subject, String(level), { expect: { lastSubjectSequence: current.seq } });
      known.set(item, { level, seq: ack.seq });
      return level;
    } catch (err) {
      if (!(err instanceof JetStreamApiError) || err.code !== 10071 || attempt >= 10) throw err;
      console.log(`${item}: changed since we read it (${err.message}); reading again`);
      known.delete(item);
    }
  }
}

const sub = nc.subscribe(`${prefix}warehouse.adjust.*`);
console.log(`adjusting stock on ${sub.getSubject()}`);

for await (const m of sub) {
  const item = m.subject.split(".").at(-1)!;
  const change = Number(m.string());
  if (!Number.isInteger(change)) {
    m.respond(`error: "${m.string()}" is not a whole number`);
    continue;
  }
  try {
    m.respond(String(await adjust(item, change)));
  } catch (err) {
    m.respond(`error: ${(err as Error).message}`);
  }
}
