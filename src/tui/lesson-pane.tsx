// The open lesson page, scrolled; the focused code block is marked in the margin (┃), so it is
// visible without colour and `y` copies exactly what is marked.
import { Box } from "ink";
import sliceAnsi from "slice-ansi";
import stringWidth from "string-width";
import { palette } from "../render/palette.js";
import { clamp } from "./layout.js";
import { Lines, PaneTitle } from "./pane-title.js";
import { hscrollOf, layoutOf, lessonOf, pageOf, pageOverflow, unmetFor, type Env, type State } from "./state.js";
import { lessonNumber } from "../render/content.js";

export function LessonPane(props: { state: State; env: Env; width: number; height: number }) {
  const { state: s, env, width, height } = props;
  const p = palette(env.color);
  const lesson = lessonOf(s, env);
  const page = pageOf(s, env);
  const rows = layoutOf(s).contentRows;
  const scroll = clamp(s.scroll, 0, Math.max(0, page.lines.length - rows));
  // Code is never wrapped (a command must stay copyable); code wider than the pane shifts sideways
  // as a whole block, so its lines stay aligned, and prose stays where it is.
  const { textWidth } = layoutOf(s);
  const overflow = pageOverflow(s, env);
  const shift = hscrollOf(s, env);
  const wide = page.blocks.filter((b) => b.width > textWidth);
  const visible = page.lines.slice(scroll, scroll + rows).map((line, i) => {
    const at = scroll + i;
    if (!wide.some((b) => at >= b.start && at <= b.end)) return line;
    const cut = sliceAnsi(line, shift, shift + textWidth);
    // ‹ and › say there is more of this line to the left or right.
    const marked = shift > 0 && cut ? p.dim("‹") + sliceAnsi(cut, 1) : cut;
    return stringWidth(line) > shift + textWidth ? sliceAnsi(marked, 0, textWidth - 1) + p.dim("›") : marked;
  });
  const block = page.blocks[s.block];
  const where = page.lines.length <= rows ? "all" : `${Math.min(100, Math.round((100 * (scroll + rows)) / page.lines.length))}%`;
  const unmet = lesson ? unmetFor(s, lesson.requires) : undefined;
  const left = lesson ? `Lesson ${lessonNumber(env.curriculum, lesson)} · ${lesson.title}` : "No lesson";
  const sideways = overflow === 0 ? "" : shift === 0 ? "> wide code · " : shift >= overflow ? `< shifted ${shift} · ` : `< > shifted ${shift} · `;
  const right = `${unmet ? "⊘ not on this server · " : ""}${sideways}page ${s.page + 1}/${lesson?.pages.length ?? 1} · ${where}`;
  const margin = (i: number) => {
    const line = scroll + i;
    return block && line >= block.start && line <= block.end ? p.accent("┃ ") : "  ";
  };
  return (
    <Box flexDirection="column" width={width} height={height}>
      <PaneTitle left={left} right={right} width={width} focused={s.focus === "lesson"} color={env.color} />
      <Lines lines={visible} height={rows} prefix={margin} />
    </Box>
  );
}
