// The check engine against a real nats-server: passing, failing, crashing, hanging and flooding
// learner programs, task exercises, requirements, clean-up. No orphan processes afterwards.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runExercise, type EngineEvent } from "../src/check/engine.js";
import type { Check } from "../src/check/types.js";
import type { Exercise } from "../src/curriculum/types.js";
import { openSession, type Session } from "../src/server/session.js";
import { startTestServer } from "./helpers/test-server.js";

// Learner programs must resolve @nats-io/* from the repo's node_modules, so they live inside it.
const work = (() => {
  mkdirSync(join(import.meta.dirname, "..", ".tmp"), { recursive: true });
  return mkdtempSync(join(import.meta.dirname, "..", ".tmp", "engine-"));
})();
after(() => rmSync(work, { recursive: true, force: true }));

function program(name: string, code: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "main.ts"), code);
  return dir;
}

function exercise(over: Partial<Exercise> = {}): Exercise {
  return {
    id: "engine-test",
    title: "Engine test",
    lesson: "none",
    kind: "program",
    prompt: "",
    hints: ["h"],
    requires: { jetstream: false },
    timeLimitMs: 8000,
    file: "main.ts",
    starterFailsWith: "",
    dir: work,
    definitionFile: "",
    checkFile: "",
    ...over,
  };
}

const CONNECT = `import { connect } from "@nats-io/transport-node";\nconst nc = await connect({ servers: process.env.NATS_URL, name: "learner" });\n`;

const echoCheck: Check = {
  name: "answers requests on echo",
  idea: "Request-reply",
  async run(ctx) {
    await ctx.startProgram({ waitForSubscriptions: 1 });
    const r = await ctx.request(ctx.subject("echo"), "ping", { timeoutMs: 1500 });
    if (r.kind !== "reply") return ctx.fail({ expected: "a reply", seen: r.kind, hint: "answer with m.respond()" });
    if (r.message.text !== "ping") return ctx.fail({ expected: `"ping" back`, seen: JSON.stringify(r.message.text) });
    return `replied ${r.message.text}`;
  },
};

function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    // A container's init may not reap orphans: a zombie is dead for our purposes.
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
}

const server = await startTestServer();

describe("check engine", () => {
  let session: Session;
  before(async () => {
    session = await openSession({ server: server.url }, { name: "goingnats checker" });
  });
  after(async () => session?.close());

  test("a correct program passes, and is stopped afterwards", async () => {
    const dir = program("echo-ok", CONNECT + `for await (const m of nc.subscribe("echo")) m.respond(m.data);\n`);
    const run = await runExercise({ session, exercise: exercise(), programDir: dir, checks: [echoCheck] });
    assert.equal(run.status, "pass", JSON.stringify(run.results, null, 2));
    assert.equal(run.results[0].seen, "replied ping");
    assert.ok(run.results[0].timeline.some((e) => e.direction === "out" && e.subject === "echo"));
  });

  test("a failure carries expected, seen, idea and hint, and later checks are skipped", async () => {
    const dir = program("echo-wrong", CONNECT + `for await (const m of nc.subscribe("echo")) m.respond("pong");\n`);
    const second: Check = { name: "second", idea: "x", run: async () => {} };
    const run = await runExercise({ session, exercise: exercise(), programDir: dir, checks: [echoCheck, second] });
    assert.equal(run.status, "fail");
    const [r, s] = run.results;
    assert.equal(r.status, "fail");
    assert.equal(r.expected, `"ping" back`);
    assert.equal(r.seen, `"pong"`);
    assert.equal(r.idea, "Request-reply");
    assert.equal(s.status, "skipped");
  });

  test("a program that crashes fails the check at once, with its output tail", async () => {
    const dir = program("crash", `console.log("starting up");\nthrow new Error("boom: bad things");\n`);
    const t0 = Date.now();
    const run = await runExercise({ session, exercise: exercise(), programDir: dir, checks: [echoCheck] });
    const r = run.results[0];
    assert.equal(r.status, "fail");
    assert.match(r.seen!, /exit code 1/);
    assert.match(r.seen!, /its last error: .*boom: bad things/);
    assert.match(r.programs[0].tail, /boom: bad things/);
    assert.ok(Date.now() - t0 < 7000, "it did not wait for the time limit");
  });

  test("a program that hangs is stopped at the time limit, with no orphan left", async () => {
    const dir = program("hang", `import { spawn } from "node:child_process";\nconst c = spawn("sleep", ["60"], { stdio: "inherit" });\nconsole.log("child", c.pid);\nsetInterval(() => {}, 1000);\n`);
    const hangs: Check = {
      name: "never answers",
      idea: "Request-reply",
      async run(ctx) {
        const p = await ctx.startProgram();
        await p.waitForOutput("child");
        await new Promise(() => {}); // waits forever: only the time limit ends this
      },
    };
    const run = await runExercise({ session, exercise: exercise({ timeLimitMs: 2500 }), programDir: dir, checks: [hangs] });
    const r = run.results[0];
    assert.equal(r.status, "fail");
    assert.match(r.expected!, /time limit \(3 s\)|time limit \(2 s\)/);
    const grandchild = Number(/child (\d+)/.exec(r.programs[0].tail)?.[1]);
    assert.ok(grandchild > 0);
    assert.equal(alive(grandchild), false, "the program's own child was stopped too");
  });

  test("a program that floods its output is stopped and the flood is named", async () => {
    // A loop that yields (like a message handler printing per message): its output reaches the pipe.
    const dir = program("flood", `setInterval(() => { for (let i = 0; i < 2000; i++) console.log("spam spam spam spam spam spam spam"); }, 1);\n`);
    const waits: Check = {
      name: "waits",
      idea: "x",
      async run(ctx) {
        await ctx.startProgram();
        await ctx.sleep(20_000);
      },
    };
    const run = await runExercise({ session, exercise: exercise(), programDir: dir, checks: [waits] });
    const r = run.results[0];
    assert.equal(r.status, "fail");
    assert.match(r.seen!, /output flood/);
    assert.match(r.programs[0].tail, /spam/);
  });

  test("a task check tells the learner what to do and sees what they publish", async () => {
    const task: Check = {
      name: "publishes to hello.world",
      idea: "Publish-subscribe",
      async run(ctx) {
        const w = ctx.watch(ctx.subject("hello.>"));
        await ctx.flush();
        ctx.waiting("Publish a message to {{ns}}hello.world");
        const [m] = await w.waitFor(1);
        if (!m) ctx.fail({ expected: "a message", seen: "none" });
        return `${m.subject}: ${m.text}`;
      },
    };
    const events: EngineEvent[] = [];
    const run = await runExercise({
      session,
      exercise: exercise({ kind: "task" }),
      programDir: work,
      checks: [task],
      onEvent: (e) => {
        events.push(e);
        if (e.type === "waiting") session.nc.publish("hello.world", "hi");
      },
    });
    assert.equal(run.status, "pass");
    assert.equal(run.results[0].seen, "hello.world: hi");
    assert.ok(events.some((e) => e.type === "progress" && /seen 0 of 1 on hello\.>/.test(e.text)));
  });

  test("the server's view: which subjects and queue groups a program subscribed to", async () => {
    const dir = program("queue", CONNECT + `nc.subscribe("work.>", { queue: "workers" });\nnc.subscribe("plain");\nawait nc.flush();\nsetInterval(() => {}, 1000);\n`);
    const look: Check = {
      name: "sees subscriptions",
      idea: "Queue groups",
      async run(ctx) {
        const p = await ctx.startProgram({ waitForSubscriptions: 2 });
        const subs = (await p.connections()).flatMap((c) => c.subscriptions).map((s) => `${s.subject}/${s.queue ?? "-"}`).sort();
        return subs.join(",");
      },
    };
    const run = await runExercise({ session, exercise: exercise(), programDir: dir, checks: [look] });
    assert.equal(run.results[0].seen, "plain/-,work.>/workers");
  });

  test("an exercise the server cannot run is skipped with the reason", async () => {
    const run = await runExercise({ session, exercise: exercise({ requires: { jetstream: false, server: "9.0.0" } }), programDir: work, checks: [echoCheck] });
    assert.equal(run.status, "skipped");
    assert.match(run.unsupported!, /needs nats-server 9\.0\.0 or newer; this server is 2\./);
  });

  test("a watch on > neither counts nor shows the checker's own questions to the server", async () => {
    const watcher: Check = {
      name: "watches everything",
      idea: "Wildcards",
      async run(ctx) {
        const all = ctx.watch(">");
        await ctx.flush();
        await ctx.connections(); // $SYS.REQ.ACCOUNT.PING.CONNZ and its answer pass the watch
        ctx.nc.publish("learner.said", "hi");
        await all.waitFor(1, { timeoutMs: 1000 });
        await new Promise((r) => setTimeout(r, 100));
        if (all.messages.length !== 1) return ctx.fail({ expected: "1 message", seen: all.messages.map((m) => m.subject).join(", ") });
      },
    };
    const run = await runExercise({ session, exercise: exercise(), programDir: work, checks: [watcher] });
    assert.equal(run.status, "pass", run.results[0].message);
    const subjects = run.results[0].timeline.map((e) => e.subject);
    assert.ok(subjects.includes("learner.said"), "the learner's message is in the timeline");
    assert.ok(!subjects.some((x) => x.startsWith("$SYS.") || x.startsWith("_INBOX.")), `no checker lookups: ${subjects.join(", ")}`);
  });

  test("a run stopped while its program is starting leaves no program behind", async () => {
    const pidFile = join(work, "late-start.pid");
    const dir = program("late-start", `import { writeFileSync } from "node:fs";\nwriteFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nsetInterval(() => {}, 1000);\n`);
    const starts: Check = {
      name: "starts a program",
      idea: "x",
      async run(ctx) {
        await ctx.startProgram();
        await new Promise((r) => setTimeout(r, 10_000));
      },
    };
    for (const afterMs of [5, 30, 80]) {
      rmSync(pidFile, { force: true });
      const controller = new AbortController();
      setTimeout(() => controller.abort(), afterMs);
      await runExercise({ session, exercise: exercise(), programDir: dir, checks: [starts], signal: controller.signal });
      await new Promise((r) => setTimeout(r, 1500));
      let pid: number | undefined;
      try {
        pid = Number(readFileSync(pidFile, "utf8"));
      } catch {
        pid = undefined; // never got as far as running: fine
      }
      assert.ok(!alive(pid), `stopped after ${afterMs} ms: the program (pid ${pid}) must not outlive its run`);
    }
  });

  test("a leftover stream on the same subjects: the check fails saying which stream is in the way", async () => {
    const jsm = await (await import("@nats-io/jetstream")).jetstreamManager(session.nc);
    await jsm.streams.add({ name: "LEFTOVER", subjects: ["overlap.>"] });
    try {
      const makesStream: Check = {
        name: "makes its stream",
        idea: "Streams",
        async run(ctx) {
          await (await ctx.jsm()).streams.add({ name: "MINE", subjects: ["overlap.orders"] });
        },
      };
      const run = await runExercise({ session, exercise: exercise({ requires: { jetstream: true } }), programDir: work, checks: [makesStream] });
      const r = run.results[0];
      assert.equal(r.status, "fail", r.message);
      assert.match(r.seen!, /LEFTOVER already captures/);
      assert.match(r.hint!, /nats stream rm LEFTOVER/);
      assert.match(r.idea!, /one stream/);
    } finally {
      await jsm.streams.delete("LEFTOVER");
    }
  });

  test("a check that throws is an error, not a failure", async () => {
    const broken: Check = { name: "broken", idea: "x", run: async () => { throw new TypeError("oops"); } };
    const run = await runExercise({ session, exercise: exercise(), programDir: work, checks: [broken] });
    assert.equal(run.results[0].status, "error");
    assert.match(run.results[0].message!, /oops/);
  });
});

describe("clean-up", () => {
  test("subscriptions a check makes on ctx.nc end with the check", async () => {
    const session = await openSession({ server: server.url }, { name: "goingnats checker" });
    const responder: Check = {
      name: "plays a responder",
      idea: "x",
      async run(ctx) {
        ctx.nc.subscribe("played.by.check", { callback: (_e, m) => void m.respond("here") });
        await ctx.flush();
        const r = await ctx.request("played.by.check");
        if (r.kind !== "reply") return ctx.fail({ expected: "a reply", seen: r.kind });
      },
    };
    const run = await runExercise({ session, exercise: exercise(), programDir: work, checks: [responder] });
    assert.equal(run.status, "pass");
    await assert.rejects(session.nc.request("played.by.check", "", { timeout: 1000 }), /no responders|503/i);
    await session.close();
  });
});

test("subject matching follows NATS rules", async () => {
  const { subjectMatches } = await import("../src/check/context.js");
  const cases: Array<[string, string, boolean]> = [
    ["hello.*", "hello.world", true],
    ["hello.*", "hello.meetup.oslo", false],
    ["hello.>", "hello.meetup.oslo", true],
    ["hello.>", "hello", false],
    ["*.chatroom.>", "oslo.chatroom.ada", true],
    ["hello.world", "hello.World", false],
  ];
  for (const [p, s, want] of cases) assert.equal(subjectMatches(p, s), want, `${p} vs ${s}`);
});

test("--run: a command in any language is the program, and gets the check's arguments", async () => {
  const session = await openSession({ server: server.url }, { name: "goingnats checker" });
  const args: Check = {
    name: "passes arguments",
    idea: "x",
    async run(ctx) {
      const p = await ctx.startProgram({ args: ["first", "second"] });
      const ok = await p.waitForOutput("args: first second");
      if (!ok) return ctx.fail({ expected: "the arguments", seen: p.output() });
    },
  };
  const run = await runExercise({ session, exercise: exercise(), programDir: work, runCommand: "echo args:", checks: [args] });
  assert.equal(run.status, "pass", JSON.stringify(run.results[0]));
  await session.close();
});

test("mayExit: a program's exit is the check's to explain", async () => {
  const session = await openSession({ server: server.url }, { name: "goingnats checker" });
  const dir = program("exits", `console.error("Error: refused (10100)");\nprocess.exit(3);\n`);
  const explains: Check = {
    name: "explains the exit",
    idea: "x",
    async run(ctx) {
      const p = await ctx.startProgram({ mayExit: true });
      const { code } = await p.exited;
      return ctx.fail({ expected: "a second consumer", seen: `refused, exit ${code}` });
    },
  };
  const run = await runExercise({ session, exercise: exercise(), programDir: dir, checks: [explains] });
  assert.equal(run.results[0].seen, "refused, exit 3");
  await session.close();
});
