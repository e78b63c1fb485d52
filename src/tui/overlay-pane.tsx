// Help, the message timeline and the solution, drawn over the main pane; Esc closes them.
import { Box } from "ink";
import sliceAnsi from "slice-ansi";
import stringWidth from "string-width";
import { palette } from "../render/palette.js";
import { clamp } from "./layout.js";
import { Lines, PaneTitle } from "./pane-title.js";
import { exerciseOf, layoutOf, overlayLinesOf, overlayOverflow, type Env, type State } from "./state.js";

export function OverlayPane(props: { state: State; env: Env; width: number; height: number }) {
  const { state: s, env, width, height } = props;
  if (!s.overlay) return null;
  const p = palette(env.color);
  const lines = overlayLinesOf(s, env);
  const { contentRows: rows, textWidth } = layoutOf(s);
  const scroll = clamp(s.overlay.scroll, 0, Math.max(0, lines.length - rows));
  // Code wider than the pane (a solution's long line) shifts sideways as a whole, like in lessons.
  const overflow = overlayOverflow(s, env);
  const shift = clamp(s.overlay.hscroll ?? 0, 0, overflow);
  const visible = lines.slice(scroll, scroll + rows).map((line) => {
    if (overflow === 0) return line;
    const cut = sliceAnsi(line, shift, shift + textWidth);
    const marked = shift > 0 && cut ? p.dim("‹") + sliceAnsi(cut, 1) : cut;
    return stringWidth(line) > shift + textWidth ? sliceAnsi(marked, 0, textWidth - 1) + p.dim("›") : marked;
  });
  const ex = exerciseOf(s, env);
  const title = s.overlay.kind === "help" ? "Help · all keys" : s.overlay.kind === "timeline" ? `Timeline · ${ex?.id ?? ""}` : `Solution · ${ex?.id ?? ""}`;
  const sideways = overflow === 0 ? "" : shift === 0 ? "> wide code · " : shift >= overflow ? `< shifted ${shift} · ` : `< > shifted ${shift} · `;
  const where = `${sideways}${lines.length <= rows ? "" : `${Math.min(100, Math.round((100 * (scroll + rows)) / lines.length))}% · `}Esc closes`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <PaneTitle left={title} right={where} width={width} focused color={env.color} />
      <Lines lines={visible} height={rows} prefix={() => "  "} />
    </Box>
  );
}
