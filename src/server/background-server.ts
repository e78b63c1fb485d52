// The background server (`goingnats server start|stop|status`): a detached nats-server that outlives
// goingnats, so the learner's other terminals (the NATS CLI, their own programs) can use it. Its record,
// stateDir()/server.json, is how later goingnats processes find it (resolution step "background").
import { mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CliError, EXIT } from "../cli/exit-codes.js";
import { dataDir, stateDir } from "../progress/paths.js";
import { hostPort, probeNats, type ProbeResult } from "./connect.js";
import { binaryVersion, isNatsServerPid, leaseStore, natsServerBinary, pidAlive, portFree, releaseStoreOf, startError, storeOwner } from "./managed-server.js";
import { NatsServerNotFound, startNatsServer } from "./nats-server-process.js";

export interface ServerRecord {
  pid: number;
  url: string;
  port: number;
  storeDir: string;
  logFile: string;
  /** ISO time. */
  startedAt: string;
  version?: string;
}

export type BackgroundState =
  | { state: "stopped" }
  | { state: "stale"; record: ServerRecord; why: string }
  | { state: "unresponsive"; record: ServerRecord; why: string }
  | { state: "running"; record: ServerRecord; probe: ProbeResult };

/**
 * The address the NATS CLI uses by default. The background server prefers its port, and resolution
 * probes it. Tests point GOINGNATS_LOCAL_URL elsewhere so they never touch a real localhost:4222.
 */
export function localUrl(): string {
  return process.env.GOINGNATS_LOCAL_URL || "nats://127.0.0.1:4222";
}

export function recordFile(): string {
  return join(stateDir(), "server.json");
}

export function readRecord(): ServerRecord | undefined {
  try {
    const r = JSON.parse(readFileSync(recordFile(), "utf8")) as ServerRecord;
    return typeof r?.pid === "number" && typeof r.url === "string" ? r : undefined;
  } catch {
    return undefined;
  }
}

/** Write to a temp file, then rename: a reader never sees half a record. */
function writeRecord(rec: ServerRecord): void {
  mkdirSync(stateDir(), { recursive: true });
  const tmp = `${recordFile()}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(rec, null, 2) + "\n");
  renameSync(tmp, recordFile());
}

function removeRecord(pid: number): void {
  try {
    unlinkSync(recordFile());
  } catch {
    // Already gone.
  }
  releaseStoreOf(pid);
}

export async function backgroundState(probeMs = 1000): Promise<BackgroundState> {
  const record = readRecord();
  if (!record) return { state: "stopped" };
  if (!isNatsServerPid(record.pid)) return { state: "stale", record, why: `its process (pid ${record.pid}) is gone` };
  const probe = await probeNats(record.url, probeMs);
  if (!probe.ok) return { state: "unresponsive", record, why: probe.why };
  return { state: "running", record, probe };
}

/** Forgets a record whose server is gone. Returns true if it did. */
export function cleanStale(st: BackgroundState): boolean {
  if (st.state !== "stale") return false;
  removeRecord(st.record.pid);
  return true;
}

export async function startBackground(opts: { port?: number } = {}): Promise<{ already: boolean; record: ServerRecord }> {
  const st = await backgroundState();
  if (st.state === "running") return { already: true, record: st.record };
  if (st.state === "unresponsive") {
    throw new CliError(`a background server is recorded (pid ${st.record.pid}, ${st.record.url}) but does not answer (${st.why}). Run \`goingnats server stop\`, then start again.`, EXIT.server);
  }
  cleanStale(st);
  const binary = natsServerBinary();
  if (!binary) throw startError(new NatsServerNotFound(process.env.GOINGNATS_NATS_SERVER ?? "nats-server"));
  const owner = storeOwner();
  if (owner !== undefined && pidAlive(owner)) {
    const { liveAppServers, describeOwner } = await import("./app-servers.js");
    const app = liveAppServers().find((r) => r.pid === owner);
    if (app) {
      throw new CliError(
        `${describeOwner(app)} (pid ${app.ownerPid}) already runs a server with your JetStream store, at ${app.url}.\n` +
          `While it runs, other terminals can use it: ${exportLine(app.url)}\n(goingnats commands there find it by themselves${app.port === hostPort(localUrl()).port ? ", and so does the NATS CLI" : ""}).\n` +
          "For a server that outlives it, quit it first, then run `goingnats server start` again.",
        EXIT.server,
      );
    }
    throw new CliError(`another goingnats process is running a server on the JetStream store (${join(dataDir(), "jetstream")}, nats-server pid ${owner}). Quit that goingnats first, then run \`goingnats server start\` again.`, EXIT.server);
  }
  const port = await choosePort(opts.port);
  const lease = leaseStore();
  const logFile = join(dataDir(), "nats-server.log");
  let server;
  try {
    server = await startNatsServer({ storeDir: lease.dir, jetstream: true, port, background: true, logFile, binary });
  } catch (err) {
    lease.release();
    throw startError(err);
  }
  lease.setOwner(server.pid);
  const record: ServerRecord = {
    pid: server.pid,
    url: server.url,
    port: server.port,
    storeDir: lease.dir,
    logFile,
    startedAt: new Date().toISOString(),
    version: binaryVersion(binary),
  };
  writeRecord(record);
  return { already: false, record };
}

/** Port 4222 (the local URL's port) when free, so the NATS CLI works with no set-up; else any free port. */
async function choosePort(asked?: number): Promise<number> {
  if (asked !== undefined) {
    if (!(await portFree(asked))) {
      throw new CliError(`port ${asked} on 127.0.0.1 is already in use. Pick another with --port N, or leave --port out to get a free one.`, EXIT.server);
    }
    return asked;
  }
  const preferred = hostPort(localUrl()).port;
  return (await portFree(preferred)) ? preferred : 0;
}

export interface StopResult {
  wasRunning: boolean;
  record?: ServerRecord;
  /** The server ignored SIGTERM and was killed. */
  forced?: boolean;
  /** The record was left from a server that had already gone. */
  stale?: boolean;
}

export async function stopBackground(): Promise<StopResult> {
  const record = readRecord();
  if (!record) return { wasRunning: false };
  if (!isNatsServerPid(record.pid)) {
    removeRecord(record.pid);
    return { wasRunning: false, record, stale: true };
  }
  let forced = false;
  signal(record.pid, "SIGTERM");
  if (!(await waitGone(record.pid, 5000))) {
    forced = true;
    signal(record.pid, "SIGKILL");
    if (!(await waitGone(record.pid, 3000))) {
      throw new CliError(`the background server (pid ${record.pid}) did not stop, even after SIGKILL. Stop it by hand (kill -9 ${record.pid}).`, EXIT.server);
    }
  }
  removeRecord(record.pid);
  return { wasRunning: true, record, forced };
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Gone already.
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return !pidAlive(pid);
}

/** The line a learner pastes into another terminal, in that terminal's syntax. */
export function exportLine(url: string): string {
  if (process.platform === "win32") return `$env:NATS_URL="${url}"    (PowerShell)   or   set NATS_URL=${url}    (cmd)`;
  return `export NATS_URL=${url}`;
}
