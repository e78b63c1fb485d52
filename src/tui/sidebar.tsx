// The curriculum: lessons with their exercises, status marks, the share done, and what the connected
// server cannot run.
import { Box } from "ink";
import type { Curriculum } from "../curriculum/types.js";
import { unmetRequirement } from "../curriculum/requirements.js";
import { exerciseState, nextStep, totals } from "../progress/status.js";
import { lessonNumber } from "../render/content.js";
import { palette } from "../render/palette.js";
import { Lines, PaneTitle } from "./pane-title.js";
import type { State } from "./state.js";

export interface SidebarProps {
  state: State;
  curriculum: Curriculum;
  width: number;
  height: number;
  color: boolean;
  spinner: string;
  /** Status as words instead of marks (screen readers). */
  words?: boolean;
}

const cut = (s: string, n: number) => ([...s].length > n ? [...s].slice(0, Math.max(0, n - 1)).join("") + "…" : s);

export function sidebarLines(props: SidebarProps): string[] {
  const { state: s, curriculum: c, width, color } = props;
  const p = palette(color);
  const next = nextStep(c, s.progress);
  const unmet = (req: { jetstream: boolean; server?: string }) => (s.server ? unmetRequirement(req, s.server) : undefined);
  return s.items.map((item, i) => {
    const cursor = i === s.cursor;
    const pointer = cursor && s.focus === "sidebar" ? "›" : " ";
    let text: string;
    if (item.kind === "lesson") {
      const lesson = c.lessons.find((l) => l.id === item.id)!;
      const t = totals(c, s.progress, [lesson]);
      const done = t.total > 0 && t.passed === t.total;
      const mark = props.words
        ? done ? "done," : next?.lesson === lesson ? "next," : t.passed > 0 ? "started," : ""
        : done ? p.ok("✓") : next?.lesson === lesson ? p.accent("▸") : t.passed > 0 ? "◐" : " ";
      const blocked = unmet(lesson.requires) ? (props.words ? ", not on this server" : " ⊘") : "";
      const num = String(lessonNumber(c, lesson)).padStart(2);
      const open = s.lessonId === lesson.id;
      const title = cut(lesson.title, width - 7 - blocked.length);
      text = props.words ? `${mark} lesson ${num.trim()}: ${title}${blocked}`.trim() : `${mark} ${p.dim(num)} ${open ? p.strong(title) : title}${p.accent(blocked)}`;
    } else {
      const ex = c.exercises.get(item.id)!;
      const st = exerciseState(s.progress, item.id);
      const running = s.active === item.id;
      const mark = props.words
        ? running ? "running," : st === "passed" ? "done," : st === "failed" ? "failed," : next?.exercise?.id === item.id ? "next," : "exercise"
        : running ? props.spinner : st === "passed" ? p.ok("✓") : st === "failed" ? p.bad("✗") : next?.exercise?.id === item.id ? p.accent("▸") : p.dim("·");
      const blocked = unmet(ex.requires) ? (props.words ? ", not on this server" : " ⊘") : "";
      const open = s.main === "exercise" && s.exerciseId === item.id;
      const id = cut(item.id, width - 8 - blocked.length);
      text = `    ${mark} ${open ? p.strong(id) : id}${p.accent(blocked)}`;
    }
    const line = `${pointer}${text}`;
    return cursor && s.focus === "sidebar" && color ? `\x1b[7m${line}\x1b[27m` : line;
  });
}

export function Sidebar(props: SidebarProps) {
  const { state: s, curriculum: c, width, height, color } = props;
  const p = palette(color);
  const all = totals(c, s.progress);
  const lines = sidebarLines(props);
  // Two short lines: the sidebar is narrow.
  const legend = [p.dim(" ✓ done  ✗ failed  ▸ next"), p.dim(" ⊘ not on this server")];
  const room = height - 1;
  // Keep the cursor in view, roughly centred.
  const top = Math.max(0, Math.min(s.cursor - Math.floor(room / 2), lines.length - room));
  const shown = lines.slice(top, top + room);
  if (lines.length + 3 <= room && !props.words) shown.push("", ...legend);
  return (
    <Box flexDirection="column" width={width} height={height}>
      <PaneTitle left="Lessons" right={doneText(all, width)} width={width} focused={s.focus === "sidebar"} color={color} />
      <Lines lines={shown} height={room} />
    </Box>
  );
}

/** The share done, counted in exercises (the unit that is checked); shorter when the pane is narrow. */
function doneText(t: { passed: number; total: number; percent: number }, width: number): string {
  const long = `${t.passed}/${t.total} exercises · ${t.percent}%`;
  return long.length + "  Lessons ".length + 1 <= width ? long : `${t.passed}/${t.total} done · ${t.percent}%`;
}
