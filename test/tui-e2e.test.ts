// The built app in a real terminal (tmux): first lesson, a live task check, resizing, quitting with
// q and with Ctrl-C. Afterwards the terminal is restored and nothing goingnats started is left.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { connect } from "@nats-io/transport-node";
import { repoRoot } from "./helpers/shims.js";
import { closedPort, startTestServer } from "./helpers/test-server.js";
import { TmuxSession, tmuxAvailable } from "./helpers/tmux.js";

const home = mkdtempSync(join(tmpdir(), "goingnats-e2e-"));
after(() => rmSync(home, { recursive: true, force: true }));
const server = await startTestServer();
const bin = join(repoRoot, "bin/goingnats.js");
if (!existsSync(join(repoRoot, "dist/cli.js"))) spawnSync(process.execPath, [join(repoRoot, "scripts/build.mjs")], { stdio: "inherit" });

function app(): TmuxSession {
  // CI=true makes ink draw nothing until exit: the app must see a plain interactive terminal.
  return new TmuxSession(`env -u CI "${process.execPath}" "${bin}" --server ${server.url}`, {
    width: 120,
    height: 36,
    env: { GOINGNATS_HOME: home, TERM: "xterm-256color" },
  });
}

/** goingnats processes still running for this test's server (the app, its children). */
function leftovers(): string[] {
  const r = spawnSync("pgrep", ["-af", server.url], { encoding: "utf8" });
  // The tmux server and the pane's shell carry the same words in their command lines: skip them.
  return r.stdout.split("\n").filter((l) => / (\/\S*\/)?(node|nats-server) /.test(l.replace(/^\d+/, "")) && !/tmux|sh -c/.test(l));
}

describe("the TUI in a real terminal", { skip: !tmuxAvailable() && "tmux is not installed (bash scripts/setup.sh --test installs it)" }, () => {
  test("read lesson 1, pass a task check live, resize, quit with q", async () => {
    const t = app();
    try {
      await t.waitFor(/Hello NATS[\s\S]*JetStream on/);
      assert.equal(t.alternateOn(), true, "full screen uses the alternate screen");
      t.send("n");
      await t.waitFor(/page 2\/10/);
      t.send("Enter");
      await t.waitFor(/Exercise · hello-first-message/);
      t.send("c");
      await t.waitFor(/seen 0 of 1/);
      // The learner acts from "another terminal".
      const nc = await connect({ servers: server.url });
      nc.publish("hello.world", "hi from e2e");
      await nc.flush();
      await nc.close();
      await t.waitFor(/✓ you publish a message to hello\.world[\s\S]*The check passed/);

      t.resize(70, 20);
      await t.waitFor((s) => s.split("\n").every((l) => l.length <= 70) && /hello-first-message|Hello NATS/.test(s));
      t.resize(50, 12);
      await t.waitFor(/too small \(50×12\)/i);
      // Shrinking again must not leave the previous message behind (tmux reflows the screen late).
      t.resize(40, 10);
      await t.waitFor((s) => /too small \(40×10\)/i.test(s) && !s.includes("50×12"));
      t.resize(120, 36);
      await t.waitFor(/Exercise · hello-first-message/);

      t.send("q");
      await t.waitFor(/\[exited 0\]/);
      assert.equal(t.alternateOn(), false, "alternate screen off again");
      assert.equal(t.cursorVisible(), true, "cursor visible again");
      assert.deepEqual(leftovers(), []);
    } finally {
      t.kill();
    }
  });

  test("Ctrl-C quits and restores the terminal", async () => {
    const t = app();
    try {
      await t.waitFor(/JetStream on/);
      t.send("C-c");
      await t.waitFor(/\[exited \d+\]/);
      assert.equal(t.alternateOn(), false);
      assert.equal(t.cursorVisible(), true);
      assert.deepEqual(leftovers(), []);
    } finally {
      t.kill();
    }
  });

  test("a managed server the TUI started is stopped when it quits (SIGTERM too)", async () => {
    const managedHome = mkdtempSync(join(tmpdir(), "goingnats-e2e-managed-"));
    const port = await closedPort();
    const t = new TmuxSession(`env -u CI -u NATS_URL -u NATS_CONTEXT "${process.execPath}" "${bin}"`, {
      width: 120,
      height: 36,
      env: { GOINGNATS_HOME: managedHome, GOINGNATS_LOCAL_URL: `nats://127.0.0.1:${port}`, XDG_CONFIG_HOME: managedHome, TERM: "xterm-256color" },
    });
    const servers = () => spawnSync("pgrep", ["-af", `nats-server.*${managedHome}`], { encoding: "utf8" }).stdout.split("\n").filter((l) => l && !/pgrep/.test(l));
    try {
      await t.waitFor(/managed[\s\S]*JetStream on/i);
      assert.equal(servers().length, 1, "one managed nats-server runs");
      assert.ok(t.screen().includes(`nats://127.0.0.1:${port}`), "it takes the default (local) port when that is free");

      // A second terminal: goingnats commands use the app's server (none of their own, no set-up).
      const env: NodeJS.ProcessEnv = { ...process.env, GOINGNATS_HOME: managedHome, GOINGNATS_LOCAL_URL: `nats://127.0.0.1:${port}`, XDG_CONFIG_HOME: managedHome, NO_COLOR: "1" };
      delete env.NATS_URL;
      delete env.CI;
      const pub = spawnSync(process.execPath, [bin, "pub", "greet", "hi"], { env, encoding: "utf8", timeout: 20_000 });
      assert.equal(pub.status, 0, pub.stderr);
      assert.match(pub.stderr, /server of the goingnats app in another terminal/);
      assert.equal(servers().length, 1, "still one server: pub started none");
      t.send("?");
      await t.waitFor(/Other terminals reach it with no set-up/);
      t.send("Escape");
      const app = spawnSync("pgrep", ["-f", `^${process.execPath} ${bin}`], { encoding: "utf8" }).stdout.trim().split("\n").filter(Boolean);
      for (const pid of app) process.kill(Number(pid), "SIGTERM");
      await t.waitFor(/\[exited 143\]/);
      assert.equal(t.alternateOn(), false);
      assert.deepEqual(servers(), [], "the managed server is gone");
    } finally {
      t.kill();
      rmSync(managedHome, { recursive: true, force: true });
    }
  });

  test("closing the terminal window (SIGHUP) stops the app and its managed server quietly", async () => {
    const managedHome = mkdtempSync(join(tmpdir(), "goingnats-e2e-hup-"));
    const port = await closedPort();
    const errFile = join(managedHome, "stderr.txt");
    const t = new TmuxSession(`env -u CI -u NATS_URL -u NATS_CONTEXT "${process.execPath}" "${bin}" 2>"${errFile}"`, {
      width: 120,
      height: 36,
      env: { GOINGNATS_HOME: managedHome, GOINGNATS_LOCAL_URL: `nats://127.0.0.1:${port}`, XDG_CONFIG_HOME: managedHome, TERM: "xterm-256color" },
    });
    const servers = () => spawnSync("pgrep", ["-af", `nats-server.*${managedHome}`], { encoding: "utf8" }).stdout.split("\n").filter((l) => l && !/pgrep/.test(l));
    const apps = () => spawnSync("pgrep", ["-af", `${bin}`], { encoding: "utf8" }).stdout.split("\n").filter((l) => l.includes(process.execPath) && !/tmux|sh -c|pgrep/.test(l));
    try {
      await t.waitFor(/managed[\s\S]*JetStream on/i);
      assert.equal(servers().length, 1, "one managed nats-server runs");
      // Killing the tmux server closes the pane's terminal: the app gets SIGHUP and its writes fail.
      t.kill();
      for (let i = 0; i < 100 && (apps().length || servers().length); i++) await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(apps(), [], "the app is gone");
      assert.deepEqual(servers(), [], "the managed server is gone");
      const err = readFileSync(errFile, "utf8");
      assert.doesNotMatch(err, /Assertion failed|stopped because of an error|write EIO/, `stderr after the hang-up:\n${err}`);
    } finally {
      t.kill();
      rmSync(managedHome, { recursive: true, force: true });
    }
  });

  test("NO_COLOR: the screen has no colour codes, and focus still shows (▶)", async () => {
    const t = new TmuxSession(`env -u CI "${process.execPath}" "${bin}" --server ${server.url}`, {
      width: 120,
      height: 36,
      env: { GOINGNATS_HOME: home, TERM: "xterm-256color", NO_COLOR: "1" },
    });
    try {
      await t.waitFor(/JetStream on/);
      const withEscapes = t.tmux(["capture-pane", "-p", "-e", "-t", t.name]);
      assert.doesNotMatch(withEscapes, /\x1b\[(?:[0-9;]*;)?(?:3[0-9]|4[0-9]|9[0-7]|10[0-7])(?:;|m)/, "no foreground or background colour");
      assert.match(withEscapes, /▶ (Lesson|Exercise)/); // the focused pane (resume may open an exercise)
      t.send("q");
      await t.waitFor(/\[exited 0\]/);
    } finally {
      t.kill();
    }
  });

  test("it resumes where the learner stopped", async () => {
    const t = app();
    try {
      await t.waitFor(/JetStream on/);
      // The previous test left lesson 1 open at page 2.
      await t.waitFor(/Hello NATS[\s\S]*page 2\/10|hello-first-message/);
      t.send("q");
      await t.waitFor(/\[exited 0\]/);
    } finally {
      t.kill();
    }
  });
});
