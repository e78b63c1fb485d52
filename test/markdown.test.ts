// The terminal markdown renderer: prose fits the width, code never wraps, tables fit, no colour when off.
import { test } from "node:test";
import assert from "node:assert/strict";
import stringWidth from "string-width";
import { renderLines, renderMarkdown } from "../src/render/markdown.js";
import { style } from "../src/render/style.js";

const LONG_COMMAND = 'nats pub orders.eu.north.created "a long message body that must never be wrapped because learners copy it" --count 1000';

const DOC = `# A heading that is long enough to need wrapping at a narrow width, surely

Publishers send messages on **subjects**, subscribers _receive_ them, and the \`nats-server\` connects the two without either knowing where the other one runs. See [the docs](https://docs.nats.io/nats-concepts/subjects).

\`\`\`sh
/// export HIDDEN_SETUP=1
${LONG_COMMAND}
\`\`\`

> A quotation that is long enough to wrap, about location independence and M:N messaging.

---

| Subject | Matches | Why |
|---|:-:|--:|
| orders.* | orders.eu | one token, exactly one, never more and never fewer than one |
| orders.> | orders.eu.north | one or more tokens at the end of the subject |
`;

/** Lines inside code blocks (between the ╭─ and ╰─ frame lines) may be wider than the pane. */
function codeLines(lines: string[]): Set<number> {
  const inside = new Set<number>();
  let open = false;
  lines.forEach((l, i) => {
    if (l.startsWith("╭─")) open = true;
    else if (l.startsWith("╰─")) open = false;
    else if (open) inside.add(i);
  });
  return inside;
}

for (const width of [40, 60, 80, 120]) {
  test(`every line but code fits in ${width} columns`, () => {
    const lines = renderLines(DOC, width, { color: false });
    const code = codeLines(lines);
    for (const [i, l] of lines.entries()) if (!code.has(i)) assert.ok(stringWidth(l) <= width, `${stringWidth(l)} > ${width}: ${JSON.stringify(l)}`);
  });
}

test("a long command in a code block stays on one line, and hidden /// lines are not shown", () => {
  const lines = renderLines(DOC, 40, { color: false });
  assert.ok(lines.some((l) => l === `│ ${LONG_COMMAND}`), lines.join("\n"));
  assert.ok(!lines.join("\n").includes("HIDDEN_SETUP"));
});

test("links show their URL; inline code keeps backticks without colour", () => {
  const out = renderMarkdown(DOC, 200, { color: false });
  assert.match(out, /the docs\s+\(https:\/\/docs\.nats\.io\/nats-concepts\/subjects\)/);
  assert.match(out, /`nats-server`/);
});

test("no escape codes without colour, whether asked for or following style (NO_COLOR)", () => {
  assert.ok(!renderMarkdown(DOC, 60, { color: false }).includes("\x1b"));
  const before = style.level;
  try {
    style.level = 0;
    assert.ok(!renderMarkdown(DOC, 60).includes("\x1b"));
    style.level = 1;
    const coloured = renderMarkdown(DOC, 60);
    assert.ok(coloured.includes("\x1b["), "colour is on when style has a level");
    // Colour must not change what the learner copies out of a code block.
    assert.ok(coloured.split("\n").some((l) => l.replace(/\x1b\[[0-9;]*m/g, "") === `│ ${LONG_COMMAND}`));
  } finally {
    style.level = before;
  }
});

test("tables shrink their columns and wrap cells to fit", () => {
  const all = renderLines(DOC, 60, { color: false });
  const code = codeLines(all);
  const lines = all.filter((l, i) => /^[┌│├└]/.test(l) && !code.has(i));
  assert.ok(lines.length > 4, "drawn as a table");
  for (const l of lines) assert.ok(stringWidth(l) <= 60, l);
  assert.ok(lines.every((l) => stringWidth(l) === stringWidth(lines[0])), "all rows the same width");
  assert.ok(lines.some((l) => l.includes("orders.*")), "subjects are not broken");
});

test("a table that must shrink keeps short columns as they are and identifiers whole; prose wraps", () => {
  const md = [
    "| Subject | Stored | What happens |",
    "| --- | --- | --- |",
    "| `orders.eu.created` | yes | The stream keeps the message until a limit or a consumer's ack removes it, depending on the retention policy. |",
    "| `metrics.cpu.load` | no | Nobody stores it: subscribers that are not connected at that moment never see it. |",
    "| `nats sub \"orders.>\" --queue workers` | no | One worker of the group gets each message. |",
  ].join("\n");
  const lines = renderLines(md, 64, { color: false });
  for (const l of lines) assert.ok(stringWidth(l) <= 64, l);
  const header = lines.find((l) => l.includes("Subject"))!;
  const cols = header.split("│").slice(1, -1).map((c) => c.length - 2);
  assert.equal(cols[1], "Stored".length, `the yes/no column keeps its natural width: ${header}`);
  assert.ok(lines.some((l) => l.includes("orders.eu.created")) && lines.some((l) => l.includes("metrics.cpu.load")), "identifiers are not broken");
  assert.ok(lines.some((l) => l.includes('nats sub "orders.>" --queue workers')), `a command in inline code stays on one line:\n${lines.join("\n")}`);
  assert.equal(stringWidth(header), 64, "the prose column takes the room that is left");
});

test("inline code moves to the next line whole rather than breaking at its spaces; copied text has real spaces", () => {
  const md = "To listen, run `nats sub \"orders.>\" --queue workers` in a second terminal and keep it running while you publish.";
  for (const color of [false, true]) {
    const lines = renderLines(md, 40, { color }).map((l) => l.replace(/\x1b\[[0-9;]*m/g, ""));
    assert.ok(lines.some((l) => l.includes('nats sub "orders.>" --queue workers')), lines.join("\n"));
    assert.ok(!lines.join("").includes("\uE000"), "no stand-in characters reach the screen");
    for (const l of lines) assert.ok(stringWidth(l) <= 40, l);
  }
  // Longer than a line: broken, as it must be.
  const long = renderLines("`" + "x.".repeat(40) + "y`", 30, { color: false });
  for (const l of long) assert.ok(stringWidth(l) <= 30, l);
});

test("a table too wide for any column layout becomes key: value rows", () => {
  const lines = renderLines(DOC, 24, { color: false });
  const out = lines.join("\n");
  assert.match(out, /Subject: orders\.\*/);
  assert.match(out, /Matches: orders\.eu\.north/);
  const code = codeLines(lines);
  for (const [i, l] of lines.entries()) if (!code.has(i)) assert.ok(stringWidth(l) <= 24, l);
});

test("nested and ordered lists indent each level", () => {
  const md = "- outer\n  - inner\n    1. first\n    2. second\n- next\n\n3. three\n4. four\n";
  const lines = renderLines(md, 60, { color: false });
  assert.deepEqual(lines, ["• outer", "  ◦ inner", "    1. first", "    2. second", "• next", "", "3. three", "4. four"]);
});

test("long list items wrap under their own text", () => {
  const lines = renderLines(`- ${"word ".repeat(30)}`, 30, { color: false });
  assert.ok(lines.length > 2);
  assert.ok(lines.slice(1).every((l) => l.startsWith("  word")));
  assert.ok(lines.every((l) => stringWidth(l) <= 30));
});

test("{{ns}} and {{NS}} are replaced (empty by default)", () => {
  const md = "Publish to `{{ns}}hello.world`; stream `{{NS}}ORDERS`.";
  assert.equal(renderMarkdown(md, 80, { color: false }), "Publish to `hello.world`; stream `ORDERS`.");
  assert.equal(renderMarkdown(md, 80, { color: false, vars: { ns: "alice.", NS: "ALICE_" } }), "Publish to `alice.hello.world`; stream `ALICE_ORDERS`.");
});

test("headings and horizontal rules fit the width", () => {
  const lines = renderLines("# Title\n\ntext\n\n---\n\nmore", 30, { color: false });
  assert.deepEqual(lines.slice(0, 2), ["Title", "═════"]);
  assert.ok(lines.includes("─".repeat(30)));
});
