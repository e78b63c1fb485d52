// Parses a lesson file: YAML front matter, then markdown pages separated by lines of `---`.
import { Fields } from "./yaml-fields.js";
import { readRequirements } from "./requirements.js";
import type { CodeBlock, ContentProblem, Lesson, LessonPage } from "./types.js";

const FENCE = /^(`{3,}|~{3,})\s*(.*)$/;
const LESSON_KEYS = ["id", "title", "summary", "minutes", "requires", "exercises"] as const;

export function parseLesson(text: string, file: string, order: number, problems: ContentProblem[]): Lesson | undefined {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  if (lines[0]?.trim() !== "---") {
    problems.push({ file, line: 1, message: "a lesson starts with front matter: a line of ---, then id, title, summary, then ---" });
    return undefined;
  }
  const end = lines.findIndex((l, i) => i > 0 && l.trim() === "---");
  if (end < 0) {
    problems.push({ file, line: 1, message: "front matter is not closed: add a line of --- after it" });
    return undefined;
  }
  const before = problems.length;
  const fields = new Fields(lines.slice(1, end).join("\n"), file, 2, problems);
  fields.unknownKeys(LESSON_KEYS);
  const lesson: Lesson = {
    id: fields.string("id", { required: true }),
    title: fields.string("title", { required: true }),
    summary: fields.string("summary"),
    minutes: fields.number("minutes", 10),
    requires: readRequirements(fields),
    exercises: fields.strings("exercises"),
    pages: splitPages(lines, end + 1, file, problems),
    file,
    order,
  };
  if (lesson.id && !/^[a-z0-9][a-z0-9-]*$/.test(lesson.id)) fields.problem("id", `"id" should be lowercase words joined by -, found "${lesson.id}"`);
  if (lesson.pages.length === 0) problems.push({ file, line: end + 1, message: "the lesson has no pages: write some markdown after the front matter" });
  return problems.length > before && (!lesson.id || !lesson.title) ? undefined : lesson;
}

function splitPages(lines: string[], start: number, file: string, problems: ContentProblem[]): LessonPage[] {
  const pages: LessonPage[] = [];
  let current: string[] = [];
  let pageLine = start + 1;
  let blocks: CodeBlock[] = [];
  let fence: { marker: string; lang: string; attrs: Record<string, string | true>; line: number; code: string[]; shown: string[] } | undefined;

  const closePage = () => {
    const markdown = current.join("\n").trim();
    if (markdown) {
      const heading = current.find((l) => /^#{1,3}\s/.test(l));
      pages.push({ markdown, line: pageLine, title: heading ? heading.replace(/^#+\s*/, "").trim() : "", blocks });
    }
    current = [];
    blocks = [];
  };

  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    if (fence) {
      if (line.trim().startsWith(fence.marker) && line.trim().replace(/[`~]/g, "") === "") {
        blocks.push({ lang: fence.lang, attrs: fence.attrs, code: fence.code.join("\n"), shown: fence.shown.join("\n"), line: fence.line });
        current.push(line);
        fence = undefined;
        continue;
      }
      // `///` hides set-up lines when shown; they still run.
      const hidden = /^\s*\/\/\/ ?/.exec(line);
      if (hidden) fence.code.push(line.slice(hidden[0].length));
      else {
        fence.code.push(line);
        fence.shown.push(line);
        current.push(line);
      }
      continue;
    }
    const open = FENCE.exec(line);
    if (open) {
      const [lang = "", ...words] = open[2].trim().split(/\s+/).filter(Boolean);
      fence = { marker: open[1], lang, attrs: parseAttrs(words.join(" ")), line: i + 1, code: [], shown: [] };
      current.push(line);
      continue;
    }
    if (/^---\s*$/.test(line)) {
      closePage();
      pageLine = i + 2;
      continue;
    }
    current.push(line);
  }
  if (fence) problems.push({ file, line: fence.line, message: "code block is not closed: add a closing ``` line" });
  closePage();
  return pages;
}

/** `run bg expect="hello world"` -> { run: true, bg: true, expect: "hello world" } */
export function parseAttrs(s: string): Record<string, string | true> {
  const attrs: Record<string, string | true> = {};
  for (const m of s.matchAll(/([\w-]+)(?:=(?:"([^"]*)"|(\S+)))?/g)) {
    attrs[m[1]] = m[2] ?? m[3] ?? true;
  }
  return attrs;
}
