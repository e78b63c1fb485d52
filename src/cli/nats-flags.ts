// Option parsers for the NATS-CLI-compatible commands (pub, sub, request, reply). They run while
// commander parses the command line, so they must stay tiny and import nothing heavy: every
// `goingnats --version` loads this file.
import { InvalidArgumentError } from "commander";

/** Repeatable options (`-H a:1 -H b:2`) collect into an array, like the NATS CLI's StringsVar. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function nonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError("expected a whole number (0 or more)");
  return Number(value);
}

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Go-style durations as the NATS CLI takes them ("5s", "500ms", "1m30s", "1.5s"), in milliseconds.
 * A bare number is read as seconds: Go would refuse it, but a learner typing `--timeout 2` means 2s.
 */
export function parseDuration(value: string): number {
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|μs|ms|s|m|h)/gy;
  let total = 0;
  let end = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    end = re.lastIndex;
  }
  if (end === 0 || end !== text.length) throw new InvalidArgumentError(`"${value}" is not a duration (examples: 5s, 500ms, 1m30s)`);
  return total;
}

/** Milliseconds back to the short form the NATS CLI prints ("5s", "300ms", "1.2s"). */
export function formatDuration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${Number(ms.toFixed(ms < 10 ? 2 : 0))}ms`;
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(3))}s`;
  const rest = ms % 60_000;
  return `${Math.floor(ms / 60_000)}m${rest ? formatDuration(rest) : ""}`;
}
