// The one way commands get a NATS connection: resolve a server (resolve.ts), connect, and remember
// how it was found so the app can say which server it uses.
import type { NatsConnection } from "@nats-io/transport-node";
import type { ServerOptions, ServerTarget } from "./types.js";

export interface ServerFacts {
  version: string;
  jetstream: boolean;
  name: string;
}

export interface Session {
  target: ServerTarget;
  nc: NatsConnection;
  server: ServerFacts;
  /** The learner's namespace; "" on a private/local server unless asked for. */
  namespace: string;
  /** Subject prefix for the namespace: "alice." or "". */
  prefix: string;
  /** Drains the connection and stops a managed server this process started. */
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Connection name, visible in the server's connz ("goingnats checker"). */
  name?: string;
  /** Told, once, which server is used and how it was found (commands print it to stderr). */
  announce?: (line: string) => void;
}

export async function openSession(opts: ServerOptions, open: OpenOptions = {}): Promise<Session> {
  const { resolveServer } = await import("./resolve.js");
  const { connectTarget } = await import("./connect.js");
  const { namespaceFor } = await import("./namespace.js");
  const target = await resolveServer(opts);
  let nc: NatsConnection;
  try {
    nc = await connectTarget(target, open.name ?? "goingnats");
  } catch (err) {
    await target.stop?.();
    throw err;
  }
  open.announce?.(`Using ${target.url} (${target.detail})`);
  const info = nc.info!;
  const namespace = namespaceFor(opts, target);
  return {
    target,
    nc,
    server: { version: info.version, jetstream: info.jetstream === true, name: info.server_name },
    namespace,
    prefix: namespace ? `${namespace}.` : "",
    async close() {
      await nc.drain().catch(() => nc.close());
      await target.stop?.();
    },
  };
}
