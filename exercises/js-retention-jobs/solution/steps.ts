// Creates the JOBS work queue for the photo site's jobs.
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "js-retention-jobs" });
const jsm = await jetstreamManager(nc);

await jsm.streams.add({
  name: `${names}JOBS`,
  subjects: [`${prefix}jobs.>`], // every kind of job, today's and tomorrow's
  storage: "file", // waiting jobs survive a restart
  retention: "workqueue", // a job is deleted once a worker acknowledges it
});
console.log(`created ${names}JOBS`);
await nc.close();
