// A stock service: inventory.stock answers an item name with the number in stock, and a mistake
// with a service error that any NATS service client recognises.
import { connect } from "@nats-io/transport-node";
import { Svcm } from "@nats-io/services";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const namePrefix = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "inventory" });

const STOCK: Record<string, number> = { apples: 12, pears: 0, plums: 7, figs: 31 };

const svc = await new Svcm(nc).add({ name: `${namePrefix}inventory`, version: "1.0.0", description: "How many of each item are in stock" });

svc.addGroup(`${prefix}inventory`).addEndpoint("stock", (_err, m) => {
  const item = m.string().trim();
  // respondError sets the Nats-Service-Error-Code and Nats-Service-Error headers; the codes follow HTTP.
  if (item === "") {
    m.respondError(400, "item name required");
    return;
  }
  if (!Object.hasOwn(STOCK, item)) {
    m.respondError(404, `no such item: ${item}`);
    return;
  }
  // Zero is a perfectly good answer: out of stock is not an error.
  m.respond(String(STOCK[item]));
});
console.log(`${svc.info().name} answering on ${prefix}inventory.stock`);

await svc.stopped;
