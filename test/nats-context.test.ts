// Reading NATS CLI contexts in the CLI's own file format (ADR-21).
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { CliError, EXIT } from "../src/cli/exit-codes.js";
import { listContexts, loadContext, natsConfigDir, selectedContextName } from "../src/server/nats-context.js";

const home = mkdtempSync(join(tmpdir(), "goingnats-ctx-"));
const savedXdg = process.env.XDG_CONFIG_HOME;
process.env.XDG_CONFIG_HOME = home;
after(() => {
  if (savedXdg === undefined) delete process.env.XDG_CONFIG_HOME;
  else process.env.XDG_CONFIG_HOME = savedXdg;
  rmSync(home, { recursive: true, force: true });
});

const dir = join(home, "nats");

test("no config folder: no contexts, none selected", () => {
  assert.equal(natsConfigDir(), dir);
  assert.deepEqual(listContexts(), []);
  assert.equal(selectedContextName(), undefined);
});

test("a context file with every field the CLI writes is read; paths with ~ are expanded", () => {
  mkdirSync(join(dir, "context"), { recursive: true });
  // Shaped like `nats context save` output: every key present, unused ones empty.
  const saved = {
    description: "workshop",
    url: "nats://demo.nats.io:4222",
    socks_proxy: "",
    token: "",
    user: "alice",
    password: "s3cret",
    creds: "~/keys/alice.creds",
    nkey: "",
    cert: "",
    key: "",
    ca: "/etc/ssl/ca.pem",
    nsc: "",
    jetstream_domain: "",
    jetstream_api_prefix: "",
    jetstream_event_prefix: "",
    inbox_prefix: "",
    user_jwt: "",
    color_scheme: "",
    tls_first: false,
  };
  writeFileSync(join(dir, "context", "workshop.json"), JSON.stringify(saved, null, "  "));
  writeFileSync(join(dir, "context", "empty.json"), "{}");
  writeFileSync(join(dir, "context.txt"), "workshop\n");

  assert.deepEqual(listContexts(), ["empty", "workshop"]);
  assert.equal(selectedContextName(), "workshop");
  const ctx = loadContext("workshop", "selected");
  assert.equal(ctx.url, "nats://demo.nats.io:4222");
  assert.equal(ctx.user, "alice");
  assert.equal(ctx.password, "s3cret");
  assert.equal(ctx.token, undefined, "empty strings mean unset");
  assert.equal(ctx.creds, join(homedir(), "keys/alice.creds"));
  assert.equal(ctx.ca, "/etc/ssl/ca.pem");
  assert.equal(loadContext("empty", "--context").url, "nats://localhost:4222", "the CLI's default URL");
});

test("a context given as a path to a JSON file is read directly", () => {
  const file = join(home, "elsewhere.json");
  writeFileSync(file, JSON.stringify({ url: "nats://10.0.0.1:4222" }));
  assert.equal(loadContext(file, "--context").url, "nats://10.0.0.1:4222");
});

test("a missing context lists the existing ones; broken JSON names the file", () => {
  assert.throws(
    () => loadContext("nope", "--context"),
    (e: CliError) => e.exitCode === EXIT.usage && /"nope" \(--context\) does not exist/.test(e.message) && /empty, workshop/.test(e.message),
  );
  writeFileSync(join(dir, "context", "broken.json"), "{ url: ");
  assert.throws(() => loadContext("broken", "--context"), (e: CliError) => e.exitCode === EXIT.usage && e.message.includes(join(dir, "context", "broken.json")));
});
