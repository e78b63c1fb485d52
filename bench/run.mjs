#!/usr/bin/env node
// goingnats start-up and check benchmarks, side by side with the targets from the foundation issue.
// Run with `npm run bench` (builds dist/ first). Prints a table; also writes bench/results/<time>.json.
// Nothing here is asserted: machines differ, and figures are for people to read. See bench/README.md.
//
//   node bench/run.mjs [--runs N] [--json]
import { spawn, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { performance } from "node:perf_hooks";

const root = new URL("..", import.meta.url).pathname;
const bin = join(root, "bin/goingnats.js");
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf("--runs") + 1]) || 20;
const asJson = args.includes("--json");
const keepEnv = args.includes("--keep-env");
const note = (s) => process.stderr.write(`${s}\n`);

if (!existsSync(join(root, "dist/cli.js"))) {
  console.error("dist/ is missing: run `npm run bench` (it builds first) or `npm run build`.");
  process.exit(2);
}

// Everything goingnats writes goes to a temp home; no NATS_URL or context may leak in from the shell.
const work = mkdtempSync(join(tmpdir(), "goingnats-bench-"));
const env = { ...process.env, GOINGNATS_HOME: join(work, "home"), NO_COLOR: "1" };
for (const k of ["NATS_URL", "NATS_CONTEXT", "GOINGNATS_NAMESPACE", "FORCE_COLOR"]) delete env[k];
// Loading extra CA certificates costs every node start ~65 ms (platform notes); learners rarely have
// it set, and it squeezes the ratios to `node -e 0`. Nothing measured here uses the network.
const droppedCa = !keepEnv && env.NODE_EXTRA_CA_CERTS !== undefined;
if (droppedCa) delete env.NODE_EXTRA_CA_CERTS;
process.env.GOINGNATS_HOME = env.GOINGNATS_HOME; // for the managed server imported below

// `nats` on PATH runs goingnats, so task solutions (`nats pub ...`) work without the NATS CLI and the
// figures do not depend on which NATS CLI a machine has.
const shimDir = join(work, "shim");
mkdirSync(shimDir);
writeFileSync(join(shimDir, "nats"), `#!/bin/sh\nexec "${process.execPath}" "${bin}" "$@"\n`);
chmodSync(join(shimDir, "nats"), 0o755);
env.PATH = `${shimDir}${delimiter}${env.PATH ?? ""}${delimiter}/usr/sbin${delimiter}/usr/local/sbin`;

/** Runs a command `runs` times after one warm-up; wall-clock ms from spawn to exit. */
function measure(cmd, argv, { runs = RUNS, extraEnv = {}, cwd = root } = {}) {
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const r = spawnSync(cmd, argv, { cwd, env: { ...env, ...extraEnv }, encoding: "utf8", timeout: 60_000 });
    const ms = performance.now() - t0;
    if (r.status !== 0) {
      return { error: `exit ${r.status ?? r.signal}: ${(r.stderr || r.stdout || "").trim().split("\n").slice(-3).join(" / ")}` };
    }
    if (i > 0) times.push(ms); // the first run warms the disk cache
  }
  return stats(times);
}

async function measureAsync(fn, runs) {
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const ms = await fn();
    if (i > 0) times.push(ms);
  }
  return stats(times);
}

/**
 * Milliseconds of a task check that are goingnats' own: from start until it prints that it waits
 * (its "▶" prompt), and from the end of the learner's action until it exits with a pass.
 */
async function measureTask(checkArgs, learner, learnerEnv, runs) {
  const overheads = [];
  const learnerTimes = [];
  for (let i = 0; i <= runs; i++) {
    const t0 = performance.now();
    const child = spawn(process.execPath, [bin, ...checkArgs], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let tWait;
    const waiting = new Promise((resolve) => {
      const onData = (d) => {
        out += d;
        if (tWait === undefined && /▶|waiting/.test(out)) {
          tWait = performance.now();
          resolve();
        }
      };
      child.stdout.on("data", onData);
      child.stderr.on("data", onData);
    });
    const exited = new Promise((resolve) => child.once("close", (code) => resolve(code)));
    const first = await Promise.race([waiting.then(() => "waiting"), exited.then(() => "exited"), sleep(20_000).then(() => "stuck")]);
    let learnerDone = tWait ?? performance.now();
    if (first === "waiting" && learner) {
      const l0 = performance.now();
      spawnSync(learner[0], learner[1], { cwd: root, env: { ...env, ...learnerEnv }, timeout: 30_000 });
      learnerDone = performance.now();
      if (i > 0) learnerTimes.push(learnerDone - l0);
    }
    if (first === "stuck") child.kill("SIGTERM");
    const code = await exited;
    const tEnd = performance.now();
    if (code !== 0) return { error: `exit ${code}: ${out.trim().split("\n").slice(-2).join(" / ")}` };
    if (i > 0) overheads.push((tWait ?? tEnd) - t0 + (tEnd - learnerDone));
  }
  return { ...stats(overheads), learnerMs: learnerTimes.length ? stats(learnerTimes).median : undefined };
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms).unref());
}

function stats(times) {
  const s = [...times].sort((a, b) => a - b);
  const at = (q) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
  return { median: at(0.5), p90: at(0.9), runs: s.length };
}

/** The first exercise of a kind, preferring the first lesson's (the ones the issue names). */
function exerciseOfKind(kind, preferred) {
  const dir = join(root, "exercises");
  if (!existsSync(dir)) return undefined;
  const ids = readdirSync(dir).filter((id) => existsSync(join(dir, id, "exercise.yaml"))).sort();
  const ofKind = ids.filter((id) => new RegExp(`^kind:\\s*${kind}\\s*$`, "m").test(readFileSync(join(dir, id, "exercise.yaml"), "utf8")));
  return ofKind.includes(preferred) ? preferred : ofKind[0];
}

const rows = [];
const row = (name, result, target) => rows.push({ name, ...result, target });

try {
  note(`goingnats bench: ${RUNS} runs per row (checks: fewer), node ${process.version}, ${cpus().length} CPUs, load ${loadavg()[0].toFixed(2)}`);
  if (droppedCa) note("NODE_EXTRA_CA_CERTS is unset for the measured commands (--keep-env keeps it)");

  const base = measure(process.execPath, ["-e", "0"]);
  row("node -e 0", base, { text: "baseline" });

  const version = measure(process.execPath, [bin, "--version"]);
  row("goingnats --version", version, { text: "≤ 2× node -e 0", ok: version.median !== undefined && version.median <= 2 * base.median, ratio: version.median / base.median });

  const list = measure(process.execPath, [bin, "list"]);
  row("goingnats list", list, { text: "≤ 3× node -e 0", ok: list.median !== undefined && list.median <= 3 * base.median, ratio: list.median / base.median });

  // The managed path itself (src/server/managed-server.ts through tsx): spawn to "Server is ready".
  const { tsImport } = await import("tsx/esm/api");
  const managed = await tsImport(join(root, "src/server/managed-server.ts"), import.meta.url);
  const ready = await measureAsync(async () => {
    const t0 = performance.now();
    const m = await managed.startManagedServer();
    const ms = performance.now() - t0;
    await m.stop();
    return ms;
  }, Math.min(RUNS, 10));
  row("managed server start → ready", ready, { text: "< 300 ms", ok: ready.median < 300 });

  // One server for the checks, started the same way.
  const server = await managed.startManagedServer();
  try {
    const checkRuns = Math.min(RUNS, 5);
    const task = exerciseOfKind("task", "hello-first-message");
    if (!task) row("task check end to end", { na: "n/a (no exercise yet)" }, { text: "< 500 ms beyond the learner's own time" });
    else {
      // A task check waits for the learner. Play the learner with the reference solution as soon as
      // the check says it is waiting, and count only goingnats' part: start until waiting, plus the
      // learner's last action until the verdict.
      const solution = join(root, "exercises", task, "solution");
      const script = existsSync(solution) ? readdirSync(solution).find((f) => f.endsWith(".sh")) : undefined;
      const learner = script ? ["bash", [join(solution, script)]] : undefined;
      const r = await measureTask(["check", task, "--server", server.url], learner, { NATS_URL: server.url }, checkRuns);
      row(`task check (${task})`, r, {
        text: `< 500 ms beyond the learner's own${r.learnerMs !== undefined ? ` (learner's part ${fmt(r.learnerMs)} ms excluded)` : ""}`,
        ok: r.median !== undefined && r.median < 500,
      });
    }
    const program = exerciseOfKind("program", "hello-echo");
    if (!program) row("program check end to end", { na: "n/a (no exercise yet)" }, { text: "< 1.5 s" });
    else {
      const r = measure(process.execPath, [bin, "check", program, "--against", "solution", "--server", server.url], { runs: checkRuns });
      row(`program check (${program})`, r, { text: "< 1500 ms", ok: r.median !== undefined && r.median < 1500 });
    }
  } finally {
    await server.stop();
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

function fmt(ms) {
  return ms === undefined || Number.isNaN(ms) ? "-" : ms < 10 ? ms.toFixed(1) : Math.round(ms).toString();
}

const header = ["", "median ms", "p90 ms", "runs", "target", ""];
const table = rows.map((r) => [
  r.name,
  r.na ?? (r.error ? "failed" : fmt(r.median)),
  r.na || r.error ? "" : fmt(r.p90),
  r.na || r.error ? "" : String(r.runs),
  r.target.text + (r.target.ratio ? ` (now ${r.target.ratio.toFixed(2)}×)` : ""),
  r.error ? r.error.slice(0, 120) : r.na || r.target.ok === undefined ? "" : r.target.ok ? "ok" : "MISSED",
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 || i >= 4 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();

const result = { date: new Date().toISOString(), node: process.version, cpus: cpus().length, rows };
if (asJson) console.log(JSON.stringify(result, null, 2));
else {
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const t of table) console.log(line(t));
}
mkdirSync(join(root, "bench/results"), { recursive: true });
writeFileSync(join(root, "bench/results", `${result.date.replace(/[:.]/g, "-")}.json`), JSON.stringify(result, null, 2) + "\n");
