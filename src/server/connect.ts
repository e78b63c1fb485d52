// Connecting to a resolved server: credentials and TLS from the target, a short timeout, and errors
// that say what happened and what to do (a learner's first contact with NATS is often a failed one).
// Also a raw probe (TCP + the server's INFO line) used where a full client would be too slow.
import { readFileSync } from "node:fs";
import type { ConnectionOptions, NatsConnection } from "@nats-io/transport-node";
import { CliError, EXIT } from "../cli/exit-codes.js";
import type { ServerTarget } from "./types.js";

const CONNECT_TIMEOUT_MS = 3000;

export async function connectTarget(target: ServerTarget, name: string): Promise<NatsConnection> {
  const nats = await import("@nats-io/transport-node");
  const opts: ConnectionOptions = {
    servers: splitUrls(target.url).map((u) => u.replace(/^tls:\/\//i, "nats://")),
    name,
    timeout: CONNECT_TIMEOUT_MS,
  };
  const { auth, tls } = target;
  if (auth.user !== undefined) {
    opts.user = auth.user;
    opts.pass = auth.password ?? "";
  }
  if (auth.token !== undefined) opts.token = auth.token;
  if (auth.creds) opts.authenticator = nats.credsAuthenticator(readCredential(auth.creds, "credentials file"));
  else if (auth.nkey) opts.authenticator = nats.nkeyAuthenticator(new TextEncoder().encode(readCredential(auth.nkey, "nkey seed file").toString().trim()));
  if (tls && (tls.cert || tls.key || tls.ca)) {
    opts.tls = { certFile: tls.cert, keyFile: tls.key, caFile: tls.ca };
  } else if (/^tls:\/\//i.test(target.url)) {
    opts.tls = {};
  }
  // Another goingnats' server goes away when that goingnats quits and does not come back: give up
  // soon, so the app opens a fresh session (and a server of its own) in seconds, not after ~20 s.
  if (target.source === "app") Object.assign(opts, { maxReconnectAttempts: 2, reconnectTimeWait: 500 });
  try {
    return await nats.connect(opts);
  } catch (err) {
    throw new CliError(explainConnectError(err, target), EXIT.server);
  }
}

export function splitUrls(url: string): string[] {
  return url
    .split(",")
    .map((u) => u.trim())
    .filter(Boolean);
}

/** Turns a client error into: what happened, where, and what to do next. */
export function explainConnectError(err: unknown, target: ServerTarget): string {
  const e = err as Error & { code?: string; cause?: Error & { code?: string } };
  const name = e?.constructor?.name ?? "";
  const msg = e?.message ?? String(err);
  const code = e?.code ?? e?.cause?.code ?? "";
  const where = `${target.url} (${target.detail})`;
  const doctor = "`goingnats doctor` shows what was tried";
  if (name === "AuthorizationError" || /authorization violation/i.test(msg)) {
    const had = describeAuth(target);
    return `the server at ${where} refused the credentials (${had}). Check the user/password, token or creds file (--user/--password, --token, --creds, or the NATS CLI context); ${doctor}`;
  }
  if (name === "UserAuthenticationExpiredError" || /expired/i.test(msg)) {
    return `the server at ${where} says the user credentials have expired. Get a fresh creds file; ${doctor}`;
  }
  if (/ECONNREFUSED|connection refused/i.test(`${code} ${msg}`)) {
    return `nothing answers at ${target.url} (connection refused; found via ${target.detail}). Start a server with \`goingnats server start\`, or check the URL; ${doctor}`;
  }
  if (/ENOTFOUND|EAI_AGAIN/.test(`${code} ${msg}`)) {
    return `cannot find the host of ${target.url} (${code || msg}; found via ${target.detail}). Check the spelling of the URL and your network; ${doctor}`;
  }
  if (/^(ERR_TLS|ERR_SSL)|CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code) || /tls|certificate|ssl/i.test(msg)) {
    return `TLS with ${where} failed: ${msg}. If the server requires TLS, pass --tls-ca (and --tls-cert/--tls-key for client certificates) or set them in the NATS CLI context; ${doctor}`;
  }
  if (name === "TimeoutError" || /timeout/i.test(msg)) {
    return `no answer from ${where} within ${CONNECT_TIMEOUT_MS / 1000} s (timeout). The host may be down or a firewall drops the traffic; check the URL and port, or run a local server with \`goingnats server start\`; ${doctor}`;
  }
  return `cannot connect to ${where}: ${msg}. Check the URL and credentials; ${doctor}`;
}

function describeAuth(t: ServerTarget): string {
  const a = t.auth;
  if (a.creds) return `creds file ${a.creds}`;
  if (a.nkey) return `nkey ${a.nkey}`;
  if (a.token !== undefined) return "a token";
  if (a.user !== undefined) return `user "${a.user}" with a password`;
  return "no credentials were given, and this server requires them";
}

/**
 * A creds or nkey value: a path, or (as the NATS CLI allows) file://, env://NAME or data:;base64,...
 * Unreadable files are a user error, named with the path.
 */
function readCredential(value: string, what: string): Uint8Array {
  if (value.startsWith("env://")) {
    const v = process.env[value.slice(6)];
    if (v === undefined) throw new CliError(`the ${what} refers to the environment variable ${value.slice(6)}, which is not set.`, EXIT.usage);
    return new TextEncoder().encode(v);
  }
  if (value.startsWith("data:")) {
    const comma = value.indexOf(",");
    return new Uint8Array(Buffer.from(value.slice(comma + 1), value.slice(0, comma).includes("base64") ? "base64" : "utf8"));
  }
  if (/^(nsc|op):\/\//.test(value)) {
    throw new CliError(`the ${what} "${value}" needs the ${value.split(":")[0]} tool, which goingnats does not call. Export a creds file and pass it with --creds FILE.`, EXIT.usage);
  }
  const path = value.startsWith("file://") ? value.slice(7) : value;
  try {
    return new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new CliError(`cannot read the ${what} ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}). Check the path given with --creds/--nkey, NATS_CREDS/NATS_NKEY or the NATS CLI context.`, EXIT.usage);
  }
}

export interface ProbeResult {
  ok: boolean;
  /** Parsed from the server's INFO line when ok. */
  info?: { version?: string; jetstream?: boolean; server_name?: string; auth_required?: boolean; tls_required?: boolean };
  /** Why not, in a few words: "connection refused", "no answer within 300 ms", ... */
  why: string;
}

/**
 * Is a NATS server listening at url? A NATS server speaks first (INFO {...}), so one TCP connect and
 * one line tells us, without loading the client or authenticating. Never takes longer than timeoutMs.
 */
export async function probeNats(url: string, timeoutMs = 300): Promise<ProbeResult> {
  const net = await import("node:net");
  const { host, port } = hostPort(splitUrls(url)[0] ?? url);
  return new Promise((resolve) => {
    let buf = "";
    let done = false;
    const sock = net.connect({ host, port });
    const finish = (r: ProbeResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(r);
    };
    const timer = setTimeout(() => finish({ ok: false, why: buf ? "something answers, but not like a NATS server" : `no answer within ${timeoutMs} ms` }), timeoutMs);
    sock.on("data", (chunk) => {
      buf += chunk.toString("latin1");
      const nl = buf.indexOf("\r\n");
      if (buf.length >= 5 && !buf.startsWith("INFO ")) {
        finish({ ok: false, why: "something listens there, but it is not a NATS server" });
      } else if (nl >= 0) {
        try {
          finish({ ok: true, info: JSON.parse(buf.slice(5, nl)), why: "a NATS server answers" });
        } catch {
          finish({ ok: true, why: "a NATS server answers" });
        }
      }
    });
    sock.on("error", (err: NodeJS.ErrnoException) => finish({ ok: false, why: err.code === "ECONNREFUSED" ? "connection refused" : (err.code ?? err.message) }));
    sock.on("close", () => finish({ ok: false, why: "the connection was closed without a greeting" }));
  });
}

export function hostPort(url: string): { host: string; port: number } {
  const withScheme = /^[a-z]+:\/\//i.test(url) ? url : `nats://${url}`;
  try {
    const u = new URL(withScheme);
    return { host: u.hostname.replace(/^\[|\]$/g, "") || "127.0.0.1", port: u.port ? Number(u.port) : 4222 };
  } catch {
    return { host: "127.0.0.1", port: 4222 };
  }
}
