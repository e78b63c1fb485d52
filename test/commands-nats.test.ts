// pub, sub, request and reply run as real child processes against a real nats-server; a test
// connection plays the other side. Every wait is for a condition (a line of output, an exit) with a
// deadline, never a sleep.
import assert from "node:assert/strict";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { connect, headers, type NatsConnection } from "@nats-io/transport-node";
import { closedPort, startTestServer, type TestServer } from "./helpers/test-server.js";

const root = new URL("..", import.meta.url).pathname;
const bin = join(root, "bin/goingnats.js");
const home = mkdtempSync(join(tmpdir(), "goingnats-home-"));
const children = new Set<ChildProcess>();

// The commands run from the bundle, as learners run them (`npm test` builds it first).
if (!existsSync(join(root, "dist/cli.js"))) spawnSync(process.execPath, [join(root, "scripts/build.mjs")], { stdio: "inherit" });
// Started at the top level so its after() hook belongs to the whole file.
const server: TestServer = await startTestServer();
const nc: NatsConnection = await connect({ servers: server.url, name: "commands-nats test" });

after(async () => {
  for (const c of children) c.kill("SIGKILL");
  await nc.close();
  rmSync(home, { recursive: true, force: true });
});

interface Run {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Waits until stderr or stdout matches, failing with both outputs after the deadline. */
  waitFor(re: RegExp, ms?: number): Promise<void>;
  exited: Promise<number | null>;
}

function run(args: string[], opts: { stdin?: string; server?: string } = {}): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, GOINGNATS_HOME: home };
  for (const k of ["NATS_URL", "NATS_CONTEXT", "GOINGNATS_NAMESPACE", "FORCE_COLOR"]) delete env[k];
  const child = spawn(process.execPath, [bin, "--server", opts.server ?? server.url, ...args], {
    env,
    stdio: [opts.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
  });
  children.add(child);
  let out = "";
  let err = "";
  const waiters = new Set<() => void>();
  const poke = () => waiters.forEach((w) => w());
  child.stdout!.on("data", (d) => ((out += d), poke()));
  child.stderr!.on("data", (d) => ((err += d), poke()));
  const exited = new Promise<number | null>((resolve) =>
    child.once("close", (code) => {
      children.delete(child);
      poke();
      resolve(code);
    }),
  );
  if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (re, ms = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const check = () => {
          if (re.test(out) || re.test(err)) return done(resolve);
          if (child.exitCode !== null) return done(() => reject(new Error(`exited (${child.exitCode}) before ${re}\nstdout:\n${out}\nstderr:\n${err}`)));
        };
        const timer = setTimeout(() => done(() => reject(new Error(`no ${re} within ${ms} ms\nstdout:\n${out}\nstderr:\n${err}`))), ms);
        const done = (f: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          f();
        };
        waiters.add(check);
        check();
      }),
  };
}

async function exitCode(r: Run, ms = 10_000): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still running after ${ms} ms\nstdout:\n${r.stdout()}\nstderr:\n${r.stderr()}`)), ms)));
  try {
    return await Promise.race([r.exited, limit]);
  } finally {
    clearTimeout(timer);
  }
}

const ANSI = /\x1b\[/;

describe("pub", () => {
  test("publishes with headers, a reply subject and templates; a subscriber sees them", async () => {
    const sub = nc.subscribe("t.pub.*", { max: 2 });
    await nc.flush();
    const r = run(["pub", "t.pub.{{Count}}", "hello {{Count}}", "-H", "Lang:nb", "-H", "Seq: {{Count}}", "--count", "2", "--reply", "t.back"]);
    assert.equal(await exitCode(r), 0, r.stderr());
    const seen = [];
    for await (const m of sub) seen.push(m);
    assert.deepEqual(seen.map((m) => [m.subject, m.string(), m.reply, m.headers?.get("Lang"), m.headers?.get("Seq")]), [
      ["t.pub.1", "hello 1", "t.back", "nb", "1"],
      ["t.pub.2", "hello 2", "t.back", "nb", "2"],
    ]);
    assert.match(r.stderr(), /Published 7 bytes to "t\.pub\.1"/);
    assert.equal(r.stdout(), "", "pub keeps stdout free");
  });

  test("reads the body from stdin when BODY is left out", async () => {
    const sub = nc.subscribe("t.stdin", { max: 1 });
    await nc.flush();
    const r = run(["pub", "t.stdin"], { stdin: "from a pipe" });
    assert.equal(await exitCode(r), 0, r.stderr());
    for await (const m of sub) assert.equal(m.string(), "from a pipe");
  });

  test("--jetstream waits for the stream's acknowledgement, and says when no stream stores the subject", async () => {
    const { jetstreamManager } = await import("@nats-io/jetstream");
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "T_PUB", subjects: ["t.js.>"] });
    const stored = run(["pub", "-J", "t.js.a", "kept"]);
    assert.equal(await exitCode(stored), 0, stored.stderr());
    assert.match(stored.stderr(), /Stored in Stream: T_PUB Sequence: 1/);
    const lost = run(["pub", "--jetstream", "t.nojs", "lost"]);
    assert.equal(await exitCode(lost), 1);
    assert.match(lost.stderr(), /no stream stores "t\.nojs"/);
  });

  test("an invalid subject is a usage error with a clear message", async () => {
    const r = run(["pub", "has space", "x"]);
    assert.equal(await exitCode(r), 2);
    assert.match(r.stderr(), /"has space" is not a valid subject/);
    assert.doesNotMatch(r.stderr(), /\n\s+at /, "no stack trace");
  });

  test("an unreachable server exits with the server exit code", async () => {
    const r = run(["pub", "t.x", "x"], { server: `nats://127.0.0.1:${await closedPort()}` });
    assert.equal(await exitCode(r), 3);
    assert.doesNotMatch(r.stderr(), /\n\s+at /);
  });
});

describe("sub", () => {
  test("--count 2 prints both messages like the NATS CLI, then exits 0", async () => {
    const r = run(["sub", "t.sub.>", "--count", "2"]);
    await r.waitFor(/Subscribing on t\.sub\.>/);
    const h = headers();
    h.set("Colour", "blue");
    nc.publish("t.sub.a", "first", { headers: h, reply: "t.reply" });
    nc.publish("t.sub.b", "second");
    assert.equal(await exitCode(r), 0, r.stderr());
    assert.equal(
      r.stdout(),
      '[#1] Received on "t.sub.a" with reply "t.reply"\nColour: blue\n\nfirst\n\n[#2] Received on "t.sub.b"\nsecond\n\n',
    );
    assert.doesNotMatch(r.stdout() + r.stderr(), ANSI, "no colour codes when not a terminal");
  });

  test("--raw prints payloads only; an empty payload shows as nil body", async () => {
    const r = run(["sub", "t.raw", "--count", "2", "--raw"]);
    await r.waitFor(/Subscribing on/);
    nc.publish("t.raw", "one");
    nc.publish("t.raw");
    assert.equal(await exitCode(r), 0, r.stderr());
    assert.equal(r.stdout(), "one\nnil body\n");
  });

  test("--queue joins a queue group, visible to the server", async () => {
    const r = run(["sub", "t.q", "--queue", "workers", "--count", "1"]);
    await r.waitFor(/Subscribing on t\.q in queue group "workers"/);
    const connz = await nc.request("$SYS.REQ.ACCOUNT.PING.CONNZ", JSON.stringify({ subscriptions_detail: true }));
    const conns = (connz.json<{ data: { connections: Array<{ name?: string; subscriptions_list_detail?: Array<{ subject: string; qgroup?: string }> }> } }>()).data.connections;
    const mine = conns.find((c) => c.name === "goingnats sub");
    assert.deepEqual(mine?.subscriptions_list_detail?.map((s) => [s.subject, s.qgroup]), [["t.q", "workers"]]);
    nc.publish("t.q", "x");
    assert.equal(await exitCode(r), 0);
  });

  test("SIGTERM stops it cleanly with exit code 0", async () => {
    const r = run(["sub", "t.stop"]);
    await r.waitFor(/Subscribing on/);
    r.child.kill("SIGTERM");
    assert.equal(await exitCode(r), 0, r.stderr());
  });
});

describe("request", () => {
  test("prints the responder's answer; the responder sees the body and headers", async () => {
    const got: string[] = [];
    const responder = nc.subscribe("t.greet", {
      max: 1,
      callback: (_e, m) => {
        got.push(`${m.string()}|${m.headers?.get("Who")}`);
        m.respond(`hi ${m.string()}`);
      },
    });
    await nc.flush();
    const r = run(["request", "t.greet", "joe", "-H", "Who:test"]);
    assert.equal(await exitCode(r), 0, r.stderr());
    assert.equal(r.stdout(), "hi joe\n\n");
    assert.match(r.stderr(), /Sending request on "t\.greet"[\s\S]*Received with rtt/);
    assert.deepEqual(got, ["joe|test"]);
    await responder.closed;
  });

  test("no responders fails fast with a message that says why", async () => {
    const r = run(["req", "t.nobody", "x", "--timeout", "20s"]);
    const started = Date.now();
    assert.equal(await exitCode(r), 1);
    assert.match(r.stderr(), /no responders: nobody is subscribed to "t\.nobody"\. In NATS a request fails fast when no one listens\./);
    assert.ok(Date.now() - started < 15_000, "did not wait for the timeout");
  });

  test("a listener that never answers is a timeout, with different words", async () => {
    const silent = nc.subscribe("t.silent");
    await nc.flush();
    const r = run(["req", "t.silent", "x", "--timeout", "300ms"]);
    assert.equal(await exitCode(r), 1);
    assert.match(r.stderr(), /no reply within 300ms: something is subscribed to "t\.silent"/);
    assert.doesNotMatch(r.stderr(), /no responders:/);
    silent.unsubscribe();
  });

  test("--replies 2 gathers two answers; --raw prints bodies only", async () => {
    const a = nc.subscribe("t.many", { callback: (_e, m) => void m.respond("a") });
    const b = nc.subscribe("t.many", { callback: (_e, m) => void m.respond("b") });
    await nc.flush();
    const r = run(["req", "t.many", "", "--replies", "2", "--raw", "--timeout", "10s"]);
    assert.equal(await exitCode(r), 0, r.stderr());
    assert.deepEqual(r.stdout().split("\n").filter(Boolean).sort(), ["a", "b"]);
    a.unsubscribe();
    b.unsubscribe();
  });
});

describe("reply", () => {
  test("--count 1 answers one request with the templated body, then exits 0", async () => {
    const r = run(["reply", "t.svc", "got {{Request}} #{{Count}}", "--count", "1"]);
    await r.waitFor(/Listening on "t\.svc" in group "NATS-RPLY-22"/);
    const m = await nc.request("t.svc", "ping", { timeout: 5000 });
    assert.equal(m.string(), "got ping #0");
    assert.equal(await exitCode(r), 0, r.stderr());
    assert.match(r.stderr(), /\[#0\] Received on subject "t\.svc"/);
    assert.equal(r.stdout(), "\nping\n");
  });

  test("--echo answers with the request's payload and headers", async () => {
    const r = run(["reply", "t.echo", "--echo", "--count", "1"]);
    await r.waitFor(/Listening on/);
    const h = headers();
    h.set("Trace", "abc");
    const m = await nc.request("t.echo", "same", { timeout: 5000, headers: h });
    assert.equal(m.string(), "same");
    assert.equal(m.headers?.get("Trace"), "abc");
    assert.equal(m.headers?.get("NATS-Reply-Counter"), "0");
    assert.equal(await exitCode(r), 0);
  });

  test("--command answers with a program's output, like the meetup deck's example", async () => {
    const r = run(["reply", "t.cmd.run", "--command", "echo 'Processed command: {{Request}}' {{1}}", "-q", "meetup-commands", "--count", "1"]);
    await r.waitFor(/Listening on "t\.cmd\.run" in group "meetup-commands"/);
    const m = await nc.request("t.cmd.run", "start", { timeout: 5000 });
    assert.equal(m.string(), "Processed command: start cmd\n");
    assert.equal(await exitCode(r), 0, r.stderr());
  });

  async function answersFrom(queueArgs: string[], subject: string): Promise<string[]> {
    const repliers = ["one", "two"].map((name) => run(["reply", subject, name, ...queueArgs]));
    try {
      for (const r of repliers) await r.waitFor(/Listening on/);
      // Wait the whole window: with a queue group a second answer must never come.
      const answers: string[] = [];
      for await (const m of await nc.requestMany(subject, "who is here?", { strategy: "timer", maxWait: 750 })) answers.push(m.string());
      return answers.sort();
    } finally {
      for (const r of repliers) r.child.kill("SIGTERM");
      for (const r of repliers) await exitCode(r);
    }
  }

  test("by default repliers share a queue group: one answer per request (the lottery)", async () => {
    const answers = await answersFrom([], "t.lottery");
    assert.equal(answers.length, 1, `answers: ${answers}`);
  });

  test('--queue "" leaves the group: every replier answers (the roll call)', async () => {
    assert.deepEqual(await answersFrom(["--queue", ""], "t.rollcall"), ["one", "two"]);
  });
});

test("pub: a body over max_payload is a clear usage error, not a crash", async () => {
  const { spawnSync } = await import("node:child_process");
  const big = "x".repeat(1024 * 1024 + 1);
  const r = spawnSync(process.execPath, ["--import", "tsx", "src/cli/main.ts", "--server", server.url, "pub", "big.one"], {
    input: big,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", GOINGNATS_HOME: home },
  });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /larger than the server's max_payload \(1048576 bytes/);
  assert.doesNotMatch(r.stderr, /unexpected error|    at /);
});
