// Reads NATS CLI contexts in the CLI's own format (ADR-21), so a learner's existing `nats context`
// set-up just works: $XDG_CONFIG_HOME/nats (or ~/.config/nats), `context.txt` names the selected
// context, `context/<name>.json` holds url, user, password, token, creds, nkey, cert, key, ca, ...
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { CliError, EXIT } from "../cli/exit-codes.js";

export interface NatsContext {
  name: string;
  file: string;
  description?: string;
  /** Comma-separated server URLs; the CLI's default when the context has none. */
  url: string;
  user?: string;
  password?: string;
  token?: string;
  creds?: string;
  nkey?: string;
  cert?: string;
  key?: string;
  ca?: string;
}

export function natsConfigDir(): string {
  const xdg = process.env.XDG_CONFIG_HOME;
  return join(xdg && xdg.trim() ? xdg : join(homedir(), ".config"), "nats");
}

/** Names of all saved contexts, sorted. */
export function listContexts(): string[] {
  const dir = join(natsConfigDir(), "context");
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith(".json"))
      .map((f) => f.slice(0, -5))
      .sort();
  } catch {
    return [];
  }
}

/** The context `nats context select` chose, if any. */
export function selectedContextName(): string | undefined {
  try {
    const name = readFileSync(join(natsConfigDir(), "context.txt"), "utf8").trim();
    return name || undefined;
  } catch {
    return undefined;
  }
}

export function contextFile(name: string): string {
  // Like the CLI, a value that looks like a path to a JSON file is read directly.
  if (name.endsWith(".json") && (name.includes("/") || name.includes("\\"))) return resolve(name);
  return join(natsConfigDir(), "context", `${name}.json`);
}

export function contextExists(name: string): boolean {
  return existsSync(contextFile(name));
}

/** Loads a context; a missing or unreadable one is a CliError that says what exists instead. */
export function loadContext(name: string, how: string): NatsContext {
  const file = contextFile(name);
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    const known = listContexts();
    const list = known.length ? `the contexts that exist are: ${known.join(", ")}` : `there are no contexts in ${join(natsConfigDir(), "context")}`;
    throw new CliError(`NATS CLI context "${name}" (${how}) does not exist: ${list}.\nCreate it with \`nats context save ${name} --server URL\`, or pick another with --context NAME.`, EXIT.usage);
  }
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new Error("not a JSON object");
  } catch (err) {
    throw new CliError(`NATS CLI context "${name}" in ${file} is not valid JSON (${(err as Error).message}). Fix the file or save it again with \`nats context save ${name}\`.`, EXIT.usage);
  }
  const str = (k: string): string | undefined => (typeof raw[k] === "string" && (raw[k] as string).trim() !== "" ? (raw[k] as string).trim() : undefined);
  const path = (k: string): string | undefined => expandHome(str(k));
  return {
    name,
    file,
    description: str("description"),
    url: str("url") ?? "nats://localhost:4222",
    user: str("user"),
    password: str("password"),
    token: str("token"),
    creds: path("creds"),
    nkey: path("nkey"),
    cert: path("cert"),
    key: path("key"),
    ca: path("ca"),
  };
}

/** The CLI expands a leading ~ in file paths; so must we, or "~/x.creds" is not found. */
function expandHome(p: string | undefined): string | undefined {
  if (!p) return p;
  if (p === "~") return homedir();
  if (p.startsWith("~/") || p.startsWith("~\\")) return join(homedir(), p.slice(2));
  return p;
}
