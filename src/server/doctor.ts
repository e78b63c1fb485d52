// `goingnats doctor`: every step of server resolution and why it did or did not match, then a real
// connection to the server used (version, JetStream, round trip, namespace), and the local tools.
// It may start a managed server to test it; it always stops it before returning.
import { execFileSync } from "node:child_process";
import { CliError } from "../cli/exit-codes.js";
import { style } from "../render/style.js";
import { connectTarget } from "./connect.js";
import { INSTALL_LINES } from "./install-help.js";
import { binaryVersion, findOnPath, natsServerBinary } from "./managed-server.js";
import { namespaceFor } from "./namespace.js";
import { resolveTraced, type ResolveStep } from "./resolve.js";
import type { ServerOptions, ServerSource } from "./types.js";

export interface ToolInfo {
  installed: boolean;
  path?: string;
  version?: string;
}

export interface DoctorReport {
  ok: boolean;
  steps: ResolveStep[];
  server?: {
    url: string;
    source: ServerSource;
    detail: string;
    version?: string;
    name?: string;
    jetstream?: boolean;
    rttMs?: number;
    namespace?: string;
    /** A managed server doctor started for the test and stopped again. */
    stoppedAfterTest?: boolean;
  };
  /** What went wrong, as the CLI would print it. */
  error?: string;
  natsServer: ToolInfo;
  natsCli: ToolInfo;
  node: string;
  platform: string;
}

export async function runDoctor(opts: ServerOptions): Promise<DoctorReport> {
  const report: DoctorReport = {
    ok: false,
    steps: [],
    natsServer: natsServerInfo(),
    natsCli: natsCliInfo(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
  const r = await resolveTraced(opts, { survey: true });
  report.steps = r.steps;
  if (!r.target) {
    report.error = r.error?.message ?? "no NATS server found";
    return report;
  }
  const t = r.target;
  report.server = { url: t.url, source: t.source, detail: t.detail };
  try {
    const nc = await connectTarget(t, "goingnats doctor");
    try {
      const info = nc.info;
      report.server.version = info?.version;
      report.server.name = info?.server_name;
      report.server.jetstream = info?.jetstream === true;
      report.server.rttMs = Math.round((await nc.rtt()) * 100) / 100;
      report.server.namespace = namespaceFor(opts, t);
      report.ok = true;
    } finally {
      await nc.close().catch(() => {});
    }
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    report.error = err.message;
  } finally {
    if (t.stop) {
      await t.stop();
      report.server.stoppedAfterTest = true;
    }
  }
  return report;
}

function natsServerInfo(): ToolInfo {
  const path = natsServerBinary();
  return path ? { installed: true, path, version: binaryVersion(path) } : { installed: false };
}

function natsCliInfo(): ToolInfo {
  const path = findOnPath("nats");
  if (!path) return { installed: false };
  let version: string | undefined;
  try {
    version = execFileSync(path, ["--version"], { encoding: "utf8", timeout: 3000, stdio: ["ignore", "pipe", "pipe"] }).trim();
  } catch {
    version = undefined;
  }
  return { installed: true, path, version };
}

const MARK: Record<ResolveStep["status"], string> = {
  used: "✔ used",
  available: "• also there",
  "not found": "· not found",
  skipped: "· skipped",
  failed: "✘ failed",
};

/** The human-readable report. */
export function formatDoctor(r: DoctorReport): string {
  const out: string[] = [];
  const head = (s: string) => out.push("", style.bold(s));
  head("How goingnats looks for a NATS server (first match wins)");
  r.steps.forEach((s, i) => {
    // Pad before colouring: escape codes would count as width.
    const text = MARK[s.status].padEnd(12);
    const mark = s.status === "used" ? style.green(text) : s.status === "failed" ? style.red(text) : style.dim(text);
    out.push(`  ${i + 1}. ${s.label.padEnd(28)} ${mark}  ${s.status === "used" ? s.why : style.dim(s.why)}`);
  });

  head("Server");
  if (r.server) {
    out.push(`  URL         ${r.server.url}`);
    out.push(`  found via   ${r.server.detail}`);
    if (r.server.version) out.push(`  version     nats-server ${r.server.version}${r.server.name ? style.dim(` (${r.server.name})`) : ""}`);
    if (r.server.jetstream !== undefined) out.push(`  JetStream   ${r.server.jetstream ? style.green("on") : style.yellow("off (lessons on streams, KV and object store need it)")}`);
    if (r.server.rttMs !== undefined) out.push(`  round trip  ${r.server.rttMs < 1 ? "< 1" : r.server.rttMs} ms`);
    if (r.server.namespace !== undefined) out.push(`  namespace   ${r.server.namespace || style.dim("none (a private server: subjects are used as written)")}`);
    if (r.server.stoppedAfterTest) out.push(style.dim("  (doctor started this server to test it and has stopped it again)"));
  }
  if (r.error) out.push(`  ${style.red("✘")} ${r.error.split("\n").join("\n    ")}`);
  else if (r.ok) out.push(`  ${style.green("✔ the server works")}`);

  head("Tools");
  out.push(`  nats-server ${r.natsServer.installed ? `${r.natsServer.path}${r.natsServer.version ? ` (v${r.natsServer.version})` : ""}` : style.yellow("not installed")}`);
  if (!r.natsServer.installed) for (const l of INSTALL_LINES) out.push(style.dim(`      ${l}`));
  out.push(`  nats (CLI)  ${r.natsCli.installed ? `${r.natsCli.path}${r.natsCli.version ? ` (${r.natsCli.version})` : ""}` : style.dim("not installed (optional: lessons work without it; https://github.com/nats-io/natscli)")}`);
  out.push(`  Node.js     ${r.node} on ${r.platform}`);
  return out.join("\n").replace(/^\n/, "") + "\n";
}
