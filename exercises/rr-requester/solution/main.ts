// A status checker: asks each service how it is, and reports what happened.
import { connect, errors } from "@nats-io/transport-node";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "rr-requester" });

async function ask(service: string): Promise<string> {
  try {
    const m = await nc.request(`${prefix}status.${service}`, "", { timeout: 1000 });
    return `reply: ${m.string()}`;
  } catch (err) {
    // The server said at once that nobody is subscribed: the service is not running.
    if (err instanceof errors.RequestError && err.isNoResponders()) return "no responders";
    // Somebody got the request, but no answer came in time: slow, stuck or lost.
    if (err instanceof errors.TimeoutError) return "timeout";
    throw err;
  }
}

for (const service of ["billing", "mailer", "stock"]) {
  const report = await ask(service);
  nc.publish(`${prefix}report.${service}`, report);
  console.log(`${service}: ${report}`);
}

await nc.drain(); // send the reports, then close
