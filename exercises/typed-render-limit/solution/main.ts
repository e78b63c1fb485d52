// The thumbnail service, version v1: renders through the shared renderer, a few at a time.
import { connect, type Msg, type NatsConnection } from "@nats-io/transport-node";

const prefix = process.env.GOINGNATS_PREFIX ?? "";
const DEFAULT_TIMEOUT = 5000;
const LIMIT = 3; // renders in progress at once, per handler

type RenderRequest = { image: string; width: number };
type RenderResult = { url: string };

/** At most `max` holders at once; the others wait in line for a slot. */
function limiter(max: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return {
    async acquire(): Promise<void> {
      if (active < max) active++;
      else await new Promise<void>((resolve) => waiting.push(resolve)); // a releasing holder hands its slot over
    },
    release(): void {
      const next = waiting.shift();
      if (next) next();
      else active--;
    },
  };
}

/** A request-reply method: one subject per service, version and method; JSON both ways. */
function defineMethod<Req, Res>(service: string, version: string, method: string) {
  const subject = `${prefix}${service}.${version}.${method}`;

  async function respondWith(m: Msg, handler: (req: Req) => Promise<Res>): Promise<void> {
    try {
      m.respond(JSON.stringify(await handler(m.json<Req>())));
    } catch (err) {
      m.respond(JSON.stringify({ error: (err as Error).message }));
    }
  }

  return {
    subject,
    async call(nc: NatsConnection, req: Req, timeout = DEFAULT_TIMEOUT): Promise<Res> {
      const m = await nc.request(subject, JSON.stringify(req), { timeout });
      return m.json<Res>();
    },
    async serve(nc: NatsConnection, handler: (req: Req) => Promise<Res>, limit: number): Promise<void> {
      const sub = nc.subscribe(subject, { queue: `${service}.${version}` });
      console.log(`serving ${subject}, at most ${limit} at a time`);
      const slots = limiter(limit);
      for await (const m of sub) {
        // Wait for a free slot before taking the next request: the rest wait in the subscription.
        await slots.acquire();
        void respondWith(m, handler).finally(() => slots.release());
      }
    },
  };
}

const renderer = defineMethod<RenderRequest, RenderResult>("renderer", "v1", "Render");
const thumbs = defineMethod<RenderRequest, RenderResult>("thumbs", "v1", "Render");

const nc = await connect({ servers: process.env.NATS_URL ?? "nats://127.0.0.1:4222", name: "thumbs-v1" });
await thumbs.serve(nc, (req) => renderer.call(nc, req), LIMIT);
