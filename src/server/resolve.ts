// PLACEHOLDER (the server-resolution work replaces this): only --server and NATS_URL for now.
import { CliError, EXIT } from "../cli/exit-codes.js";
import type { ServerOptions, ServerTarget } from "./types.js";

export async function resolveServer(opts: ServerOptions): Promise<ServerTarget> {
  const url = opts.server ?? process.env.NATS_URL;
  if (!url) throw new CliError("no NATS server: pass --server URL or set NATS_URL", EXIT.server);
  return { url, source: opts.server ? "flag" : "env", detail: opts.server ? "--server" : "NATS_URL", auth: {}, local: /127\.0\.0\.1|localhost/.test(url) };
}
