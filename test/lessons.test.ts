// Every runnable code block of every lesson runs against a real nats-server, page by page, as a
// learner would run it: a lesson that shows broken code fails here, with file:line and output.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { parseLesson } from "../src/curriculum/lesson.js";
import type { ContentProblem } from "../src/curriculum/types.js";
import { createBlockRunner, isRunnable, REPO } from "./helpers/run-blocks.js";
import { startTestServer } from "./helpers/test-server.js";

const dir = join(REPO, "lessons");
const files = readdirSync(dir).filter((n) => n.endsWith(".md")).sort();

// Parse everything and start the servers before registering any test: the runner starts tests as
// they are registered, and a top-level await between registrations would interleave with them.
const lessons = await Promise.all(
  files.map(async (name) => {
    const file = join(dir, name);
    const problems: ContentProblem[] = [];
    const lesson = parseLesson(readFileSync(file, "utf8"), file, Number.parseInt(name, 10), problems);
    const pages = lesson?.pages.filter((p) => p.blocks.some(isRunnable)) ?? [];
    // One server per lesson file (the helper stops it when the file ends): pages share it, as a
    // learner's pages share their one server.
    const runner = lesson && pages.length ? await createBlockRunner((await startTestServer({ jetstream: lesson.requires.jetstream })).url) : undefined;
    return { name, file, problems, lesson, pages, runner };
  }),
);

test("there are lessons to run", () => {
  assert.ok(files.length > 0, `no lessons in ${dir}`);
});

for (const { name, file, problems, lesson, pages, runner } of lessons) {
  if (runner) after(() => runner.close());
  describe(`lesson ${name}`, () => {
    test("parses without problems, every page has a heading", () => {
      assert.deepEqual(problems.map((p) => `${p.file}:${p.line}: ${p.message}`), []);
      assert.ok(lesson);
      for (const page of lesson.pages) assert.ok(page.title, `${file}:${page.line}: a page should start with a ## heading`);
    });
    for (const page of pages) {
      const count = page.blocks.filter(isRunnable).length;
      test(`page "${page.title}" (line ${page.line}): ${count} block${count === 1 ? "" : "s"} run`, { timeout: 90_000 }, async () => {
        await runner!.runPage(page, file);
      });
    }
  });
}

describe("the block runner itself", () => {
  // Proves the runner fails loudly: a lesson test that cannot fail proves nothing.
  const page = (blocks: Array<{ lang: string; code: string; attrs?: Record<string, string | true> }>) => ({
    markdown: "",
    line: 1,
    title: "synthetic",
    blocks: blocks.map((b, i) => ({ lang: b.lang, code: b.code, shown: b.code, attrs: b.attrs ?? {}, line: 10 + i })),
  });

  test("a wrong expect, a failing command and a silent background block are reported with file:line", async () => {
    const server = await startTestServer({ jetstream: false });
    // A short wait for the block that never prints: its absence is the point.
    const runner = await createBlockRunner(server.url, { backgroundExpectMs: 1500 });
    try {
      await assert.rejects(runner.runPage(page([{ lang: "ts", code: 'console.log("hello")', attrs: { expect: "goodbye" } }]), "/x/lesson.md"), /lesson\.md:10: ts block output does not contain "goodbye"[\s\S]*hello/);
      await assert.rejects(runner.runPage(page([{ lang: "sh", code: "echo about to fail; false" }]), "/x/lesson.md"), /lesson\.md:10: sh block exited with code 1[\s\S]*about to fail/);
      await assert.rejects(
        runner.runPage(page([{ lang: "sh", code: 'nats sub "{{ns}}quiet.subject"', attrs: { bg: true, expect: "never sent" } }, { lang: "sh", code: "nats pub other.subject hi" }]), "/x/lesson.md"),
        /lesson\.md:10: sh block background block never printed "never sent"/,
      );
      await runner.runPage(page([{ lang: "sh", code: 'nats sub "{{ns}}a.*" --count 1', attrs: { bg: true, expect: "payload-ok" } }, { lang: "sh", code: "nats pub a.b payload-ok" }]), "/x/lesson.md");
    } finally {
      await runner.close();
    }
  });
});
