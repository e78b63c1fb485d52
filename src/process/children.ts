// Every process goingnats starts is registered here, so that exit, Ctrl-C, SIGTERM and SIGHUP stop
// them all: learner programs (whole process groups) and managed nats-servers. No orphans, ever.
import type { ChildProcess } from "node:child_process";
import { closeSync, openSync } from "node:fs";

interface Tracked {
  child: ChildProcess;
  /** Kill the whole process group (spawned with detached: true), not just the direct child. */
  group: boolean;
}

const tracked = new Set<Tracked>();
let installed = false;
const beforeExit: Array<() => void> = [];

export function track(child: ChildProcess, opts: { group: boolean }): () => void {
  installHandlers();
  const entry: Tracked = { child, group: opts.group };
  tracked.add(entry);
  const forget = () => tracked.delete(entry);
  child.once("exit", forget);
  return forget;
}

/** Runs synchronously before goingnats exits on a signal (e.g. restore the terminal). */
export function onSignalExit(fn: () => void): void {
  installHandlers();
  beforeExit.push(fn);
}

export function signalTree(child: ChildProcess, group: boolean, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (group && process.platform !== "win32") process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // Already gone.
  }
}

/** Synchronous: safe inside process.on("exit"). Only SIGKILL forgets them: after SIGTERM, the exit handler still makes sure. */
export function killAll(signal: NodeJS.Signals = "SIGKILL"): void {
  for (const t of tracked) signalTree(t.child, t.group, signal);
  if (signal === "SIGKILL") tracked.clear();
}

export function trackedCount(): number {
  return tracked.size;
}

function installHandlers(): void {
  if (installed) return;
  installed = true;
  process.on("exit", () => killAll("SIGKILL"));
  const codes: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const sig of Object.keys(codes) as NodeJS.Signals[]) {
    process.on(sig, () => {
      for (const fn of beforeExit.splice(0)) {
        try {
          fn();
        } catch {
          // Keep going: the children must still be stopped.
        }
      }
      killAll("SIGTERM");
      // Give them a moment to go quietly, then exit at once: waiting on the event loop would let
      // the interrupted work finish and overwrite the exit code. The exit handler SIGKILLs the rest.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 150);
      if (sig === "SIGHUP") detachFromTerminal();
      process.exit(codes[sig]);
    });
  }
}

/**
 * After a hang-up the terminal is gone. Node resets the terminal's modes on exit and aborts with a
 * native assertion when that fails on a closed terminal (EIO). Pointing stdin, stdout and stderr at
 * /dev/null first makes Node skip that reset; the terminal was already restored by the exit hooks.
 */
export function detachFromTerminal(): void {
  for (const fd of [0, 1, 2]) {
    try {
      closeSync(fd);
      // open() takes the lowest free descriptor: the one just closed.
      openSync("/dev/null", fd === 0 ? "r" : "w");
    } catch {
      // Nothing better to do on the way out.
    }
  }
}
