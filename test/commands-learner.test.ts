// The learner commands run as a process, against fixture content (test/fixtures/learner) and a
// temporary GOINGNATS_HOME: list, show, hint, solution, progress, reset, and the welcome screen.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import stringWidth from "string-width";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const FIXTURES = join(root, "test", "fixtures", "learner");
const BROKEN = join(root, "test", "fixtures", "learner-broken");
/** tsx as a URL: the commands run from a temp folder, where a bare "tsx" would not resolve. */
const TSX = import.meta.resolve("tsx");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], o: { home: string; content?: string; env?: Record<string, string> }): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, GOINGNATS_HOME: o.home, GOINGNATS_CONTENT: o.content ?? FIXTURES, NO_COLOR: "1", ...o.env };
  delete env.FORCE_COLOR; // any value of FORCE_COLOR (even "") turns colour on
  delete env.GOINGNATS_NAMESPACE;
  const r = spawnSync(process.execPath, ["--import", TSX, join(root, "src", "cli", "main.ts"), ...args], {
    cwd: o.home,
    encoding: "utf8",
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const home = () => mkdtempSync(join(tmpdir(), "goingnats-cmd-"));
const progressOf = (h: string) => JSON.parse(readFileSync(join(h, "state", "progress.json"), "utf8"));
function writeProgress(h: string, p: unknown): void {
  mkdirSync(join(h, "state"), { recursive: true });
  writeFileSync(join(h, "state", "progress.json"), JSON.stringify(p));
}

test("list: lessons in order, exercises with marks, requirement labels, the next step", () => {
  const h = home();
  writeProgress(h, { version: 1, exercises: { "fix-task": { status: "passed", attempts: 1, hintsShown: 0 }, "fix-program": { status: "failed", attempts: 2, hintsShown: 1 } } });
  const r = run(["list"], { home: h });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  assert.ok(r.stdout.indexOf("Basics") < r.stdout.indexOf("Streams"));
  assert.match(r.stdout, /1 of 3 exercises done \(33%\)/);
  assert.match(r.stdout, /✓ fix-task/);
  assert.match(r.stdout, /▸ fix-program .*next/);
  assert.match(r.stdout, /· fix-stream/);
  assert.match(r.stdout, /needs JetStream/);
  assert.match(r.stdout, /needs nats-server 2\.10\+/);
  assert.match(r.stdout, /~12 min/);
  assert.match(r.stdout, /\$ goingnats check fix-program/);
  assert.ok(!r.stdout.includes("\x1b"), "NO_COLOR: no escape codes");
});

test("list --json", () => {
  const r = run(["list", "--json"], { home: home() });
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.deepEqual(j.lessons.map((l: { id: string }) => l.id), ["basics", "streams"]);
  assert.deepEqual(j.lessons[1].labels, ["needs JetStream", "needs nats-server 2.10+"]);
  assert.equal(j.lessons[0].exercises[0].status, "not-started");
  assert.equal(j.next.exercise, "fix-task");
  assert.equal(j.total, 3);
});

test("list with a malformed lesson prints file:line and still lists the rest", () => {
  const r = run(["list"], { home: home(), content: BROKEN });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /02-bad\.md:\d+: /);
  assert.match(r.stdout, /A good lesson/);
  assert.match(r.stdout, /Another good lesson/);
});

test("list with no loadable content exits with the content code", () => {
  const empty = mkdtempSync(join(tmpdir(), "goingnats-empty-"));
  const r = run(["list"], { home: home(), content: empty });
  assert.equal(r.code, 4);
  assert.match(r.stderr, /no lessons found/);
  assert.ok(!r.stderr.includes("    at "), "no stack trace");
});

test("a corrupt progress file is kept aside with a warning, and the command still works", () => {
  const h = home();
  mkdirSync(join(h, "state"), { recursive: true });
  writeFileSync(join(h, "state", "progress.json"), "{ this is not json");
  const r = run(["list"], { home: h });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /warning: .*progress\.json\.corrupt-/);
  const kept = readdirSync(join(h, "state")).filter((f) => f.startsWith("progress.json.corrupt-"));
  assert.equal(kept.length, 1);
  assert.equal(readFileSync(join(h, "state", kept[0]), "utf8"), "{ this is not json");
  assert.match(r.stdout, /Basics/);
});

test("goingnats with no command: welcome, the list and what to do next", () => {
  const r = run([], { home: home() });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /learn NATS/);
  assert.match(r.stdout, /▸ fix-task/);
  assert.match(r.stdout, /\$ goingnats show basics\n\s+\$ goingnats check fix-task/);
  const bad = run(["lsit"], { home: home() });
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /unknown command "lsit"\. Did you mean list\?/);
});

test("show renders within the width, keeps code lines whole, and records the lesson", () => {
  const h = home();
  const r = run(["show", "basics", "--width", "50"], { home: h });
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  const command = '│ nats pub fixture.a.very.long.subject.name "a long message body that must never be wrapped because learners copy it" --count 1000';
  assert.ok(lines.includes(command), "the long command is one line, {{ns}} replaced");
  for (const l of lines) if (l !== command) assert.ok(stringWidth(l) <= 50, `too wide: ${l}`);
  assert.match(r.stdout, /page 2 of 2/);
  assert.match(r.stdout, /Second page/);
  assert.equal(progressOf(h).lastLesson, "basics");
  assert.equal(progressOf(h).lastPage.basics, 2);
});

test("show for a JetStream task says the check deletes and re-creates the exercise's streams; a core task does not", () => {
  const h = home();
  const js = run(["show", "js-stream-sensors", "--width", "100"], { home: h, content: root });
  assert.equal(js.code, 0, js.stderr);
  assert.match(js.stdout.replace(/\s+/g, " "), /clean slate: when the check starts, it deletes the streams and buckets/);
  const core = run(["show", "hello-first-message", "--width", "100"], { home: h, content: root });
  assert.doesNotMatch(core.stdout, /clean slate/);
});

test("show by number, one page, --raw, and an unknown lesson", () => {
  const h = home();
  const one = run(["show", "01", "2", "--width", "60"], { home: h });
  assert.equal(one.code, 0, one.stderr);
  assert.match(one.stdout, /Second page/);
  assert.ok(!one.stdout.includes("Basics of the fixture"));
  const page = run(["show", "1", "--page", "1", "--namespace", "Alice"], { home: h });
  assert.match(page.stdout, /alice\.fixture\.a\.very/);
  assert.ok(!page.stdout.includes("Second page"));
  const raw = run(["show", "basics", "--raw"], { home: h });
  assert.match(raw.stdout, /\| Subject \| Matches \| Why \|/);
  const nope = run(["show", "nope"], { home: h });
  assert.equal(nope.code, 2);
  assert.match(nope.stderr, /no lesson or exercise "nope"\. Lessons: 1 basics, 2 streams/);
  const badPage = run(["show", "basics", "9"], { home: h });
  assert.equal(badPage.code, 2);
  assert.match(badPage.stderr, /pages 1 to 2/);
});

test("show <exercise>: the prompt, kind, time limit and how to check it", () => {
  const r = run(["show", "fix-program", "--width", "70"], { home: home() });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /A fixture program/);
  assert.match(r.stdout, /program: edit a starter file · time limit 15 s/);
  assert.match(r.stdout, /publishes to `fixture\.program`/);
  assert.match(r.stdout, /│ goingnats check fix-program/);
  assert.match(r.stdout, /goingnats init/);
});

test("hint shows one more hint each time and says when all are shown", () => {
  const h = home();
  const first = run(["hint", "fix-task"], { home: h });
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stdout, /FIRST-HINT/);
  assert.ok(!first.stdout.includes("SECOND-HINT"));
  assert.match(first.stdout, /1 more/);
  const second = run(["hint", "fix-task"], { home: h });
  assert.match(second.stdout, /FIRST-HINT[\s\S]*SECOND-HINT/);
  assert.match(second.stdout, /last hint/);
  const third = run(["hint", "fix-task"], { home: h });
  assert.match(third.stdout, /SECOND-HINT[\s\S]*last hint/);
  assert.equal(progressOf(h).exercises["fix-task"].hintsShown, 2);
  const unknown = run(["hint", "fix-tsk"], { home: h });
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /no exercise "fix-tsk"/);
});

test("solution: refused before a pass (saying how many hints remain), shown with --force or after a pass", () => {
  const h = home();
  const refused = run(["solution", "fix-program"], { home: h });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /1 hint left: goingnats hint fix-program/);
  assert.match(refused.stderr, /--force/);
  assert.equal(refused.stdout, "");
  const forced = run(["solution", "fix-program", "--force"], { home: h });
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /Spoiler/);
  assert.match(forced.stdout, /SOLUTION-MARKER/);
  writeProgress(h, { version: 1, exercises: { "fix-program": { status: "passed", attempts: 1, hintsShown: 0 } } });
  const after = run(["solution", "fix-program"], { home: h });
  assert.equal(after.code, 0, after.stderr);
  assert.ok(!after.stdout.includes("Spoiler"));
  assert.match(after.stdout, /main\.ts[\s\S]*SOLUTION-MARKER/);
});

test("progress: per lesson passed, attempted and hints; --json", () => {
  const h = home();
  writeProgress(h, { version: 1, exercises: { "fix-task": { status: "passed", attempts: 3, hintsShown: 2 }, "fix-program": { status: "failed", attempts: 1, hintsShown: 1 } } });
  const r = run(["progress"], { home: h });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 of 3 exercises passed/);
  assert.match(r.stdout, /Basics\s+1\/2\s+2\s+4\s+3/);
  const j = JSON.parse(run(["progress", "--json"], { home: h }).stdout);
  assert.deepEqual(j.lessons[0], { number: 1, id: "basics", title: "Basics", passed: 1, attempted: 2, total: 2, attempts: 4, hints: 3 });
});

test("reset: one exercise; everything only with --yes; --workspace restores the starter and keeps a backup", () => {
  const h = home();
  writeProgress(h, { version: 1, exercises: { "fix-task": { status: "passed", attempts: 1, hintsShown: 0 }, "fix-program": { status: "failed", attempts: 1, hintsShown: 0 } } });
  const one = run(["reset", "fix-task"], { home: h });
  assert.equal(one.code, 0, one.stderr);
  assert.deepEqual(Object.keys(progressOf(h).exercises), ["fix-program"]);

  const refused = run(["reset"], { home: h });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--yes/);
  assert.deepEqual(Object.keys(progressOf(h).exercises), ["fix-program"], "nothing reset without --yes");

  const ws = join(h, "ws");
  mkdirSync(join(ws, "fix-program"), { recursive: true });
  writeFileSync(join(ws, "fix-program", "main.ts"), "// my work\n");
  const all = run(["reset", "--yes", "--workspace", ws], { home: h });
  assert.equal(all.code, 0, all.stderr);
  assert.deepEqual(progressOf(h).exercises, {});
  assert.ok(readdirSync(join(h, "state")).some((f) => f.startsWith("progress.json.bak-")), "old progress kept");
  assert.equal(readFileSync(join(ws, "fix-program", "main.ts"), "utf8"), readFileSync(join(FIXTURES, "exercises", "fix-program", "starter", "main.ts"), "utf8"));
  const backups = readdirSync(join(ws, "fix-program")).filter((f) => f.startsWith("main.ts.bak-"));
  assert.equal(backups.length, 1);
  assert.equal(readFileSync(join(ws, "fix-program", backups[0]), "utf8"), "// my work\n");
  assert.match(all.stdout, /your version is kept as .*main\.ts\.bak-/);
  assert.ok(existsSync(join(ws, "fix-task", "steps.sh")), "missing starter files are restored too");
});
