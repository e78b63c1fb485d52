// The scale service: adds replicas to a team's wish.
import { connect } from "@nats-io/transport-node";
import { JetStreamApiCodes, JetStreamApiError } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";

// On a shared server goingnats puts your namespace in front of every subject and bucket name.
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
  const entry = await kv.get(key);
  if (!entry) return `error: no wish for ${team}`;
  const wish = entry.json<Wish>();
  const replicas = wish.replicas + add;

  const answer = await nc.request(`${prefix}capacity.check`, JSON.stringify({ team, replicas }), { timeout: 2000 });
  if (answer.string() !== "ok") return `denied: ${answer.string()}`;

  // TODO: somebody may have changed (or deleted) the wish while we asked for capacity.
  //       Write only if the key is still at the revision we read (entry.revision); when it is
  //       not, read the wish again and start over. (JetStreamApiError, JetStreamApiCodes are imported.)
  await kv.put(key, JSON.stringify({ ...wish, replicas }));
  return `ok replicas=${replicas}`;
}
void JetStreamApiError;
void JetStreamApiCodes;

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
