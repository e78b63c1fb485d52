// `goingnats check <exercise>`: run an exercise's checks against the server and explain the result.
import { writeFileSync } from "node:fs";
import { Option, type Command } from "commander";
import { CliError, EXIT } from "../exit-codes.js";
import type { ServerOptions } from "../../server/types.js";
import type { ExerciseRun, EngineEvent } from "../../check/engine.js";
import type { Exercise } from "../../curriculum/types.js";

interface CheckFlags {
  all?: boolean;
  workspace?: string;
  dir?: string;
  run?: string;
  json?: boolean;
  junit?: string;
  timeline?: boolean;
  timeLimit?: string;
  against?: "starter" | "solution";
}

export function register(program: Command): void {
  program
    .command("check")
    .description("check an exercise against the NATS server, live")
    .argument("[exercises...]", "exercise ids (see `goingnats list`)")
    .option("--all", "check every exercise (for graders)")
    .option("-w, --workspace <dir>", "the workspace `goingnats init` wrote")
    .option("-d, --dir <dir>", "the folder holding your program for this exercise")
    .option("--run <command>", "run this command as your program instead (any language: checks judge the wire)")
    .option("--json", "print results as JSON on stdout")
    .option("--junit <file>", "also write results as JUnit XML")
    .option("--timeline", "show every message the checker saw or sent")
    .option("--time-limit <duration>", "override the exercise's time limit (30s, 2m)")
    .addOption(new Option("--against <side>", "run the exercise's own starter or solution (instructors)").choices(["starter", "solution"]).hideHelp())
    .addHelpText(
      "after",
      `
Task exercises wait while you act in another terminal (the NATS CLI, your own code);
program exercises run your program and talk to it over NATS.

Examples:
  $ goingnats check hello-first-message
  $ goingnats check hello-echo --workspace ~/goingnats-workspace
  $ goingnats check hello-echo --run "python3 echo.py"
  $ goingnats check --all --json --junit results.xml

Exit codes: 0 all passed, 1 a check failed, 2 usage, 3 no usable server, 4 broken exercise files.`,
    )
    .action(async (ids: string[], flags: CheckFlags, cmd: Command) => {
      await runCheck(ids, flags, cmd.optsWithGlobals());
    });
}

async function runCheck(ids: string[], flags: CheckFlags, globals: ServerOptions): Promise<void> {
  const [{ loadCurriculum, formatProblem }, { parseDuration }] = await Promise.all([
    import("../../curriculum/load.js"),
    import("../../curriculum/yaml-fields.js"),
  ]);
  const curriculum = await loadCurriculum();
  const all = [...curriculum.exercises.values()];
  if (flags.all) ids = curriculum.lessons.flatMap((l) => l.exercises);
  if (ids.length === 0) throw new CliError("which exercise? Give its id, e.g. `goingnats check hello-first-message` (`goingnats list` shows them), or --all", EXIT.usage);
  const exercises: Exercise[] = ids.map((id) => {
    const ex = curriculum.exercises.get(id);
    if (ex) return ex;
    const broken = curriculum.problems.filter((p) => p.file.includes(`/exercises/${id}/`));
    if (broken.length) throw new CliError(`exercise "${id}" could not be loaded:\n${broken.map(formatProblem).join("\n")}`, EXIT.content);
    const near = all.filter((e) => e.id.includes(id) || id.includes(e.id)).map((e) => e.id);
    throw new CliError(`no exercise "${id}".${near.length ? ` Did you mean ${near.join(", ")}?` : ""} \`goingnats list\` shows them all.`, EXIT.usage);
  });
  if ((flags.dir || flags.run) && exercises.length > 1) throw new CliError("--dir and --run apply to one exercise at a time", EXIT.usage);
  let timeLimitMs: number | undefined;
  if (flags.timeLimit) {
    timeLimitMs = parseDuration(flags.timeLimit);
    if (timeLimitMs === undefined) throw new CliError(`--time-limit: "${flags.timeLimit}" is not a duration such as 30s, 2m or 500ms`, EXIT.usage);
  }

  const [{ openSession }, { runExercise }, text, machine, { findProgramDir }, progressStore, { CheckFileError }] = await Promise.all([
    import("../../server/session.js"),
    import("../../check/engine.js"),
    import("../../check/report-text.js"),
    import("../../check/report-machine.js"),
    import("../../check/program-dir.js"),
    import("../../progress/store.js"),
    import("../../check/load-checks.js"),
  ]);
  const { progress, warning } = progressStore.loadProgress();
  progressStore.warnOnce(warning);
  const err = (s: string) => process.stderr.write(s + "\n");
  const human = !flags.json;
  const out = human ? (s: string) => process.stdout.write(s + "\n") : err;

  const session = await openSession(globals, { name: "goingnats checker", announce: err });
  const runs: ExerciseRun[] = [];
  try {
    for (const ex of exercises) {
      let programDir = ex.dir;
      if (ex.kind === "program" || flags.against) {
        const found = findProgramDir(ex, { dir: flags.dir, workspace: flags.workspace, knownWorkspace: progress.workspace, against: flags.against });
        if (!found.found && !flags.run) {
          throw new CliError(
            `cannot find your ${ex.file} for "${ex.id}". Looked in:\n${found.tried.map((t) => `  ${t}`).join("\n")}\n` +
              "Run `goingnats init` to write a workspace, or pass --dir <folder>, or --run \"<command>\" to check a program in any language.",
            EXIT.usage,
          );
        }
        programDir = found.dir;
      }
      if (flags.run && !flags.dir && ex.kind === "program") programDir = process.cwd();
      out("");
      out(text.formatHeader({ exercise: ex.id, title: ex.title, kind: ex.kind, server: { url: session.target.url, version: session.server.version, detail: session.target.detail }, namespace: session.namespace }));
      const live = liveReporter(err, ex, session.prefix);
      let run: ExerciseRun;
      try {
        run = await runExercise({ session, exercise: ex, programDir, runCommand: flags.run, timeLimitMs, onEvent: live.event });
      } catch (e) {
        if (e instanceof CheckFileError) throw new CliError(e.message, EXIT.content);
        throw e;
      } finally {
        live.done();
      }
      runs.push(run);
      for (const r of run.results) out(text.formatResult(r, { timeline: flags.timeline, run }));
      out(text.formatSummary(run));
      if (run.status !== "skipped" && !flags.against) progressStore.recordRun(ex.id, run.status === "pass");
    }
  } finally {
    await session.close();
  }

  if (flags.json) process.stdout.write(machine.toJson(runs) + "\n");
  if (flags.junit) writeFileSync(flags.junit, machine.toJunit(runs));
  if (runs.some((r) => r.unsupported)) process.exitCode = EXIT.server;
  else if (runs.some((r) => r.status !== "pass")) process.exitCode = EXIT.checkFailed;
}

/** Live status while checks run: a spinner line on a terminal, plain lines otherwise. */
function liveReporter(err: (s: string) => void, ex: Exercise, prefix: string) {
  const tty = process.stderr.isTTY === true;
  const frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];
  let line = "";
  let frame = 0;
  const draw = () => {
    if (!tty || !line) return;
    const width = (process.stderr.columns || 80) - 4;
    process.stderr.write(`\r\x1b[2K${frames[frame++ % frames.length]} ${line.slice(0, width)}`);
  };
  const clear = () => tty && process.stderr.write("\r\x1b[2K");
  const timer = tty ? setInterval(draw, 80) : undefined;
  timer?.unref();
  return {
    event(e: EngineEvent) {
      if (e.type === "check-start") {
        line = e.name;
        draw();
      } else if (e.type === "progress") {
        line = e.text;
        draw();
      } else if (e.type === "waiting") {
        clear();
        const text = e.text.replaceAll("{{ns}}", prefix);
        err(`\n▶ ${text}\n  (waiting up to ${Math.round(ex.timeLimitMs / 1000)} s; Ctrl-C to stop)`);
        line = "waiting for you…";
        draw();
      } else if (e.type === "check-end") {
        clear();
        line = "";
      }
    },
    done() {
      if (timer) clearInterval(timer);
      clear();
    },
  };
}
