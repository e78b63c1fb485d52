// Creates BOARD (the latest reading of every subject, then new ones) and AUDIT (from the recalibration on).
import { connect } from "@nats-io/transport-node";
import { AckPolicy, DeliverPolicy, jetstreamManager } from "@nats-io/jetstream";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "js-replay-start-points" });
const jsm = await jetstreamManager(nc);
const stream = `${names}WEATHER`;

// The check names the sequence; it is also the sequence of the recalibration notice in the stream.
const notice = await jsm.streams.getMessage(stream, { last_by_subj: `${prefix}weather.service.recalibrated` });
if (!notice) throw new Error("no recalibration notice in the stream");

await jsm.consumers.add(stream, {
  durable_name: `${names}BOARD`,
  ack_policy: AckPolicy.Explicit,
  deliver_policy: DeliverPolicy.LastPerSubject, // one message per subject: the newest
  filter_subject: `${prefix}weather.>`, // 2.9 insists on a filter with last_per_subject
});
await jsm.consumers.add(stream, {
  durable_name: `${names}AUDIT`,
  ack_policy: AckPolicy.Explicit,
  deliver_policy: DeliverPolicy.StartSequence,
  opt_start_seq: notice.seq, // every message from this sequence on
});
console.log(`created BOARD and AUDIT (from sequence ${notice.seq})`);
await nc.close();
