// Starts a real nats-server as a child process on a loopback port and waits until it is ready.
// Used by the managed server and by the test suite.
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { signalTree, track } from "../process/children.js";

export interface NatsServerProcess {
  url: string;
  port: number;
  pid: number;
  storeDir: string;
  /** Everything the server printed so far (for error messages). */
  log(): string;
  stop(): Promise<void>;
  readonly exited: Promise<number | null>;
}

export interface StartOptions {
  storeDir: string;
  jetstream?: boolean;
  /** 0 or undefined: a free port chosen by the server. */
  port?: number;
  /** Extra arguments, e.g. ["--user", "a", "--pass", "b"]. */
  args?: string[];
  binary?: string;
  readyTimeoutMs?: number;
  /** Detach so the server outlives goingnats (`goingnats server start`); it is then not tracked. */
  background?: boolean;
  /**
   * Do not keep Node running for this server (the managed server): when a command is done, goingnats
   * exits and children.ts stops the server, even if an error path skipped stop().
   */
  unref?: boolean;
  logFile?: string;
}

export class NatsServerNotFound extends Error {
  constructor(readonly binary: string) {
    super(`nats-server was not found (tried "${binary}")`);
  }
}

export async function startNatsServer(opts: StartOptions): Promise<NatsServerProcess> {
  mkdirSync(opts.storeDir, { recursive: true });
  const binary = opts.binary ?? process.env.GOINGNATS_NATS_SERVER ?? "nats-server";
  const args = ["-a", "127.0.0.1", "-p", String(opts.port || -1), "-sd", opts.storeDir, ...(opts.jetstream === false ? [] : ["-js"]), ...(opts.args ?? [])];
  if (opts.logFile) args.push("-l", opts.logFile);
  const child = spawn(binary, args, {
    stdio: ["ignore", "pipe", "pipe"],
    detached: opts.background === true,
    // Debian installs nats-server in /usr/sbin, which is not on every user's PATH.
    env: { ...process.env, PATH: `${process.env.PATH ?? ""}:/usr/sbin:/usr/local/sbin` },
  });
  if (!opts.background) track(child, { group: false });

  let log = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const ready = new Promise<number>((resolve, reject) => {
    let port = 0;
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      if (log.length > 64_000) log = log.slice(-32_000);
      const m = /Listening for client connections on [^\s]*:(\d+)/.exec(log);
      if (m) port = Number(m[1]);
      if (port && log.includes("Server is ready")) resolve(port);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("error", (err: NodeJS.ErrnoException) => reject(err.code === "ENOENT" ? new NatsServerNotFound(binary) : err));
    exited.then((code) => reject(new Error(`nats-server exited (code ${code}) before it was ready:\n${log.trim().split("\n").slice(-5).join("\n")}`)));
    setTimeout(() => reject(new Error(`nats-server was not ready after ${opts.readyTimeoutMs ?? 10_000} ms:\n${log.slice(-500)}`)), opts.readyTimeoutMs ?? 10_000).unref();
  });

  let port: number;
  try {
    // With -l the log goes to the file, so readiness is found by polling the port instead.
    port = opts.logFile ? await waitForLogFile(opts.logFile, opts.readyTimeoutMs ?? 10_000, exited) : await ready;
  } catch (err) {
    signalTree(child, false, "SIGKILL");
    throw err;
  }
  ready.catch(() => {});
  // Only once ready: while starting, the pipes are what keeps Node waiting for "Server is ready".
  if (opts.unref) {
    child.unref();
    (child.stdout as unknown as { unref?: () => void }).unref?.();
    (child.stderr as unknown as { unref?: () => void }).unref?.();
  }
  if (opts.background) {
    child.stdout!.destroy();
    child.stderr!.destroy();
    child.unref();
  }

  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    storeDir: opts.storeDir,
    log: () => log,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      signalTree(child, false, "SIGTERM");
      const t = setTimeout(() => signalTree(child, false, "SIGKILL"), 3000);
      await exited;
      clearTimeout(t);
    },
  };
}

async function waitForLogFile(file: string, timeoutMs: number, exited: Promise<number | null>): Promise<number> {
  const { readFileSync, existsSync } = await import("node:fs");
  const start = Date.now();
  let gone = false;
  exited.then(() => (gone = true));
  while (Date.now() - start < timeoutMs) {
    if (existsSync(file)) {
      const text = readFileSync(file, "utf8");
      // The log file may hold earlier runs: look only after the last start.
      const last = text.slice(text.lastIndexOf("Starting nats-server"));
      const m = /Listening for client connections on [^\s]*:(\d+)/.exec(last);
      if (m && last.includes("Server is ready")) return Number(m[1]);
      if (gone) throw new Error(`nats-server exited before it was ready:\n${last.trim().split("\n").slice(-5).join("\n")}`);
    } else if (gone) throw new Error("nats-server exited before it was ready");
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`nats-server was not ready after ${timeoutMs} ms`);
}
