// A lesson page rendered for the lesson pane, with the position and text of each code block so a key
// can focus and copy it. Memoised: the reducer and the pane ask for the same page on every key press.
import { stripVTControlCharacters } from "node:util";
import stringWidth from "string-width";
import { renderLines, substituteVars } from "../render/markdown.js";

export interface BlockSpan {
  /** Line of the block's top border (╭─). */
  start: number;
  /** Line of its bottom border (╰─). */
  end: number;
  /** The code as shown (namespace filled in). */
  text: string;
  /** The code as it runs, hidden set-up lines included, when that differs: what `y` copies. */
  toRun?: string;
  /** Columns its widest line takes: code is never wrapped, so it may be wider than the pane. */
  width: number;
}

export interface PageLayout {
  lines: string[];
  blocks: BlockSpan[];
}

// Prefixes the renderer puts before a code block's border: indentation, list markers, quote bars.
const PREFIX = /^[\s•◦▪\d.▎☐☑]*$/;

export function findBlocks(lines: string[]): BlockSpan[] {
  const plain = lines.map((l) => stripVTControlCharacters(l));
  const blocks: BlockSpan[] = [];
  for (let i = 0; i < plain.length; i++) {
    const col = plain[i].indexOf("╭─");
    if (col < 0 || !PREFIX.test(plain[i].slice(0, col))) continue;
    let end = i + 1;
    while (end < plain.length && !plain[end].slice(col).startsWith("╰─")) end++;
    if (end >= plain.length) continue;
    const text = plain
      .slice(i + 1, end)
      .map((l) => l.slice(col + 2).replace(/\s+$/, ""))
      .join("\n");
    const width = Math.max(...plain.slice(i, end + 1).map((l) => stringWidth(l)));
    blocks.push({ start: i, end, text, width });
    i = end;
  }
  return blocks;
}

const cache = new Map<string, PageLayout>();

/** `toRun`: the page's code blocks as they run (the loader keeps hidden `///` lines there). */
export function pageLayout(markdown: string, width: number, vars: { ns: string; NS: string }, color: boolean, toRun: string[] = []): PageLayout {
  const key = `${width}\0${vars.ns}\0${color ? 1 : 0}\0${markdown}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const lines = renderLines(markdown, width, { vars, color });
  const blocks = findBlocks(lines);
  // The n-th box drawn is the n-th code block of the page (nothing else draws ╭─).
  if (toRun.length === blocks.length) {
    blocks.forEach((b, i) => {
      const run = substituteVars(toRun[i], vars).split("\n").map((l) => l.replace(/\s+$/, "")).join("\n").replace(/\n+$/, "");
      if (run !== b.text) b.toRun = run;
    });
  }
  const layout = { lines, blocks };
  // A handful of pages at a couple of widths is all a session needs; keep it bounded anyway.
  if (cache.size > 200) cache.clear();
  cache.set(key, layout);
  return layout;
}
