// A typed client for the inventory service, version v1.
import { connect, type NatsConnection } from "@nats-io/transport-node";

// On a shared server goingnats puts your namespace in front of every subject.
const prefix = process.env.GOINGNATS_PREFIX ?? "";
const DEFAULT_TIMEOUT = 5000;

type ReserveRequest = { sku: string; qty: number };
type ReserveResult = { reserved: boolean; left: number };
type AuditEntry = { action: string; sku: string; qty: number };

/** A request-reply method: one subject per service, version and method; JSON both ways. */
function defineMethod<Req, Res>(service: string, version: string, method: string) {
  const subject = `${prefix}${service}.${version}.${method}`;
  return {
    subject,
    async call(nc: NatsConnection, req: Req, timeout = DEFAULT_TIMEOUT): Promise<Res> {
      const m = await nc.request(subject, JSON.stringify(req), { timeout });
      return m.json<Res>();
    },
  };
}

// TODO: write defineEvent<Req>(service, version, method) for methods that return nothing,
//       and use it for Audit below.

const inventory = {
  reserve: defineMethod<ReserveRequest, ReserveResult>("inventory", "v1", "Reserve"),
  audit: defineMethod<AuditEntry, void>("inventory", "v1", "Audit"), // TODO: Audit returns nothing
};

const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "inventory-client" });

const result = await inventory.reserve.call(nc, { sku: "beans-1kg", qty: 2 });
await inventory.audit.call(nc, { action: "reserve", sku: "beans-1kg", qty: 2 });
// TODO: publish `reserved 2, <left> left` to `${prefix}report`.
console.log(`reserved: ${result.reserved}, left: ${result.left}`);

await nc.drain();
