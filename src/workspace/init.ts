// `goingnats init`: a folder per exercise with its starter files and a README, plus package.json,
// tsconfig.json and a node_modules copied from goingnats' own, so programs run and editors know the
// types with no install step. A learner's existing exercise files are never overwritten.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Curriculum, Exercise } from "../curriculum/types.js";
import { packageRoot } from "../curriculum/paths.js";
import { CLEAN_SLATE } from "../render/exercise-view.js";
import { substituteVars } from "../render/namespace-vars.js";
import { copyPackageClosure, type CopiedPackage } from "./node-modules.js";
import { listFiles, sameContent, stamp } from "./files.js";

export interface InitOptions {
  vars: { ns: string; NS: string };
  goingnatsVersion: string;
}

export interface InitReport {
  dir: string;
  exercises: string[];
  /** Learner files that already existed and were left alone (relative paths). */
  kept: string[];
  /** Generated files that differed and were replaced; the old one was kept as <file>.bak-<time>. */
  backedUp: string[];
  packages: CopiedPackage[];
  typesNode: boolean;
}

/** Exercises in the order a learner meets them: by lesson, then any not listed by a lesson. */
export function exercisesInOrder(c: Curriculum): Exercise[] {
  const ids = [...c.lessons.flatMap((l) => l.exercises), ...c.exercises.keys()];
  return [...new Set(ids)].map((id) => c.exercises.get(id)).filter((e): e is Exercise => !!e);
}

export function writeWorkspace(c: Curriculum, dirArg: string, opts: InitOptions): InitReport {
  const dir = resolve(dirArg);
  const report: InitReport = { dir, exercises: [], kept: [], backedUp: [], packages: [], typesNode: false };
  mkdirSync(dir, { recursive: true });

  const own = JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { dependencies?: Record<string, string> };
  const natsDeps = Object.entries(own.dependencies ?? {}).filter(([name]) => name.startsWith("@nats-io/"));

  report.packages = copyPackageClosure([...natsDeps.map(([n]) => n), "@types/node"], packageRoot(), join(dir, "node_modules"), ["@types/node"]);
  const typesNode = report.packages.find((p) => p.name === "@types/node");
  report.typesNode = !!typesNode;

  const exercises = exercisesInOrder(c);
  for (const ex of exercises) {
    const starter = join(ex.dir, "starter");
    for (const rel of listFiles(starter)) {
      const to = join(dir, ex.id, rel);
      if (existsSync(to)) {
        if (!sameContent(join(starter, rel), to)) report.kept.push(`${ex.id}/${rel}`);
        continue;
      }
      mkdirSync(join(to, ".."), { recursive: true });
      copyFileSync(join(starter, rel), to);
    }
    generated(report, dir, `${ex.id}/README.md`, exerciseReadme(ex, dir, opts.vars));
    report.exercises.push(ex.id);
  }

  const pkg = {
    name: "goingnats-workspace",
    private: true,
    type: "module",
    description: "Your goingnats exercises. Check one with: goingnats check <exercise>",
    dependencies: Object.fromEntries(natsDeps),
    ...(typesNode ? { devDependencies: { "@types/node": `^${typesNode.version}` } } : {}),
  };
  generated(report, dir, "package.json", JSON.stringify(pkg, null, 2) + "\n");
  generated(report, dir, "tsconfig.json", JSON.stringify(tsconfig(report.typesNode), null, 2) + "\n");
  // Without @types/node (a published goingnats has no dev dependencies), a few declarations keep the
  // editor from flagging every `process.env` and `console.log` in the starters.
  if (!report.typesNode) generated(report, dir, "node-globals.d.ts", NODE_GLOBALS);
  generated(report, dir, ".gitignore", "node_modules/\n*.bak-*\n");
  generated(report, dir, "README.md", topReadme(c, exercises, dir));
  // Lets `goingnats check` recognise a workspace (and which goingnats wrote it).
  generated(report, dir, ".goingnats.json", JSON.stringify({ goingnats: opts.goingnatsVersion, exercises: report.exercises }, null, 2) + "\n");
  return report;
}

/** Write a file goingnats owns; if the learner changed it, keep their copy as <file>.bak-<time>. */
function generated(report: InitReport, dir: string, rel: string, text: string): void {
  const file = join(dir, rel);
  mkdirSync(join(file, ".."), { recursive: true });
  if (existsSync(file)) {
    const old = readFileSync(file, "utf8");
    if (old === text) return;
    // Only our own metadata is replaced silently; anything else the learner may have edited is kept.
    if (rel !== ".goingnats.json") {
      copyFileSync(file, `${file}.bak-${stamp()}`);
      report.backedUp.push(rel);
    }
  }
  writeFileSync(file, text);
}

function tsconfig(typesNode: boolean): unknown {
  return {
    compilerOptions: {
      target: "ES2022",
      module: "NodeNext",
      moduleResolution: "NodeNext",
      lib: ["ES2023"],
      ...(typesNode ? { types: ["node"] } : {}),
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      allowImportingTsExtensions: true,
      verbatimModuleSyntax: false,
    },
    include: ["**/*.ts"],
    exclude: ["node_modules"],
  };
}

function exerciseReadme(ex: Exercise, dir: string, vars: { ns: string; NS: string }): string {
  const seconds = Math.round(ex.timeLimitMs / 1000);
  const how =
    ex.kind === "program"
      ? `Edit \`${ex.file}\`, then check it (goingnats runs it against the server and judges what it does on the wire, for up to ${seconds} s):`
      : `Start the check; while it watches (up to ${seconds} s), do the task from another terminal with any tool. \`${ex.file}\` is there for your notes or commands.` +
        (ex.requires.jetstream ? `\n\n${CLEAN_SLATE}` : "");
  return [
    `# ${ex.title}`,
    "",
    substituteVars(ex.prompt.trim(), vars),
    "",
    "## Check it",
    "",
    how,
    "",
    "```sh",
    `goingnats check ${ex.id} --workspace ${JSON.stringify(dir)}`,
    "```",
    "",
    `Stuck? \`goingnats hint ${ex.id}\` shows one more hint each time.`,
    "",
  ].join("\n");
}

function topReadme(c: Curriculum, exercises: Exercise[], dir: string): string {
  const byLesson = c.lessons
    .filter((l) => l.exercises.length)
    .map((l) => [`### ${l.title}`, "", ...l.exercises.filter((id) => c.exercises.has(id)).map((id) => `- \`${id}/\` — ${c.exercises.get(id)!.title}`), ""].join("\n"));
  const orphans = exercises.filter((e) => !c.lessons.some((l) => l.exercises.includes(e.id)));
  return [
    "# Your goingnats workspace",
    "",
    "One folder per exercise, with the file to edit and a README with the task.",
    "The NATS client packages are already in `node_modules/` (no `npm install` needed), and `tsconfig.json`",
    "lets your editor know their types.",
    "",
    "```sh",
    `cd ${JSON.stringify(dir)}`,
    `goingnats check <exercise> --workspace ${JSON.stringify(dir)}`,
    "goingnats hint <exercise>",
    "```",
    "",
    "To run a program yourself: `node <exercise>/<file>.ts` on Node 22.18 or newer, or `npx tsx <exercise>/<file>.ts`.",
    "Set `NATS_URL` to choose the server (`goingnats server start` prints a ready-to-paste line).",
    "",
    "## Exercises",
    "",
    ...byLesson,
    ...(orphans.length ? [...orphans.map((e) => `- \`${e.id}/\` — ${e.title}`), ""] : []),
  ].join("\n");
}

const NODE_GLOBALS = `// Written by goingnats init because @types/node was not available. Install it for the full types:
//   npm install --save-dev @types/node   (then delete this file)
declare const process: {
  env: Record<string, string | undefined>;
  argv: string[];
  exitCode: number | undefined;
  exit(code?: number): never;
  on(event: string, listener: (...args: any[]) => void): unknown;
  stdout: { write(s: string): boolean };
  stderr: { write(s: string): boolean };
};
declare const console: { log(...a: unknown[]): void; error(...a: unknown[]): void; warn(...a: unknown[]): void; info(...a: unknown[]): void };
declare function setTimeout(fn: (...args: any[]) => void, ms?: number): unknown;
declare function clearTimeout(t: unknown): void;
declare function setInterval(fn: (...args: any[]) => void, ms?: number): unknown;
declare function clearInterval(t: unknown): void;
`;
