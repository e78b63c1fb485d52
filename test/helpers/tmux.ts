// Drives a program in a real terminal: tmux runs it, send-keys types, capture-pane reads the screen.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";

export function tmuxAvailable(): boolean {
  return spawnSync("tmux", ["-V"]).status === 0;
}

export class TmuxSession {
  readonly name = `gn-${randomBytes(4).toString("hex")}`;
  /** Its own tmux server, so a test never touches a developer's sessions. */
  private readonly socket = `goingnats-test-${this.name}`;

  constructor(command: string, opts: { width?: number; height?: number; env?: Record<string, string>; cwd?: string }) {
    const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${shellQuote(v)}`).join(" ");
    // `; sleep` keeps the pane (and what the program left on the screen) after the program exits.
    const line = `env ${env} ${command}; echo "[exited $?]"; sleep 600`;
    this.tmux(["new-session", "-d", "-s", this.name, "-x", String(opts.width ?? 120), "-y", String(opts.height ?? 40), ...(opts.cwd ? ["-c", opts.cwd] : []), line]);
  }

  tmux(args: string[]): string {
    return execFileSync("tmux", ["-L", this.socket, ...args], { encoding: "utf8" });
  }

  /** What is on the screen now (plain text). */
  screen(): string {
    return this.tmux(["capture-pane", "-p", "-t", this.name]);
  }

  /** Keys in tmux send-keys syntax, one at a time ("j", "Enter", "C-c", "q"). */
  send(...keys: string[]): void {
    for (const k of keys) this.tmux(["send-keys", "-t", this.name, k]);
  }

  resize(width: number, height: number): void {
    this.tmux(["resize-window", "-t", this.name, "-x", String(width), "-y", String(height)]);
  }

  /** Whether the program has the alternate screen on (full-screen apps switch it on). */
  alternateOn(): boolean {
    return this.tmux(["display-message", "-p", "-t", this.name, "#{alternate_on}"]).trim() === "1";
  }

  cursorVisible(): boolean {
    return this.tmux(["display-message", "-p", "-t", this.name, "#{cursor_flag}"]).trim() === "1";
  }

  /** Pid of the shell running in the pane (the program is its child). */
  panePid(): number {
    return Number(this.tmux(["display-message", "-p", "-t", this.name, "#{pane_pid}"]).trim());
  }

  async waitFor(test: RegExp | ((screen: string) => boolean), timeoutMs = 10_000): Promise<string> {
    const ok = typeof test === "function" ? test : (s: string) => test.test(s);
    const until = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < until) {
      last = this.screen();
      if (ok(last)) return last;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${test} on the screen:\n${last}`);
  }

  kill(): void {
    spawnSync("tmux", ["-L", this.socket, "kill-server"]);
  }
}

function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
