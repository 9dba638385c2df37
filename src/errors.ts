/** Exit codes are part of the CLI contract; the README documents them. */
export const ExitCode = {
  /** The command did its job (a diagnosis that found problems did its job too). */
  Ok: 0,
  /** The command could not do its job: bad credentials, unreachable endpoint, unreadable file. */
  Failure: 1,
  /** The command line itself was wrong. */
  Usage: 2,
  /** Stopped by Ctrl-C (128 + SIGINT, as shells report an interrupted program); what was done is said first. */
  Interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * An error the user can act on. It is printed without a stack trace: the message says what is wrong
 * in the present tense, the hint says what to do next.
 */
export class UserError extends Error {
  readonly hint: string | undefined;
  readonly guide: string | undefined;
  readonly exitCode: ExitCode;

  constructor(message: string, options: { hint?: string; guide?: string; exitCode?: ExitCode; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.hint = options.hint;
    this.guide = options.guide;
    this.exitCode = options.exitCode ?? ExitCode.Failure;
  }
}

/** A mistake on the command line (unknown flag, missing argument, conflicting options). */
export class UsageError extends UserError {
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.Usage, ...(hint === undefined ? {} : { hint }) });
    this.name = 'UsageError';
  }
}
