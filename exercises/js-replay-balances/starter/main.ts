// Account balances, rebuilt from the BANK stream of events, answered on request.
import { connect } from "@nats-io/transport-node";
import { DeliverPolicy, jetstream } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "balances" });
const js = jetstream(nc);

interface Event {
  type: "deposited" | "withdrawn";
  amount: number;
}
const balances = new Map<string, number>();

// An ordered consumer: ephemeral, in order, no acks; made fresh each time the program starts.
// TODO: the balances are wrong right after a start. Where does this consumer begin in the stream?
const consumer = await js.consumers.get(`${names}BANK`, { deliver_policy: DeliverPolicy.New });
const events = await consumer.consume();

// bank.events.<account>: apply each event to its account.
void (async () => {
  for await (const m of events) {
    const account = m.subject.split(".").at(-1)!;
    const e = m.json<Event>();
    const change = e.type === "deposited" ? e.amount : -e.amount;
    balances.set(account, (balances.get(account) ?? 0) + change);
  }
})();

// bank.balance.<account>: answer with the balance, a plain number.
nc.subscribe(`${prefix}bank.balance.*`, {
  callback: (_err, m) => {
    const account = m.subject.split(".").at(-1)!;
    m.respond(String(balances.get(account) ?? 0));
  },
});
console.log("answering balance requests");
