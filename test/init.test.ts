// `goingnats init`: a workspace whose programs import the NATS client with no install step, whose
// editor knows the types, and which never overwrites a learner's edited file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { closedPort } from "./helpers/test-server.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const FIXTURES = join(root, "test", "fixtures", "learner");
const TSX = import.meta.resolve("tsx");

function run(args: string[], home: string, cwd = home) {
  const env: NodeJS.ProcessEnv = { ...process.env, GOINGNATS_HOME: home, GOINGNATS_CONTENT: FIXTURES, NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, ["--import", TSX, join(root, "src", "cli", "main.ts"), ...args], { cwd, env, encoding: "utf8" });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// One workspace for the file: init copies ~4 MB of packages.
const home = mkdtempSync(join(tmpdir(), "goingnats-init-"));
const ws = join(home, "ws");
const first = run(["init", ws], home);

test("init writes a folder per exercise with starter files and READMEs, package.json and tsconfig.json", () => {
  assert.equal(first.code, 0, first.stderr);
  for (const f of ["fix-task/steps.sh", "fix-task/README.md", "fix-program/main.ts", "fix-stream/steps.sh", "README.md", "tsconfig.json", ".gitignore"]) {
    assert.ok(existsSync(join(ws, f)), `${f} exists`);
  }
  assert.match(readFileSync(join(ws, "fix-program", "README.md"), "utf8"), /publishes to `fixture\.program`[\s\S]*goingnats check fix-program/);
  assert.match(readFileSync(join(ws, "fix-stream", "README.md"), "utf8"), /clean slate/, "a JetStream task says its check deletes and re-creates");
  assert.doesNotMatch(readFileSync(join(ws, "fix-task", "README.md"), "utf8"), /clean slate/);
  const pkg = JSON.parse(readFileSync(join(ws, "package.json"), "utf8"));
  const own = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  assert.equal(pkg.type, "module");
  assert.equal(pkg.dependencies["@nats-io/transport-node"], own.dependencies["@nats-io/transport-node"]);
  assert.ok(!("tsx" in pkg.dependencies), "only the NATS packages");
  assert.match(first.stdout, /cd .*ws[\s\S]*goingnats check fix-task/);
  assert.doesNotMatch(first.stdout, /--workspace/, "no flag the learner does not need");
  const progress = JSON.parse(readFileSync(join(home, "state", "progress.json"), "utf8"));
  assert.equal(progress.workspace, ws);
});

test("node_modules holds the NATS client's whole dependency closure, with types", () => {
  const tn = JSON.parse(readFileSync(join(ws, "node_modules", "@nats-io", "transport-node", "package.json"), "utf8"));
  assert.ok(tn.types, "transport-node declares its types");
  assert.ok(existsSync(join(ws, "node_modules", "@nats-io", "transport-node", tn.types)));
  for (const name of ["@nats-io/nats-core", "@nats-io/nkeys", "@nats-io/nuid", "@nats-io/jetstream", "@nats-io/kv", "@nats-io/obj", "tweetnacl", "js-sha256"]) {
    assert.ok(existsSync(join(ws, "node_modules", name, "package.json")), `${name} copied`);
  }
});

test("a starter runs from the workspace: it fails to connect, not to import", async () => {
  const port = await closedPort();
  const r = spawnSync(process.execPath, ["--import", TSX, join("fix-program", "main.ts")], {
    cwd: ws,
    env: { ...process.env, NATS_URL: `nats://127.0.0.1:${port}` },
    encoding: "utf8",
  });
  assert.notEqual(r.status, 0);
  assert.doesNotMatch(r.stderr, /ERR_MODULE_NOT_FOUND|Cannot find (package|module)/);
  assert.match(r.stderr, /connection refused|ECONNREFUSED/i);
});

test("the workspace type-checks with its own tsconfig (the editor knows the types)", () => {
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  const r = spawnSync(process.execPath, [tsc, "-p", ws], { cwd: ws, encoding: "utf8" });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test("init refuses a non-empty folder without --force; with --force it keeps the learner's files", () => {
  const again = run(["init", ws], home);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /already exists and is not empty[\s\S]*--force/);

  writeFileSync(join(ws, "fix-program", "main.ts"), "// my edits\n");
  const forced = run(["init", ws, "--force"], home);
  assert.equal(forced.code, 0, forced.stderr);
  assert.equal(readFileSync(join(ws, "fix-program", "main.ts"), "utf8"), "// my edits\n");
  assert.match(forced.stdout, /kept your fix-program\/main\.ts/);
});

test("init with no directory writes ./goingnats-workspace", () => {
  const h = mkdtempSync(join(tmpdir(), "goingnats-init-default-"));
  const r = run(["init"], h);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(h, "goingnats-workspace", "fix-task", "steps.sh")));
  assert.match(r.stdout, /\$ cd goingnats-workspace/);
});
