// `npm pack` must produce a package that works on its own: pack, install the tarball into an empty
// project from the registry (as `npx goingnats` would), and run the installed bin. Skips, saying why,
// when the npm registry cannot be reached.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = new URL("..", import.meta.url).pathname;
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string; scripts: Record<string, string> };
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** npm errors that mean "no network", not "broken package". */
const OFFLINE = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network|socket hang up|request to .* failed/i;

test("npm pack makes a package that installs and runs on its own", { timeout: 240_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "goingnats-pack-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false", npm_config_audit: "false" };

  // `npm test` has just built dist/. prepack would rebuild it (deleting dist/ while other tests may
  // read it), so pack what is built and check that prepack is there for real publishes.
  assert.match(pkg.scripts.prepack ?? "", /build/, "package.json needs a prepack script that builds dist/");
  if (!existsSync(join(root, "dist/cli.js"))) await run(process.execPath, [join(root, "scripts/build.mjs")], { cwd: root });
  const packed = await run(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", dir], { cwd: root, env, maxBuffer: 16 << 20 });
  const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; size: number; unpackedSize: number; files: Array<{ path: string }> }>;
  const files = info!.files.map((f) => f.path);

  assert.ok(files.includes("bin/goingnats.js"), "bin/goingnats.js is in the package");
  assert.ok(files.includes("dist/cli.js"), "dist/cli.js is in the package");
  for (const file of ["dist/start-cache.json", "dist/start-pages.json"]) assert.ok(files.includes(file), `${file} (the first start's caches) is in the package`);
  for (const folder of ["dist/", "lessons/", "exercises/"]) {
    assert.ok(files.some((f) => f.startsWith(folder)), `${folder} is in the package`);
  }
  for (const folder of ["src/", "test/", "bench/", ".ci/", "node_modules/"]) {
    assert.deepEqual(files.filter((f) => f.startsWith(folder)), [], `${folder} is not in the package`);
  }
  t.diagnostic(`tarball ${(info!.size / 1024).toFixed(0)} KiB packed, ${(info!.unpackedSize / 1024).toFixed(0)} KiB unpacked, ${files.length} files`);

  // A fresh project with nothing but the tarball, installed from the registry like a learner's npx.
  const project = join(dir, "project");
  await run("mkdir", ["-p", project]);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "goingnats-pack-try", private: true, version: "0.0.0" }));
  // Find out quickly whether the registry answers: npm's own retries take minutes when it does not.
  try {
    await run(npm, ["ping", "--fetch-retries=0", "--fetch-timeout=15000"], { cwd: project, env, timeout: 20_000 });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    const why = (e.stderr ?? e.message).split("\n").find((l) => /error/i.test(l)) ?? e.message;
    t.skip(`the npm registry is unreachable, so the tarball cannot be installed here (${why.trim()})`);
    return;
  }
  const started = Date.now();
  try {
    await run(npm, ["install", join(dir, info!.filename), "--no-audit", "--no-fund", "--no-package-lock"], { cwd: project, env, timeout: 200_000, maxBuffer: 16 << 20 });
  } catch (err) {
    const e = err as Error & { stderr?: string };
    const text = `${e.message}\n${e.stderr ?? ""}`;
    if (OFFLINE.test(text)) {
      t.skip(`the npm registry is unreachable, so the tarball cannot be installed here (${text.match(OFFLINE)![0]})`);
      return;
    }
    throw err;
  }
  t.diagnostic(`npm install of the tarball: ${Date.now() - started} ms`);

  const bin = join(project, "node_modules/.bin/goingnats");
  const home = join(dir, "home");
  const cliEnv: NodeJS.ProcessEnv = { ...process.env, GOINGNATS_HOME: home, NO_COLOR: "1" };
  delete cliEnv.NATS_URL;

  const version = await run(bin, ["--version"], { cwd: project, env: cliEnv });
  assert.equal(version.stdout.trim(), pkg.version);

  // `list` reads the lessons and exercises shipped inside the package (exit code 0 or it throws).
  const list = await run(bin, ["list"], { cwd: project, env: cliEnv });
  assert.ok(list.stdout.trim().length > 0, "list prints something");

  const help = await run(bin, ["pub", "--help"], { cwd: project, env: cliEnv });
  assert.match(help.stdout, /--header/);
});
