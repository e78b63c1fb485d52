// Screen-reader mode (--screen-reader or INK_SCREEN_READER=true): ink writes the screen as plain text
// in reading order, so the app shows one pane at a time, says statuses in words, and animates nothing.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { loadCurriculum } from "../src/curriculum/load.js";
import { openSession } from "../src/server/session.js";
import { startTestServer } from "./helpers/test-server.js";
import { drive, KEY, REPO, useTempHome } from "./tui-helpers.js";

// ink-testing-library has no options: ink reads this variable, as it does for learners.
process.env.INK_SCREEN_READER = "true";
const server = await startTestServer();
useTempHome();
const curriculum = await loadCurriculum(REPO, { cache: false });
const session = await openSession({ server: server.url }, { name: "tui test" });
after(() => session.close());
const [first] = curriculum.lessons;

describe("TUI for screen readers", () => {
  test("one pane at a time, titles as one sentence, statuses in words, no spinner", async () => {
    const app = drive({ curriculum, session, screenReader: true, size: { cols: 120, rows: 36 } });
    try {
      const lesson = await app.waitFor(`Lesson 1 · ${first.title} — page 1/`);
      assert.ok(!lesson.includes(first.exercises[1]), "the lesson list is not read out beside the lesson");
      assert.match(lesson, /JetStream on/);
      assert.doesNotMatch(lesson, /\bz (list|full width)/, "z does nothing here, so the status line does not offer it");

      // Tab: the exercise pane, alone; c starts a check whose progress is a word, not a spinner.
      await app.press(KEY.tab);
      await app.waitFor(`Exercise · ${first.exercises[0]}`);
      await app.press("c");
      const running = await app.waitFor("running");
      assert.doesNotMatch(running, /[\u2800-\u28ff]/, "no spinner characters");
      const waiting = await app.waitFor("Now: Publish a message");
      assert.match(waiting, /running: you publish a message/, "the check's state is a word");
      assert.doesNotMatch(waiting, /[✓✗▶]/, "no symbols for check states");
      await app.press("x");

      // Tab again: the lesson list, in words.
      await app.press(KEY.tab);
      const list = await app.waitFor(`lesson 1: ${first.title}`);
      assert.match(list, new RegExp(`exercise ${first.exercises[1]}`));
      assert.ok(!list.includes("✓ done  ✗ failed"), "no legend of symbols");
      assert.ok(!list.includes("What is NATS?"), "the lesson is not read out beside the list");
    } finally {
      app.unmount();
    }
  });
});
