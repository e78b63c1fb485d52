// Account balances, rebuilt from the BANK stream of events, answered on request.
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "balances" });
const js = jetstream(nc);

interface Event {
  type: "deposited" | "withdrawn";
  amount: number;
}
const balances = new Map<string, number>();
let applied = 0; // the stream sequence of the last event applied

// The balances live only in memory, so every start replays the whole history: an ordered
// consumer made fresh on each start, from the first event (its default, deliver_policy all).
const consumer = await js.consumers.get(`${names}BANK`);
const behind = (await consumer.info()).num_pending;
let caughtUp = () => {};
const ready = new Promise<void>((resolve) => (caughtUp = resolve));
if (behind === 0) caughtUp();

void (async () => {
  for await (const m of await consumer.consume()) {
    if (m.seq > applied) {
      // each event once: an event at or below `applied` is already in the balances
      const account = m.subject.split(".").at(-1)!;
      const e = m.json<Event>();
      balances.set(account, (balances.get(account) ?? 0) + (e.type === "deposited" ? e.amount : -e.amount));
      applied = m.seq;
    }
    if (m.info.pending === 0) caughtUp();
  }
})();

// Answer only once the history is in: a balance from half the history is a wrong balance.
await ready;
console.log(`replayed ${behind} events up to sequence ${applied}; answering balance requests`);
nc.subscribe(`${prefix}bank.balance.*`, {
  callback: (_err, m) => {
    const account = m.subject.split(".").at(-1)!;
    m.respond(String(balances.get(account) ?? 0));
  },
});
