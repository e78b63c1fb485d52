// One chalk instance for everything goingnats prints. Colour is off with NO_COLOR, --no-color,
// or when stdout is not a terminal (FORCE_COLOR still wins, as everywhere).
import { Chalk, supportsColor } from "chalk";

function colorLevel(): 0 | 1 | 2 | 3 {
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== "0" && process.env.FORCE_COLOR !== "false") {
    return supportsColor ? supportsColor.level : 1;
  }
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== "") return 0;
  if (process.argv.includes("--no-color")) return 0;
  if (!process.stdout.isTTY) return 0;
  return supportsColor ? supportsColor.level : 0;
}

export const style = new Chalk({ level: colorLevel() });
export const colorEnabled = (): boolean => style.level > 0;
