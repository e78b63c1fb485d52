// `goingnats check` as a learner and a grader run it: a separate process, real server, exit codes,
// JSON and JUnit output, and nothing left running after SIGTERM.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { repoRoot } from "./helpers/shims.js";
import { closedPort, startTestServer } from "./helpers/test-server.js";

const home = mkdtempSync(join(tmpdir(), "goingnats-cli-"));
after(() => rmSync(home, { recursive: true, force: true }));
const server = await startTestServer();

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function goingnats(args: string[], opts: { onSpawn?: (pid: number) => void; env?: Record<string, string> } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(repoRoot, "src/cli/main.ts"), ...args], {
      cwd: repoRoot,
      env: { ...process.env, GOINGNATS_HOME: home, NO_COLOR: "1", NATS_URL: "", NATS_CONTEXT: "", ...opts.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    opts.onSpawn?.(child.pid!);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

test("a passing check exits 0 and records progress", async () => {
  const r = await goingnats(["--server", server.url, "check", "hello-echo", "--against", "solution"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /All 2 checks passed/);
  assert.match(r.stderr, /Using nats:\/\/127\.0\.0\.1:\d+ \(--server/);
});

test("a failing check exits 1 and teaches: expected, seen, idea, hint, program output", async () => {
  const r = await goingnats(["--server", server.url, "check", "hello-echo", "--against", "starter"]);
  assert.equal(r.code, 1);
  for (const label of ["expected", "seen", "idea", "hint"]) assert.match(r.stdout, new RegExp(`\\b${label}\\b`));
  assert.match(r.stdout, /your program/);
  assert.doesNotMatch(r.stdout, /\x1b\[/, "NO_COLOR: no escape codes");
});

test("--json and --junit give graders the same results", async () => {
  const junit = join(home, "results.xml");
  const r = await goingnats(["--server", server.url, "check", "hello-echo", "--against", "starter", "--json", "--junit", junit]);
  assert.equal(r.code, 1);
  const json = JSON.parse(r.stdout);
  assert.equal(json.total, 1);
  assert.equal(json.runs[0].exercise, "hello-echo");
  assert.equal(json.runs[0].results[0].status, "fail");
  assert.ok(json.runs[0].results[0].expected);
  const xml = readFileSync(junit, "utf8");
  assert.match(xml, /<testsuite name="hello-echo" tests="2" failures="1"/);
  assert.match(xml, /<failure message=/);
});

test("usage errors exit 2, an unknown exercise suggests how to find one", async () => {
  const r = await goingnats(["--server", server.url, "check", "no-such-exercise"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /no exercise "no-such-exercise".*goingnats list/s);
});

test("an unreachable server exits 3 with a clear message", async () => {
  const port = await closedPort();
  const r = await goingnats(["--server", `nats://127.0.0.1:${port}`, "check", "hello-echo", "--against", "solution"]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${port}`));
  assert.doesNotMatch(r.stderr, /    at /, "no stack trace");
});

test("SIGTERM during a check stops the learner's program too", async () => {
  let pid = 0;
  // This fixture exercise keeps its program running until its 60 s time limit.
  const running = goingnats(["--server", server.url, "check", "slow-program", "--against", "solution"], {
    onSpawn: (p) => (pid = p),
    env: { GOINGNATS_CONTENT: join(repoRoot, "test/fixtures/slow-content") },
  });
  // Wait until the learner program is up: it shows on the server as a connection named slow-program.
  const { connect } = await import("@nats-io/transport-node");
  const nc = await connect({ servers: server.url });
  const seenProgram = async () => {
    const r = await nc.request("$SYS.REQ.ACCOUNT.PING.CONNZ", "{}");
    return (r.json() as { data: { connections: Array<{ name?: string }> } }).data.connections.some((c) => c.name === "slow-program");
  };
  const deadline = Date.now() + 20_000;
  while (!(await seenProgram()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  process.kill(pid, "SIGTERM");
  const r = await running;
  assert.equal(r.code, 143);
  // The program's connection goes away when its process does.
  const gone = Date.now() + 5000;
  while ((await seenProgram()) && Date.now() < gone) await new Promise((r) => setTimeout(r, 20));
  assert.equal(await seenProgram(), false, "the learner program was stopped");
  await nc.close();
});

test("a server without JetStream: the exercise is skipped with the reason, exit 3", async () => {
  const plain = await startTestServer({ jetstream: false });
  const r = await goingnats(["--server", plain.url, "check", "needs-jetstream", "--against", "solution"], {
    env: { GOINGNATS_CONTENT: join(repoRoot, "test/fixtures/slow-content") },
  });
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stdout, /needs JetStream, which is not enabled on this server/);
  assert.equal(r.stdout.split("needs JetStream").length - 1, 1, `said once, in the summary, not under every check:\n${r.stdout}`);
});

test("checks judge the wire: a program that is not TypeScript passes with --run", async () => {
  // The greeting service as one shell command: the NATS-CLI-compatible `reply` answers each request.
  const { shimDir } = await import("./helpers/shims.js");
  const service = `"${join(shimDir(), "goingnats")}" reply "\${GOINGNATS_PREFIX}greet" "Hello, {{Request}}!"`;
  const r = await goingnats(["--server", server.url, "check", "rr-responder", "--run", service]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /All 3 checks passed/);
});
