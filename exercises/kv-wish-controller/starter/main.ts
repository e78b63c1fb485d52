// The environment controller: makes ENVS match the wishes in WISHES.
import { connect } from "@nats-io/transport-node";
import { Kvm } from "@nats-io/kv";

// On a shared server goingnats puts your namespace in front of every bucket name.
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "env controller" });
const kvm = new Kvm(nc);
const wishes = await kvm.open(`${names}WISHES`);
const envs = await kvm.open(`${names}ENVS`);

// Only react to changes, so that a restart does not redo every wish.
// TODO: is that right? What happens to the wishes made while the controller was not running?
const watch = await wishes.watch({ key: "env.*", include: "updates" });
for await (const e of watch) {
  if (e.operation === "PUT") {
    const { size } = e.json<{ size: string }>();
    await envs.put(e.key, JSON.stringify({ size, wish: e.revision }));
    console.log(`${e.key}: ${size} (wish revision ${e.revision})`);
  } else {
    await envs.delete(e.key);
    console.log(`${e.key}: removed`);
  }
}
