import type { Check, CheckContext, SeenMessage } from "../../src/check/types.js";
import type { ConsumerInfo } from "@nats-io/jetstream";

const STREAM = "ORDERS";
const CONSUMER = "invoicer";
const FIRST = 5;
const WHILE_DOWN = 3;

interface Order {
  id: string;
  amount: number;
  seq: number;
}
interface Run {
  orders: Order[];
  /** The consumer as it was when the first run of the program had invoiced everything. */
  before?: ConsumerInfo;
  keep: boolean;
}
let run: Run | undefined;

function cleanUp(ctx: CheckContext, last: boolean) {
  if (run) run.keep = false;
  ctx.defer(async () => {
    if (last || !run?.keep) await (await ctx.jsm()).streams.delete(ctx.name(STREAM)).catch(() => {});
  });
}

async function placeOrders(ctx: CheckContext, r: Run, n: number): Promise<Order[]> {
  const js = ctx.js();
  const placed: Order[] = [];
  for (let i = 0; i < n; i++) {
    let id: string;
    do id = `${"ABCDEFGH"[Math.floor(Math.random() * 8)]}${Math.floor(1000 + Math.random() * 9000)}`;
    while (r.orders.some((o) => o.id === id));
    const amount = 50 + Math.floor(Math.random() * 950);
    const ack = await js.publish(ctx.subject("orders.placed"), JSON.stringify({ id, amount }));
    const o = { id, amount, seq: ack.seq };
    r.orders.push(o);
    placed.push(o);
  }
  ctx.note(`placed orders ${placed.map((o) => o.id).join(", ")}`);
  return placed;
}

const idOf = (ctx: CheckContext, m: SeenMessage) => ctx.unprefix(m.subject).split(".").at(-1)!;

export const checks: Check[] = [
  {
    name: `it invoices each order once through the durable consumer ${CONSUMER}, and acks it`,
    idea: "A durable pull consumer delivers each message of the stream; an ack tells the server it is done",
    async run(ctx) {
      run = undefined;
      const name = ctx.name(STREAM);
      const jsm = await ctx.jsm();
      await jsm.streams.delete(name).catch(() => {});
      await jsm.streams.add({ name, subjects: [ctx.subject("orders.>")] });
      const r: Run = { orders: [], keep: false };
      run = r;
      cleanUp(ctx, false);
      const placed = await placeOrders(ctx, r, FIRST);

      const invoices = ctx.watch(ctx.subject("invoices.>"), { label: "invoices" });
      await ctx.flush();
      const program = await ctx.startProgram();
      await invoices.waitFor(FIRST, { timeoutMs: Math.min(10_000, ctx.remainingMs() - 15_000) });
      const ci = await jsm.consumers.info(name, CONSUMER).catch(() => undefined);
      if (!ci) {
        const names: string[] = [];
        for await (const list of jsm.consumers.list(name)) names.push(`${list.name}${list.config.durable_name ? "" : " (ephemeral)"}`);
        return ctx.fail({
          expected: `a durable consumer named ${CONSUMER} on ${name}`,
          seen: names.length ? `the consumers on ${name}: ${names.join(", ")}` : `no consumer on ${name}${program.isRunning() ? "" : " (your program has stopped)"}`,
          idea: "A durable consumer has a name, and the server keeps its position while no program runs",
          hint: `jsm.consumers.add(stream, { durable_name: "${CONSUMER}", ack_policy: AckPolicy.Explicit })`,
        });
      }
      const ids = invoices.messages.map((m) => idOf(ctx, m));
      const missing = placed.filter((o) => !ids.includes(o.id));
      if (missing.length) {
        return ctx.fail({
          expected: `an invoice on invoices.<id> for each of the orders ${placed.map((o) => o.id).join(", ")}`,
          seen: `${ids.length ? `invoices for ${ids.join(", ")}` : "no invoice"}; none for ${missing.map((o) => o.id).join(", ")}. The consumer has delivered up to stream sequence ${ci.delivered.stream_seq}`,
          idea: "Publishing is how a program tells others what it did",
          hint: "For each order: nc.publish(`${prefix}invoices.${order.id}`, ...), then m.ack().",
        });
      }
      let last = ci;
      await ctx.poll(3000, async () => {
        last = await jsm.consumers.info(name, CONSUMER);
        return last.num_ack_pending === 0 && last.ack_floor.stream_seq >= placed.at(-1)!.seq ? true : undefined;
      });
      if (last.num_ack_pending > 0 || last.ack_floor.stream_seq < placed.at(-1)!.seq) {
        return ctx.fail({
          expected: `all ${FIRST} orders acked: num_ack_pending 0, ack floor at stream sequence ${placed.at(-1)!.seq}`,
          seen: `num_ack_pending is ${last.num_ack_pending} after your program sent the invoices (ack floor at stream sequence ${last.ack_floor.stream_seq}): the server still waits to hear the orders are done, and after ack_wait (${Math.round((last.config.ack_wait ?? 30e9) / 1e9)} s) it delivers them again, to be invoiced twice`,
          idea: "With explicit acks a delivered message stays pending until it is acked",
          hint: "m.ack() once the invoice is sent.",
        });
      }
      if (last.config.ack_policy !== "explicit") {
        return ctx.fail({
          expected: 'ack_policy "explicit"',
          seen: `ack_policy "${last.config.ack_policy}"`,
          idea: "With explicit acks each order is confirmed on its own, after its invoice went out",
          hint: "ack_policy: AckPolicy.Explicit",
        });
      }
      r.before = last;
      r.keep = true;
      return `${FIRST} invoices; ${CONSUMER}: delivered ${last.delivered.stream_seq}, num_ack_pending 0`;
    },
  },
  {
    name: "after a restart it invoices only the new orders",
    idea: "A durable consumer remembers its position and acks on the server: a restarted program resumes, it does not start over",
    async run(ctx) {
      cleanUp(ctx, true);
      const r = run!;
      const name = ctx.name(STREAM);
      const jsm = await ctx.jsm();
      // The program of the check before was stopped when that check ended. Orders keep coming.
      const placed = await placeOrders(ctx, r, WHILE_DOWN);
      const waiting = await jsm.consumers.info(name, CONSUMER).catch(() => undefined);
      if (!waiting) {
        return ctx.fail({
          expected: `the consumer ${CONSUMER} still there while your program is stopped`,
          seen: "it was removed when your program stopped",
          idea: "A durable consumer outlives its programs; an ephemeral one is removed when its program is gone",
          hint: `Create it with durable_name "${CONSUMER}".`,
        });
      }
      ctx.note(`while your program was down: num_pending ${waiting.num_pending}`);

      const invoices = ctx.watch(ctx.subject("invoices.>"), { label: "invoices after the restart" });
      await ctx.flush();
      const program = await ctx.startProgram({ label: "your program, restarted" });
      await invoices.waitFor(WHILE_DOWN, { timeoutMs: Math.min(10_000, ctx.remainingMs() - 3000), filter: (m) => placed.some((o) => o.id === idOf(ctx, m)) });
      const after = await jsm.consumers.info(name, CONSUMER).catch(() => undefined);
      const before = r.before!;
      const ids = invoices.messages.map((m) => idOf(ctx, m));
      const old = r.orders.filter((o) => !placed.includes(o) && ids.includes(o.id));
      const missing = placed.filter((o) => !ids.includes(o.id));
      const recreated = after && after.created !== before.created;
      const recreatedText = recreated
        ? `The consumer ${CONSUMER} was created anew when your program started (created ${time(after.created)}, before ${time(before.created)}), so its position and acks were gone${after.config.deliver_policy === "all" ? ": a new consumer with deliver policy all starts again at the first order" : `, and with deliver policy "${after.config.deliver_policy}" it starts at the end of the stream`}`
        : "";
      if (old.length) {
        return ctx.fail({
          expected: `invoices for the ${WHILE_DOWN} orders placed while your program was down (${placed.map((o) => o.id).join(", ")}), and nothing else`,
          seen: `after the restart it invoiced ${old.map((o) => o.id).join(", ")} AGAIN: those customers now have two invoices. ${recreatedText || `The consumer delivered them again (num_redelivered ${after?.num_redelivered ?? "?"})`}`,
          idea: "A durable consumer remembers its position and acks on the server: resume it, never delete and re-create it",
          hint: "Do not delete the consumer on start. jsm.consumers.add() with the same configuration returns the consumer that is already there.",
        });
      }
      if (missing.length) {
        return ctx.fail({
          expected: `invoices for the orders placed while your program was down: ${placed.map((o) => o.id).join(", ")}`,
          seen: `${ids.length ? `invoices for ${ids.join(", ")}` : "no invoice"}; none for ${missing.map((o) => o.id).join(", ")}${program.isRunning() ? "" : " (your program has stopped)"}. ${recreatedText || (after ? `The consumer has delivered up to stream sequence ${after.delivered.stream_seq}, num_pending ${after.num_pending}` : `There is no consumer ${CONSUMER} now`)}`,
          idea: "A durable consumer keeps the messages that arrive while nobody reads, and delivers them when its program comes back",
          hint: "Resume the same durable consumer on start: no delete, no deliver policy new.",
        });
      }
      if (recreated) {
        return ctx.fail({
          expected: `the same consumer ${CONSUMER} after the restart`,
          seen: recreatedText,
          idea: "A durable consumer remembers its position and acks on the server: resume it, never delete and re-create it",
          hint: "Do not delete the consumer on start.",
        });
      }
      return `invoiced ${placed.map((o) => o.id).join(", ")} after the restart, nothing twice; ${CONSUMER} created ${time(before.created)}, still the same`;
    },
  },
];

function time(iso: string): string {
  return iso.replace(/^.*T/, "").replace(/(\.\d{3})\d*Z$/, "$1");
}
