// Bundles src/ into dist/ as code-split ESM: the CLI entry stays small and each command's heavy
// modules (ink, the NATS client, the markdown renderer) load only when used. The NATS client
// packages and tsx stay runtime dependencies, because learner programs import them too.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";

const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const root = new URL("..", import.meta.url).pathname;
rmSync(`${root}dist`, { recursive: true, force: true });

// yoga-layout (ink's layout engine) embeds its wasm as a data: URL and reads it with fetch(), which
// makes Node load its whole HTTP client (undici, ~40 ms) just to decode base64. Decode it directly.
const yogaWithoutFetch = {
  name: "yoga-without-fetch",
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, (args) => {
      const src = readFileSync(args.path, "utf8");
      const from = 'function ya(){return w||"function"!=typeof fetch?';
      const decode = 'var b=xa(a.slice(37)),c=new Uint8Array(b.length);for(a=0;a<b.length;++a)c[a]=b.charCodeAt(a);var d=c';
      if (!src.includes(from) || !src.includes(decode)) {
        console.error("build: yoga-layout changed; its wasm is loaded through fetch() again (slower start)");
        return { contents: src, loader: "js" };
      }
      return { contents: src.replace(from, "function ya(){return !0?").replace(decode, 'var d=new Uint8Array(Buffer.from(a.slice(37),"base64"))'), loader: "js" };
    });
  },
};

// string-width builds /^\p{RGI_Emoji}$/v when it is imported: ~40 ms of V8 regex parsing before the first
// frame, for a test that only emoji and other rare clusters reach. Build it on first use instead.
const lazyEmojiRegex = {
  name: "lazy-emoji-regex",
  setup(b) {
    b.onLoad({ filter: /[\\/]string-width[\\/]index\.js$/ }, (args) => {
      const src = readFileSync(args.path, "utf8");
      const eager = "const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;";
      if (!src.includes(eager)) {
        console.error("build: string-width changed; its emoji regex is built at start-up again (slower start)");
        return { contents: src, loader: "js" };
      }
      const lazy = "let rgiEmoji; const rgiEmojiRegex = { test: (s) => (rgiEmoji ??= /^\\p{RGI_Emoji}$/v).test(s) };";
      return { contents: src.replace(eager, lazy), loader: "js" };
    });
  },
};

// Every `string-width` import (ink's, wrap-ansi's, ours) gets our version, so all widths agree,
// wrapped in the quick path of src/render/fast-string-width.ts (why: see that file).
const fastStringWidth = {
  name: "fast-string-width",
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, async (args) => {
      if (args.namespace === "fast-string-width") return undefined;
      const real = await b.resolve("string-width", { resolveDir: root, kind: args.kind, namespace: "fast-string-width" });
      if (real.errors.length) return { errors: real.errors };
      return { path: real.path, namespace: "fast-string-width" };
    });
    b.onLoad({ filter: /.*/, namespace: "fast-string-width" }, (args) => ({
      contents: `import exact from ${JSON.stringify(args.path)}; import { fastWidth } from ${JSON.stringify(`${root}src/render/fast-string-width.ts`)}; export default fastWidth(exact);`,
      resolveDir: root,
      loader: "js",
    }));
  },
};

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
  minify: !process.env.GOINGNATS_BUILD_READABLE,
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
  plugins: [yogaWithoutFetch, fastStringWidth, lazyEmojiRegex],
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
// The parsed curriculum and the first page, for an installed package's first start (see the script).
const startCache = spawnSync(process.execPath, ["--import", "tsx", "scripts/write-start-cache.ts"], { cwd: root, stdio: "inherit" });
if (startCache.status !== 0) process.exit(startCache.status ?? 1);
console.error(`built dist/ (${checkFiles.length} exercise checks) in ${Date.now() - started} ms`);
