// The open lesson page, scrolled; the focused code block is marked in the margin (┃), so it is
// visible without colour and `y` copies exactly what is marked.
import { Box } from "ink";
import { palette } from "../render/palette.js";
import { clamp } from "./layout.js";
import { Lines, PaneTitle } from "./pane-title.js";
import { layoutOf, lessonOf, pageOf, unmetFor, type Env, type State } from "./state.js";
import { lessonNumber } from "../render/content.js";

export function LessonPane(props: { state: State; env: Env; width: number; height: number }) {
  const { state: s, env, width, height } = props;
  const p = palette(env.color);
  const lesson = lessonOf(s, env);
  const page = pageOf(s, env);
  const rows = layoutOf(s).contentRows;
  const scroll = clamp(s.scroll, 0, Math.max(0, page.lines.length - rows));
  const visible = page.lines.slice(scroll, scroll + rows);
  const block = page.blocks[s.block];
  const where = page.lines.length <= rows ? "all" : `${Math.min(100, Math.round((100 * (scroll + rows)) / page.lines.length))}%`;
  const unmet = lesson ? unmetFor(s, lesson.requires) : undefined;
  const left = lesson ? `Lesson ${lessonNumber(env.curriculum, lesson)} · ${lesson.title}` : "No lesson";
  const right = `${unmet ? "⊘ not on this server · " : ""}page ${s.page + 1}/${lesson?.pages.length ?? 1} · ${where}`;
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
