// Every exercise proves its checker: against a real nats-server, the checks FAIL on the starter (with
// the message the exercise promises) and PASS on the reference solution, alone and in a namespace
// (as on a shared workshop server). Task exercises run their steps script when the check is waiting.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { runExercise, type ExerciseRun } from "../src/check/engine.js";
import { programEnv } from "../src/check/context.js";
import { runProgram, type RunningProgram } from "../src/check/program-runner.js";
import { formatProblem, loadCurriculum } from "../src/curriculum/load.js";
import type { Exercise } from "../src/curriculum/types.js";
import { openSession, type Session } from "../src/server/session.js";
import { pathWithShims } from "./helpers/shims.js";
import { startTestServer } from "./helpers/test-server.js";

const home = mkdtempSync(join(tmpdir(), "goingnats-home-"));
process.env.GOINGNATS_HOME = home;
after(() => rmSync(home, { recursive: true, force: true }));

const curriculum = await loadCurriculum(undefined, { cache: false });
const server = await startTestServer();

test("the curriculum loads with no problems", () => {
  assert.deepEqual(curriculum.problems.map(formatProblem), []);
  assert.ok(curriculum.exercises.size > 0, "there are exercises");
});

async function check(ex: Exercise, side: "starter" | "solution", namespace = ""): Promise<ExerciseRun> {
  const session: Session = await openSession({ server: server.url, namespace }, { name: "goingnats checker" });
  const steps: RunningProgram[] = [];
  try {
    return await runExercise({
      session,
      exercise: ex,
      programDir: join(ex.dir, side),
      async onEvent(e) {
        // A task waits for the learner: here the starter or solution steps play the learner.
        if (e.type === "waiting" && ex.kind === "task") {
          steps.push(
            await runProgram({
              file: ex.file,
              cwd: join(ex.dir, side),
              env: { ...programEnv(session), PATH: pathWithShims(), GOINGNATS_HOME: home },
              label: `${side} steps`,
              timeLimitMs: ex.timeLimitMs,
            }),
          );
        }
      },
    });
  } finally {
    await Promise.all(steps.map((s) => s.stop()));
    await session.close();
  }
}

function explain(run: ExerciseRun): string {
  return run.results
    .map((r) => [`${r.status}: ${r.name}`, r.expected && `  expected: ${r.expected}`, r.seen && `  seen: ${r.seen}`, r.message && `  message: ${r.message}`, ...r.programs.map((p) => `  ${p.label}: ${p.tail.slice(-600)}`)].filter(Boolean).join("\n"))
    .join("\n");
}

function failureText(run: ExerciseRun): string {
  return run.results.map((r) => [r.expected, r.seen, r.idea, r.hint, r.message].join("\n")).join("\n");
}

for (const ex of curriculum.exercises.values()) {
  describe(`exercise ${ex.id} (${ex.kind})`, () => {
    test("fails on the starter, with the message it promises", async () => {
      const run = await check(ex, "starter");
      assert.equal(run.status, "fail", explain(run));
      const failed = run.results.find((r) => r.status === "fail")!;
      assert.ok(failed.expected && failed.seen && failed.idea && failed.hint, `a failure says expected, seen, idea and hint:\n${explain(run)}`);
      assert.ok(failureText(run).includes(ex.starterFailsWith), `failure should mention ${JSON.stringify(ex.starterFailsWith)}:\n${explain(run)}`);
    });

    test("passes on the reference solution", async () => {
      const run = await check(ex, "solution");
      assert.equal(run.status, "pass", explain(run));
    });

    test("passes on the reference solution in a namespace (shared server)", async () => {
      const run = await check(ex, "solution", "learner7");
      assert.equal(run.status, "pass", explain(run));
    });
  });
}
