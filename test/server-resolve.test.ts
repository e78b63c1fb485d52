// Server resolution in-process against real servers: the order of the steps, contexts with credentials,
// the teaching messages for unreachable servers and refused credentials, and namespaces.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { CliError, EXIT } from "../src/cli/exit-codes.js";
import { namespaceFor, sanitizeNamespace } from "../src/server/namespace.js";
import { normalizeUrl, resolveServer, resolveTraced } from "../src/server/resolve.js";
import { openSession } from "../src/server/session.js";
import type { ServerTarget } from "../src/server/types.js";
import { closedPort, startTestServer, type TestServer } from "./helpers/test-server.js";

const home = mkdtempSync(join(tmpdir(), "goingnats-resolve-"));
const ENV_KEYS = ["NATS_URL", "NATS_CONTEXT", "NATS_USER", "NATS_PASSWORD", "NATS_TOKEN", "NATS_CREDS", "NATS_NKEY", "NATS_CERT", "NATS_KEY", "NATS_CA", "GOINGNATS_NAMESPACE"];
const saved = Object.fromEntries([...ENV_KEYS, "GOINGNATS_HOME", "XDG_CONFIG_HOME", "GOINGNATS_LOCAL_URL"].map((k) => [k, process.env[k]]));

for (const k of ENV_KEYS) delete process.env[k];
process.env.GOINGNATS_HOME = join(home, "gn");
process.env.XDG_CONFIG_HOME = join(home, "config");
// Started at the top level so that the helper's after() hooks belong to the file, not to a hook.
const [background, localhost, secured]: TestServer[] = await Promise.all([startTestServer(), startTestServer(), startTestServer({ args: ["--user", "a", "--pass", "b"] })]);

after(() => {
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(home, { recursive: true, force: true });
});

function writeContext(name: string, body: object, select = false): void {
  const dir = join(home, "config", "nats");
  mkdirSync(join(dir, "context"), { recursive: true });
  writeFileSync(join(dir, "context", `${name}.json`), JSON.stringify(body));
  if (select) writeFileSync(join(dir, "context.txt"), `${name}\n`);
}

function clearContexts(): void {
  rmSync(join(home, "config", "nats"), { recursive: true, force: true });
}

/** A background-server record, as `goingnats server start` writes it, pointing at a test server. */
function writeBackgroundRecord(s: TestServer): void {
  const dir = join(home, "gn", "state");
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "server.json"), JSON.stringify({ pid: s.pid, url: s.url, port: s.port, storeDir: s.storeDir, logFile: "", startedAt: new Date().toISOString() }));
}

test("flag beats env beats context beats background beats localhost beats managed", async () => {
  writeContext("ctx", { url: "nats://127.0.0.1:3333" }, true);
  writeBackgroundRecord(background);
  process.env.GOINGNATS_LOCAL_URL = localhost.url;
  process.env.NATS_URL = "127.0.0.1:2222";
  const opts = { server: "nats://127.0.0.1:1111" };

  let t = await resolveServer(opts);
  assert.deepEqual([t.source, t.url, t.detail], ["flag", "nats://127.0.0.1:1111", "--server flag"]);

  t = await resolveServer({});
  assert.deepEqual([t.source, t.url, t.detail], ["env", "nats://127.0.0.1:2222", "NATS_URL"]);

  delete process.env.NATS_URL;
  t = await resolveServer({});
  assert.deepEqual([t.source, t.url, t.detail], ["context", "nats://127.0.0.1:3333", 'NATS CLI context "ctx"']);

  clearContexts();
  t = await resolveServer({});
  assert.deepEqual([t.source, t.url], ["background", background.url]);
  assert.match(t.detail, /goingnats server start/);

  rmSync(join(home, "gn", "state", "server.json"));
  t = await resolveServer({});
  assert.deepEqual([t.source, t.url], ["localhost", localhost.url]);
  assert.match(t.detail, /server already running on 127\.0\.0\.1:\d+/);

  process.env.GOINGNATS_LOCAL_URL = `nats://127.0.0.1:${await closedPort()}`;
  await assert.rejects(resolveServer({ noManaged: true }), (e: CliError) => e.exitCode === EXIT.server && /brew install nats-server/.test(e.message) && /--server demo/.test(e.message));

  t = await resolveServer({});
  try {
    assert.equal(t.source, "managed");
    assert.equal(t.detail, "managed local server started by goingnats");
    assert.equal(t.local, true);
    const s = await openSession({ server: t.url }, { name: "resolve test" });
    assert.equal(s.server.jetstream, true, "the managed server runs JetStream");
    await s.close();
  } finally {
    await t.stop!();
  }
});

test("doctor-style trace explains every step in order", async () => {
  process.env.GOINGNATS_LOCAL_URL = localhost.url;
  const r = await resolveTraced({ server: localhost.url }, { survey: true });
  assert.deepEqual(
    r.steps.map((s) => [s.step, s.status]),
    [
      ["flag", "used"],
      ["env", "not found"],
      ["context", "not found"],
      ["background", "not found"],
      ["app", "not found"],
      ["localhost", "available"],
      ["managed", "skipped"],
    ],
  );
});

test("a selected context is read in the NATS CLI's format: url, user and password", async () => {
  writeContext("secure", { description: "test", url: secured.url, user: "a", password: "b", token: "", nsc: "" }, true);
  try {
    const s = await openSession({});
    assert.equal(s.target.source, "context");
    assert.equal(s.target.detail, 'NATS CLI context "secure"');
    assert.equal(s.target.url, secured.url);
    assert.ok(s.nc.info?.version);
    await s.close();
    // Flags override the context, as with the NATS CLI: a wrong password is refused with a teaching message.
    await assert.rejects(openSession({ password: "wrong" }), (e: CliError) => e.exitCode === EXIT.server && /refused the credentials \(user "a"/.test(e.message));
  } finally {
    clearContexts();
  }
});

test("a named context that does not exist lists the ones that do", async () => {
  writeContext("alpha", { url: "nats://127.0.0.1:1" });
  writeContext("beta", { url: "nats://127.0.0.1:1" });
  try {
    await assert.rejects(resolveServer({ context: "gamma" }), (e: CliError) => e.exitCode === EXIT.usage && /"gamma" \(--context\) does not exist/.test(e.message) && /alpha, beta/.test(e.message));
    process.env.NATS_CONTEXT = "delta";
    await assert.rejects(resolveServer({}), (e: CliError) => /"delta" \(NATS_CONTEXT\)/.test(e.message));
  } finally {
    delete process.env.NATS_CONTEXT;
    clearContexts();
  }
});

test("an unreachable server gives the teaching message and EXIT.server", async () => {
  const port = await closedPort();
  await assert.rejects(
    openSession({ server: `127.0.0.1:${port}` }),
    (e: CliError) => e instanceof CliError && e.exitCode === EXIT.server && e.message.startsWith(`nothing answers at nats://127.0.0.1:${port} (connection refused`) && /goingnats server start/.test(e.message) && /goingnats doctor/.test(e.message),
  );
});

test("no credentials for a server that needs them, and wrong ones, are explained", async () => {
  await assert.rejects(openSession({ server: secured.url }), (e: CliError) => e.exitCode === EXIT.server && /no credentials were given/.test(e.message));
  await assert.rejects(openSession({ server: secured.url, user: "a", password: "nope" }), (e: CliError) => /refused the credentials/.test(e.message));
  const s = await openSession({ server: secured.url, user: "a", password: "b" });
  await s.close();
});

test("a missing creds file is a usage error naming the file", async () => {
  await assert.rejects(openSession({ server: localhost.url, creds: join(home, "nope.creds") }), (e: CliError) => e.exitCode === EXIT.usage && /nope\.creds \(ENOENT\)/.test(e.message));
});

test("URLs: demo, bare hosts, host:port, lists; other schemes are refused", () => {
  assert.equal(normalizeUrl("demo", "--server"), "nats://demo.nats.io:4222");
  assert.equal(normalizeUrl("demo.nats.io", "--server"), "nats://demo.nats.io:4222");
  assert.equal(normalizeUrl("127.0.0.1:4333", "--server"), "nats://127.0.0.1:4333");
  assert.equal(normalizeUrl("nats://a:1, b:2", "NATS_URL"), "nats://a:1,nats://b:2");
  assert.equal(normalizeUrl("tls://x:4443", "--server"), "tls://x:4443");
  assert.throws(() => normalizeUrl("http://x:80", "--server"), (e: CliError) => e.exitCode === EXIT.usage && /nats:\/\//.test(e.message));
});

test("namespaces: none locally, a stable default on shared servers, sanitised when given", () => {
  const local: ServerTarget = { url: "nats://127.0.0.1:4222", source: "flag", detail: "", auth: {}, local: true };
  const shared: ServerTarget = { ...local, url: "nats://demo.nats.io:4222", local: false };
  assert.equal(namespaceFor({}, local), "");
  const ns = namespaceFor({}, shared);
  assert.match(ns, /^[a-z0-9-]+-[0-9a-f]{4}$/);
  assert.equal(namespaceFor({}, shared), ns, "stable");
  assert.equal(namespaceFor({ namespace: "Alice Smith!" }, local), "alice-smith");
  assert.equal(namespaceFor({ namespace: "" }, shared), "", "explicitly none");
  process.env.GOINGNATS_NAMESPACE = "Team.One";
  try {
    assert.equal(namespaceFor({}, shared), "team-one");
  } finally {
    delete process.env.GOINGNATS_NAMESPACE;
  }
  assert.throws(() => namespaceFor({ namespace: "!!!" }, local), (e: CliError) => e.exitCode === EXIT.usage);
  assert.equal(sanitizeNamespace("Ødegård_42"), "degard-42");
});

test("resolution with a URL does not probe anything (fast path)", async () => {
  process.env.GOINGNATS_LOCAL_URL = localhost.url;
  const r = await resolveTraced({ server: "nats://10.255.255.1:4222" });
  assert.equal(r.target?.source, "flag");
  // Every later step is skipped, not looked at: no probe of the background server or localhost.
  assert.deepEqual(
    r.steps.slice(1).map((s) => s.status),
    ["not found", "skipped", "skipped", "skipped", "skipped", "skipped"],
  );
});
