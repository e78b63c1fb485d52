// The progress store: atomic writes, a format version, and corrupt files kept aside, never lost.
import { test, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadProgress, progressFile, recordHint, recordRun, saveProgress, updateProgress } from "../src/progress/store.js";

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "goingnats-progress-"));
  process.env.GOINGNATS_HOME = home;
});

const stateFiles = () => readdirSync(join(home, "state"));

test("a missing file is empty progress, without a warning", () => {
  const { progress, warning } = loadProgress();
  assert.deepEqual(progress, { version: 1, exercises: {} });
  assert.equal(warning, undefined);
});

test("save creates the folder, writes a versioned file and leaves no temp file", () => {
  saveProgress({ version: 1, exercises: { a: { status: "failed", attempts: 1, hintsShown: 0 } }, lastLesson: "l1" });
  assert.deepEqual(stateFiles(), ["progress.json"]);
  const data = JSON.parse(readFileSync(progressFile(), "utf8"));
  assert.equal(data.version, 1);
  assert.equal(loadProgress().progress.lastLesson, "l1");
});

test("updateProgress loads, mutates and saves", () => {
  updateProgress((p) => {
    p.workspace = "/tmp/ws";
  });
  assert.equal(loadProgress().progress.workspace, "/tmp/ws");
});

for (const [what, text, why] of [
  ["bad JSON", "{ not json", "not valid JSON"],
  ["the wrong shape", JSON.stringify({ version: 1, exercises: [] }), "not a map"],
  ["a future format version", JSON.stringify({ version: 7, exercises: {} }), "newer goingnats"],
  ["a malformed exercise entry", JSON.stringify({ version: 1, exercises: { x: { status: "weird" } } }), `"x"`],
] as const) {
  test(`a file with ${what} is moved aside with a warning, never deleted`, () => {
    mkdirSync(join(home, "state"), { recursive: true });
    writeFileSync(progressFile(), text);
    const { progress, warning } = loadProgress();
    assert.deepEqual(progress.exercises, {});
    assert.match(warning ?? "", new RegExp(why.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
    const kept = stateFiles().filter((f) => f.startsWith("progress.json.corrupt-"));
    assert.equal(kept.length, 1);
    assert.ok(warning?.includes(join(home, "state", kept[0])), "the warning says where the file was kept");
    assert.equal(readFileSync(join(home, "state", kept[0]), "utf8"), text);
  });
}

test("recordRun counts attempts, and a passed exercise stays passed", () => {
  recordRun("ex", false);
  let e = loadProgress().progress.exercises.ex;
  assert.equal(e.status, "failed");
  assert.equal(e.attempts, 1);
  assert.equal(e.firstPassedAt, undefined);
  recordRun("ex", true);
  e = loadProgress().progress.exercises.ex;
  const firstPassed = e.firstPassedAt;
  assert.equal(e.status, "passed");
  assert.ok(firstPassed);
  recordRun("ex", false);
  e = loadProgress().progress.exercises.ex;
  assert.equal(e.status, "passed");
  assert.equal(e.attempts, 3);
  assert.equal(e.firstPassedAt, firstPassed);
  assert.ok(e.lastRunAt);
});

test("recordHint returns the hints shown so far, capped at the number of hints", () => {
  assert.equal(recordHint("ex"), 1);
  assert.equal(recordHint("ex", 2), 2);
  assert.equal(recordHint("ex", 2), 2);
  const e = loadProgress().progress.exercises.ex;
  assert.equal(e.status, "started");
  assert.equal(e.attempts, 0);
});
