// The scale service: adds replicas to a team's wish, without overwriting anybody else's change.
import { connect } from "@nats-io/transport-node";
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const names = process.env.GOINGNATS_NAME_PREFIX ?? "";
const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "scale service" });
const kv = await new Kvm(nc).open(`${names}WISHES`);

interface Wish {
  team: string;
  size: string;
  replicas: number;
  addons: string[];
}

async function scale(team: string, add: number): Promise<string> {
  const key = `env.${team}`;
  // Optimistic concurrency: read, work, write only if nobody wrote in between; otherwise start over.
  for (let attempt = 1; ; attempt++) {
    const entry = await kv.get(key);
    // A deleted wish is still an entry: its operation is DEL (or PURGE), and it has no value.
    if (!entry || entry.operation !== "PUT") return `error: no wish for ${team}`;
    const wish = entry.json<Wish>();
    const replicas = wish.replicas + add;

    const answer = await nc.request(`${prefix}capacity.check`, JSON.stringify({ team, replicas }), { timeout: 2000 });
    if (answer.string() !== "ok") return `denied: ${answer.string()}`;

    try {
      // Writes only if the key is still at the revision we read.
      const revision = await kv.update(key, JSON.stringify({ ...wish, replicas }), entry.revision);
      console.log(`${team}: replicas ${wish.replicas} -> ${replicas} (revision ${revision}, attempt ${attempt})`);
      return `ok replicas=${replicas}`;
    } catch (err) {
      if (err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamWrongLastSequence) {
        console.log(`${team}: the wish changed since revision ${entry.revision}; reading it again`);
        continue;
      }
      throw err;
    }
  }
}

const sub = nc.subscribe(`${prefix}wishes.scale`);
console.log(`scale service listening on ${sub.getSubject()}`);
for await (const m of sub) {
  try {
    const { team, add } = m.json<{ team: string; add: number }>();
    m.respond(await scale(team, add));
  } catch (err) {
    m.respond(`error: ${(err as Error).message}`);
  }
}
