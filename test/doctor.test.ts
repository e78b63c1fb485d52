// `goingnats doctor`: the report names every step, the server's version, JetStream and round trip;
// it exits 0 only when a server works, and never leaves the managed server it tested running.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { EXIT } from "../src/cli/exit-codes.js";
import { formatDoctor, runDoctor } from "../src/server/doctor.js";
import { pidAlive } from "../src/server/managed-server.js";
import { closedPort, startTestServer } from "./helpers/test-server.js";

const root = join(import.meta.dirname, "..");
const home = mkdtempSync(join(tmpdir(), "goingnats-doctor-"));
const env: NodeJS.ProcessEnv = {
  ...process.env,
  GOINGNATS_HOME: join(home, "gn"),
  XDG_CONFIG_HOME: join(home, "config"),
  HOME: home,
  GOINGNATS_LOCAL_URL: `nats://127.0.0.1:${await closedPort()}`,
  NO_COLOR: "1",
};
for (const k of ["NATS_URL", "NATS_CONTEXT", "GOINGNATS_NAMESPACE", "GOINGNATS_NATS_SERVER"]) delete env[k];
// The in-process test reads the same temp folders (never the learner's real state or NATS contexts).
process.env.GOINGNATS_HOME = env.GOINGNATS_HOME;
process.env.XDG_CONFIG_HOME = env.XDG_CONFIG_HOME;
after(() => rmSync(home, { recursive: true, force: true }));

function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", ...args], { cwd: root, env: { ...env, ...extraEnv }, encoding: "utf8", timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("with nothing else around, doctor starts a managed server, tests it, and it is gone afterwards", () => {
  const r = cli(["doctor"]);
  assert.equal(r.code, 0, r.err + r.out);
  for (const label of ["--server flag", "NATS_URL", "NATS CLI context", "goingnats background server", "server on 127.0.0.1:", "managed local server"]) {
    assert.ok(r.out.includes(label), `mentions the step "${label}"`);
  }
  assert.match(r.out, /managed local server +✔ used/);
  assert.match(r.out, /version +nats-server \d+\.\d+\.\d+/);
  assert.match(r.out, /JetStream +on/);
  assert.match(r.out, /round trip +(< 1|[\d.]+) ms/);
  assert.match(r.out, /nats-server +\S*nats-server \(v\d/);
  assert.match(r.out, /nats \(CLI\) /);
  assert.match(r.out, /Node\.js +v\d+/);

  const j = cli(["doctor", "--json"]);
  assert.equal(j.code, 0, j.err);
  const report = JSON.parse(j.out);
  assert.equal(report.ok, true);
  assert.equal(report.server.source, "managed");
  assert.equal(report.server.jetstream, true);
  assert.equal(report.server.namespace, "");
  assert.equal(report.server.stoppedAfterTest, true);
  const pid = Number(/pid (\d+)/.exec(report.steps.find((s: { step: string }) => s.step === "managed").why)![1]);
  assert.equal(pidAlive(pid), false, "the managed server is gone once doctor has exited");
});

test("an unreachable --server: the teaching message and EXIT.server", async () => {
  const port = await closedPort();
  const r = cli(["--server", `127.0.0.1:${port}`, "doctor"]);
  assert.equal(r.code, EXIT.server);
  assert.match(r.out, /--server flag +✔ used +nats:\/\/127\.0\.0\.1:\d+/);
  assert.match(r.out, new RegExp(`nothing answers at nats://127\\.0\\.0\\.1:${port} \\(connection refused`));
  assert.match(r.out, /managed local server +· skipped/);
});

test("no server and no nats-server: install help, EXIT.server", () => {
  const r = cli(["doctor"], { GOINGNATS_NATS_SERVER: join(home, "missing-nats-server") });
  assert.equal(r.code, EXIT.server);
  assert.match(r.out, /managed local server +✘ failed/);
  assert.match(r.out, /brew install nats-server/);
  assert.match(r.out, /nats-server +not installed/);
});

test("in-process: a server without JetStream is reported as such; the first step is used", async () => {
  const s = await startTestServer({ jetstream: false });
  const saved = process.env.GOINGNATS_LOCAL_URL;
  process.env.GOINGNATS_LOCAL_URL = env.GOINGNATS_LOCAL_URL;
  try {
    const report = await runDoctor({ server: s.url });
    assert.equal(report.ok, true);
    assert.equal(report.steps[0].status, "used");
    assert.equal(report.server?.jetstream, false);
    assert.match(report.server?.version ?? "", /^\d+\.\d+\.\d+/);
    assert.equal(typeof report.server?.rttMs, "number");
    assert.match(formatDoctor(report), /JetStream +off/);
  } finally {
    if (saved === undefined) delete process.env.GOINGNATS_LOCAL_URL;
    else process.env.GOINGNATS_LOCAL_URL = saved;
  }
});
