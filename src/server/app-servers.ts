// Managed servers other terminals can find. The goingnats app starts a managed server when it finds
// none; while it runs, the learner's second terminal (`goingnats pub`, `goingnats check`, doctor,
// their own programs) must reach that same server, not start or miss one. Each managed server leaves
// a small record, stateDir()/servers/<server pid>.json, removed when it stops; a record whose server
// or goingnats process is gone is stale and cleaned by whoever reads it.
import { mkdirSync, readdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { stateDir } from "../progress/paths.js";
import { isNatsServerPid, pidAlive } from "./managed-server.js";

export interface AppServerRecord {
  /** The nats-server's pid. */
  pid: number;
  /** The goingnats process that started it (and stops it when it exits). */
  ownerPid: number;
  url: string;
  port: number;
  storeDir: string;
  /** ISO time. */
  startedAt: string;
  /** "goingnats" for the app, or the command, e.g. "goingnats check hello". */
  command: string;
}

function dir(): string {
  return join(stateDir(), "servers");
}

function fileOf(pid: number): string {
  return join(dir(), `${pid}.json`);
}

/** Write to a temp file, then rename: a reader never sees half a record. */
export function writeAppServer(rec: AppServerRecord): () => void {
  try {
    mkdirSync(dir(), { recursive: true });
    const tmp = `${fileOf(rec.pid)}.tmp`;
    writeFileSync(tmp, JSON.stringify(rec, null, 2) + "\n");
    renameSync(tmp, fileOf(rec.pid));
  } catch {
    // Only a convenience for other terminals: a read-only state dir must not stop the server.
  }
  return () => removeQuiet(fileOf(rec.pid));
}

/** Running managed servers of other goingnats processes, newest first. Stale records are removed. */
export function liveAppServers(): AppServerRecord[] {
  let names: string[];
  try {
    names = readdirSync(dir());
  } catch {
    return [];
  }
  const live: AppServerRecord[] = [];
  for (const n of names) {
    if (!/^\d+\.json$/.test(n)) continue;
    const file = join(dir(), n);
    let rec: AppServerRecord | undefined;
    try {
      rec = JSON.parse(readFileSync(file, "utf8")) as AppServerRecord;
    } catch {
      rec = undefined;
    }
    const ok = rec && typeof rec.pid === "number" && typeof rec.url === "string" && typeof rec.ownerPid === "number";
    if (!ok || !isNatsServerPid(rec!.pid) || !pidAlive(rec!.ownerPid)) {
      removeQuiet(file);
      continue;
    }
    if (rec!.ownerPid !== process.pid) live.push(rec!);
  }
  // The app (no sub-command) first: it is the one a learner keeps open; then the newest.
  return live.sort((a, b) => Number(b.command === "goingnats") - Number(a.command === "goingnats") || Date.parse(b.startedAt) - Date.parse(a.startedAt));
}

/** "the goingnats app" or "`goingnats check hello`" (the pid is said separately, to keep brackets single). */
export function describeOwner(rec: AppServerRecord): string {
  return rec.command === "goingnats" ? "the goingnats app" : `\`${rec.command}\``;
}

function removeQuiet(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}
