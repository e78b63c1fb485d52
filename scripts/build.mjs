// Bundles src/ into dist/ as code-split ESM: the CLI entry stays small and each command's heavy
// modules (ink, the NATS client, the markdown renderer) load only when used. The NATS client
// packages and tsx stay runtime dependencies, because learner programs import them too.
import { build } from "esbuild";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const root = new URL("..", import.meta.url).pathname;
rmSync(`${root}dist`, { recursive: true, force: true });

const started = Date.now();
const result = await build({
  absWorkingDir: root,
  entryPoints: { cli: "src/cli/main.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  minify: true,
  sourcemap: "linked",
  metafile: true,
  external: Object.keys(pkg.dependencies),
  define: {
    __GOINGNATS_VERSION__: JSON.stringify(pkg.version),
    "process.env.NODE_ENV": JSON.stringify("production"),
  },
  // ink's optional dev-tools hook is never used in production; some dependencies are CommonJS and
  // call require(), which ESM output lacks.
  alias: { "react-devtools-core": `${root}scripts/stub-devtools.mjs` },
  banner: { js: "import { createRequire as __goingnatsRequire } from 'node:module'; const require = __goingnatsRequire(import.meta.url);" },
  logLevel: "warning",
});
writeFileSync(`${root}dist/meta.json`, JSON.stringify(result.metafile));

// Each exercise's checks, prebuilt so the published package needs no TypeScript compile at check time.
// They import only types from the engine, so each is a small standalone module.
const checkFiles = readdirSync(`${root}exercises`, { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`${root}exercises/${d.name}/check.ts`))
  .map((d) => d.name);
if (checkFiles.length) {
  await build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(checkFiles.map((id) => [id, `exercises/${id}/check.ts`])),
    outdir: "dist/checks",
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20",
    external: Object.keys(pkg.dependencies),
    logLevel: "warning",
  });
}
console.error(`built dist/ (${checkFiles.length} exercise checks) in ${Date.now() - started} ms`);
