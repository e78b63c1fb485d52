// Two rows at the bottom: which server (how it was found, version, JetStream, round-trip time, or that
// it is reconnecting), then the keys that work right now (or a short message after an action).
import { Box, Text } from "ink";
import sliceAnsi from "slice-ansi";
import stringWidth from "string-width";
import wrapAnsi from "wrap-ansi";
import type { Curriculum } from "../curriculum/types.js";
import { palette } from "../render/palette.js";
import type { ServerStatus } from "./use-server-status.js";
import { exerciseOf, layoutOf, pageOverflow, type Env, type State } from "./state.js";

export function serverText(st: ServerStatus, color: boolean, now = Date.now()): string {
  const p = palette(color);
  const s = st.session;
  const where = s ? `${s.target.url} (${s.target.detail})` : "";
  const away = Math.max(0, Math.round((now - st.since) / 1000));
  switch (st.phase) {
    case "connecting":
      return p.dim("… connecting to a NATS server");
    case "failed":
      return `${p.bad("✗ no NATS server:")} ${(st.error ?? "").split("\n")[0]}`;
    case "reconnecting":
      return `${p.accent("◌ reconnecting…")} ${where} went away${away ? ` ${away} s ago` : ""}; checks wait until it is back`;
    case "closed":
      return `${p.bad("✗ disconnected")} from ${where}; trying again every few seconds${st.error ? ` (${st.error.split("\n")[0]})` : ""}`;
    case "connected": {
      const facts = [
        `nats-server ${s!.server.version}`,
        s!.server.jetstream ? "JetStream on" : "JetStream off",
        st.rttMs === undefined ? "" : `rtt ${st.rttMs < 0.1 ? "<0.1" : st.rttMs < 10 ? st.rttMs.toFixed(1) : Math.round(st.rttMs)} ms`,
        s!.namespace ? `namespace ${s!.namespace}` : "",
      ].filter(Boolean);
      return `${p.ok("●")} ${where} · ${facts.join(" · ")}`;
    }
  }
}

/** The keys that work now, most useful first; "? help" and "q quit" always come last. */
export function keyItems(s: State, env: Env): string[] {
  const end = ["? help", "q quit"];
  if (s.overlay) return ["↑↓ scroll", ...(s.overlay.kind === "solution" ? ["y copy"] : []), "Esc close", "q quit"];
  const lay = layoutOf(s);
  const showsExercise = s.focus === "exercise" || (s.focus === "sidebar" && s.main === "exercise" && lay.showMain);
  if (s.focus === "sidebar" && !showsExercise) return ["↑↓ move", "Enter open", "Tab pane", ...end];
  if (s.focus === "lesson") return ["↑↓ PgUp PgDn scroll", "n/p page", "]/[ code block", ...(pageOverflow(s, env) > 0 ? ["</> sideways"] : []), "y copy", "Enter exercise", ...(env.screenReader ? [] : [s.onePane ? "z list" : "z full width"]), "Tab pane", ...end];
  const ex = exerciseOf(s, env);
  if (!ex) return ["Tab pane", ...end];
  const keys: string[] = [];
  if (s.focus === "sidebar") keys.push("↑↓ move", "Enter open");
  keys.push(s.active === ex.id ? "x stop" : "c check");
  if (ex.kind === "program") keys.push(s.watch === ex.id ? "w stop watching · r re-run" : "w watch");
  keys.push("h hint", "t timeline");
  if (s.progress.exercises[ex.id]?.status === "passed") keys.push("s solution");
  if (s.focus === "exercise") keys.push("n/p exercise", "↑↓ scroll");
  return [...keys, "Tab pane", ...end];
}

/** As many keys as fit the width, always ending with help and quit. */
export function keysText(s: State, env: Env, width: number): string {
  const items = keyItems(s, env);
  const tail = items.slice(-2);
  const head: string[] = [];
  const len = (xs: string[]) => [...xs.join(" · ")].length;
  for (const item of items.slice(0, -2)) {
    if (len([...head, item, ...tail]) > width) break;
    head.push(item);
  }
  return [...head, ...tail].join(" · ");
}

export function StatusLine(props: { state: State; env: Env; server: ServerStatus; width: number; curriculum: Curriculum }) {
  const { state: s, env, server, width } = props;
  const p = palette(env.color);
  const watching = s.watch ? ` · watching ${s.watch}` : "";
  const rows = s.flash ? flashRows(s.flash.text, width) : undefined;
  // A message too long for one row (the fix is often at its end) takes both rows for a few seconds.
  const [first, second] = rows && rows.length > 1 ? rows.map((r) => p.accent(r)) : [serverText(server, env.color) + p.dim(watching), s.flash ? p.accent(s.flash.text) : p.dim(keysText(s, env, width))];
  return (
    <Box flexDirection="column" width={width} height={2}>
      <Text wrap="truncate-end">{first}</Text>
      <Text wrap="truncate-end">{second}</Text>
    </Box>
  );
}

/** A message as one or two rows of the width; past two rows it is cut with "…". */
export function flashRows(text: string, width: number): string[] {
  if (stringWidth(text) <= width) return [text];
  const rows = wrapAnsi(text, width, { hard: true, trim: true }).split("\n");
  if (rows.length <= 2) return rows;
  return [rows[0], sliceAnsi(rows.slice(1).join(" "), 0, width - 1) + "…"];
}
