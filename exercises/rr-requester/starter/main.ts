// A status checker: asks each service how it is, and reports what happened.
import { connect, errors } from "@nats-io/transport-node";

// On a shared server goingnats puts your namespace in front of every subject.
const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "rr-requester" });

for (const service of ["billing", "mailer", "stock"]) {
  let report: string;
  try {
    const m = await nc.request(`${prefix}status.${service}`, "", { timeout: 1000 });
    report = `reply: ${m.string()}`;
  } catch {
    // TODO: not every failed request is a timeout. The error says what happened:
    //       tell "no responders" apart from "timeout" (see `errors`, imported above).
    report = "timeout";
  }
  nc.publish(`${prefix}report.${service}`, report);
  console.log(`${service}: ${report}`);
}
void errors;

await nc.drain(); // send the reports, then close
