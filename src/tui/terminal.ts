// The terminal around the TUI: alternate screen on at start; off again, cursor visible and line mode
// back on every way out (q, Ctrl-C, SIGTERM, SIGHUP, a crash). restore() is synchronous and
// idempotent, because a signal handler runs it right before the process exits.
import { onSignalExit } from "../process/children.js";

export const ENTER = "\x1b[?1049h\x1b[H\x1b[2J";
export const LEAVE = "\x1b[?1049l";
export const SHOW_CURSOR = "\x1b[?25h";

export interface TerminalGuard {
  /** Leave the alternate screen, show the cursor, turn raw mode off. Safe to call many times. */
  restore(): void;
}

export function enterTerminal(
  stdout: NodeJS.WriteStream,
  stdin: NodeJS.ReadStream,
  opts: { beforeRestore?: () => void } = {},
): TerminalGuard {
  let restored = false;
  const write = (s: string) => {
    try {
      stdout.write(s);
    } catch {
      // The terminal may be gone (SIGHUP): nothing left to restore.
    }
  };
  write(ENTER);

  // Some terminals reflow the screen on resize; ink then erases the wrong lines. Clearing when the
  // size really changes makes the next frame a clean full redraw.
  let size = `${stdout.columns}x${stdout.rows}`;
  const onResize = () => {
    const now = `${stdout.columns}x${stdout.rows}`;
    if (now === size) return;
    size = now;
    write("\x1b[H\x1b[2J");
  };
  stdout.on("resize", onResize);

  const guard: TerminalGuard = {
    restore() {
      if (restored) return;
      restored = true;
      stdout.off("resize", onResize);
      try {
        opts.beforeRestore?.();
      } catch {
        // Restoring the terminal matters more.
      }
      write(LEAVE + SHOW_CURSOR);
      try {
        if (stdin.isTTY) stdin.setRawMode(false);
      } catch {
        // Not a TTY any more.
      }
    },
  };
  // SIGINT/SIGTERM/SIGHUP: children.ts runs this synchronously, then stops every child and exits.
  onSignalExit(() => guard.restore());
  return guard;
}
