// The build's quick path for string-width must agree with string-width itself, or ink would misplace
// what it draws. Every code point the quick path claims is checked, alone and in company.
import assert from "node:assert/strict";
import { test } from "node:test";
import exact from "string-width";
import { fastWidth, ONE_COLUMN } from "../src/render/fast-string-width.js";

const fast = fastWidth(exact);

test("every code point on the quick path is one column wide for string-width too", () => {
  const wrong: string[] = [];
  for (let cp = 0; cp <= 0x2fff; cp++) {
    const ch = String.fromCodePoint(cp);
    if (ONE_COLUMN.test(ch) && exact(ch) !== 1) wrong.push(`U+${cp.toString(16).toUpperCase()} ${ch}: ${exact(ch)}`);
  }
  assert.deepEqual(wrong, []);
});

test("mixed text, colour codes and wide characters agree with string-width", () => {
  const samples = [
    "",
    "plain ascii",
    "\x1b[1m\x1b[36m▸ Lesson 1 · Hello NATS\x1b[39m\x1b[22m",
    "╭─ sh ─╮ │ ┃ ✓ ✗ ● ⠋ → … ▶ ▪ ⊘ ◐",
    "日本語 and emoji 🚀 ✅ ◽",
    "soft\u00adhyphen and zero\u200bwidth",
    "combining e\u0301",
  ];
  for (const s of samples) assert.equal(fast(s), exact(s), JSON.stringify(s));
  // Asked to count ambiguous characters as wide, box drawing takes two columns: the exact path.
  assert.equal(fast("│", { ambiguousIsNarrow: false }), exact("│", { ambiguousIsNarrow: false }));
});
