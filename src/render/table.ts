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
  const natural = Array.from({ length: n }, (_, c) =>
    Math.max(1, ...[t.header[c], ...t.rows.map((r) => r[c] ?? "")].map((s) => maxLineWidth(s))),
  );
  const border = 3 * n + 1; // "│ " + " │ " between + " │"
  const available = width - border;
  // Words (subjects, commands) should not break, so a column keeps its longest word up to a cap.
  const minimum = natural.map((w, c) =>
    Math.min(w, MAX_WORD_KEPT, Math.max(1, ...[t.header[c], ...t.rows.map((r) => r[c] ?? "")].map(longestWord))),
  );
  const widths = [...natural];
  let total = widths.reduce((a, b) => a + b, 0);
  while (total > available) {
    let widest = -1;
    for (let c = 0; c < n; c++) if (widths[c] > minimum[c] && (widest < 0 || widths[c] > widths[widest])) widest = c;
    if (widest < 0) return keyValueRows(t, width, p);
    widths[widest]--;
    total--;
  }
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

function longestWord(s: string): number {
  return Math.max(0, ...stripVTControlCharacters(s).split(/\s+/).map((w) => stringWidth(w)));
}

function maxLineWidth(s: string): number {
  return Math.max(0, ...s.split("\n").map((l) => stringWidth(l)));
}
