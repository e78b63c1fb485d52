// Markdown tables that fit the pane: columns shrink (widest first) and cells wrap; when even narrow
// columns cannot fit, each row is shown as "header: value" lines instead.
import { stripVTControlCharacters } from "node:util";
import stringWidth from "string-width";
import wrapAnsi from "wrap-ansi";
import type { Palette } from "./palette.js";

type Align = "center" | "left" | "right" | null;

export interface TableInput {
  header: string[];
  rows: string[][];
  align: Align[];
}

/** A column may shrink below its longest word (which then breaks) only down to this. */
const MAX_WORD_KEPT = 12;

export function renderTable(t: TableInput, width: number, p: Palette): string[] {
  const n = t.header.length;
  if (n === 0) return [];
  const cells = (c: number) => [t.header[c], ...t.rows.map((r) => r[c] ?? "")];
  const natural = Array.from({ length: n }, (_, c) => Math.max(1, ...cells(c).map((s) => maxLineWidth(s))));
  const border = 3 * n + 1; // "│ " + " │ " between + " │"
  const available = width - border;
  // Words (subjects, commands, stream names) should not break: first every column gets its longest
  // word; only if even that cannot fit may long words break, down to a cap.
  const whole = natural.map((w, c) => Math.min(w, Math.max(1, ...cells(c).map(longestWord))));
  const broken = whole.map((w) => Math.min(w, MAX_WORD_KEPT));
  const floor = sum(whole) <= available ? whole : sum(broken) <= available ? broken : undefined;
  if (!floor) return keyValueRows(t, width, p);
  const widths = sum(natural) <= available ? natural : share(floor, natural, available);
  const line = (l: string, m: string, r: string) => p.dim(l + widths.map((w) => "─".repeat(w + 2)).join(m) + r);
  const out = [line("┌", "┬", "┐")];
  out.push(...row(t.header.map((h) => p.strong(h)), widths, t.align, p));
  out.push(line("├", "┼", "┤"));
  for (const r of t.rows) out.push(...row(r, widths, t.align, p));
  out.push(line("└", "┴", "┘"));
  return out;
}

function row(cells: string[], widths: number[], align: Align[], p: Palette): string[] {
  const wrapped = widths.map((w, c) => wrapAnsi(cells[c] ?? "", w, { hard: true, trim: true }).split("\n"));
  const height = Math.max(...wrapped.map((w) => w.length));
  const bar = p.dim("│");
  const lines: string[] = [];
  for (let i = 0; i < height; i++) {
    const parts = widths.map((w, c) => pad(wrapped[c][i] ?? "", w, align[c]));
    lines.push(`${bar} ${parts.join(` ${bar} `)} ${bar}`);
  }
  return lines;
}

function keyValueRows(t: TableInput, width: number, p: Palette): string[] {
  const out: string[] = [];
  t.rows.forEach((r, i) => {
    if (i > 0) out.push("");
    t.header.forEach((h, c) => {
      const text = `${p.strong(h + ":")} ${r[c] ?? ""}`;
      // Continuation lines are indented by 2, so wrap to width - 2 unless it fits on one line.
      const lines = stringWidth(text) <= width ? [text] : wrapAnsi(text, Math.max(width - 2, 1), { hard: true, trim: true }).split("\n");
      out.push(...lines.map((l, j) => (j === 0 ? l : "  " + l)));
    });
  });
  return out;
}

function pad(s: string, w: number, align: Align): string {
  const gap = Math.max(0, w - stringWidth(s));
  if (align === "right") return " ".repeat(gap) + s;
  if (align === "center") return " ".repeat(Math.floor(gap / 2)) + s + " ".repeat(gap - Math.floor(gap / 2));
  return s + " ".repeat(gap);
}

/**
 * The room above each column's floor goes to the columns that want more, in proportion to how much
 * more: a short yes/no column keeps its width, a long prose column takes most of what is left.
 */
function share(floor: number[], natural: number[], available: number): number[] {
  const widths = [...floor];
  let room = available - sum(widths);
  const want = natural.map((w, c) => w - widths[c]);
  const wanted = sum(want);
  if (wanted > 0) {
    for (let c = 0; c < widths.length; c++) {
      const extra = Math.min(want[c], Math.floor((room * want[c]) / wanted));
      widths[c] += extra;
    }
    room = available - sum(widths);
    // What rounding left over goes one column at a time to the column still furthest from its natural width.
    while (room > 0) {
      let c = -1;
      for (let i = 0; i < widths.length; i++) if (natural[i] > widths[i] && (c < 0 || natural[i] - widths[i] > natural[c] - widths[c])) c = i;
      if (c < 0) break;
      widths[c]++;
      room--;
    }
  }
  return widths;
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function longestWord(s: string): number {
  return Math.max(0, ...stripVTControlCharacters(s).split(/\s+/).map((w) => stringWidth(w)));
}

function maxLineWidth(s: string): number {
  return Math.max(0, ...s.split("\n").map((l) => stringWidth(l)));
}
