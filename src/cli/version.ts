// Replaced at build time (esbuild define); read from package.json when running from source.
import { readFileSync } from "node:fs";
import { packageRoot } from "../curriculum/paths.js";

declare const __GOINGNATS_VERSION__: string | undefined;

export const VERSION: string =
  typeof __GOINGNATS_VERSION__ === "string"
    ? __GOINGNATS_VERSION__
    : (JSON.parse(readFileSync(`${packageRoot()}/package.json`, "utf8")) as { version: string }).version;
