// The curriculum an installed package ships (dist/start-cache.json) is used for its first start,
// wherever it is installed, and never when its content differs or in a checkout.
import assert from "node:assert/strict";
import { appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, beforeEach, test } from "node:test";
import { VERSION } from "../src/cli/version.js";
import { packagedCacheText } from "../src/curriculum/cache.js";
import { loadCurriculum } from "../src/curriculum/load.js";
import { parseCurriculum } from "../src/curriculum/parse.js";

const fixture = new URL("./fixtures/learner", import.meta.url).pathname;
const temp = mkdtempSync(join(tmpdir(), "goingnats-packaged-"));
after(() => rmSync(temp, { recursive: true, force: true }));
let n = 0;

/** A copy of the fixture content laid out like an installed package, with the cache its build wrote. */
function installed(): { root: string; title: string } {
  const build = join(temp, `build-${++n}`);
  cpSync(fixture, build, { recursive: true });
  const c = parseCurriculum(build);
  // Marked, so a test can tell the shipped copy from a fresh parse.
  const title = `${c.lessons[0].title} (shipped)`;
  c.lessons[0] = { ...c.lessons[0], title };
  const text = packagedCacheText(build, VERSION, c);
  // Installed somewhere else than where it was built.
  const root = join(temp, `installed-${n}`);
  cpSync(build, root, { recursive: true });
  mkdirSync(join(root, "dist"));
  writeFileSync(join(root, "dist", "start-cache.json"), text);
  return { root, title };
}

beforeEach(() => {
  process.env.GOINGNATS_HOME = join(temp, `home-${++n}`);
});

test("the first start of an installed package uses the shipped curriculum, with paths where it is now", async () => {
  const { root, title } = installed();
  const c = await loadCurriculum(root);
  assert.equal(c.lessons[0].title, title);
  assert.equal(c.root, root);
  for (const ex of c.exercises.values()) assert.ok(ex.dir.startsWith(root), ex.dir);
  assert.ok(existsSync(join(process.env.GOINGNATS_HOME!, "state", "curriculum-cache.json")), "kept as the local cache");
});

test("content that differs from what was shipped is parsed instead", async () => {
  const { root, title } = installed();
  appendFileSync(join(root, "lessons", parseCurriculum(root).lessons[0].file.split("/").pop()!), "\nOne more line.\n");
  const c = await loadCurriculum(root);
  assert.notEqual(c.lessons[0].title, title);
});

test("a checkout (src/ present) never uses the shipped copy", async () => {
  const { root, title } = installed();
  mkdirSync(join(root, "src"));
  const c = await loadCurriculum(root);
  assert.notEqual(c.lessons[0].title, title);
});
