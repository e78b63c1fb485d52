// Runs the code blocks of a lesson page the way a learner would: sh blocks in bash with `nats` and
// `goingnats` on PATH (both mapped to goingnats), ts blocks with tsx, against a real server.
// `bg` blocks keep running while the page's later blocks run; everything is stopped afterwards.
import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { connect } from "@nats-io/transport-node";
import { fetchConnections } from "../../src/check/connz.js";
import type { CodeBlock, LessonPage } from "../../src/curriculum/types.js";

export const REPO = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const TSX = import.meta.resolve("tsx");
const FOREGROUND_LIMIT_MS = 20_000;
const BACKGROUND_READY_MS = 20_000;
const BACKGROUND_EXPECT_MS = 10_000;

const SH = new Set(["sh", "bash", "shell", "console"]);
const TS = new Set(["ts", "typescript"]);

export function isRunnable(b: CodeBlock): boolean {
  return (SH.has(b.lang) || TS.has(b.lang)) && !b.attrs.norun;
}

/** Lesson placeholders as they are on a private local server: no namespace. */
export function substitute(code: string): string {
  return code.replace(/\{\{\s*ns\s*\}\}/g, "").replace(/\{\{\s*NS\s*\}\}/g, "");
}

export interface BlockRunner {
  runPage(page: LessonPage, file: string): Promise<void>;
  close(): Promise<void>;
}

/** One runner per server: shims, a scratch folder inside the repo (so @nats-io resolves), a watcher connection. */
export async function createBlockRunner(url: string, opts: { backgroundExpectMs?: number } = {}): Promise<BlockRunner> {
  const scratch = join(tmpdir(), `goingnats-blocks-${process.pid}-${Date.now()}`);
  const bin = join(scratch, "bin");
  const home = join(scratch, "home");
  mkdirSync(bin, { recursive: true });
  mkdirSync(home, { recursive: true });
  // ts blocks live inside the repository tree so `@nats-io/...` resolves from its node_modules.
  mkdirSync(join(REPO, ".tmp"), { recursive: true });
  const codeDir = mkdtempSync(join(REPO, ".tmp", "blocks-"));
  const shim = `#!/bin/sh\nexec "${process.execPath}" --import "${TSX}" "${join(REPO, "src", "cli", "main.ts")}" "$@"\n`;
  for (const name of ["goingnats", "nats"]) {
    writeFileSync(join(bin, name), shim);
    chmodSync(join(bin, name), 0o755);
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ""}`,
    NATS_URL: url,
    GOINGNATS_PREFIX: "",
    GOINGNATS_NAMESPACE: "",
    GOINGNATS_HOME: home,
    XDG_STATE_HOME: join(home, "state"),
    XDG_CONFIG_HOME: join(home, "config"),
    NO_COLOR: "1",
  };
  // A learner's NATS CLI context must not redirect the lesson away from the test server.
  delete env.NATS_CONTEXT;
  delete env.CI;

  const nc = await connect({ servers: url, name: "lesson-block-runner" });
  let counter = 0;

  const subscriptionCount = async (): Promise<number> =>
    (await fetchConnections(nc))
      .filter((c) => c.cid !== nc.info?.client_id)
      .flatMap((c) => c.subscriptions)
      .filter((s) => !s.subject.startsWith("_INBOX.")).length;

  const start = (block: CodeBlock): Running => {
    const code = substitute(block.code);
    let child: ChildProcess;
    if (TS.has(block.lang)) {
      const file = join(codeDir, `block-${++counter}-line${block.line}.ts`);
      writeFileSync(file, code.endsWith("\n") ? code : `${code}\n`);
      child = spawn(process.execPath, ["--import", TSX, file], { cwd: REPO, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    } else {
      child = spawn("bash", ["-euo", "pipefail", "-c", code], { cwd: home, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    }
    return new Running(child);
  };

  return {
    async runPage(page, file) {
      const where = (b: CodeBlock) => `${relative(REPO, file)}:${b.line}`;
      const background: Array<{ block: CodeBlock; run: Running }> = [];
      try {
        for (const block of page.blocks.filter(isRunnable)) {
          if (block.attrs.bg) {
            const before = await subscriptionCount();
            const run = start(block);
            background.push({ block, run });
            // The next block may publish: it must not run before this one's subscription exists.
            const until = Date.now() + BACKGROUND_READY_MS;
            while ((await subscriptionCount()) <= before) {
              if (!run.running) throw blockError(where(block), block, run, `exited (code ${run.code}) before it subscribed`);
              if (Date.now() > until) throw blockError(where(block), block, run, `no new subscription on the server within ${BACKGROUND_READY_MS / 1000} s`);
              await sleep(20);
            }
            continue;
          }
          const run = start(block);
          const finished = await run.exit(FOREGROUND_LIMIT_MS);
          if (!finished) {
            await run.kill();
            throw blockError(where(block), block, run, `did not finish within ${FOREGROUND_LIMIT_MS / 1000} s (a block must end by itself unless marked bg)`);
          }
          if (run.code !== 0) throw blockError(where(block), block, run, `exited with code ${run.code}${run.signal ? ` (signal ${run.signal})` : ""}`);
          checkExpect(where(block), block, run);
        }
        for (const { block, run } of background) {
          if (typeof block.attrs.expect === "string") {
            const ok = await run.waitForOutput(block.attrs.expect, opts.backgroundExpectMs ?? BACKGROUND_EXPECT_MS);
            if (!ok) throw blockError(where(block), block, run, `background block never printed ${JSON.stringify(block.attrs.expect)}`);
          }
        }
      } finally {
        await Promise.all(background.map(({ run }) => run.kill()));
      }
    },
    async close() {
      await nc.close();
      rmSync(codeDir, { recursive: true, force: true });
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

function checkExpect(where: string, block: CodeBlock, run: Running): void {
  const expect = block.attrs.expect;
  if (typeof expect === "string" && !run.output.includes(expect)) {
    throw blockError(where, block, run, `output does not contain ${JSON.stringify(expect)}`);
  }
}

function blockError(where: string, block: CodeBlock, run: Running, what: string): Error {
  const tail = run.output.split("\n").slice(-25).join("\n").trimEnd();
  const code = substitute(block.code)
    .split("\n")
    .map((l) => `    ${l}`)
    .join("\n");
  return new Error(`${where}: ${block.lang} block ${what}\n  code:\n${code}\n  output (tail):\n${tail ? tail.replace(/^/gm, "    ") : "    (none)"}`);
}

class Running {
  output = "";
  running = true;
  code: number | null = null;
  signal: string | null = null;
  private readonly exited: Promise<void>;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly child: ChildProcess) {
    const onData = (b: Buffer) => {
      this.output += b.toString();
      if (this.output.length > 256_000) this.output = this.output.slice(-128_000);
      for (const l of this.listeners) l();
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    this.exited = new Promise((resolve) => {
      child.once("close", (code, signal) => {
        this.running = false;
        this.code = code;
        this.signal = signal;
        for (const l of this.listeners) l();
        resolve();
      });
      child.once("error", (err) => {
        this.output += `\n(could not start: ${err.message})`;
        this.running = false;
        this.code = -1;
        resolve();
      });
    });
  }

  /** True when the process ended within `ms`. */
  async exit(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((r) => (timer = setTimeout(() => r(false), ms)));
    const done = await Promise.race([this.exited.then(() => true as const), timeout]);
    clearTimeout(timer);
    return done;
  }

  waitForOutput(text: string, ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.output.includes(text)) finish(true);
        else if (!this.running) finish(false);
      };
      const finish = (v: boolean) => {
        this.listeners.delete(check);
        clearTimeout(timer);
        resolve(v);
      };
      const timer = setTimeout(() => finish(this.output.includes(text)), ms);
      this.listeners.add(check);
      check();
    });
  }

  /** Stops the whole process group (bash and the goingnats it started, or node and tsx's children). */
  async kill(): Promise<void> {
    if (!this.running || !this.child.pid) return;
    const group = -this.child.pid;
    try {
      process.kill(group, "SIGTERM");
    } catch {
      return;
    }
    if (!(await this.exit(3000))) {
      try {
        process.kill(group, "SIGKILL");
      } catch {
        // Already gone.
      }
      await this.exit(3000);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
