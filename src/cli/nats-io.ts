// What pub, sub, request and reply share: the connection, the NATS CLI's body templates and
// `-H K:V` headers, stdin bodies, and printing messages the way the NATS CLI does, so a lesson that
// shows `nats sub hello` output looks the same when the learner runs `npx goingnats sub hello`.
// Loaded with `await import()` from the command actions only (it pulls in the NATS client).
import { randomBytes, randomInt } from "node:crypto";
import type { Command } from "commander";
import { headers as natsHeaders, type Msg, type MsgHdrs } from "@nats-io/transport-node";
import { CliError, EXIT } from "./exit-codes.js";
import type { Session } from "../server/session.js";

/** A status line on stderr with the NATS CLI's "15:04:05 " prefix; stdout carries messages only. */
export function log(line: string): void {
  const d = new Date();
  const clock = [d.getHours(), d.getMinutes(), d.getSeconds()].map((n) => String(n).padStart(2, "0")).join(":");
  process.stderr.write(`${clock} ${line}\n`);
}

/**
 * Connects with the global server options. A managed server is never started here: one that lives
 * only as long as `goingnats pub` would be reachable by nobody else (`goingnats server start` is the
 * way to get a server for other terminals).
 */
export async function openNats(cmd: Command, name: string, quiet: boolean): Promise<Session> {
  const { openSession } = await import("../server/session.js");
  return openSession({ ...cmd.optsWithGlobals(), noManaged: true }, { name, announce: quiet ? undefined : log });
}

/** Resolves on the first Ctrl-C or SIGTERM, so sub and reply can drain and end with exit code 0. */
export function untilStopped(): { stopped: Promise<NodeJS.Signals>; dispose(): void } {
  let resolve!: (s: NodeJS.Signals) => void;
  const stopped = new Promise<NodeJS.Signals>((r) => (resolve = r));
  const handlers = (["SIGINT", "SIGTERM", "SIGHUP"] as const).map((sig) => {
    const h = () => resolve(sig);
    process.once(sig, h);
    return [sig, h] as const;
  });
  return { stopped, dispose: () => handlers.forEach(([sig, h]) => process.off(sig, h)) };
}

// ---- templates -------------------------------------------------------------------------------

export interface TemplateVars {
  count: number;
  /** The request payload (reply only). */
  request?: string;
}

/**
 * The NATS CLI's body/subject template functions: {{Count}} {{Cnt}} {{TimeStamp}} {{Unix}}
 * {{UnixNano}} {{Time}} {{ID}} {{Random min max}} and, for reply, {{Request}}. The CLI uses Go
 * templates, so `{{ .Count }}` works too. Anything else is left as written.
 */
export function expandTemplate(text: string, vars: TemplateVars): string {
  if (!text.includes("{{")) return text;
  const now = new Date();
  return text.replace(/\{\{-?\s*\.?([A-Za-z]+)((?:\s+\d+)*)\s*-?\}\}/g, (whole, fn: string, args: string) => {
    switch (fn) {
      case "Count":
      case "Cnt":
        return String(vars.count);
      case "Unix":
        return String(Math.floor(now.getTime() / 1000));
      case "UnixNano":
        return `${now.getTime()}000000`;
      case "TimeStamp":
        return rfc3339(now);
      case "Time":
        return kitchen(now);
      case "ID":
        return uniqueId();
      case "Request":
        return vars.request ?? whole;
      case "Random": {
        const [a = 0, b = a] = args.trim().split(/\s+/).filter(Boolean).map(Number);
        return randomString(Math.min(a, b), Math.max(a, b));
      }
      default:
        return whole;
    }
  });
}

function rfc3339(d: Date): string {
  const off = -d.getTimezoneOffset();
  const pad = (n: number) => String(Math.floor(Math.abs(n))).padStart(2, "0");
  const zone = off === 0 ? "Z" : `${off > 0 ? "+" : "-"}${pad(off / 60)}:${pad(off % 60)}`;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}`;
}

/** Go's time.Kitchen: "3:04PM". */
function kitchen(d: Date): string {
  const h = d.getHours() % 12 || 12;
  return `${h}:${String(d.getMinutes()).padStart(2, "0")}${d.getHours() < 12 ? "AM" : "PM"}`;
}

const ALPHANUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

function randomString(min: number, max: number): string {
  const len = max > min ? randomInt(min, max + 1) : min;
  let s = "";
  for (let i = 0; i < len; i++) s += ALPHANUM[randomInt(ALPHANUM.length)];
  return s;
}

function uniqueId(): string {
  return [...randomBytes(22)].map((b) => ALPHANUM[b % ALPHANUM.length]).join("");
}

/**
 * Splits a command line into words the way a POSIX shell would for plain words, quotes and
 * backslashes (no variables, globs or pipes): `nats reply --command` runs programs without a shell.
 */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      if (end < 0) throw new CliError(`unmatched ' in ${JSON.stringify(line)}`, EXIT.usage);
      word += line.slice(i + 1, end);
      i = end;
      inWord = true;
    } else if (c === '"') {
      i++;
      for (; i < line.length && line[i] !== '"'; i++) {
        if (line[i] === "\\" && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) i++;
        word += line[i];
      }
      if (i >= line.length) throw new CliError(`unmatched " in ${JSON.stringify(line)}`, EXIT.usage);
      inWord = true;
    } else if (c === "\\" && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

// ---- headers and bodies ----------------------------------------------------------------------

/** `-H "K:V"` flags into NATS headers; values may use templates, like the NATS CLI. */
export function buildHeaders(flags: string[] | undefined, vars: TemplateVars): MsgHdrs | undefined {
  if (!flags?.length) return undefined;
  const h = natsHeaders();
  for (const flag of flags) {
    const i = flag.indexOf(":");
    const key = i < 0 ? "" : flag.slice(0, i).trim();
    if (!key) throw new CliError(`invalid header "${flag}": write it as KEY:VALUE, for example -H "Content-Type:text/plain"`, EXIT.usage);
    h.append(key, expandTemplate(flag.slice(i + 1).trim(), vars));
  }
  return h;
}

/**
 * Like the NATS CLI: with no BODY argument the body comes from stdin when it is piped, when the
 * learner is at a terminal (they type it, Ctrl-D ends it), or with --force-stdin.
 */
export function bodyFromStdin(bodyGiven: boolean, force: boolean | undefined): boolean {
  if (bodyGiven) return false;
  const stdinTty = process.stdin.isTTY === true;
  return !stdinTty || (stdinTty && process.stdout.isTTY === true) || force === true;
}

export async function readStdin(quiet: boolean): Promise<string> {
  if (!quiet) log(process.stdin.isTTY ? "Reading payload from STDIN (type it, then Ctrl-D)" : "Reading payload from STDIN");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

// ---- printing --------------------------------------------------------------------------------

export function headerLines(h: MsgHdrs | undefined): string[] {
  if (!h) return [];
  const lines: string[] = [];
  for (const [k, values] of h) for (const v of values) lines.push(`${k}: ${v}`);
  return lines;
}

/** The payload as the NATS CLI prints it: "nil body" for an empty one, always ending in a newline. */
export function bodyText(data: Uint8Array): string {
  if (data.length === 0) return "nil body\n";
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("utf8");
  return text.endsWith("\n") ? text : `${text}\n`;
}

/** `nats sub` output: a "[#n] Received on" line, headers, a blank line, the body, a blank line. */
export function formatReceived(m: Msg, n: number): string {
  let out = `[#${n}] Received on ${JSON.stringify(m.subject)}`;
  if (m.reply) out += ` with reply ${JSON.stringify(m.reply)}`;
  out += "\n";
  const hl = headerLines(m.headers);
  if (hl.length) out += `${hl.join("\n")}\n\n`;
  return `${out}${bodyText(m.data)}\n`;
}

export function write(text: string): void {
  process.stdout.write(text);
}

/** Client errors that are the learner's input, not a bug: say what is wrong, no stack trace. */
export function explain(err: unknown, subject: string, maxPayload?: number): never {
  const e = err as Error & { name?: string };
  if (err instanceof CliError) throw err;
  const name = e?.constructor?.name ?? e?.name ?? "";
  if (name === "InvalidSubjectError" || /invalid subject/i.test(e?.message ?? "")) {
    throw new CliError(`"${subject}" is not a valid subject: tokens are separated by dots, may not be empty or contain spaces, and wildcards (* and >) are only for subscribing`, EXIT.usage);
  }
  if (name === "PermissionViolationError" || /permissions violation/i.test(e?.message ?? "")) {
    throw new CliError(`the server refused: ${e.message} (your user may not use "${subject}")`, EXIT.server);
  }
  if (/max_payload/i.test(e?.message ?? "")) {
    throw new CliError(
      `the message is larger than the server's max_payload (${maxPayload ?? "1 MB by default"} bytes, headers included): NATS messages are meant to be small. Split it, or store it in a JetStream object store`,
      EXIT.usage,
    );
  }
  if (name === "ClosedConnectionError" || name === "DrainingConnectionError") {
    throw new CliError(`the connection to the server closed: ${e.message}`, EXIT.server);
  }
  throw err;
}
