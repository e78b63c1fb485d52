// Loads exercises/<id>/check.ts. The published package ships them prebuilt in dist/checks/; from
// source (and for instructors' own content) tsx compiles them on the fly.
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot } from "../curriculum/paths.js";
import type { Exercise } from "../curriculum/types.js";
import type { Check } from "./types.js";

export class CheckFileError extends Error {}

export async function loadChecks(exercise: Exercise): Promise<Check[]> {
  let mod: { checks?: unknown };
  try {
    mod = await importCheckFile(exercise);
  } catch (err) {
    throw new CheckFileError(`${exercise.checkFile}: could not load the checks: ${(err as Error).message}`);
  }
  const checks = mod.checks;
  if (!Array.isArray(checks) || checks.length === 0) {
    throw new CheckFileError(`${exercise.checkFile}: should export \`checks\`, a non-empty list of checks`);
  }
  checks.forEach((c: Partial<Check>, i) => {
    if (!c || typeof c.name !== "string" || typeof c.idea !== "string" || typeof c.run !== "function") {
      throw new CheckFileError(`${exercise.checkFile}: check ${i + 1} needs a name, an idea and a run function`);
    }
  });
  return checks as Check[];
}

async function importCheckFile(exercise: Exercise): Promise<{ checks?: unknown }> {
  const root = packageRoot();
  const rel = relative(join(root, "exercises"), exercise.dir);
  const prebuilt = join(root, "dist", "checks", `${rel}.js`);
  if (!rel.startsWith("..") && existsSync(prebuilt) && import.meta.url.includes("/dist/")) {
    return import(pathToFileURL(prebuilt).href);
  }
  const { tsImport } = await import("tsx/esm/api");
  return tsImport(pathToFileURL(exercise.checkFile).href, import.meta.url);
}
