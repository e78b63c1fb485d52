// A crash inside the full-screen app: the learner gets a readable error after the terminal is
// restored (alternate screen off, cursor shown, line mode back), and goingnats exits 70.
import assert from "node:assert/strict";
import { PassThrough } from "node:stream";
import { after, test } from "node:test";
import { loadCurriculum } from "../src/curriculum/load.js";
import type { Curriculum } from "../src/curriculum/types.js";
import { LEAVE, SHOW_CURSOR } from "../src/tui/terminal.js";
import { runTui } from "../src/tui/run-tui.js";
import { startTestServer } from "./helpers/test-server.js";
import { REPO, useTempHome } from "./tui-helpers.js";

const server = await startTestServer();
useTempHome();
const real = await loadCurriculum(REPO, { cache: false });
after(() => {
  process.exitCode = 0;
});

/** Just enough of a terminal for ink: a TTY that records what is written and which mode it is in. */
function fakeTerminal() {
  const stdout = Object.assign(new PassThrough(), { isTTY: true, columns: 100, rows: 30 });
  let written = "";
  stdout.on("data", (d) => (written += d.toString()));
  const modes: boolean[] = [];
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode(on: boolean) {
      modes.push(on);
      return stdin;
    },
    ref: () => stdin,
    unref: () => stdin,
  });
  return { stdout, stdin, written: () => written, modes };
}

test("an error while drawing restores the terminal, then says what happened; exit code 70", async () => {
  // The first lesson's pages throw when the lesson pane reads them: a bug in drawing, not bad input.
  const lessons = real.lessons.map((l, i) => (i === 0 ? Object.defineProperty({ ...l }, "pages", { get: () => { throw new Error("boom: a bug while drawing"); } }) : l));
  const curriculum: Curriculum = { ...real, lessons };
  const t = fakeTerminal();
  const listeners = process.listenerCount("uncaughtException");
  const errors: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => (errors.push(String(chunk)), true)) as typeof process.stderr.write;
  try {
    await runTui({ server: { server: server.url }, curriculum, stdin: t.stdin as unknown as NodeJS.ReadStream, stdout: t.stdout as unknown as NodeJS.WriteStream });
  } finally {
    process.stderr.write = write;
  }
  const out = t.written();
  assert.ok(out.lastIndexOf(LEAVE) > out.indexOf("\x1b[?1049h"), "the alternate screen is left after it was entered");
  assert.ok(out.lastIndexOf(SHOW_CURSOR) > 0, "the cursor is shown again");
  assert.equal(t.modes.at(-1), false, "line mode is back");
  const err = errors.join("");
  assert.match(err, /the full-screen app stopped because of an error/);
  assert.match(err, /boom: a bug while drawing/);
  assert.match(err, /Your progress is saved/);
  assert.equal(process.exitCode, 70);
  assert.equal(process.listenerCount("uncaughtException"), listeners, "the crash handlers are removed");
});
