// Exit codes, documented in README.md (graders and CI scripts rely on them).
export const EXIT = {
  ok: 0,
  /** A check failed (or errored). */
  checkFailed: 1,
  /** Bad command line: unknown command, missing argument, unknown exercise. */
  usage: 2,
  /** No NATS server could be reached, or it cannot run what was asked (no JetStream, too old). */
  server: 3,
  /** Lessons or exercises could not be loaded. */
  content: 4,
  /** Something goingnats did not expect: a bug. */
  internal: 70,
} as const;

/** An error the CLI prints as a plain message (no stack) and exits with its code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}
