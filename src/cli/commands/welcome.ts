// `goingnats` with no command: in a terminal, the full-screen app (src/tui); otherwise (piped, CI,
// --plain) a short welcome, the lesson list with progress, and the next step with the exact command.
import type { Command } from "commander";
import { CliError, EXIT } from "../exit-codes.js";

export function register(program: Command): void {
  // With an action on the program itself, commander sends unknown commands here as arguments:
  // accept them so we can say "unknown command" instead of "too many arguments".
  program.allowExcessArguments(true);
  program.option("--plain", "print the welcome and lesson list instead of opening the full-screen app");
  program.option("--screen-reader", "full-screen app for screen readers: one pane at a time, words for marks, no animation (also INK_SCREEN_READER=true)");
  program.action(async (_opts: unknown, cmd: Command) => {
    if (cmd.args.length > 0) throw unknownCommand(program, cmd.args[0]);
    const opts = cmd.optsWithGlobals<{ plain?: boolean; screenReader?: boolean } & import("../../server/types.js").ServerOptions>();
    if (!opts.plain && canDrawTui()) {
      // Loaded only here: `goingnats --version` and the plain welcome never load ink or react.
      const { runTui } = await import("../../tui/run-tui.js");
      await runTui({ server: opts, screenReader: opts.screenReader });
      return;
    }
    const { loadContent, readProgress } = await import("../../render/content.js");
    const { renderLessonList, renderNextStep } = await import("../../render/lesson-list.js");
    const { nextStep } = await import("../../progress/status.js");
    const { palette } = await import("../../render/palette.js");
    const pal = palette();
    const c = await loadContent();
    const p = readProgress();
    const next = nextStep(c, p);
    const fresh = Object.keys(p.exercises).length === 0;
    const lines = [
      pal.heading("goingnats") + pal.dim(" — learn NATS in your terminal"),
      "",
      fresh
        ? "Short lessons, then live exercises against a real NATS server. Each result is checked on the wire."
        : "Welcome back.",
      pal.dim("goingnats finds a server for you (or starts one); `goingnats doctor` shows which."),
      "",
      ...renderLessonList(c, p, pal),
      "",
      ...renderNextStep(c, next, pal),
      "",
      pal.dim("More: goingnats --help · hint <exercise> · progress · reset <exercise>"),
    ];
    process.stdout.write(lines.join("\n") + "\n");
  });
}

/** Both ends must be a terminal that can go raw; ink draws nothing until exit in CI, so CI gets the plain output. */
function canDrawTui(): boolean {
  // isTTY is undefined (not false) for stdin from /dev/null: only a real TTY says true. ink's
  // isRawModeSupported is exactly this isTTY; setRawMode must exist to read single keys.
  if (process.stdout.isTTY !== true || process.stdin.isTTY !== true || typeof process.stdin.setRawMode !== "function") return false;
  // The same test as ink's is-in-ci.
  const inCi = (key: string) => key in process.env && process.env[key] !== "0" && process.env[key] !== "false";
  return !(inCi("CI") || inCi("CONTINUOUS_INTEGRATION"));
}

function unknownCommand(program: Command, name: string): CliError {
  const names = program.commands.map((c) => c.name());
  const best = Math.min(...names.map((n) => distance(n, name)));
  const close = best <= 2 ? names.filter((n) => distance(n, name) === best) : [];
  return new CliError(
    `unknown command "${name}".${close.length ? ` Did you mean ${close.join(" or ")}?` : ""}\nCommands: ${names.join(", ")} (goingnats --help)`,
    EXIT.usage,
  );
}

/** Edit distance counting a swap of two neighbours as one edit ("lsit" is one away from "list"). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}
