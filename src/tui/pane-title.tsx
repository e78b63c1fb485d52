// A pane's title row: what it shows on the left, where you are on the right. The focused pane is
// marked with ▶ (and inverse video when colour is on), so focus is visible without colour too.
import { Text, useIsScreenReaderEnabled } from "ink";
import { palette } from "../render/palette.js";

export function titleText(left: string, right: string, width: number, focused: boolean): string {
  const marker = focused ? "▶ " : "  ";
  const l = [...(marker + left)];
  const r = [...right];
  const room = width - r.length - 1;
  const shown = l.length > room ? l.slice(0, Math.max(0, room - 1)).join("") + "…" : l.join("");
  return shown + " ".repeat(Math.max(1, width - [...shown].length - r.length)) + right;
}

export function PaneTitle(props: { left: string; right?: string; width: number; focused: boolean; color: boolean }) {
  const p = palette(props.color);
  // A screen reader reads the row as it is: no padding to the edge, the two halves in one sentence.
  const text = useIsScreenReaderEnabled()
    ? [props.left, props.right].filter(Boolean).join(" — ")
    : titleText(props.left, props.right ?? "", props.width, props.focused);
  return <Text wrap="truncate-end">{props.focused ? (props.color ? p.strong(`\x1b[7m${text}\x1b[27m`) : text) : p.dim(text)}</Text>;
}

/** Content rows, always exactly `height` of them so panes never shift. */
export function Lines(props: { lines: string[]; height: number; prefix?: (i: number) => string }) {
  const rows: string[] = [];
  for (let i = 0; i < props.height; i++) rows.push((props.prefix?.(i) ?? "") + (props.lines[i] ?? ""));
  return (
    <>
      {rows.map((l, i) => (
        <Text key={i} wrap="truncate-end">
          {l === "" ? " " : l}
        </Text>
      ))}
    </>
  );
}
