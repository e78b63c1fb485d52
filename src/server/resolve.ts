// Which NATS server goingnats uses. First match wins, and the result always says how it was found:
//   1. --server URL            2. NATS_URL              3. a NATS CLI context
//   4. the background server (`goingnats server start`)
//   5. the managed server of a goingnats process in another terminal (usually the app)
//   6. a server already on localhost:4222    7. a managed local server started for this process
//   otherwise: how to install nats-server.
// A URL from a flag or the environment is used without probing, so that path stays instant.
import { CliError, EXIT } from "../cli/exit-codes.js";
import { probeNats } from "./connect.js";
import { backgroundState, localUrl } from "./background-server.js";
import { contextExists, loadContext, natsConfigDir, selectedContextName } from "./nats-context.js";
import type { ServerAuth, ServerOptions, ServerSource, ServerTarget, ServerTls } from "./types.js";

export type StepStatus = "used" | "available" | "not found" | "skipped" | "failed";

export interface ResolveStep {
  step: ServerSource;
  /** "--server flag", "NATS_URL", ... */
  label: string;
  status: StepStatus;
  why: string;
}

export interface Resolution {
  target?: ServerTarget;
  steps: ResolveStep[];
  /** Why no server could be used (the message the CLI prints). */
  error?: CliError;
}

export const STEP_LABELS: Record<ServerSource, string> = {
  flag: "--server flag",
  env: "NATS_URL",
  context: "NATS CLI context",
  background: "goingnats background server",
  app: "goingnats app's server",
  localhost: "server on localhost:4222",
  managed: "managed local server",
};

export async function resolveServer(opts: ServerOptions): Promise<ServerTarget> {
  const r = await resolveTraced(opts);
  if (r.target) return r.target;
  throw r.error ?? new CliError("no NATS server found", EXIT.server);
}

/**
 * Runs the resolution and records every step. With survey (doctor), the cheap steps after the one
 * used are still looked at, so the report can say "a server also answers on localhost:4222".
 */
export async function resolveTraced(opts: ServerOptions, { survey = false }: { survey?: boolean } = {}): Promise<Resolution> {
  const steps: ResolveStep[] = [];
  let target: ServerTarget | undefined;
  const note = (step: ServerSource, status: StepStatus, why: string) => steps.push({ step, label: step === "localhost" ? localLabel() : STEP_LABELS[step], status, why });
  const found = (step: ServerSource, t: ServerTarget, why: string) => {
    if (target) note(step, "available", `${why} (not used: an earlier step came first)`);
    else {
      target = t;
      note(step, "used", why);
    }
  };
  const explicit = explicitAuth(opts);

  try {
    // 1. --server
    if (opts.server) {
      const url = normalizeUrl(opts.server, "--server");
      found("flag", makeTarget(url, "flag", "--server flag", explicit.auth, explicit.tls), url);
    } else note("flag", "not found", "no --server given");

    // 2. NATS_URL
    const envUrl = process.env.NATS_URL?.trim();
    if (envUrl) {
      if (target && !survey) note("env", "skipped", "an earlier step came first");
      else {
        const url = normalizeUrl(envUrl, "NATS_URL");
        found("env", makeTarget(url, "env", "NATS_URL", explicit.auth, explicit.tls), url);
      }
    } else note("env", "not found", "NATS_URL is not set");

    // 3. NATS CLI context
    if (target && !survey) note("context", "skipped", "an earlier step came first");
    else {
      const named = opts.context ? { name: opts.context, how: "--context" } : process.env.NATS_CONTEXT ? { name: process.env.NATS_CONTEXT, how: "NATS_CONTEXT" } : undefined;
      const selected = named ? undefined : selectedContextName();
      if (named) {
        const ctx = loadContext(named.name, named.how); // a missing named context is an error, not a skip
        found("context", contextTarget(ctx, explicit), `"${ctx.name}" from ${named.how}: ${ctx.url}`);
      } else if (selected) {
        if (contextExists(selected)) {
          const ctx = loadContext(selected, "selected");
          found("context", contextTarget(ctx, explicit), `"${ctx.name}" selected in ${natsConfigDir()}/context.txt: ${ctx.url}`);
        } else note("context", "not found", `context.txt selects "${selected}", but ${natsConfigDir()}/context/${selected}.json does not exist`);
      } else note("context", "not found", `no --context, no NATS_CONTEXT, none selected in ${natsConfigDir()}`);
    }

    // 4. the background server
    if (target && !survey) note("background", "skipped", "an earlier step came first");
    else {
      const st = await backgroundState(500);
      if (st.state === "running") {
        found("background", { url: st.record.url, source: "background", detail: "goingnats background server (goingnats server start)", auth: {}, local: true }, `${st.record.url}, pid ${st.record.pid}`);
      } else if (st.state === "stopped") note("background", "not found", "not running (`goingnats server start` starts one)");
      else if (st.state === "stale") note("background", "not found", `a record is left from a server that has gone (${st.why}); \`goingnats server status\` cleans it`);
      else note("background", "failed", `recorded at ${st.record.url} (pid ${st.record.pid}) but it does not answer: ${st.why}`);
    }

    // 5. the managed server of the goingnats app (or a command) running in another terminal
    if (target && !survey) note("app", "skipped", "an earlier step came first");
    else {
      const { liveAppServers, describeOwner } = await import("./app-servers.js");
      const recs = liveAppServers();
      let used = false;
      for (const rec of recs) {
        const probe = await probeNats(rec.url, 300);
        if (!probe.ok) continue;
        const owner = describeOwner(rec);
        found("app", { url: rec.url, source: "app", detail: `server of ${owner} in another terminal, pid ${rec.ownerPid}; it stops when that ends`, auth: {}, local: true }, `${rec.url}, started by ${owner}, pid ${rec.ownerPid}`);
        used = true;
        break;
      }
      if (!used) note("app", "not found", recs.length ? "the goingnats processes that started servers do not answer" : "no goingnats app is running a server in another terminal");
    }

    // 6. localhost:4222
    if (target && !survey) note("localhost", "skipped", "an earlier step came first");
    else {
      const url = localUrl();
      const probe = await probeNats(url, 300);
      if (probe.ok) {
        const where = url.replace(/^nats:\/\//, "");
        const version = probe.info?.version ? `nats-server ${probe.info.version}` : "a NATS server";
        found("localhost", makeTarget(url, "localhost", `server already running on ${where}`, explicit.auth, explicit.tls), `${version} answers at ${url}`);
      } else note("localhost", "not found", `${url}: ${probe.why}`);
    }

    // 7. a managed server
    if (target) note("managed", "skipped", "not needed: an earlier step found a server");
    else if (opts.noManaged) note("managed", "skipped", "not started here (managed servers are off for this command)");
    else {
      const { startManagedServer } = await import("./managed-server.js");
      try {
        const m = await startManagedServer({ owner: opts.owner });
        const detail = m.sharedStore ? "managed local server started by goingnats" : "managed local server started by goingnats, with a temporary store: another goingnats process uses the shared one";
        found("managed", { url: m.url, source: "managed", detail, auth: {}, local: true, stop: () => m.stop() }, `${m.url}, pid ${m.pid}, ready in ${m.readyMs} ms, store ${m.storeDir}`);
      } catch (err) {
        const e = err instanceof CliError ? err : new CliError(String((err as Error)?.message ?? err), EXIT.server);
        note("managed", "failed", e.message.split("\n")[0]);
        return { steps, error: e };
      }
    }
  } catch (err) {
    if (err instanceof CliError) return { target, steps, error: err };
    throw err;
  }

  if (target) return { target, steps };
  const { noServerMessage } = await import("./install-help.js");
  return { steps, error: new CliError(noServerMessage("goingnats was told not to start one"), EXIT.server) };
}

/** "server on localhost:4222", or the address GOINGNATS_LOCAL_URL names instead. */
function localLabel(): string {
  const url = localUrl();
  return url === "nats://127.0.0.1:4222" ? STEP_LABELS.localhost : `server on ${url.replace(/^nats:\/\//, "")}`;
}

function makeTarget(url: string, source: ServerSource, detail: string, auth: ServerAuth, tls?: ServerTls): ServerTarget {
  return { url, source, detail, auth, ...(tls ? { tls } : {}), local: isLoopbackUrl(url) };
}

function contextTarget(ctx: ReturnType<typeof loadContext>, explicit: { auth: ServerAuth; tls?: ServerTls }): ServerTarget {
  const url = normalizeUrl(ctx.url, `context "${ctx.name}"`);
  const auth: ServerAuth = { ...defined({ user: ctx.user, password: ctx.password, token: ctx.token, creds: ctx.creds, nkey: ctx.nkey }), ...explicit.auth };
  const tlsAll = { ...defined({ cert: ctx.cert, key: ctx.key, ca: ctx.ca }), ...(explicit.tls ?? {}) };
  return makeTarget(url, "context", `NATS CLI context "${ctx.name}"`, auth, Object.keys(tlsAll).length ? tlsAll : undefined);
}

/** Credentials given on the command line, falling back to the NATS CLI's environment variables. */
function explicitAuth(opts: ServerOptions): { auth: ServerAuth; tls?: ServerTls } {
  const env = process.env;
  const auth = defined({
    user: opts.user ?? env.NATS_USER,
    password: opts.password ?? env.NATS_PASSWORD,
    token: opts.token ?? env.NATS_TOKEN,
    creds: opts.creds ?? env.NATS_CREDS,
    nkey: opts.nkey ?? env.NATS_NKEY,
  });
  const tls = defined({ cert: opts.tlsCert ?? env.NATS_CERT, key: opts.tlsKey ?? env.NATS_KEY, ca: opts.tlsCa ?? env.NATS_CA });
  return { auth, tls: Object.keys(tls).length ? tls : undefined };
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== "")) as Partial<T>;
}

/**
 * "demo" and "demo.nats.io" → nats://demo.nats.io:4222; "host:port" → nats://host:port.
 * Comma-separated lists (as in NATS_URL and contexts) are normalised one by one.
 */
export function normalizeUrl(raw: string, where: string): string {
  const parts = raw
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  if (!parts.length) throw new CliError(`${where} is empty: give a server URL such as nats://127.0.0.1:4222.`, EXIT.usage);
  return parts
    .map((p) => {
      if (p === "demo" || p === "demo.nats.io") return "nats://demo.nats.io:4222";
      const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(p)?.[1]?.toLowerCase();
      if (scheme && scheme !== "nats" && scheme !== "tls") {
        throw new CliError(`${where} has the URL "${p}": goingnats connects with nats:// or tls:// URLs, e.g. nats://127.0.0.1:4222.`, EXIT.usage);
      }
      if (scheme) return p;
      // A bare host gets the scheme and, when it has none, the default NATS port (clearer in messages).
      return /:\d+$/.test(p) || p.startsWith("[") ? `nats://${p}` : `nats://${p}:4222`;
    })
    .join(",");
}

export function isLoopbackUrl(url: string): boolean {
  return url.split(",").every((u) => {
    const host = /^[a-z]+:\/\/(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)/i.exec(u.trim())?.[1]?.replace(/^\[|\]$/g, "").toLowerCase() ?? "";
    return host === "localhost" || host === "::1" || /^127\./.test(host);
  });
}

/** Maps commander's merged options (cmd.optsWithGlobals()) to ServerOptions. */
export function serverOptionsFromFlags(o: Record<string, unknown>): ServerOptions {
  const s = (k: string) => (typeof o[k] === "string" ? (o[k] as string) : undefined);
  return {
    server: s("server"),
    context: s("context"),
    creds: s("creds"),
    user: s("user"),
    password: s("password"),
    token: s("token"),
    nkey: s("nkey"),
    tlsCert: s("tlsCert"),
    tlsKey: s("tlsKey"),
    tlsCa: s("tlsCa"),
    namespace: s("namespace"),
  };
}
