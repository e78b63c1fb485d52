// The environment controller: makes ENVS match the wishes in WISHES, now and from now on.
import { connect } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";

const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "env controller" });
const kvm = new Kvm(nc);
const wishes = await kvm.open(`${names}WISHES`);
const envs = await kvm.open(`${names}ENVS`);

// One watch gives the snapshot (the latest value of every wish) and then every change as it
// happens. No polling: the server pushes each change once.
const watch = await wishes.watch({ key: "env.*" });
for await (const e of watch) {
  if (e.operation === "PUT") {
    const { size } = e.json<{ size: string }>();
    // Reconcile: make the environment match the wish (here: record it), and say which revision it applied.
    await envs.put(e.key, JSON.stringify({ size, wish: e.revision }));
    console.log(`${e.key}: ${size} (wish revision ${e.revision})`);
  } else {
    // DEL or PURGE: the wish is gone, so is its environment.
    await envs.delete(e.key);
    console.log(`${e.key}: removed`);
  }
  if (e.delta === 0) console.log("up to date; following changes"); // delta: snapshot entries still to come
}
