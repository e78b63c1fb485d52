// The contract between the check engine and the checks in exercises/<id>/check.ts.
// Checks import only types from here, so a check file carries no runtime dependency on the engine.
import type { Msg, MsgHdrs, NatsConnection } from "@nats-io/transport-node";
import type { JetStreamClient, JetStreamManager } from "@nats-io/jetstream";
import type { Kvm } from "@nats-io/kv";
import type { Objm } from "@nats-io/obj";

export type CheckStatus = "pass" | "fail" | "error" | "skipped";

/** One message the checker saw or sent, for the timeline shown after a run. */
export interface TimelineEntry {
  /** Milliseconds since the exercise run started. */
  atMs: number;
  direction: "in" | "out" | "note";
  subject: string;
  reply?: string;
  headers?: Record<string, string[]>;
  /** Payload preview (UTF-8, truncated). */
  data: string;
  size: number;
}

/** What a learner program printed before it was stopped. */
export interface ProgramOutput {
  label: string;
  command: string;
  /** Last lines of stdout and stderr, interleaved as they came. */
  tail: string;
  exitCode: number | null;
  signal: string | null;
  /** Set when goingnats stopped it: "time limit", "output flood", "check finished". */
  stoppedBecause?: string;
}

export interface CheckResult {
  name: string;
  status: CheckStatus;
  /** NATS idea the check is about, e.g. "Subjects are case sensitive". */
  idea: string;
  expected?: string;
  seen?: string;
  hint?: string;
  /** For status "error": what went wrong outside the learner's control. */
  message?: string;
  durationMs: number;
  timeline: TimelineEntry[];
  programs: ProgramOutput[];
}

/** Thrown by ctx.fail(); the engine turns it into a failed CheckResult. */
export interface FailureDetails {
  expected: string;
  seen: string;
  idea?: string;
  hint?: string;
}

/** A message as a check sees it. */
export interface SeenMessage {
  subject: string;
  reply?: string;
  headers?: MsgHdrs;
  data: Uint8Array;
  text: string;
  /** Milliseconds since the exercise run started. */
  atMs: number;
  msg: Msg;
}

export type RequestOutcome =
  | { kind: "reply"; message: SeenMessage }
  | { kind: "timeout"; afterMs: number }
  | { kind: "no-responders" };

export interface WatchOptions {
  /** Queue group for the checker's own subscription (rarely wanted). */
  queue?: string;
  /** Label for progress lines, e.g. "your message". */
  label?: string;
}

/** A live subscription the checker holds; everything it receives lands in the timeline. */
export interface Watcher {
  readonly subject: string;
  readonly messages: SeenMessage[];
  /**
   * Resolves when `count` messages (matching `filter`, if given) have arrived, or when the time
   * runs out: then it resolves with what it has. Reports progress ("seen 3 of 10 on hello.>").
   */
  waitFor(count: number, opts?: { timeoutMs?: number; filter?: (m: SeenMessage) => boolean }): Promise<SeenMessage[]>;
  stop(): void;
}

export interface SubscriptionInfo {
  cid: number;
  /** Connection name, if the client set one. */
  name: string;
  subject: string;
  queue?: string;
  msgs: number;
}

export interface ConnectionInfo {
  cid: number;
  name: string;
  lang: string;
  version: string;
  inMsgs: number;
  outMsgs: number;
  subscriptions: SubscriptionInfo[];
}

export interface ProgramHandle {
  readonly label: string;
  readonly pid: number | undefined;
  /** Resolves when the process exits (or was stopped). */
  readonly exited: Promise<{ code: number | null; signal: string | null }>;
  isRunning(): boolean;
  /** Output so far (tail). */
  output(): string;
  /** Resolves true once `text` appears in the output, false if the program exits or time runs out. */
  waitForOutput(text: string | RegExp, timeoutMs?: number): Promise<boolean>;
  /** Stops the whole process tree (SIGTERM, then SIGKILL). */
  stop(reason?: string): Promise<void>;
  /** The connections this program opened (new since it started), with their subscriptions. */
  connections(): Promise<ConnectionInfo[]>;
}

export interface StartProgramOptions {
  /** Shown in results, e.g. "worker 2". */
  label?: string;
  args?: string[];
  env?: Record<string, string>;
  /** Wait until the program has at least this many subscriptions on the server (by connection). */
  waitForSubscriptions?: number;
  /**
   * Its exit, even with an error, does not fail the check on the spot: the check looks at
   * `handle.exited` and explains it (e.g. "the server refused your second consumer (10100)").
   */
  mayExit?: boolean;
}

export interface CheckContext {
  /** The checker's own connection. Anything it subscribes to is cleaned up after the check. */
  readonly nc: NatsConnection;
  /** The learner's namespace ("" on a private server). */
  readonly ns: string;
  /** Apply the learner's namespace to a subject: "hello.world" -> "alice.hello.world". */
  subject(s: string): string;
  /** Apply the namespace to a stream, bucket or consumer name: "ORDERS" -> "ALICE_ORDERS". */
  name(s: string): string;
  /** Remove the namespace again, for messages shown to the learner. */
  unprefix(subject: string): string;
  /** Aborted when the exercise's time limit is reached or the user stops the run. */
  readonly signal: AbortSignal;
  /** Milliseconds left before the time limit. */
  remainingMs(): number;

  /** Short live status line, e.g. "seen 3 of 10 messages on hello.>". */
  progress(text: string): void;
  /**
   * Tell the learner what to do now (task exercises). The check is listening when this is called:
   * the test suite starts the reference solution at this moment.
   */
  waiting(instructions: string): void;
  /** Fail the check with a teaching message. Never returns. */
  fail(details: FailureDetails): never;
  /** Add a line to the timeline. */
  note(text: string): void;

  watch(subject: string, opts?: WatchOptions): Watcher;
  publish(subject: string, data?: string | Uint8Array, opts?: { headers?: Record<string, string | string[]>; reply?: string }): void;
  request(subject: string, data?: string | Uint8Array, opts?: { timeoutMs?: number; headers?: Record<string, string | string[]> }): Promise<RequestOutcome>;
  /** Flush the checker's connection so its subscriptions are known to the server. */
  flush(): Promise<void>;

  /** Start the learner's program (program exercises). Stopped automatically after the check. */
  startProgram(opts?: StartProgramOptions): Promise<ProgramHandle>;

  /** Other connections on the server (same account), with their subscriptions and queue groups. */
  connections(): Promise<ConnectionInfo[]>;
  /**
   * Poll the server until `count` subscriptions matching the filter exist (other than the checker's),
   * or time runs out; returns the matching subscriptions seen last.
   */
  waitForSubscriptions(filter: { subject?: string; queue?: string | null; count?: number; timeoutMs?: number }): Promise<SubscriptionInfo[]>;

  jsm(): Promise<JetStreamManager>;
  js(): JetStreamClient;
  kvm(): Kvm;
  objm(): Objm;

  /** NATS subject matching: does `pattern` (with `*` and `>`) match `subject`? */
  matches(pattern: string, subject: string): boolean;
  /** Call `probe` every 25 ms until it returns something other than undefined, or `ms` (or the time limit) passes. */
  poll<T>(ms: number, probe: () => Promise<T | undefined> | T | undefined): Promise<T | undefined>;

  /** Run `fn` after the check, whatever happened (delete a stream, stop a helper). */
  defer(fn: () => unknown | Promise<unknown>): void;
  sleep(ms: number): Promise<void>;
}

export interface Check {
  /** What is checked, as a learner reads it: "your program answers requests on greet". */
  name: string;
  /** The NATS idea at stake, e.g. "Request-reply: answer on the reply subject". */
  idea: string;
  /** Default hint when the check fails without its own. */
  hint?: string;
  /** Run the check; resolve (optionally with a short "seen" summary) to pass, ctx.fail() to fail. */
  run(ctx: CheckContext): Promise<void | string>;
}

/** The shape of exercises/<id>/check.ts: `export const checks: Check[] = [...]`. */
export interface CheckModule {
  checks: Check[];
}
