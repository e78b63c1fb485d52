// A typed client for the inventory service, version v1.
import { connect, type NatsConnection } from "@nats-io/transport-node";

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

/** A fire-and-forget method: a plain publish, no reply subject, nothing to wait for. */
function defineEvent<Req>(service: string, version: string, method: string) {
  const subject = `${prefix}${service}.${version}.${method}`;
  return {
    subject,
    send(nc: NatsConnection, req: Req): void {
      nc.publish(subject, JSON.stringify(req));
    },
  };
}

const inventory = {
  reserve: defineMethod<ReserveRequest, ReserveResult>("inventory", "v1", "Reserve"),
  audit: defineEvent<AuditEntry>("inventory", "v1", "Audit"),
};

const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "inventory-client" });

const result = await inventory.reserve.call(nc, { sku: "beans-1kg", qty: 2 });
inventory.audit.send(nc, { action: "reserve", sku: "beans-1kg", qty: 2 });
nc.publish(`${prefix}report`, `reserved 2, ${result.left} left`);
console.log(`reserved: ${result.reserved}, left: ${result.left}`);

await nc.drain(); // sends what is buffered (the audit entry, the report), then closes
