// Creates the JOBS stream for the photo site's jobs.
import { connect } from "@nats-io/transport-node";
import { jetstreamManager } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "js-retention-jobs" });
const jsm = await jetstreamManager(nc);

await jsm.streams.add({
  name: `${names}JOBS`,
  subjects: [`${prefix}jobs.>`],
  storage: "file",
  // TODO: when does a job leave the stream once a worker has done it?
});
console.log(`created ${names}JOBS`);
await nc.close();
