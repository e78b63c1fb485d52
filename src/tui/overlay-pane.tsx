// Help, the message timeline and the solution, drawn over the main pane; Esc closes them.
import { Box } from "ink";
import { clamp } from "./layout.js";
import { Lines, PaneTitle } from "./pane-title.js";
import { exerciseOf, layoutOf, overlayLinesOf, type Env, type State } from "./state.js";

export function OverlayPane(props: { state: State; env: Env; width: number; height: number }) {
  const { state: s, env, width, height } = props;
  if (!s.overlay) return null;
  const lines = overlayLinesOf(s, env);
  const rows = layoutOf(s).contentRows;
  const scroll = clamp(s.overlay.scroll, 0, Math.max(0, lines.length - rows));
  const ex = exerciseOf(s, env);
  const title = s.overlay.kind === "help" ? "Help · all keys" : s.overlay.kind === "timeline" ? `Timeline · ${ex?.id ?? ""}` : `Solution · ${ex?.id ?? ""}`;
  const where = lines.length <= rows ? "Esc closes" : `${Math.min(100, Math.round((100 * (scroll + rows)) / lines.length))}% · Esc closes`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <PaneTitle left={title} right={where} width={width} focused color={env.color} />
      <Lines lines={lines.slice(scroll, scroll + rows)} height={rows} prefix={() => "  "} />
    </Box>
  );
}
