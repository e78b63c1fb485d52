// The window size, following resizes. A fixed size (tests, where ink-testing-library has no rows)
// wins over the stream's.
import { useEffect, useState } from "react";
import { useStdout } from "ink";

export interface Size {
  cols: number;
  rows: number;
}

/** After a resize settles: some terminals (tmux) reflow the screen late, so ink's line count can be off by one. */
const REPAINT_AFTER_MS = 120;

export function useTerminalSize(fixed?: Size): Size {
  const { stdout, write } = useStdout();
  const read = (): Size => fixed ?? { cols: stdout.columns || 80, rows: stdout.rows || 24 };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) {
      setSize((s) => (s.cols === fixed.cols && s.rows === fixed.rows ? s : fixed));
      return;
    }
    let repaint: NodeJS.Timeout | undefined;
    const onResize = () => {
      setSize((s) => {
        const n = read();
        return s.cols === n.cols && s.rows === n.rows ? s : n;
      });
      // ink's write() erases its frame, writes this (clear the screen) and draws the frame again:
      // a clean full repaint once the terminal has finished reflowing.
      clearTimeout(repaint);
      repaint = setTimeout(() => write("\x1b[H\x1b[2J"), REPAINT_AFTER_MS);
    };
    stdout.on("resize", onResize);
    return () => {
      clearTimeout(repaint);
      stdout.off("resize", onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, fixed?.cols, fixed?.rows]);
  return size;
}
