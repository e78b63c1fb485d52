// A temperature converter. It answers requests, but as a plain subscription: nobody can discover
// it, ask which version it is, or see how many requests it has handled.
import { connect } from "@nats-io/transport-node";
// import { Svcm } from "@nats-io/services";

// On a shared server goingnats puts your namespace in front of subjects (prefix, "alice.") and
// names (namePrefix, "ALICE_"); both are empty on your own server.
const prefix = process.env.GOINGNATS_PREFIX ?? "";
const namePrefix = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "tempconv" });

const round1 = (x: number) => Math.round(x * 10) / 10;
const c2f = (c: number) => round1((c * 9) / 5 + 32);
// TODO: f2c, Fahrenheit to Celsius, is new in version 1.1.0.

// TODO: turn this into a service: named `${namePrefix}tempconv`, version 1.1.0, with a description
//       and a group `${prefix}temp` holding the endpoints c2f and f2c.
const sub = nc.subscribe(`${prefix}temp.c2f`);
console.log(`answering on ${sub.getSubject()} (${namePrefix}tempconv is not a service yet)`);

for await (const m of sub) {
  m.respond(String(c2f(Number(m.string()))));
}
