// The window size, following resizes. A fixed size (tests, where ink-testing-library has no rows)
// wins over the stream's.
import { useEffect, useState } from "react";
import { useStdout } from "ink";

export interface Size {
  cols: number;
  rows: number;
}

export function useTerminalSize(fixed?: Size): Size {
  const { stdout } = useStdout();
  const read = (): Size => fixed ?? { cols: stdout.columns || 80, rows: stdout.rows || 24 };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) {
      setSize((s) => (s.cols === fixed.cols && s.rows === fixed.rows ? s : fixed));
      return;
    }
    const onResize = () => setSize((s) => {
      const n = read();
      return s.cols === n.cols && s.rows === n.rows ? s : n;
    });
    stdout.on("resize", onResize);
    return () => {
      stdout.off("resize", onResize);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [stdout, fixed?.cols, fixed?.rows]);
  return size;
}
