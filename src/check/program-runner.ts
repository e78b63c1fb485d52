// Runs a learner program (or a task's reference steps) as its own process group, keeps the tail of
// its output, and stops the whole tree when it hangs, floods its output, or the check is over.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { basename, dirname, extname, join, resolve } from "node:path";
import { signalTree, track } from "../process/children.js";
import type { ProgramOutput } from "./types.js";

export interface RunProgramOptions {
  /** The file to run (.ts with tsx, .js/.mjs with node, .sh with bash), or... */
  file?: string;
  /** ...a shell command line (`--run "go run ."`), run in `cwd`. */
  command?: string;
  args?: string[];
  cwd: string;
  env: Record<string, string>;
  label: string;
  /** Stop it after this long ("time limit"). */
  timeLimitMs?: number;
  /** Stop it when it prints more than this many bytes ("output flood"). */
  maxOutputBytes?: number;
}

const TAIL_BYTES = 4000;

export interface RunningProgram {
  readonly label: string;
  readonly commandLine: string;
  readonly pid: number | undefined;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  /** Why goingnats stopped it, if it did. */
  stoppedBecause(): string | undefined;
  isRunning(): boolean;
  output(): string;
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<boolean>;
  stop(reason?: string): Promise<void>;
  report(): ProgramOutput;
}

/**
 * How a file is started. TypeScript needs no build step from the learner: esbuild strips the types
 * into node_modules/.cache/goingnats/ beside it (so its imports resolve as the learner's own would),
 * which starts about 0.3 s faster than a TypeScript loader and works on every Node version.
 */
export async function commandFor(file: string): Promise<{ cmd: string; args: string[] } | { compileError: string }> {
  switch (extname(file)) {
    case ".ts":
    case ".mts": {
      const out = join(dirname(file), "node_modules", ".cache", "goingnats", `${basename(file, extname(file))}.mjs`);
      const { build } = await import("esbuild");
      try {
        await build({ entryPoints: [file], outfile: out, bundle: true, packages: "external", format: "esm", platform: "node", target: "node20", sourcemap: "inline", logLevel: "silent" });
      } catch (err) {
        const errors = (err as { errors?: Array<{ text: string; location?: { file: string; line: number; column: number; lineText: string } }> }).errors ?? [];
        const text = errors.length
          ? errors.map((e) => (e.location ? `${e.location.file}:${e.location.line}:${e.location.column + 1}: ${e.text}\n    ${e.location.lineText}` : e.text)).join("\n")
          : (err as Error).message;
        return { compileError: text };
      }
      return { cmd: process.execPath, args: ["--enable-source-maps", out] };
    }
    case ".js":
    case ".mjs":
    case ".cjs":
      return { cmd: process.execPath, args: [file] };
    case ".sh":
      return { cmd: "bash", args: [file] };
    default:
      return { cmd: file, args: [] };
  }
}

export async function runProgram(opts: RunProgramOptions): Promise<RunningProgram> {
  let cmd: string;
  let args: string[];
  const commandLine = opts.command ?? [opts.file, ...(opts.args ?? [])].join(" ");
  if (opts.command) {
    cmd = process.platform === "win32" ? "cmd.exe" : "sh";
    // `sh -c CMD name args...`: the arguments reach CMD as "$@" (the first one would otherwise be $0).
    args = process.platform === "win32" ? ["/d", "/s", "/c", opts.command] : ["-c", `${opts.command} "$@"`, "goingnats-run"];
  } else {
    const file = resolve(opts.cwd, opts.file!);
    if (!existsSync(file)) return notStarted(opts.label, commandLine, `[goingnats] there is no ${file}`);
    const how = await commandFor(file);
    if ("compileError" in how) return notStarted(opts.label, commandLine, `[goingnats] ${opts.file} does not compile:\n${how.compileError}`);
    ({ cmd, args } = how);
  }
  args = [...args, ...(opts.args ?? [])];

  const child = spawn(cmd, args, {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env, FORCE_COLOR: "0" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so stopping it stops whatever it started too (go run, npm, sh -c ...).
    detached: process.platform !== "win32",
  });
  const forget = track(child, { group: true });

  let tail = "";
  let total = 0;
  let stopped: string | undefined;
  let running = true;
  const waiters = new Set<() => void>();
  const exited = new Promise<{ code: number | null; signal: string | null }>((res) => {
    child.once("exit", (code, signal) => {
      running = false;
      forget();
      clearTimeout(timer);
      for (const w of waiters) w();
      res({ code, signal });
    });
    child.once("error", (err) => {
      tail += `\n[goingnats] could not start ${cmd}: ${err.message}\n`;
      running = false;
      forget();
      clearTimeout(timer);
      for (const w of waiters) w();
      res({ code: 127, signal: null });
    });
  });

  const onData = (chunk: Buffer) => {
    total += chunk.length;
    tail = (tail + chunk.toString()).slice(-TAIL_BYTES);
    for (const w of waiters) w();
    if (opts.maxOutputBytes && total > opts.maxOutputBytes && !stopped) {
      void stop(`output flood: it printed more than ${Math.round(opts.maxOutputBytes / 1024)} KiB`);
    }
  };
  child.stdout!.on("data", onData);
  child.stderr!.on("data", onData);

  const timer = opts.timeLimitMs ? setTimeout(() => void stop(`time limit: still running after ${Math.round(opts.timeLimitMs! / 1000)} s`), opts.timeLimitMs) : undefined;
  timer?.unref();

  async function stop(reason = "check finished"): Promise<void> {
    if (!running) return;
    stopped ??= reason;
    signalTree(child, true, "SIGTERM");
    const hard = setTimeout(() => signalTree(child, true, "SIGKILL"), 1500);
    await exited;
    clearTimeout(hard);
    // The leader may exit on SIGTERM while something it started ignores it.
    signalTree(child, true, "SIGKILL");
  }

  return {
    label: opts.label,
    commandLine,
    pid: child.pid,
    exited,
    stoppedBecause: () => stopped,
    isRunning: () => running,
    output: () => tail,
    stop,
    waitForOutput(text, timeoutMs = 5000) {
      const has = () => (typeof text === "string" ? tail.includes(text) : text.test(tail));
      if (has()) return Promise.resolve(true);
      return new Promise((res) => {
        const done = (v: boolean) => {
          waiters.delete(check);
          clearTimeout(t);
          res(v);
        };
        const check = () => {
          if (has()) done(true);
          else if (!running) done(false);
        };
        const t = setTimeout(() => done(false), timeoutMs);
        waiters.add(check);
      });
    },
    report(): ProgramOutput {
      return {
        label: opts.label,
        command: commandLine,
        tail: tail.trimEnd(),
        exitCode: child.exitCode,
        signal: child.signalCode,
        stoppedBecause: stopped,
      };
    },
  };
}

/** A program that could not start (missing file, syntax error): it "exited" with code 1 at once. */
function notStarted(label: string, commandLine: string, tail: string): RunningProgram {
  const exited = Promise.resolve({ code: 1, signal: null });
  return {
    label,
    commandLine,
    pid: undefined,
    exited,
    stoppedBecause: () => undefined,
    isRunning: () => false,
    output: () => tail,
    waitForOutput: async (text) => (typeof text === "string" ? tail.includes(text) : text.test(tail)),
    stop: async () => {},
    report: () => ({ label, command: commandLine, tail, exitCode: 1, signal: null }),
  };
}
