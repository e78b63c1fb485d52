// PLACEHOLDER (the server-resolution work replaces this).
import type { ServerOptions, ServerTarget } from "./types.js";

export function namespaceFor(opts: ServerOptions, _target: ServerTarget): string {
  return opts.namespace ?? process.env.GOINGNATS_NAMESPACE ?? "";
}
