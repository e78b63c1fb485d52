// Doing exercises in the TUI against a real nats-server: a program exercise that fails on the starter
// (expected / seen / idea / hint), hints, the timeline, watch mode passing after the file is saved with
// the solution, a manual re-run, the solution after a pass, and a task exercise passing live.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, beforeEach, describe, test } from "node:test";
import { loadCurriculum } from "../src/curriculum/load.js";
import { loadProgress, updateProgress } from "../src/progress/store.js";
import { openSession } from "../src/server/session.js";
import { trackedCount } from "../src/process/children.js";
import { startTestServer } from "./helpers/test-server.js";
import { drive, KEY, mainText, REPO, repoTemp, showsFile, useTempHome } from "./tui-helpers.js";

const server = await startTestServer();
useTempHome();
const curriculum = await loadCurriculum(REPO, { cache: false });
const session = await openSession({ server: server.url }, { name: "tui test" });
after(() => session.close());

const echo = curriculum.exercises.get("hello-echo")!;
const workspace = repoTemp("tui-ws-");
after(() => rmSync(workspace, { recursive: true, force: true }));
mkdirSync(join(workspace, "hello-echo"));
const learnerFile = join(workspace, "hello-echo", "main.ts");
copyFileSync(join(echo.dir, "starter", "main.ts"), learnerFile);
updateProgress((p) => {
  p.workspace = workspace;
});

describe("TUI checks", () => {
  // Each scenario starts reading lesson 1: the app would otherwise reopen the exercise the last one left open.
  beforeEach(() =>
    updateProgress((p) => {
      delete p.lastExercise;
    }),
  );

  test("program exercise: fail on the starter, hints, timeline, then watch mode passes after a save", async () => {
    const app = drive({ curriculum, session });
    try {
      await app.waitFor("JetStream on");
      await app.press(KEY.tab); // lesson → exercise: the lesson's first exercise
      await app.waitFor("Exercise · hello-first-message");
      await app.press("n");
      await app.waitFor("Exercise · hello-echo");
      await app.waitFor(showsFile(learnerFile));

      await app.press("s");
      await app.waitFor("The solution opens once your checks pass");

      await app.press("c");
      await app.waitFor("checking ·");
      const failed = await app.waitFor((f) => f.includes("program · ✗ failed") && !f.includes("checking ·"), 40_000);
      // The checks section is scrolled into view when a run starts.
      assert.ok(mainText(failed).includes(echo.starterFailsWith), `the failure says "${echo.starterFailsWith}":\n${failed}`);
      for (const label of ["expected", "seen"]) assert.match(failed, new RegExp(`\\b${label}\\s`), `failure shows ${label}`);
      assert.ok(failed.includes("✗ your program subscribes"), "the failed check is marked");
      assert.equal(loadProgress().progress.exercises["hello-echo"]?.status, "failed");
      await app.press("G");
      const bottom = await app.waitFor("checks did not pass");
      for (const label of ["idea", "hint"]) assert.match(bottom, new RegExp(`\\b${label}\\s`), `failure shows ${label}`);

      await app.press("h");
      await app.waitFor(`Hints (1 of ${echo.hints.length})`);
      assert.equal(loadProgress().progress.exercises["hello-echo"]?.hintsShown, 1);
      await app.press("h");
      await app.waitFor(`Hints (2 of ${echo.hints.length})`);

      await app.press("t");
      await app.waitFor("Timeline · hello-echo");
      await app.press(KEY.escape);
      await app.waitFor((f) => !f.includes("Timeline · hello-echo"));

      await app.press("w");
      await app.waitFor("checking ·"); // one run at once, before any save
      await app.waitFor("Watching main.ts: every save re-runs the checks");
      // Saving the solution must re-run the checks without a key.
      writeFileSync(learnerFile, readFileSync(join(echo.dir, "solution", "main.ts")));
      await app.waitFor("checking ·", 10_000);
      await app.waitFor(/(All \d+ checks|The check) passed/, 40_000);
      assert.equal(loadProgress().progress.exercises["hello-echo"]?.status, "passed");

      // The manual re-run key, for when file watching misses a save.
      await app.press("r");
      await app.waitFor("checking ·");
      await app.waitFor(/(All \d+ checks|The check) passed/, 40_000);

      await app.press("s");
      const sol = await app.waitFor("Solution · hello-echo");
      assert.ok(sol.includes("main.ts"), sol);
      await app.press(KEY.escape, "w");
      await app.waitFor("Watch mode off.");
    } finally {
      app.unmount();
    }
  });

  test("task exercise: the check waits live, and passes when the message is published", async () => {
    const app = drive({ curriculum, session });
    try {
      await app.waitFor("JetStream on");
      await app.press(KEY.tab);
      await app.waitFor("Exercise · hello-first-message");
      await app.press("c");
      await app.waitFor("▶ Publish a message to hello.world", 10_000);
      assert.match(app.frame(), /seen 0 of 1/);
      session.nc.publish("hello.world", "Hello, NATS!");
      await app.waitFor(/(All \d+ checks|The check) passed/, 10_000);
      assert.equal(loadProgress().progress.exercises["hello-first-message"]?.status, "passed");
    } finally {
      app.unmount();
    }
  });

  test("a workspace made in another terminal shows up without a key; the stale 'cannot find' goes; y copies the file's path", async () => {
    const empty = repoTemp("tui-ws-later-");
    const other = repoTemp("tui-ws-other-");
    updateProgress((p) => {
      p.workspace = empty;
    });
    const copied: string[] = [];
    const app = drive({ curriculum, session, clipboard: (t) => copied.push(t) });
    try {
      await app.waitFor("JetStream on");
      await app.press(KEY.tab, "n");
      await app.waitFor("Exercise · hello-echo");
      await app.press("c");
      await app.waitFor("Cannot find your main.ts");
      await app.press("y");
      await app.waitFor("No file yet");
      // Made by hand (or by an editor) in the known workspace.
      mkdirSync(join(empty, "hello-echo"));
      copyFileSync(join(echo.dir, "starter", "main.ts"), join(empty, "hello-echo", "main.ts"));
      const found = await app.waitFor(showsFile(join(empty, "hello-echo", "main.ts")), 6000);
      assert.ok(!found.includes("Cannot find your main.ts"), `the stale message is gone:\n${found}`);
      // y copies the path whole, however the pane wrapped it.
      await app.press("y");
      await app.waitFor("Copied the path of your main.ts");
      assert.deepEqual(copied, [join(empty, "hello-echo", "main.ts")]);

      // `goingnats init --dir other` in another terminal records a new workspace in the progress file.
      rmSync(join(empty, "hello-echo"), { recursive: true });
      await app.waitFor("not found", 6000).catch(() => {});
      mkdirSync(join(other, "hello-echo"));
      copyFileSync(join(echo.dir, "starter", "main.ts"), join(other, "hello-echo", "main.ts"));
      updateProgress((p) => {
        p.workspace = other;
      });
      await app.waitFor(showsFile(join(other, "hello-echo", "main.ts")), 6000);
    } finally {
      app.unmount();
      updateProgress((p) => {
        p.workspace = workspace;
      });
      rmSync(empty, { recursive: true, force: true });
      rmSync(other, { recursive: true, force: true });
    }
  });

  test("no learner program is left running", async () => {
    const deadline = Date.now() + 5000;
    // Only the test server itself stays tracked.
    while (trackedCount() > 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.equal(trackedCount(), 1);
  });
});
