// What the overlays show: all keys (help), the messages of the last run (timeline), and the
// reference solution. Pure apart from reading the solution files once.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative } from "node:path";
import { formatTimelineEntry } from "../check/report-text.js";
import type { Exercise } from "../curriculum/types.js";
import { renderLines } from "../render/markdown.js";
import { palette, type Palette } from "../render/palette.js";
import { EXERCISE_KEYS, GLOBAL_KEYS, LESSON_KEYS, OVERLAY_KEYS, SIDEBAR_KEYS, type KeyHelp } from "./keys.js";
import type { RunView } from "./run-view.js";
import type { ServerFacts } from "./state.js";

export function helpLines(color: boolean, server?: ServerFacts): string[] {
  const p = palette(color);
  const width = Math.max(...[GLOBAL_KEYS, SIDEBAR_KEYS, LESSON_KEYS, EXERCISE_KEYS, OVERLAY_KEYS].flat().map((k) => k.keys.length)) + 2;
  const section = (title: string, keys: KeyHelp[]) => [p.strong(title), ...keys.map((k) => `  ${p.accent(k.keys.padEnd(width))}${k.what}`), ""];
  return [
    // First: "how do I use this server from my other terminal?" is the question asked most in a workshop.
    ...(server?.url ? [p.strong("Server"), `  ${server.url} · ${server.detail ?? ""}`, ...(server.reach ?? []).map((l) => `  ${l}`), ...(server.jetstream ? [] : [`  ${noJetStream(p)}`]), ""] : []),
    ...section("Everywhere", GLOBAL_KEYS),
    ...section("Lessons list (left)", SIDEBAR_KEYS),
    ...section("Lesson", LESSON_KEYS),
    ...section("Exercise", EXERCISE_KEYS),
    ...section("Overlays (this help, timeline, solution)", OVERLAY_KEYS),
    p.dim("Your place and progress are saved as you go; goingnats --plain prints the welcome without this screen."),
  ];
}

export function timelineLines(run: RunView | undefined, color: boolean): string[] {
  const p = palette(color);
  const results = run?.run?.results ?? run?.checks.flatMap((c) => (c.result ? [c.result] : [])) ?? [];
  if (results.length === 0) return [p.dim("No run yet: c runs the checks.")];
  const out: string[] = [p.dim("Every message the checker sent (→) or received (←) during the last run, by time since the start.")];
  for (const r of results) {
    out.push("", p.strong(`${r.status === "pass" ? "✓" : r.status === "skipped" ? "·" : "✗"} ${r.name}`));
    if (r.timeline.length === 0) out.push(p.dim("  (no messages)"));
    for (const e of r.timeline) out.push(`  ${formatTimelineEntry(e)}`);
  }
  return out;
}

const solutionCache = new Map<string, Array<{ file: string; text: string }>>();

export function solutionFiles(ex: Exercise): Array<{ file: string; text: string }> {
  const hit = solutionCache.get(ex.id);
  if (hit) return hit;
  const root = join(ex.dir, "solution");
  const files: Array<{ file: string; text: string }> = [];
  const walk = (dir: string) => {
    let names: string[] = [];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name === "node_modules" || name.startsWith(".")) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push({ file: relative(root, path), text: readFileSync(path, "utf8") });
    }
  };
  walk(root);
  // The file the learner edits first.
  files.sort((a, b) => (a.file === ex.file ? -1 : b.file === ex.file ? 1 : a.file.localeCompare(b.file)));
  solutionCache.set(ex.id, files);
  return files;
}

export function solutionLines(ex: Exercise, width: number, color: boolean): string[] {
  const p = palette(color);
  const files = solutionFiles(ex);
  if (files.length === 0) return [p.dim("This exercise has no reference solution files.")];
  const out: string[] = [p.dim("One way to do it (y copies the first file). Yours may differ and still pass.")];
  for (const f of files) {
    const lang = extname(f.file).slice(1) || "text";
    out.push("", p.strong(f.file), ...renderLines("```" + lang + "\n" + f.text.replace(/\n$/, "") + "\n```", width, { color }));
  }
  return out;
}

// Said where a learner looks when the ⊘ lessons will not check: how to get a server that runs them.
function noJetStream(p: Palette): string {
  return `JetStream is off on this server, so the lessons marked ⊘ cannot be checked here. For one with JetStream, run ${p.code("goingnats server start")} in another terminal, then start goingnats again with ${p.code("--server")} and the URL it prints (or restart your nats-server with ${p.code("-js")}).`;
}
