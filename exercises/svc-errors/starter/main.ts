// A stock service: inventory.stock answers an item name with the number in stock.
import { connect } from "@nats-io/transport-node";
import { Svcm } from "@nats-io/services";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const namePrefix = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "inventory" });

const STOCK: Record<string, number> = { apples: 12, pears: 0, plums: 7, figs: 31 };

const svc = await new Svcm(nc).add({ name: `${namePrefix}inventory`, version: "1.0.0", description: "How many of each item are in stock" });

svc.addGroup(`${prefix}inventory`).addEndpoint("stock", (_err, m) => {
  const item = m.string().trim();
  // TODO: these two answers look like success to a client: the text says "error", but nothing
  //       else does. Return them as service errors: 400 for an empty request, 404 for an unknown item.
  if (item === "") {
    m.respond("error: which item?");
    return;
  }
  if (!(item in STOCK)) {
    m.respond(`error: no such item: ${item}`);
    return;
  }
  m.respond(String(STOCK[item]));
});
console.log(`${svc.info().name} answering on ${prefix}inventory.stock`);

await svc.stopped;
