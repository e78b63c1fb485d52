// A temperature converter, as a NATS service: discoverable, versioned and counted.
import { connect } from "@nats-io/transport-node";
import { Svcm, type ServiceMsg } from "@nats-io/services";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const namePrefix = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "tempconv" });

const round1 = (x: number) => Math.round(x * 10) / 10;
const c2f = (c: number) => round1((c * 9) / 5 + 32);
const f2c = (f: number) => round1(((f - 32) * 5) / 9);

// The service answers $SRV.PING, $SRV.INFO and $SRV.STATS by itself, and counts every request.
const svc = await new Svcm(nc).add({
  name: `${namePrefix}tempconv`,
  version: "1.1.0",
  description: "Converts temperatures between Celsius and Fahrenheit",
});

// One handler per conversion; a payload that is not a number gets a service error, not a guess.
const convert = (fn: (x: number) => number) => (_err: Error | null, m: ServiceMsg) => {
  const x = Number(m.string());
  if (m.string().trim() === "" || Number.isNaN(x)) {
    m.respondError(400, `not a number: ${JSON.stringify(m.string())}`);
    return;
  }
  m.respond(String(fn(x)));
};

// The group is a subject prefix: the endpoints listen on <prefix>temp.c2f and <prefix>temp.f2c.
const temp = svc.addGroup(`${prefix}temp`);
temp.addEndpoint("c2f", convert(c2f));
temp.addEndpoint("f2c", convert(f2c));
console.log(`${svc.info().name} ${svc.info().version} running as instance ${svc.info().id}`);

await svc.stopped;
