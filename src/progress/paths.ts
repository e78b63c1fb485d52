// Where goingnats keeps its files. GOINGNATS_HOME overrides everything (tests, portable set-ups).
import { homedir } from "node:os";
import { join } from "node:path";

function base(kind: "state" | "data"): string {
  if (process.env.GOINGNATS_HOME) return join(process.env.GOINGNATS_HOME, kind);
  const home = homedir();
  if (process.platform === "win32") return join(process.env.LOCALAPPDATA ?? join(home, "AppData", "Local"), "goingnats", kind);
  if (process.platform === "darwin") return join(home, "Library", "Application Support", "goingnats", kind);
  const xdg = kind === "state" ? process.env.XDG_STATE_HOME : process.env.XDG_DATA_HOME;
  return join(xdg || join(home, ".local", kind === "state" ? "state" : "share"), "goingnats");
}

/** Progress, the background server's record: small files that say where the learner is. */
export function stateDir(): string {
  return base("state");
}

/** The managed server's JetStream store and logs. */
export function dataDir(): string {
  return base("data");
}
