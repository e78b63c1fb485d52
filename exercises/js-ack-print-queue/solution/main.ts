// The print spooler: takes jobs from the PRINTS stream and sends them to the printer.
import { connect } from "@nats-io/transport-node";
import { jetstream } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "print spooler" });
const js = jetstream(nc);

const consumer = await js.consumers.get(`${names}PRINTS`, `${names}SPOOLER`);

// One job at a time: the ack wait of a delivered message runs even while it waits in our buffer,
// so fetching ahead would let the jobs behind a slow one expire and come back a second time.
for await (const m of await consumer.consume({ max_messages: 1 })) {
  const doc = m.string();
  // Still printing: each working() restarts the server's 2 s ack wait for this job.
  const alive = setInterval(() => m.working(), 1000);
  try {
    const reply = await nc.request(`${prefix}printer.print`, m.data, { timeout: 6000 });
    if (reply.string() === "ok") {
      console.log(`printed ${doc}`);
      m.ack(); // only now is the job done
    } else {
      console.log(`${doc}: ${reply.string()}, again in 1 s`);
      m.nak(1000); // deliver it again, but give the printer a second
    }
  } catch (err) {
    console.log(`${doc}: ${(err as Error).message}, again in 1 s`);
    m.nak(1000);
  } finally {
    clearInterval(alive);
  }
}
