import type { Fields } from "./yaml-fields.js";
import type { Requirements } from "./types.js";

const VERSION = /^\d+\.\d+(\.\d+)?$/;

/** `requires: { jetstream: true, server: "2.10.0" }` — both optional. */
export function readRequirements(fields: Fields, inherited?: Requirements): Requirements {
  const v = fields.data.requires;
  const base: Requirements = inherited ? { ...inherited } : { jetstream: false };
  if (v === undefined || v === null) return base;
  if (typeof v !== "object" || Array.isArray(v)) {
    fields.problem("requires", `"requires" should be a map such as { jetstream: true, server: "2.10.0" }`);
    return base;
  }
  const r = v as Record<string, unknown>;
  for (const key of Object.keys(r)) {
    if (key !== "jetstream" && key !== "server") fields.problem("requires", `unknown requirement "${key}" (known: jetstream, server)`);
  }
  if (r.jetstream !== undefined) {
    if (typeof r.jetstream === "boolean") base.jetstream = r.jetstream;
    else fields.problem("requires", `"requires.jetstream" should be true or false`);
  }
  if (r.server !== undefined) {
    const s = String(r.server);
    if (VERSION.test(s)) base.server = s;
    else fields.problem("requires", `"requires.server" should be a version such as 2.10.0, found ${JSON.stringify(r.server)}`);
  }
  return base;
}

/** Compare dotted versions; "2.9.10" < "2.10.0". */
export function compareVersions(a: string, b: string): number {
  const pa = a.replace(/^v/, "").split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.replace(/^v/, "").split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < 3; i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** Why a server cannot run something, or undefined when it can. */
export function unmetRequirement(req: Requirements, server: { version: string; jetstream: boolean }): string | undefined {
  if (req.server && compareVersions(server.version, req.server) < 0) {
    return `needs nats-server ${req.server} or newer; this server is ${server.version}`;
  }
  if (req.jetstream && !server.jetstream) {
    return "needs JetStream, which is not enabled on this server (start nats-server with -js)";
  }
  return undefined;
}
