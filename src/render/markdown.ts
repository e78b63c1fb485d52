// Lesson markdown for the terminal, built on marked's lexer: prose wraps to the pane width, code blocks
// never wrap (a long command stays one line, so it stays copyable), tables shrink to fit.
// renderLines() gives the lines for a pane of a given width (the TUI uses it); renderMarkdown() joins them.
import { marked, type Token, type Tokens } from "marked";
import stringWidth from "string-width";
import wrapAnsi from "wrap-ansi";
import { highlight } from "./highlight.js";
import { substituteVars } from "./namespace-vars.js";
import { palette, type Palette } from "./palette.js";
import { renderTable } from "./table.js";

export interface RenderOptions {
  /** Values for {{ns}} / {{NS}} in lessons (the learner's namespace); both "" by default. */
  vars?: { ns: string; NS: string };
  /** Colour on or off; by default it follows `style` (NO_COLOR, --no-color, not a TTY). */
  color?: boolean;
}

const BULLETS = ["•", "◦", "▪"];
/** Prose never gets narrower than this, however deep the nesting. */
const MIN_WIDTH = 20;

export function renderMarkdown(markdown: string, width: number, opts: RenderOptions = {}): string {
  return renderLines(markdown, width, opts).join("\n");
}

export function renderLines(markdown: string, width: number, opts: RenderOptions = {}): string[] {
  const p = palette(opts.color);
  const source = substituteVars(markdown, opts.vars ?? { ns: "", NS: "" });
  const lines = blocks(lex(source), Math.max(width, MIN_WIDTH), p, true);
  return lines.map((l) => (l.includes(GLUE) ? l.replaceAll(GLUE, " ") : l));
}

/**
 * Stands in for the spaces inside inline code while lines are wrapped and table columns sized, so a
 * span like `nats sub "orders.>"` moves to the next line whole instead of breaking at its spaces
 * (it is only broken when longer than a line). renderLines turns it back into a real space, so what
 * the learner copies is what they would type.
 */
const GLUE = "\uE000";

// Lexed pages, newest last. The same page is drawn at many widths and on every scroll; and the TUI
// keeps the page on screen at quit (see tui/page-cache.ts) because lexing one cold costs ~40 ms of
// the first frame. Tokens are never changed after lexing, so sharing them is safe.
const lexed = new Map<string, Token[]>();
const LEXED_MAX = 50;

function lex(source: string): Token[] {
  let tokens = lexed.get(source);
  if (tokens) lexed.delete(source);
  else tokens = marked.lexer(source, { gfm: true });
  lexed.set(source, tokens);
  if (lexed.size > LEXED_MAX) lexed.delete(lexed.keys().next().value as string);
  return tokens;
}

/** The last `n` sources lexed, with their tokens (to keep for the next start). */
export function recentTokens(n: number): Array<[string, Token[]]> {
  return [...lexed].slice(-n);
}

/** Tokens kept from an earlier run; a source that does not match is simply lexed again. */
export function seedTokens(entries: Array<[string, Token[]]>): void {
  for (const [source, tokens] of entries) if (typeof source === "string" && Array.isArray(tokens) && !lexed.has(source)) lexed.set(source, tokens);
}

export { substituteVars };

/** Render block tokens; `spaced` puts a blank line between blocks (tight list items do not). */
function blocks(tokens: Token[], width: number, p: Palette, spaced: boolean): string[] {
  const out: string[] = [];
  for (const t of tokens) {
    const lines = block(t, width, p);
    if (lines === undefined) continue;
    if (spaced && out.length > 0) out.push("");
    out.push(...lines);
  }
  return out;
}

function block(t: Token, width: number, p: Palette): string[] | undefined {
  switch (t.type) {
    case "space":
    case "def":
      return undefined;
    case "heading":
      return heading(t as Tokens.Heading, width, p);
    case "paragraph":
    case "text": {
      const tok = t as Tokens.Paragraph | Tokens.Text;
      return wrap(tok.tokens ? inline(tok.tokens, p) : tok.text, width);
    }
    case "code":
      return code(t as Tokens.Code, p);
    case "list":
      return list(t as Tokens.List, width, p, 0);
    case "blockquote": {
      const bar = p.dim("▎ ");
      return blocks((t as Tokens.Blockquote).tokens, Math.max(width - 2, MIN_WIDTH), p, true).map((l) => bar + p.em(l));
    }
    case "table":
      return table(t as Tokens.Table, width, p);
    case "hr":
      return [p.dim("─".repeat(width))];
    case "html": {
      const text = (t as Tokens.HTML).text.replace(/<!--[\s\S]*?-->/g, "").trim();
      return text ? wrap(text, width) : undefined;
    }
    default: {
      const g = t as Tokens.Generic;
      if (g.tokens) return wrap(inline(g.tokens, p), width);
      return "text" in g && typeof g.text === "string" ? wrap(g.text, width) : undefined;
    }
  }
}

function heading(t: Tokens.Heading, width: number, p: Palette): string[] {
  const text = inline(t.tokens, p);
  if (t.depth === 1) {
    const lines = wrap(p.heading(text), width);
    return [...lines, p.dim("═".repeat(Math.min(width, Math.max(...lines.map((l) => stringWidth(l))))))];
  }
  if (t.depth === 2) {
    const lines = wrap(p.heading(text), width);
    return [...lines, p.dim("─".repeat(Math.min(width, Math.max(...lines.map((l) => stringWidth(l))))))];
  }
  return wrap(p.subheading(text), width);
}

/** Code is never wrapped; `///` set-up lines are hidden (they run, but are not shown). */
function code(t: Tokens.Code, p: Palette): string[] {
  const shown = t.text
    .split("\n")
    .filter((l) => !/^\s*\/\/\//.test(l))
    .join("\n");
  const lang = (t.lang ?? "").split(/\s+/)[0];
  const gutter = p.dim("│ ");
  const lines = highlight(shown, lang, p).split("\n").map((l) => gutter + l);
  const label = lang ? p.dim(`╭─ ${lang}`) : p.dim("╭─");
  return [label, ...lines, p.dim("╰─")];
}

function list(t: Tokens.List, width: number, p: Palette, depth: number): string[] {
  const start = typeof t.start === "number" ? t.start : 1;
  const markers = t.items.map((_, i) => (t.ordered ? `${start + i}.` : BULLETS[depth % BULLETS.length]));
  const markerWidth = Math.max(...markers.map((m) => stringWidth(m))) + 1;
  const inner = Math.max(width - markerWidth, MIN_WIDTH);
  const out: string[] = [];
  t.items.forEach((item, i) => {
    if (t.loose && i > 0) out.push("");
    const lines: string[] = [];
    const children = item.tokens.filter((c) => c.type !== "checkbox");
    let first = true;
    for (const child of children) {
      const rendered = child.type === "list" ? list(child as Tokens.List, inner, p, depth + 1) : block(child, inner, p);
      if (!rendered) continue;
      if (!first && item.loose) lines.push("");
      lines.push(...rendered);
      first = false;
    }
    if (item.task) lines[0] = (item.checked ? "☑ " : "☐ ") + (lines[0] ?? "");
    const marker = p.dim(markers[i].padEnd(markerWidth));
    lines.forEach((l, j) => out.push((j === 0 ? marker : " ".repeat(markerWidth)) + l));
  });
  return out;
}

function table(t: Tokens.Table, width: number, p: Palette): string[] {
  return renderTable(
    {
      header: t.header.map((c) => inline(c.tokens, p)),
      rows: t.rows.map((r) => r.map((c) => inline(c.tokens, p))),
      align: t.align,
    },
    width,
    p,
  );
}

function inline(tokens: Token[], p: Palette): string {
  let out = "";
  for (const t of tokens) {
    switch (t.type) {
      case "strong":
        out += p.strong(inline((t as Tokens.Strong).tokens, p));
        break;
      case "em":
        out += p.em(inline((t as Tokens.Em).tokens, p));
        break;
      case "del":
        out += p.del(inline((t as Tokens.Del).tokens, p));
        break;
      case "codespan": {
        // Without colour, keep the backticks so code still stands out.
        const text = (t as Tokens.Codespan).text.replace(/[\n ]/g, GLUE);
        out += p.color ? p.code(text) : `\`${text}\``;
        break;
      }
      case "link": {
        const l = t as Tokens.Link;
        const text = inline(l.tokens, p);
        const href = l.href.replace(/^mailto:/, "");
        out += l.text === l.href || l.text === href ? p.link(href) : `${text} (${p.link(href)})`;
        break;
      }
      case "image": {
        const img = t as Tokens.Image;
        out += `[image: ${img.text}] (${p.link(img.href)})`;
        break;
      }
      case "br":
        out += "\n";
        break;
      case "html":
        out += (t as Tokens.HTML).text.replace(/<!--[\s\S]*?-->/g, "");
        break;
      case "checkbox":
        break;
      default: {
        // A newline inside a paragraph is a soft break: it becomes a space, and wrapping decides.
        const g = t as Tokens.Generic;
        out += g.tokens ? inline(g.tokens, p) : typeof g.text === "string" ? g.text.replace(/\n/g, " ") : "";
      }
    }
  }
  return out;
}

function wrap(text: string, width: number): string[] {
  return wrapAnsi(text, width, { hard: true, trim: true }).split("\n");
}
