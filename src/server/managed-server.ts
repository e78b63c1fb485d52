// The managed local server: a nats-server with JetStream that goingnats starts on a free loopback port
// when no other server is found, and stops when goingnats exits (children.ts tracks it).
//
// nats-server 2.9 does not lock its store directory: two servers on one store silently corrupt it.
// So the shared store (dataDir()/jetstream) has an owner file; whoever holds it (the background server,
// or the first managed server) keeps the learner's streams, and a second concurrent goingnats process
// gets a temporary store of its own, removed when it stops.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import { CliError, EXIT } from "../cli/exit-codes.js";
import { dataDir } from "../progress/paths.js";
import { noServerMessage } from "./install-help.js";
import { NatsServerNotFound, startNatsServer } from "./nats-server-process.js";
import { writeAppServer } from "./app-servers.js";

export interface ManagedServer {
  url: string;
  port: number;
  pid: number;
  storeDir: string;
  /** False when another goingnats process owns the shared store and this one got a temporary store. */
  sharedStore: boolean;
  /** Spawn to ready, in ms (the target is < 300 ms). */
  readyMs: number;
  /** Resolves when the server process ends (for `goingnats server run`). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

/**
 * Starts the managed server. Without a port it takes the local URL's port (4222) when free, so the
 * learner's other terminals and the NATS CLI reach it with no set-up; else any free port. Either way
 * it leaves a record (app-servers.ts) through which other goingnats commands find it.
 */
export async function startManagedServer(opts: { port?: number; owner?: string } = {}): Promise<ManagedServer> {
  const lease = leaseStore();
  const started = performance.now();
  let server;
  try {
    server = await startOnPreferredPort(lease.dir, opts.port);
  } catch (err) {
    lease.release();
    throw startError(err);
  }
  const readyMs = Math.round(performance.now() - started);
  lease.setOwner(server.pid);
  const forget = writeAppServer({
    pid: server.pid,
    ownerPid: process.pid,
    url: server.url,
    port: server.port,
    storeDir: lease.dir,
    startedAt: new Date().toISOString(),
    command: opts.owner ?? ownerCommand(),
  });
  // A crash skips stop(): children.ts still kills the server, and this removes the record.
  process.once("exit", forget);
  let stopped = false;
  return {
    url: server.url,
    port: server.port,
    pid: server.pid,
    storeDir: lease.dir,
    sharedStore: lease.shared,
    readyMs,
    exited: server.exited,
    async stop() {
      if (stopped) return;
      stopped = true;
      forget();
      process.removeListener("exit", forget);
      await server.stop();
      lease.release();
    },
  };
}

async function startOnPreferredPort(storeDir: string, port?: number) {
  const start = (p?: number) => startNatsServer({ storeDir, jetstream: true, port: p, unref: true });
  if (port !== undefined) return start(port);
  const { localUrl } = await import("./background-server.js");
  const { hostPort } = await import("./connect.js");
  const preferred = hostPort(localUrl()).port;
  if (!(await portFree(preferred))) return start();
  try {
    return await start(preferred);
  } catch (err) {
    // Another process took the port between the look and the start: any free port will do.
    if (/address already in use/i.test(String((err as Error)?.message))) return start();
    throw err;
  }
}

export async function portFree(port: number): Promise<boolean> {
  const net = await import("node:net");
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once("error", () => resolve(false));
    srv.listen(port, "127.0.0.1", () => srv.close(() => resolve(true)));
  });
}

/** "goingnats check hello" for a command; "goingnats" for the app. */
function ownerCommand(): string {
  const words = process.argv.slice(2).filter((a) => !a.startsWith("-"));
  return ["goingnats", ...words.slice(0, 2)].join(" ");
}

/** nats-server errors as the learner should read them: not installed → how to install. */
export function startError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof NatsServerNotFound) return new CliError(noServerMessage("nats-server is not installed (goingnats starts one for you when it is)"), EXIT.server);
  return new CliError(`nats-server could not be started: ${(err as Error).message}\nSee \`goingnats doctor\`.`, EXIT.server);
}

export interface StoreLease {
  dir: string;
  shared: boolean;
  /** Records the nats-server pid as the owner (the store is busy as long as that server lives). */
  setOwner(pid: number): void;
  release(): void;
}

export function sharedStoreDir(): string {
  return join(dataDir(), "jetstream");
}

function lockFile(): string {
  return join(dataDir(), "jetstream.owner");
}

/** Takes the shared store if nobody alive holds it, otherwise a temporary one. */
export function leaseStore(): StoreLease {
  mkdirSync(dataDir(), { recursive: true });
  cleanStaleTemporaryStores();
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile(), JSON.stringify({ pid: process.pid }), { flag: "wx" });
      let owner = process.pid;
      return {
        dir: sharedStoreDir(),
        shared: true,
        setOwner(pid) {
          owner = pid;
          writeFileSync(lockFile(), JSON.stringify({ pid }));
        },
        release() {
          if (storeOwner() === owner) rmQuiet(lockFile());
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const pid = storeOwner();
      if (pid !== undefined && pidAlive(pid)) break;
      rmQuiet(lockFile()); // stale: its server is gone
    }
  }
  const dir = join(dataDir(), `jetstream-${process.pid}`);
  // Removed on a normal exit too, in case stop() is never reached (a crash leaves it to the next run).
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  process.once("exit", cleanup);
  return {
    dir,
    shared: false,
    setOwner() {},
    release() {
      process.removeListener("exit", cleanup);
      cleanup();
    },
  };
}

/** The pid that owns the shared store, if the owner file says so. */
export function storeOwner(): number | undefined {
  try {
    const pid = (JSON.parse(readFileSync(lockFile(), "utf8")) as { pid?: unknown }).pid;
    return typeof pid === "number" ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Gives the shared store back when a background server with this pid is stopped. */
export function releaseStoreOf(pid: number): void {
  if (storeOwner() === pid) rmQuiet(lockFile());
}

function cleanStaleTemporaryStores(): void {
  let names: string[] = [];
  try {
    names = readdirSync(dataDir());
  } catch {
    return;
  }
  for (const n of names) {
    const m = /^jetstream-(\d+)$/.exec(n);
    if (m && !pidAlive(Number(m[1]))) rmSync(join(dataDir(), n), { recursive: true, force: true });
  }
}

function rmQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}

/** Alive and not a zombie (in a container nobody may reap an orphaned server we just killed). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  if (process.platform === "linux") {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
      return state !== "Z" && state !== "X";
    } catch {
      return false;
    }
  }
  return true;
}

/** On Linux, guards against a recycled pid: is this process really a nats-server? */
export function isNatsServerPid(pid: number): boolean {
  if (!pidAlive(pid)) return false;
  if (process.platform !== "linux") return true;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes("nats-server");
  } catch {
    return false;
  }
}

/** Where nats-server would be found (same rule as startNatsServer: GOINGNATS_NATS_SERVER, PATH, sbin). */
export function natsServerBinary(): string | undefined {
  const configured = process.env.GOINGNATS_NATS_SERVER;
  if (configured) return configured.includes("/") || configured.includes("\\") ? (existsSync(configured) ? configured : undefined) : findOnPath(configured, true);
  return findOnPath("nats-server", true);
}

export function findOnPath(name: string, withSbin = false): string | undefined {
  const dirs = (process.env.PATH ?? "").split(delimiter).filter(Boolean);
  if (withSbin) dirs.push("/usr/sbin", "/usr/local/sbin");
  const exts = process.platform === "win32" ? (process.env.PATHEXT ?? ".EXE;.CMD;.BAT").split(";").concat("") : [""];
  for (const d of dirs) {
    for (const e of exts) {
      const p = join(d, name + e);
      if (existsSync(p)) return p;
    }
  }
  return undefined;
}

/** "2.9.10" from `nats-server --version`, or undefined. */
export function binaryVersion(binary: string): string | undefined {
  try {
    const out = execFileSync(binary, ["--version"], { encoding: "utf8", timeout: 3000, stdio: ["ignore", "pipe", "pipe"] });
    const m = /v?(\d+\.\d+\.\d+[^\s]*)/.exec(out);
    return m ? m[1] : out.trim() || undefined;
  } catch {
    return undefined;
  }
}

