// `goingnats server start|status|stop|run` as real processes: the background server outlives the command
// that started it and is gone after stop; a foreground/managed server never outlives goingnats.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { EXIT } from "../src/cli/exit-codes.js";
import { pidAlive } from "../src/server/managed-server.js";
import { closedPort } from "./helpers/test-server.js";

const root = join(import.meta.dirname, "..");
const home = mkdtempSync(join(tmpdir(), "goingnats-server-cli-"));
const localPort = await closedPort();
const env: NodeJS.ProcessEnv = {
  ...process.env,
  GOINGNATS_HOME: join(home, "gn"),
  XDG_CONFIG_HOME: join(home, "config"),
  HOME: home,
  // The "localhost:4222" step and the preferred port of `server start`: never the real 4222 in tests.
  GOINGNATS_LOCAL_URL: `nats://127.0.0.1:${localPort}`,
  NO_COLOR: "1",
};
for (const k of ["NATS_URL", "NATS_CONTEXT", "GOINGNATS_NAMESPACE", "GOINGNATS_NATS_SERVER"]) delete env[k];

const pidsToKill = new Set<number>();
after(() => {
  // Belt and braces: a failed assertion must not leave a detached server behind.
  for (const pid of pidsToKill) if (pidAlive(pid)) process.kill(pid, "SIGKILL");
  rmSync(home, { recursive: true, force: true });
});

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: root, env: { ...env, ...extraEnv }, encoding: "utf8", timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function waitFor(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("server start → status → stop: detached, recorded, prefers the local port, gone after stop", async () => {
  const start = cli(["server", "start"]);
  assert.equal(start.code, 0, start.err);
  const record = JSON.parse(readFileSync(join(home, "gn", "state", "server.json"), "utf8"));
  pidsToKill.add(record.pid);
  assert.equal(record.port, localPort, "the preferred (local) port when free");
  assert.equal(record.url, `nats://127.0.0.1:${localPort}`);
  assert.equal(record.storeDir, join(home, "gn", "data", "jetstream"));
  assert.equal(record.logFile, join(home, "gn", "data", "nats-server.log"));
  assert.ok(record.startedAt && record.version);
  assert.match(start.out, new RegExp(`export NATS_URL=nats://127\\.0\\.0\\.1:${localPort}`));
  assert.ok(pidAlive(record.pid), "the server outlives `server start`");

  const again = cli(["server", "start"]);
  assert.equal(again.code, 0);
  assert.match(again.out, /Already running/);
  assert.match(again.out, /export NATS_URL=/);

  const status = cli(["server", "status", "--json"]);
  assert.equal(status.code, 0, status.err);
  const s = JSON.parse(status.out);
  assert.equal(s.running, true);
  assert.equal(s.pid, record.pid);
  assert.equal(s.jetstream, true);
  assert.equal(s.url, record.url);
  assert.match(cli(["server", "status"]).out, /Running .*\n.*URL .*\n.*JetStream +on/);

  // Other commands find it (resolution step "background"), with no flags.
  const doctor = cli(["doctor", "--json"]);
  assert.equal(doctor.code, 0, doctor.err);
  assert.equal(JSON.parse(doctor.out).server.source, "background");

  const stop = cli(["server", "stop"]);
  assert.equal(stop.code, 0, stop.err);
  assert.match(stop.out, new RegExp(`Stopped the background server \\(pid ${record.pid}`));
  assert.equal(pidAlive(record.pid), false, "the pid is gone after stop");
  assert.equal(existsSync(join(home, "gn", "state", "server.json")), false, "the record is removed");

  assert.match(cli(["server", "stop"]).out, /No background server is running/);
  const after = JSON.parse(cli(["server", "status", "--json"]).out);
  assert.equal(after.running, false);
});

test("a stale record (pid gone) is reported and cleaned by status", async () => {
  const start = cli(["server", "start", "--port", String(await closedPort())]);
  assert.equal(start.code, 0, start.err);
  const record = JSON.parse(readFileSync(join(home, "gn", "state", "server.json"), "utf8"));
  pidsToKill.add(record.pid);
  process.kill(record.pid, "SIGKILL");
  await waitFor(() => !pidAlive(record.pid), 5000, "the killed server to go");
  const status = cli(["server", "status"]);
  assert.equal(status.code, 0);
  assert.match(status.out, /has gone \(its process \(pid \d+\) is gone\); it has been removed/);
  assert.equal(existsSync(join(home, "gn", "state", "server.json")), false);
});

test("nats-server not installed: install help and EXIT.server", () => {
  const r = cli(["server", "start"], { GOINGNATS_NATS_SERVER: join(home, "no-such-nats-server") });
  assert.equal(r.code, EXIT.server);
  assert.match(r.err, /apt-get install nats-server/);
  assert.match(r.err, /brew install nats-server/);
  assert.match(r.err, /scoop install nats-server/);
  assert.match(r.err, /go install github\.com\/nats-io\/nats-server/);
  assert.match(r.err, /--server demo/);
  assert.doesNotMatch(r.err, /\n\s+at /, "no stack trace");
});

test("SIGTERM to goingnats running a managed server leaves no nats-server behind", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "server", "run"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  await waitFor(() => /\(pid \d+, ready in \d+ ms/.test(out), 15_000, `server run to be ready; output so far: ${out}`);
  const pid = Number(/\(pid (\d+), ready in/.exec(out)![1]);
  pidsToKill.add(pid);
  assert.ok(pidAlive(pid));
  child.kill("SIGTERM");
  assert.equal(await exited, 143);
  await waitFor(() => !pidAlive(pid), 5000, "the managed nats-server to be gone");
  assert.doesNotMatch(out, /exited \(code/, "a signal is the normal way out of `server run`");
});

test("while goingnats runs a managed server, other terminals find it: pub, doctor, server status, server start", async () => {
  const child = spawn(process.execPath, ["--import", "tsx", "src/cli/main.ts", "server", "run"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  child.stderr.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  try {
    await waitFor(() => /\(pid \d+, ready in \d+ ms/.test(out), 15_000, `server run to be ready; output so far: ${out}`);
    const pid = Number(/\(pid (\d+), ready in/.exec(out)![1]);
    pidsToKill.add(pid);
    const url = `nats://127.0.0.1:${localPort}`;
    assert.match(out, new RegExp(`at ${url.replace(/\./g, "\\.")} `), "the managed server takes the default (local) port when free");

    const pub = cli(["pub", "greet", "hi"]);
    assert.equal(pub.code, 0, pub.err);
    assert.match(pub.err, /server of `goingnats server run` in another terminal, pid \d+/, "pub says whose server it uses");

    const doctor = JSON.parse(cli(["doctor", "--json"]).out);
    assert.deepEqual(
      doctor.steps.filter((s: { status: string }) => s.status === "used").map((s: { step: string }) => s.step),
      ["app"],
    );

    const status = cli(["server", "status"]);
    assert.match(status.out, /No background server\. But `goingnats server run` \(pid \d+\) runs a managed server at/);
    assert.match(status.out, new RegExp(`export NATS_URL=${url.replace(/\./g, "\\.")}`));

    const start = cli(["server", "start"]);
    assert.equal(start.code, EXIT.server);
    assert.match(start.err, /already runs a server with your JetStream store/);
    assert.match(start.err, /quit it first/);
  } finally {
    child.kill("SIGTERM");
    await exited;
  }
  assert.deepEqual(existsSync(join(home, "gn", "state", "servers")) ? spawnSync("ls", [join(home, "gn", "state", "servers")], { encoding: "utf8" }).stdout.trim() : "", "", "its record is gone with it");
  const after = cli(["server", "status"]);
  assert.match(after.out, /Not running/);
});
