// Builds the CheckContext a check runs with, and remembers everything the check touched so the
// engine can report it (timeline, program output) and undo it (subscriptions, programs, defer()).
import { headers as natsHeaders, RequestError, TimeoutError, type Msg, type MsgHdrs, type Subscription } from "@nats-io/transport-node";
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from "@nats-io/jetstream";
import { Kvm } from "@nats-io/kv";
import { Objm } from "@nats-io/obj";
import type { Exercise } from "../curriculum/types.js";
import type { Session } from "../server/session.js";
import { fetchConnections } from "./connz.js";
import { namespaceVars } from "../render/namespace-vars.js";
import { runProgram, type RunningProgram } from "./program-runner.js";
import type {
  CheckContext,
  ConnectionInfo,
  FailureDetails,
  ProgramHandle,
  RequestOutcome,
  SeenMessage,
  StartProgramOptions,
  SubscriptionInfo,
  TimelineEntry,
  Watcher,
} from "./types.js";

/** Thrown by ctx.fail(), by a crashed program, a flood or the time limit. */
export class CheckFailure extends Error {
  constructor(readonly details: FailureDetails) {
    super(details.expected);
  }
}

export interface ContextOptions {
  session: Session;
  exercise: Exercise;
  /** Where the learner's file is (their workspace folder, or starter/ or solution/ in tests). */
  programDir: string;
  /** A command line that replaces the exercise's file (`--run "python main.py"`). */
  runCommand?: string;
  startedAt: number;
  deadline: number;
  signal: AbortSignal;
  onProgress(text: string): void;
  onWaiting(text: string): void;
}

const MAX_TIMELINE = 400;
const FLOOD_MESSAGES = 10_000;
const MAX_PROGRAM_OUTPUT = 1024 * 1024;

export interface ContextRun {
  ctx: CheckContext;
  timeline: TimelineEntry[];
  programs: RunningProgram[];
  /** Rejects with a CheckFailure when something outside the check's own code goes wrong (crash, flood). */
  interrupted: Promise<never>;
  /** Stop programs, unsubscribe, run deferred clean-ups. Never throws. */
  cleanup(): Promise<void>;
}

export function createContext(o: ContextOptions): ContextRun {
  const { session } = o;
  const nc = session.nc;
  const timeline: TimelineEntry[] = [];
  let dropped = 0;
  const subs: Subscription[] = [];
  const programs: RunningProgram[] = [];
  const starting = new Set<Promise<unknown>>();
  const claimed = new Set<number>();
  const deferred: Array<() => unknown> = [];
  let finished = false;
  let interrupt!: (f: CheckFailure) => void;
  const interrupted = new Promise<never>((_, reject) => (interrupt = reject));
  interrupted.catch(() => {});

  const now = () => Date.now() - o.startedAt;
  const prefix = session.prefix;
  const namePrefix = namespaceVars(session.namespace).NS;
  const myCid = () => nc.info?.client_id;

  const record = (e: Omit<TimelineEntry, "atMs">) => {
    if (timeline.length >= MAX_TIMELINE) {
      dropped++;
      return;
    }
    timeline.push({ atMs: now(), ...e });
  };
  const unprefix = (s: string) => (prefix && s.startsWith(prefix) ? s.slice(prefix.length) : s);
  const recordMsg = (direction: "in" | "out", m: { subject: string; reply?: string; headers?: MsgHdrs; data: Uint8Array }) =>
    record({ direction, subject: unprefix(m.subject), reply: m.reply || undefined, headers: headersToRecord(m.headers), data: preview(m.data), size: m.data.length });
  const seen = (m: Msg): SeenMessage => ({
    subject: m.subject,
    reply: m.reply || undefined,
    headers: m.headers,
    data: m.data,
    text: new TextDecoder().decode(m.data),
    atMs: now(),
    msg: m,
  });
  const remainingMs = () => Math.max(0, o.deadline - Date.now());
  const connections = async (): Promise<ConnectionInfo[]> => (await fetchConnections(nc)).filter((c) => c.cid !== myCid());

  // Subscriptions a check makes directly on ctx.nc (a responder it plays) end with the check too.
  const trackedNc = new Proxy(nc, {
    get(target, prop) {
      if (prop === "subscribe") {
        return (...args: Parameters<typeof nc.subscribe>) => {
          const sub = target.subscribe(...args);
          subs.push(sub);
          return sub;
        };
      }
      const v = Reflect.get(target, prop, target);
      return typeof v === "function" ? v.bind(target) : v;
    },
  });

  const ctx: CheckContext = {
    nc: trackedNc,
    ns: session.namespace,
    subject: (s) => prefix + s,
    name: (s) => namePrefix + s,
    unprefix,
    signal: o.signal,
    remainingMs,
    progress: (text) => o.onProgress(text),
    waiting: (text) => o.onWaiting(text),
    fail(details): never {
      throw new CheckFailure(details);
    },
    note: (text) => record({ direction: "note", subject: "", data: text, size: 0 }),

    watch(subject, opts = {}): Watcher {
      const sub = nc.subscribe(subject, { queue: opts.queue });
      subs.push(sub);
      const messages: SeenMessage[] = [];
      const listeners = new Set<() => void>();
      // A wildcard watch (">") also sees the checker's own questions to the server (who is connected,
      // $SYS.REQ...CONNZ) and their answers: not the learner's messages, so neither counted nor shown.
      const lookups = new Set<string>();
      const ownLookup = (m: Msg) => {
        if (subject.startsWith("$SYS.")) return false;
        if (m.subject.startsWith("$SYS.")) {
          if (m.reply) lookups.add(m.reply);
          return true;
        }
        return lookups.delete(m.subject);
      };
      (async () => {
        for await (const m of sub) {
          if (ownLookup(m)) continue;
          recordMsg("in", m);
          messages.push(seen(m));
          if (messages.length > FLOOD_MESSAGES) {
            sub.unsubscribe();
            interrupt(
              new CheckFailure({
                expected: `a handful of messages on ${unprefix(subject)}`,
                seen: `more than ${FLOOD_MESSAGES.toLocaleString("en")} messages in ${(now() / 1000).toFixed(1)} s: a flood`,
                idea: "Publishing is fire-and-forget: a loop with no pause or end publishes as fast as the network allows",
                hint: "Look for a publish inside a loop with no exit condition, or a handler that publishes to a subject it also subscribes to (it feeds itself).",
              }),
            );
          }
          for (const l of listeners) l();
        }
      })().catch(() => {});
      const label = opts.label ?? "messages";
      return {
        subject,
        messages,
        stop: () => sub.unsubscribe(),
        waitFor(count, w = {}) {
          const matching = () => (w.filter ? messages.filter(w.filter) : messages);
          // ">" alone reads as a stray character (also "alice.>" shown without the namespace).
          const where = unprefix(subject) === ">" ? "any subject" : unprefix(subject);
          const report = () => o.onProgress(`${label}: seen ${Math.min(matching().length, count)} of ${count} on ${where}`);
          report();
          if (matching().length >= count) return Promise.resolve(matching().slice(0, count));
          return new Promise((resolve) => {
            const done = () => {
              listeners.delete(onMsg);
              clearTimeout(timer);
              o.signal.removeEventListener("abort", done);
              resolve(matching().slice(0, count));
            };
            const onMsg = () => {
              report();
              if (matching().length >= count) done();
            };
            const timer = setTimeout(done, Math.min(w.timeoutMs ?? Infinity, remainingMs()));
            o.signal.addEventListener("abort", done);
            listeners.add(onMsg);
          });
        },
      };
    },

    publish(subject, data = "", opts = {}) {
      const payload = typeof data === "string" ? new TextEncoder().encode(data) : data;
      const h = toHeaders(opts.headers);
      nc.publish(subject, payload, { headers: h, reply: opts.reply });
      recordMsg("out", { subject, reply: opts.reply, headers: h, data: payload });
    },

    async request(subject, data = "", opts = {}): Promise<RequestOutcome> {
      const payload = typeof data === "string" ? new TextEncoder().encode(data) : data;
      const h = toHeaders(opts.headers);
      const timeout = Math.max(1, Math.min(opts.timeoutMs ?? 2000, remainingMs()));
      recordMsg("out", { subject, reply: "(inbox)", headers: h, data: payload });
      const started = Date.now();
      try {
        const m = await nc.request(subject, payload, { timeout, headers: h });
        recordMsg("in", m);
        return { kind: "reply", message: seen(m) };
      } catch (err) {
        if (err instanceof RequestError && err.isNoResponders()) {
          ctx.note(`no responders on ${unprefix(subject)}`);
          return { kind: "no-responders" };
        }
        // A request still in flight when its check ended (it failed early, the connection drained):
        // nobody awaits it any more, and a rejection here would only surface as an unhandled error.
        if (finished) return { kind: "timeout", afterMs: Date.now() - started };
        if (err instanceof TimeoutError || (err as Error).name === "TimeoutError") {
          ctx.note(`no reply on ${unprefix(subject)} within ${timeout} ms`);
          return { kind: "timeout", afterMs: Date.now() - started };
        }
        throw err;
      }
    },

    flush: () => nc.flush(),

    async startProgram(opts: StartProgramOptions = {}): Promise<ProgramHandle> {
      const label = opts.label ?? (programs.length === 0 ? "your program" : `your program (instance ${programs.length + 1})`);
      const before = new Set((await connections()).map((c) => c.cid));
      // The check may end (stopped, replaced by a newer run, out of time) while this program starts.
      // Clean-up waits for starts in flight, and a program that starts too late is stopped at once:
      // otherwise it would outlive its check and answer the next run's messages.
      const launching = (async () => {
        if (finished) throw new Error("the check ended before the program started");
        const started = await runProgram({
          file: o.runCommand ? undefined : o.exercise.file,
          command: o.runCommand,
          args: opts.args,
          cwd: o.programDir,
          env: { ...programEnv(session), ...opts.env },
          label,
          maxOutputBytes: MAX_PROGRAM_OUTPUT,
        });
        if (finished) {
          await started.stop("check finished").catch(() => {});
          throw new Error("the check ended before the program started");
        }
        programs.push(started);
        return started;
      })();
      starting.add(launching.catch(() => {}));
      const p = await launching;
      ctx.note(`started ${label}: ${p.commandLine}`);
      void p.exited.then(({ code, signal }) => {
        if (finished) return;
        const why = p.stoppedBecause();
        if (why?.startsWith("output flood")) {
          interrupt(
            new CheckFailure({
              expected: `${label} prints a line now and then`,
              seen: `${why}; goingnats stopped it`,
              idea: "A subscriber loop runs once per message; a loop that never waits spins forever",
              hint: "Look for a loop that prints without waiting for a message. Its last output is shown below.",
            }),
          );
        } else if (!why && code !== 0 && !opts.mayExit) {
          const last = lastErrorLine(p.output());
          interrupt(
            new CheckFailure({
              expected: `${label} keeps running while it is checked`,
              seen: `it stopped with ${signal ? `signal ${signal}` : `exit code ${code}`} after ${(now() / 1000).toFixed(1)} s${last ? `; its last error: ${last}` : ""}`,
              idea: "A NATS client must stay connected to receive messages",
              hint: "Its output is below: the last lines usually name the error. Run it yourself to see more.",
            }),
          );
        }
      });
      const mine = async (): Promise<ConnectionInfo[]> => {
        const all = await connections();
        for (const c of all) if (!before.has(c.cid) && !claimedByOthers(c.cid, p)) claim(c.cid, p);
        return all.filter((c) => owner.get(c.cid) === p);
      };
      const handle: ProgramHandle = {
        label,
        pid: p.pid,
        exited: p.exited,
        isRunning: p.isRunning,
        output: p.output,
        waitForOutput: (t, ms) => p.waitForOutput(t, Math.min(ms ?? 5000, remainingMs())),
        stop: (reason) => p.stop(reason),
        connections: mine,
      };
      if (opts.waitForSubscriptions) {
        const want = opts.waitForSubscriptions;
        const until = Date.now() + Math.min(8000, remainingMs());
        while (Date.now() < until && p.isRunning() && !o.signal.aborted) {
          const conns = await mine();
          if (conns.reduce((n, c) => n + c.subscriptions.length, 0) >= want) break;
          await sleep(20);
        }
      }
      return handle;
    },

    connections,

    async waitForSubscriptions(filter): Promise<SubscriptionInfo[]> {
      const count = filter.count ?? 1;
      const until = Date.now() + Math.min(filter.timeoutMs ?? Infinity, remainingMs());
      let last: SubscriptionInfo[] = [];
      for (;;) {
        last = (await connections())
          .flatMap((c) => c.subscriptions)
          .filter((s) => !s.subject.startsWith("_INBOX.") && !s.subject.startsWith("$"))
          .filter((s) => filter.subject === undefined || s.subject === filter.subject)
          .filter((s) => filter.queue === undefined || (filter.queue === null ? !s.queue : s.queue === filter.queue));
        if (last.length >= count || Date.now() >= until || o.signal.aborted) return last;
        await sleep(25);
      }
    },

    jsm: () => (jsmPromise ??= jetstreamManager(nc).then((m) => explainOverlaps(m, unprefix))),
    js: () => (jsClient ??= jetstream(nc)),
    kvm: () => new Kvm(ctx.js()),
    objm: () => new Objm(ctx.js()),
    matches: subjectMatches,
    async poll(ms, probe) {
      const until = Date.now() + Math.min(ms, remainingMs());
      for (;;) {
        const v = await probe();
        if (v !== undefined || Date.now() >= until || o.signal.aborted) return v;
        await sleep(25);
      }
    },
    defer: (fn) => void deferred.push(fn),
    sleep: (ms) => sleep(Math.min(ms, remainingMs())),
  };
  let jsmPromise: Promise<JetStreamManager> | undefined;
  let jsClient: JetStreamClient | undefined;

  const owner = new Map<number, RunningProgram>();
  const claim = (cid: number, p: RunningProgram) => {
    owner.set(cid, p);
    claimed.add(cid);
  };
  const claimedByOthers = (cid: number, p: RunningProgram) => claimed.has(cid) && owner.get(cid) !== p;

  return {
    ctx,
    timeline,
    programs,
    interrupted,
    async cleanup() {
      finished = true;
      if (dropped) timeline.push({ atMs: now(), direction: "note", subject: "", data: `… ${dropped} more messages not shown`, size: 0 });
      for (const s of subs) s.unsubscribe();
      await Promise.all(starting);
      await Promise.all(programs.map((p) => p.stop("check finished").catch(() => {})));
      for (const fn of deferred.reverse()) {
        try {
          await fn();
        } catch {
          // Clean-up is best effort; one failure must not stop the others.
        }
      }
    },
  };
}

/** What a learner program gets: where the server is, how to log in, and its namespace. */
export function programEnv(session: Session): Record<string, string> {
  const env: Record<string, string> = {
    NATS_URL: session.target.url,
    GOINGNATS_PREFIX: session.prefix,
    GOINGNATS_NAMESPACE: session.namespace,
    // Stream, consumer and bucket names cannot contain dots: "ALICE_" rather than "alice.".
    GOINGNATS_NAME_PREFIX: namespaceVars(session.namespace).NS,
  };
  const a = session.target.auth;
  if (a.user) env.NATS_USER = a.user;
  if (a.password) env.NATS_PASSWORD = a.password;
  if (a.token) env.NATS_TOKEN = a.token;
  if (a.creds) env.NATS_CREDS = a.creds;
  if (a.nkey) env.NATS_NKEY = a.nkey;
  return env;
}

/** NATS subject matching: `*` is exactly one token, `>` one or more tokens at the end. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split(".");
  const s = subject.split(".");
  for (let i = 0; i < p.length; i++) {
    if (p[i] === ">") return s.length > i;
    if (i >= s.length || (p[i] !== "*" && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

/** The line of a program's output that most likely names what went wrong. */
export function lastErrorLine(output: string): string | undefined {
  const lines = output.split("\n").map((l) => l.trim()).filter(Boolean);
  const error = [...lines].reverse().find((l) => /error|exception|refused|denied|violation|cannot|failed/i.test(l) && !/^at /.test(l));
  return error && error.length > 200 ? `${error.slice(0, 200)}…` : error;
}

function toHeaders(h?: Record<string, string | string[]>): MsgHdrs | undefined {
  if (!h) return undefined;
  const out = natsHeaders();
  for (const [k, v] of Object.entries(h)) for (const x of Array.isArray(v) ? v : [v]) out.append(k, x);
  return out;
}

function headersToRecord(h?: MsgHdrs): Record<string, string[]> | undefined {
  if (!h) return undefined;
  const out: Record<string, string[]> = {};
  for (const [k, v] of h) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

function preview(data: Uint8Array): string {
  const text = new TextDecoder().decode(data.subarray(0, 200));
  return data.length > 200 ? `${text}…` : text;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, Math.max(0, ms)));
}

/**
 * A stream left from a lesson or another exercise may already capture the subjects a check's stream
 * needs; the server then refuses with error 10065. Checks create their streams through ctx.jsm(), so
 * this turns that refusal into a failure that says which stream is in the way and how to remove it,
 * instead of an error the learner cannot act on.
 */
function explainOverlaps(jsm: JetStreamManager, unprefix: (s: string) => string): JetStreamManager {
  const add = jsm.streams.add.bind(jsm.streams);
  jsm.streams.add = async (cfg) => {
    try {
      return await add(cfg);
    } catch (err) {
      if ((err as { code?: number }).code !== 10065) throw err;
      const subjects = cfg.subjects ?? [];
      const others = new Set<string>();
      for (const subject of subjects) {
        const other = await jsm.streams.find(subject).catch(() => undefined);
        if (other && other !== cfg.name) others.add(other);
      }
      const names = [...others];
      const shown = subjects.map(unprefix).join(", ");
      throw new CheckFailure({
        expected: `to create the stream ${cfg.name} on ${shown} for this check`,
        seen: names.length
          ? `the server refused (error 10065, subjects overlap): ${names.join(", ")} already captures ${names.length === 1 ? "some of them" : "them"}`
          : "the server refused (error 10065): another stream already captures some of these subjects",
        idea: "A subject belongs to at most one stream: two streams on the same subject would store every message twice",
        hint: names.length
          ? `${names.join(", ")} is probably left from a lesson or another exercise. Remove it (nats stream rm ${names[0]} -f, or jsm.streams.delete("${names[0]}")), then run the check again.`
          : "Find the stream with nats stream ls (or jsm.streams.list()), remove it, then run the check again.",
      });
    }
  };
  return jsm;
}