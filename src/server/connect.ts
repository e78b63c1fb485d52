// PLACEHOLDER (the server-resolution work replaces this): plain connect, no auth or TLS yet.
import type { NatsConnection } from "@nats-io/transport-node";
import { CliError, EXIT } from "../cli/exit-codes.js";
import type { ServerTarget } from "./types.js";

export async function connectTarget(target: ServerTarget, name: string): Promise<NatsConnection> {
  const { connect } = await import("@nats-io/transport-node");
  try {
    return await connect({ servers: target.url, name, timeout: 3000 });
  } catch (err) {
    throw new CliError(`cannot reach NATS at ${target.url}: ${(err as Error).message}`, EXIT.server);
  }
}
