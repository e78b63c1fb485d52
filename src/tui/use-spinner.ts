// A spinner frame that only ticks while something runs (no timer, no redraws when idle).
import { useEffect, useState } from "react";

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

export function useSpinner(active: boolean, everyMs = 100): string {
  const [i, setI] = useState(0);
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setI((n) => (n + 1) % FRAMES.length), everyMs);
    return () => clearInterval(t);
  }, [active, everyMs]);
  return FRAMES[i];
}
