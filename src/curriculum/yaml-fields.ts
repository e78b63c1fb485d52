// Reading YAML with line numbers, so content errors can say "file:line: what is wrong".
import { isMap, LineCounter, parseDocument, type Document } from "yaml";
import type { ContentProblem } from "./types.js";

export class Fields {
  readonly data: Record<string, unknown>;
  private readonly lines = new LineCounter();
  private readonly doc: Document;

  constructor(
    text: string,
    readonly file: string,
    /** Line of the YAML's first line in the file (front matter starts after the opening ---). */
    private readonly firstLine: number,
    readonly problems: ContentProblem[],
  ) {
    this.doc = parseDocument(text, { lineCounter: this.lines, prettyErrors: false });
    for (const err of this.doc.errors) {
      const pos = err.linePos?.[0];
      problems.push({ file, line: (pos?.line ?? 1) + firstLine - 1, message: `YAML: ${err.message.split("\n")[0]}` });
    }
    const js = this.doc.errors.length ? {} : this.doc.toJS();
    this.data = js && typeof js === "object" && !Array.isArray(js) ? js : {};
    if (!this.doc.errors.length && (js === null || typeof js !== "object" || Array.isArray(js))) {
      this.problem(undefined, "expected key: value pairs");
    }
  }

  /** Line of a top-level key, or of the document start. */
  lineOf(key?: string): number {
    const contents = this.doc.contents;
    if (key && isMap(contents)) {
      for (const item of contents.items) {
        const k = item.key as { value?: unknown; range?: [number, number, number] } | null;
        if (k && k.value === key && k.range) return this.lines.linePos(k.range[0]).line + this.firstLine - 1;
      }
    }
    return this.firstLine;
  }

  problem(key: string | undefined, message: string): void {
    this.problems.push({ file: this.file, line: this.lineOf(key), message });
  }

  string(key: string, opts: { required?: boolean; fallback?: string } = {}): string {
    const v = this.data[key];
    if (v === undefined || v === null) {
      if (opts.required) this.problem(undefined, `missing "${key}"`);
      return opts.fallback ?? "";
    }
    if (typeof v !== "string" && typeof v !== "number") {
      this.problem(key, `"${key}" should be text, found ${describe(v)}`);
      return opts.fallback ?? "";
    }
    return String(v);
  }

  number(key: string, fallback: number): number {
    const v = this.data[key];
    if (v === undefined || v === null) return fallback;
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      this.problem(key, `"${key}" should be a positive number, found ${describe(v)}`);
      return fallback;
    }
    return v;
  }

  strings(key: string): string[] {
    const v = this.data[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
      this.problem(key, `"${key}" should be a list of text items`);
      return [];
    }
    return v as string[];
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback?: T): T {
    const v = this.data[key];
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== "string" || !allowed.includes(v as T)) {
      if (v === undefined) this.problem(undefined, `missing "${key}" (one of: ${allowed.join(", ")})`);
      else this.problem(key, `"${key}" should be one of ${allowed.join(", ")}, found ${describe(v)}`);
      return fallback ?? allowed[0];
    }
    return v as T;
  }

  /** Durations like "30s", "2m", "500ms" or a number of seconds. */
  duration(key: string, fallbackMs: number): number {
    const v = this.data[key];
    if (v === undefined || v === null) return fallbackMs;
    const ms = parseDuration(v);
    if (ms === undefined) {
      this.problem(key, `"${key}" should be a duration such as 30s, 2m or 500ms, found ${describe(v)}`);
      return fallbackMs;
    }
    return ms;
  }

  unknownKeys(allowed: readonly string[]): void {
    for (const key of Object.keys(this.data)) {
      if (!allowed.includes(key)) this.problem(key, `unknown key "${key}" (known: ${allowed.join(", ")})`);
    }
  }
}

export function parseDuration(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v) && v >= 0) return v * 1000;
  if (typeof v !== "string") return undefined;
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)$/.exec(v.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] === "ms" ? n : m[2] === "s" ? n * 1000 : n * 60_000;
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "a map";
  return JSON.stringify(v);
}
