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
  let namespace: string;
  try {
    // A bad namespace is a usage error: find it before connecting, and stop a managed server on the way out.
    namespace = namespaceFor(opts, target);
    nc = await connectTarget(target, open.name ?? "goingnats");
  } catch (err) {
    await target.stop?.();
    throw err;
  }
  open.announce?.(`Using ${target.url} (${target.detail})`);
  const info = nc.info!;
  let closing: Promise<void> | undefined;
  return {
    target,
    nc,
    server: { version: info.version, jetstream: info.jetstream === true, name: info.server_name },
    namespace,
    prefix: namespace ? `${namespace}.` : "",
    // Idempotent: a command's finally and a signal path may both call it.
    close() {
      closing ??= (async () => {
        await nc.drain().catch(() => nc.close().catch(() => {}));
        await target.stop?.();
      })();
      return closing;
    },
  };
}
