// The TUI's reading side against the real lessons: the sidebar, opening lessons, paging, copying a
// code block, help, a window too small, and resuming where the learner stopped after a restart.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { loadCurriculum } from "../src/curriculum/load.js";
import { loadProgress } from "../src/progress/store.js";
import { openSession } from "../src/server/session.js";
import { osc52, tmuxPassthrough } from "../src/tui/clipboard.js";
import { findBlocks } from "../src/tui/lesson-layout.js";
import { sidebarItems } from "../src/tui/state.js";
import { startTestServer } from "./helpers/test-server.js";
import { drive, KEY, mainText, REPO, useTempHome } from "./tui-helpers.js";

const server = await startTestServer();
const noJetStream = await startTestServer({ jetstream: false });
useTempHome();
const curriculum = await loadCurriculum(REPO, { cache: false });
const session = await openSession({ server: server.url }, { name: "tui test" });
const plainSession = await openSession({ server: noJetStream.url }, { name: "tui test" });
after(() => Promise.all([session.close(), plainSession.close()]));

const [first, second] = curriculum.lessons;

/** Waits (up to 3 s) until the progress file says what `want` asks; the caller asserts it. */
async function saved(want: (p: ReturnType<typeof loadProgress>["progress"]) => boolean): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!want(loadProgress().progress) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
}

describe("TUI navigation", () => {
  test("first frame: lessons, lesson 1 and the server in the status line", async () => {
    const app = drive({ curriculum, session });
    try {
      const f = await app.waitFor("JetStream on");
      assert.match(f, /Lessons\s+0\/\d+ done · 0%/);
      assert.ok(f.includes(`Lesson 1 · ${first.title}`), f);
      assert.ok(f.includes(`${server.url} (--server flag)`) || f.includes(server.url), f);
      assert.ok(f.includes("nats-server 2.9") || /nats-server \d/.test(f), f);
      assert.ok(f.includes("? help") && f.includes("q quit"), "keys for the pane are shown");
      await app.waitFor(/rtt [\d.]+ ms/);
    } finally {
      app.unmount();
    }
  });

  test("sidebar: Tab, move down to lesson 2 and open it; n and p page through it", async () => {
    const app = drive({ curriculum, session });
    try {
      await app.waitFor(`Lesson 1 · ${first.title}`);
      await app.press(KEY.shiftTab); // lesson → sidebar
      await app.waitFor("↑↓ move · Enter open");
      // Cursor to lesson 2: past lesson 1's exercises.
      await app.press(...Array(first.exercises.length + 1).fill("j"), KEY.enter);
      await app.waitFor(`Lesson 2 · ${second.title}`);
      await app.waitFor(`page 1/${second.pages.length}`);
      await app.press("n");
      await app.waitFor(`page 2/${second.pages.length}`);
      await app.press("n", "p");
      await app.waitFor(`page 2/${second.pages.length}`);
      await app.press("p", "p"); // before page 1 of lesson 2 comes the last page of lesson 1
      await app.waitFor(`Lesson 1 · ${first.title}`);
      await app.waitFor(`page ${first.pages.length}/${first.pages.length}`);
    } finally {
      app.unmount();
    }
  });

  test("scrolling: j, PgDn and G move through a long page; g goes back to the top", async () => {
    const app = drive({ curriculum, session, size: { cols: 70, rows: 16 } });
    try {
      await app.waitFor("page 1/");
      const top = await app.waitFor(/page 1\/\d+ · \d+%/);
      const pct = (f: string) => Number(/page 1\/\d+ · (\d+)%/.exec(f)![1]);
      await app.press("G");
      await app.waitFor((f) => /· 100%/.test(f));
      await app.press("g");
      await app.waitFor((f) => /page 1\/\d+ · \d+%/.test(f) && pct(f) === pct(top));
      await app.press(KEY.pageDown);
      await app.waitFor((f) => /page 1\/\d+ · \d+%/.test(f) && pct(f) > pct(top));
    } finally {
      app.unmount();
    }
  });

  test("y copies the focused code block, as shown, through the clipboard writer", async () => {
    const copied: string[] = [];
    const app = drive({ curriculum, session, clipboard: (t) => copied.push(t) });
    try {
      // Find a page of lesson 1 with a code block and go there.
      const pageWithCode = first.pages.findIndex((p) => p.blocks.length > 0);
      assert.ok(pageWithCode >= 0, "lesson 1 has a code block");
      await app.waitFor(`Lesson 1 · ${first.title}`);
      for (let i = 0; i < pageWithCode; i++) await app.press("n");
      await app.waitFor(`page ${pageWithCode + 1}/`);
      await app.press("]", "y");
      await app.waitFor("Copied code block");
      assert.equal(copied.length, 1);
      const shown = first.pages[pageWithCode].blocks[0].shown.replace(/\{\{\s*ns\s*\}\}/g, "").replace(/\s+$/gm, "").trimEnd();
      assert.equal(copied[0], shown);
      assert.ok(app.frame().includes("┃ "), "the focused block is marked in the margin");
    } finally {
      app.unmount();
    }
  });

  test("y copies a snippet with its hidden set-up lines, so what is pasted runs", async () => {
    const root = mkdtempSync(join(tmpdir(), "goingnats-hidden-"));
    try {
      mkdirSync(join(root, "lessons"));
      const code = ["///import { connect } from \"@nats-io/transport-node\";", "///const nc = await connect();", "nc.publish(\"{{ns}}hello\", \"hi\");", "///await nc.close();"].join("\n");
      writeFileSync(join(root, "lessons", "01-hidden.md"), `---\nid: hidden\ntitle: Hidden lines\nminutes: 1\n---\n\nProse.\n\n\`\`\`ts\n${code}\n\`\`\`\n`);
      const lessons = await loadCurriculum(root, { cache: false });
      const copied: string[] = [];
      const app = drive({ curriculum: lessons, session, clipboard: (t) => copied.push(t) });
      try {
        const f = await app.waitFor("nc.publish");
        assert.ok(!f.includes("import { connect }"), "hidden lines are not shown");
        await app.press("y");
        await app.waitFor("with its set-up lines");
        assert.equal(copied[0], ['import { connect } from "@nats-io/transport-node";', "const nc = await connect();", 'nc.publish("hello", "hi");', "await nc.close();"].join("\n"));
      } finally {
        app.unmount();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("code wider than the pane is never wrapped: > and < shift it sideways, prose stays put", async () => {
    const root = mkdtempSync(join(tmpdir(), "goingnats-wide-"));
    try {
      mkdirSync(join(root, "lessons"));
      const long = "nats pub orders.created '{\"id\": 42, \"customer\": \"Ada\", \"items\": 3, \"total\": 99.5}' --count 10 END-OF-LINE";
      writeFileSync(join(root, "lessons", "01-wide.md"), `---\nid: wide\ntitle: Wide code\nminutes: 1\n---\n\nSome prose that stays where it is.\n\n\`\`\`sh\n${long}\n\`\`\`\n`);
      const wide = await loadCurriculum(root, { cache: false });
      const copied: string[] = [];
      const app = drive({ curriculum: wide, session, clipboard: (t) => copied.push(t) });
      try {
        await app.waitFor("> wide code");
        assert.ok(!app.frame().includes("END-OF-LINE"), "the end of the long line is off to the right");
        assert.match(app.frame(), /›/, "the cut is marked where the line goes on");
        assert.ok(app.frame().includes("</> sideways"), "the status line offers the keys");
        for (let i = 0; i < 10; i++) await app.press(">");
        const shifted = await app.waitFor((f) => f.includes("END-OF-LINE") && /< shifted \d+/.test(f));
        assert.match(shifted, /< shifted \d+/, "at the end only < is offered");
        assert.ok(!/›/.test(shifted), "nothing more to the right");
        assert.ok(shifted.includes("Some prose that stays where it is."), "prose is not shifted");
        for (let i = 0; i < 10; i++) await app.press("<");
        await app.waitFor((f) => f.includes("nats pub orders.created") && f.includes("> wide code"));
        // y still copies the whole line.
        await app.press("y");
        await app.waitFor("Copied code block");
        assert.equal(copied[0], long);
      } finally {
        app.unmount();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("OSC 52 sequence and tmux passthrough; code blocks are found in rendered lines", () => {
    assert.equal(osc52("nats pub a b"), `\x1b]52;c;${Buffer.from("nats pub a b").toString("base64")}\x07`);
    assert.equal(tmuxPassthrough("\x1b]52;c;eA==\x07"), "\x1bPtmux;\x1b\x1b]52;c;eA==\x07\x1b\\");
    const blocks = findBlocks(["text", "╭─ sh", "│ nats pub a  ", "│ nats sub b", "╰─", "• ╭─ ts", "  │ x()", "  ╰─"]);
    assert.deepEqual(blocks, [
      // width: the widest line, borders and the list marker included.
      { start: 1, end: 4, text: "nats pub a\nnats sub b", width: 14 },
      { start: 5, end: 7, text: "x()", width: 7 },
    ]);
  });

  test("on a server without JetStream, the lessons that need it are marked", async () => {
    const app = drive({ curriculum, session: plainSession, size: { cols: 100, rows: 90 } });
    try {
      // The marks follow the server facts, a frame after the status line learns them.
      const needsJs = curriculum.lessons.filter((l) => l.requires.jetstream);
      assert.ok(needsJs.length > 0, "some lesson needs JetStream");
      const marked = (fr: string, title: string) => fr.split("\n").some((l) => l.split("│")[0].includes(title.slice(0, 15)) && l.split("│")[0].includes("⊘"));
      const f = await app.waitFor((fr) => fr.includes("JetStream off") && marked(fr, needsJs[0].title));
      const lines = f.split("\n");
      for (const l of curriculum.lessons.slice(0, 12)) {
        const line = lines.find((x) => x.includes(` ${l.title.slice(0, 15)}`));
        assert.ok(line, `lesson ${l.title} is listed`);
        assert.equal(line.split("│")[0].includes("⊘"), l.requires.jetstream, `${l.title}: marked only when it needs JetStream`);
      }
      assert.ok(f.includes("⊘ not on this server"), "the legend explains the mark");

      // Checking such an exercise says why it cannot run, under the checks, once (not once per check).
      // The last task exercise that needs JetStream (a program one would first ask for its file).
      const items = sidebarItems(curriculum);
      const at = items.findLastIndex((i) => i.kind === "exercise" && curriculum.exercises.get(i.id)?.kind === "task" && curriculum.exercises.get(i.id)?.requires.jetstream);
      await app.press(KEY.shiftTab, "G", ...Array(items.length - 1 - at).fill("k"), KEY.enter);
      await app.waitFor(`Exercise · ${items[at].id}`);
      await app.press("c");
      const told = mainText(await app.waitFor("Use another server"));
      assert.equal(told.split("needs JetStream").length - 1, 2, `the banner on top and the verdict below:\n${told}`);
      // Help says how to get a server that can.
      await app.press("?");
      const help = mainText(await app.waitFor("Help · all keys"));
      assert.match(help, /JetStream is off on this server.*goingnats server start/, help);
    } finally {
      app.unmount();
    }
  });

  test("a managed server off the default port: the app says what other terminals paste, and ? says it again", async () => {
    const managed = { ...session, target: { ...session.target, source: "managed" as const, detail: "managed local server started by goingnats" } };
    const app = drive({ curriculum, session: managed });
    try {
      const f = await app.waitFor("Other terminals: export NATS_URL=");
      assert.ok(f.includes(session.target.url), f);
      await app.press("?");
      const help = await app.waitFor((fr) => fr.includes("Help · all keys") && fr.includes("goingnats commands there find it by themselves"));
      assert.ok(!help.includes("JetStream is off"), "a server with JetStream needs no advice");
    } finally {
      app.unmount();
    }
  });

  test("z hides the lessons list so the lesson takes the full width, and brings it back", async () => {
    const app = drive({ curriculum, session });
    try {
      const before = await app.waitFor(`Lesson 1 · ${first.title}`);
      assert.match(before, /Lessons\s+\d+\/\d+/);
      await app.press("z");
      const zoomed = await app.waitFor((f) => !/Lessons\s+\d+\/\d+/.test(f) && f.includes(`Lesson 1 · ${first.title}`));
      assert.ok(!zoomed.includes(curriculum.lessons[1].title.slice(0, 12)), "the list is not drawn");
      await app.press("z");
      await app.waitFor((f) => /Lessons\s+\d+\/\d+/.test(f) && f.includes("The lessons list is back"));
    } finally {
      app.unmount();
    }
  });

  test("? shows every key; Esc closes it", async () => {
    const app = drive({ curriculum, session });
    try {
      await app.waitFor(`Lesson 1 · ${first.title}`);
      await app.press("?");
      const f = await app.waitFor("Help · all keys");
      assert.ok(f.includes("Other terminals"), "help starts with how other terminals reach the server");
      // Page through it all: every key is there, and long lines wrap under their text rather than lose their end.
      let all = f;
      for (let i = 0; i < 4 && !all.includes("Overlays (this help"); i++) {
        const prev = app.frame();
        await app.press(" ");
        all += await app.waitFor((fr) => fr !== prev);
      }
      await app.press("G");
      all += await app.waitFor("Overlays (this help");
      for (const k of ["Tab / Shift-Tab", "quit", "copy the focused code block", "run the checks", "reveal the next hint", "watch mode"]) assert.ok(all.includes(k), `help lists ${k}`);
      assert.match(all, /│\s{20,}\S[^\n]*in tmux\)/, "a long line is wrapped under its text, not cut");
      await app.press(KEY.escape);
      await app.waitFor((fr) => !fr.includes("Help · all keys") && fr.includes(`Lesson 1 · ${first.title}`));
    } finally {
      app.unmount();
    }
  });

  test("a window below 60×16 says so instead of drawing the panes; growing it draws them again", async () => {
    const app = drive({ curriculum, session, size: { cols: 50, rows: 12 } });
    try {
      await app.waitFor("Window too small (50×12)");
      assert.ok(!app.frame().includes("Lessons"));
      app.rerender({ size: { cols: 100, rows: 30 } });
      await app.waitFor(`Lesson 1 · ${first.title}`);
      app.rerender({ size: { cols: 64, rows: 16 } });
      // Narrow: no sidebar beside the lesson, Tab brings it up in its place.
      await app.waitFor((f) => f.includes(`Lesson 1 · ${first.title}`) && !f.includes("Lessons "));
      await app.press(KEY.shiftTab);
      await app.waitFor((f) => f.includes("Lessons") && !f.includes(`▶ Lesson 1`));
    } finally {
      app.unmount();
    }
  });

  test("resume: quitting on lesson 2, page 2 and starting again opens lesson 2, page 2", async () => {
    const app = drive({ curriculum, session });
    await app.waitFor(`Lesson 1 · ${first.title}`);
    await app.press(KEY.shiftTab, ...Array(first.exercises.length + 1).fill("j"), KEY.enter);
    await app.waitFor(`Lesson 2 · ${second.title}`);
    await app.press("n");
    await app.waitFor(`page 2/${second.pages.length}`);
    await app.press("q");
    // q saves the place at once (no debounce) before the app exits.
    await saved((p) => p.lastPage?.[second.id] === 2);
    app.unmount();
    const p = loadProgress().progress;
    assert.equal(p.lastLesson, second.id);
    assert.equal(p.lastPage?.[second.id], 2);

    const again = drive({ curriculum, session });
    try {
      await again.waitFor(`Lesson 2 · ${second.title}`);
      await again.waitFor(`page 2/${second.pages.length}`);
    } finally {
      again.unmount();
    }
  });

  test("resume: quitting with an exercise open opens that exercise again; back on the lesson, the lesson", async () => {
    const [, exId] = second.exercises;
    const app = drive({ curriculum, session });
    await app.waitFor(`Lesson 2 · ${second.title}`);
    await app.press(KEY.tab, "n"); // the lesson's first exercise, then its second
    await app.waitFor(`Exercise · ${exId}`);
    await app.press("q");
    await saved((p) => p.lastExercise === exId);
    app.unmount();
    assert.equal(loadProgress().progress.lastExercise, exId);

    const again = drive({ curriculum, session });
    try {
      await again.waitFor(`Exercise · ${exId}`);
      assert.match(again.frame(), /c check/, "the exercise pane has the focus");
      await again.press(KEY.shiftTab); // back to reading the lesson
      await again.waitFor(`Lesson 2 · ${second.title}`);
      await again.press("q");
      await saved((p) => p.lastExercise === undefined);
    } finally {
      again.unmount();
    }
    assert.equal(loadProgress().progress.lastExercise, undefined);
    const third = drive({ curriculum, session });
    try {
      await third.waitFor(`Lesson 2 · ${second.title}`);
      assert.ok(!third.frame().includes("Exercise ·"), "reading again, no exercise open");
    } finally {
      third.unmount();
    }
  });
});
