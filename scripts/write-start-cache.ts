// Run by scripts/build.mjs (through tsx): what an installed package needs for a quick first start.
//   dist/start-cache.json  the parsed curriculum (src/curriculum/cache.ts: readPackagedCache)
//   dist/start-pages.json  the first lesson page, lexed (src/tui/page-cache.ts)
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { VERSION } from "../src/cli/version.js";
import { packagedCacheText } from "../src/curriculum/cache.js";
import { parseCurriculum } from "../src/curriculum/parse.js";
import { packageRoot } from "../src/curriculum/paths.js";
import { recentTokens, renderLines } from "../src/render/markdown.js";

const root = packageRoot();
const curriculum = parseCurriculum(root);
writeFileSync(join(root, "dist", "start-cache.json"), packagedCacheText(root, VERSION, curriculum));

// A first start shows lesson 1, page 1, with no namespace: lex it as the TUI will.
const first = curriculum.lessons[0]?.pages[0];
if (first) renderLines(first.markdown, 80, { vars: { ns: "", NS: "" }, color: false });
writeFileSync(join(root, "dist", "start-pages.json"), JSON.stringify({ version: VERSION, entries: recentTokens(1) }));
