// Copies the NATS client packages (and everything they need) from goingnats' own node_modules into a
// workspace, so learner programs import them exactly as a real project does, with no install step.
import { cpSync, existsSync, readFileSync, realpathSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join, sep } from "node:path";

interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
}

export interface CopiedPackage {
  name: string;
  version: string;
  /** Folder inside the workspace's node_modules, e.g. "@nats-io/nkeys". */
  target: string;
}

/**
 * Find the folder of package `name` as Node would from `fromDir`. Resolving "<name>/package.json" fails
 * for packages whose "exports" hide it (the @nats-io ones), so walk the lookup paths instead.
 */
export function findPackageDir(name: string, fromDir: string): string | undefined {
  const req = createRequire(join(fromDir, "noop.js"));
  for (const base of req.resolve.paths(name) ?? []) {
    const dir = join(base, name);
    if (existsSync(join(dir, "package.json"))) return dir;
  }
  return undefined;
}

/**
 * Copy `roots` and their dependency closure (each package.json's "dependencies") from `fromDir`'s
 * resolution into `nodeModules`. A package is flat (node_modules/<name>) unless another version of the
 * same name is already there; then it nests under the package that needs it, as npm would.
 * Missing optional roots are skipped; a missing dependency of a copied package is an error.
 */
export function copyPackageClosure(roots: string[], fromDir: string, nodeModules: string, optional: string[] = []): CopiedPackage[] {
  const copied: CopiedPackage[] = [];
  const flat = new Map<string, string>(); // name -> version placed at top level
  const visit = (name: string, from: string, parentTarget: string | undefined, required: boolean) => {
    const src = findPackageDir(name, from);
    if (!src) {
      if (required) throw new Error(`cannot find package ${name} (needed from ${from}); reinstall goingnats`);
      return;
    }
    const pkg = JSON.parse(readFileSync(join(src, "package.json"), "utf8")) as PackageJson;
    let target: string;
    const placed = flat.get(name);
    if (placed === undefined) {
      target = name;
      flat.set(name, pkg.version);
    } else if (placed === pkg.version) {
      return; // already there
    } else {
      if (!parentTarget) return;
      target = `${parentTarget}/node_modules/${name}`;
      if (copied.some((c) => c.target === target)) return;
    }
    const dest = join(nodeModules, ...target.split("/"));
    rmSync(dest, { recursive: true, force: true });
    // Dependencies are copied explicitly (next), so skip any nested node_modules of the source.
    cpSync(src, dest, {
      recursive: true,
      dereference: true,
      filter: (s) => !s.slice(src.length).split(sep).includes("node_modules"),
    });
    copied.push({ name, version: pkg.version, target });
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, realDir(src), target, true);
  };
  for (const name of roots) visit(name, fromDir, undefined, !optional.includes(name));
  return copied;
}

/** Resolution must continue from where the package really lives (pnpm and npm link use symlinks). */
function realDir(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}
