// Shared by the TUI scenario tests (test/tui-*.test.tsx): render the app with ink-testing-library,
// press keys, and wait for the frame that should follow. Frames arrive some milliseconds after a key,
// so every expectation polls with a deadline instead of sleeping.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { render } from "ink-testing-library";
import { App, type AppProps } from "../src/tui/app.js";

export const REPO = join(import.meta.dirname, "..");

/** A fresh progress folder for this test file (progress is read from GOINGNATS_HOME). */
export function useTempHome(): string {
  const home = mkdtempSync(join(tmpdir(), "goingnats-tui-"));
  process.env.GOINGNATS_HOME = home;
  return home;
}

/** Learner programs resolve @nats-io/* from the repository's node_modules, so their folders live inside it. */
export function repoTemp(prefix: string): string {
  mkdirSync(join(REPO, ".tmp"), { recursive: true });
  return mkdtempSync(join(REPO, ".tmp", prefix));
}

/** The main pane's text as one line: what comes after the sidebar's border, wrapped lines joined. */
export function mainText(frame: string): string {
  return frame
    .split("\n")
    .map((l) => (l.includes("│") ? l.slice(l.indexOf("│") + 1) : l).trim())
    .join(" ")
    .replace(/\s+/g, " ");
}

/** True when the exercise panel names `file` as the learner's file, however the pane wrapped the path. */
export const showsFile = (file: string) =>
  Object.assign((frame: string) => mainText(frame).replace(/\s+/g, "").includes(`Yourfile:${file.replace(/\s+/g, "")}`), {
    toString: () => `Your file: ${file}`, // what a timeout names
  });

export const KEY = {
  up: "\x1b[A",
  down: "\x1b[B",
  right: "\x1b[C",
  left: "\x1b[D",
  pageDown: "\x1b[6~",
  pageUp: "\x1b[5~",
  tab: "\t",
  shiftTab: "\x1b[Z",
  enter: "\r",
  escape: "\x1b",
  ctrlC: "\x03",
};

export interface Driven {
  frame(): string;
  press(...keys: string[]): Promise<void>;
  /** Wait until the frame matches; fails with the last frame when it does not within `ms`. */
  waitFor(what: string | RegExp | ((f: string) => boolean), ms?: number): Promise<string>;
  unmount(): void;
  rerender(props: Partial<AppProps>): void;
}

export function drive(props: AppProps): Driven {
  const r = render(<App size={{ cols: 100, rows: 30 }} {...props} />);
  let current = props;
  const frame = () => r.lastFrame() ?? "";
  const matches = (what: string | RegExp | ((f: string) => boolean), f: string) =>
    typeof what === "string" ? f.includes(what) : what instanceof RegExp ? what.test(f) : what(f);
  return {
    frame,
    async press(...keys) {
      for (const k of keys) {
        r.stdin.write(k);
        // Let ink parse each key on its own: an escape followed at once by more bytes reads as one sequence.
        await new Promise((res) => setTimeout(res, 15));
      }
    },
    async waitFor(what, ms = 5000) {
      const deadline = Date.now() + ms;
      for (;;) {
        const f = frame();
        if (matches(what, f)) return f;
        if (Date.now() > deadline) throw new Error(`frame never showed ${String(what)} within ${ms} ms; last frame:\n${f}`);
        await new Promise((res) => setTimeout(res, 20));
      }
    },
    unmount: () => r.unmount(),
    rerender(p) {
      current = { ...current, ...p };
      r.rerender(<App size={{ cols: 100, rows: 30 }} {...current} />);
    },
  };
}
