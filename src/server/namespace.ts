// The learner's namespace: a prefix for subjects, streams and buckets, so a room of people can share one
// server without stepping on each other. None on a private (loopback) server; on a shared server a
// stable default that is the same every run on the same machine (progress and streams stay findable).
import { createHash } from "node:crypto";
import { hostname, userInfo } from "node:os";
import { CliError, EXIT } from "../cli/exit-codes.js";
import type { ServerOptions, ServerTarget } from "./types.js";

const MAX_LENGTH = 32;

export function namespaceFor(opts: ServerOptions, target: ServerTarget): string {
  const given = opts.namespace ?? process.env.GOINGNATS_NAMESPACE;
  if (given !== undefined) {
    // An explicit empty value means "no namespace", even on a shared server.
    if (given.trim() === "") return "";
    const ns = sanitizeNamespace(given);
    if (!ns) {
      const from = opts.namespace !== undefined ? "--namespace" : "GOINGNATS_NAMESPACE";
      throw new CliError(`the namespace "${given}" (${from}) has no usable characters: use letters, digits and dashes, e.g. --namespace alice.`, EXIT.usage);
    }
    return ns;
  }
  if (target.local) return "";
  return defaultNamespace();
}

/** Lowercase [a-z0-9-]: valid in a subject token and in stream, consumer and bucket names. */
export function sanitizeNamespace(raw: string): string {
  return raw
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "") // accents go ("å" → "a"); other letters become dashes
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_LENGTH)
    .replace(/-+$/, "");
}

/** "<user>-<4 hex of the host name>": two learners called "alex" on different laptops stay apart. */
export function defaultNamespace(): string {
  let user = "";
  try {
    user = userInfo().username;
  } catch {
    user = process.env.USER ?? process.env.USERNAME ?? "";
  }
  const name = sanitizeNamespace(user).slice(0, MAX_LENGTH - 5) || "learner";
  const hash = createHash("sha256").update(hostname()).digest("hex").slice(0, 4);
  return `${name}-${hash}`;
}
