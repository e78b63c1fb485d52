// The page on screen at quit is kept lexed for the next start; a cache that is wrong or unreadable is
// a miss, never an error.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { renderLines, seedTokens } from "../src/render/markdown.js";
import { loadPageCache, savePageCache } from "../src/tui/page-cache.js";

const home = mkdtempSync(join(tmpdir(), "goingnats-page-cache-"));
process.env.GOINGNATS_HOME = home;
after(() => rmSync(home, { recursive: true, force: true }));
const file = join(home, "state", "page-cache.json");

test("the pages drawn last are saved with their tokens", () => {
  renderLines("# Streams\n\nA stream keeps messages.", 60, { color: false });
  savePageCache();
  const saved = JSON.parse(readFileSync(file, "utf8"));
  assert.ok(saved.entries.some(([source]: [string]) => source === "# Streams\n\nA stream keeps messages."));
});

test("seeded tokens are drawn instead of lexing again", () => {
  const source = "# Not lexed\n";
  seedTokens([[source, [{ type: "paragraph", raw: "from the cache", text: "from the cache", tokens: [{ type: "text", raw: "from the cache", text: "from the cache" }] }]]]);
  assert.deepEqual(renderLines(source, 60, { color: false }), ["from the cache"]);
});

test("a corrupt or foreign cache file is ignored", () => {
  mkdirSync(join(home, "state"), { recursive: true });
  writeFileSync(file, "{ not json");
  assert.doesNotThrow(() => loadPageCache());
  writeFileSync(file, JSON.stringify({ version: "0.0.0-other", entries: [["# Other\n", []]] }));
  loadPageCache();
  assert.deepEqual(renderLines("# Other\n", 60, { color: false }), ["Other", "═════"]);
});
