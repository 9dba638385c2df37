import type { Prompter } from '../prompt/prompter.js';
import type { Style } from './terminal.js';

/**
 * The one I/O layer (README, "Architecture"). Commands never write to the terminal and never decide whether
 * they may ask: they emit typed messages, publish one result, and ask typed questions that carry their default.
 * A host, chosen once in main.ts from the terminal facts and the global flags, renders them:
 *
 *   terminal  questions with @inquirer/prompts; messages on stderr; live messages in an ink area where finished
 *             lines stay (ink's <Static>) and the live lines move; the result on stdout as text.
 *   plain     one line per message on stderr (a live message is printed when its text changes); the result on
 *             stdout as text; never asks (a question answers its default, or fails naming its flag).
 *   json      NDJSON events on stderr (one object per message: {"event": code, "level", "text", ...data}); ONE
 *             result document on stdout; never asks.
 *
 * Ctrl-C is handled here, once, for every command: the host asks the command's registered InterruptState what was
 * done, what keeps running in AWS and how to resume, prints that in one shape (an NDJSON "interrupted" event and
 * the result document under --json) and the process exits 130. Ctrl-C arrives three ways, all handled here: SIGINT
 * (no raw mode), the Ctrl-C key in the live area (raw mode) and a PromptCancelledError from a question (main's
 * error handler passes it to fail()).
 *
 * Everything a host prints goes through printable() (src/io/sanitize.ts): secrets masked, terminal control
 * characters shown escaped, absurdly long values shortened. Message text carries no styling; hosts add the
 * symbol and colour of its level (✓ success, ! warning, ✗ error, dim debug; debug only with CD_WIZARD_DEBUG).
 * Result text may use `style` (the host keeps those colours and escapes every other control sequence).
 */

export type HostMode = 'terminal' | 'plain' | 'json';

export type MessageLevel = 'info' | 'success' | 'warning' | 'error' | 'debug';

export interface IoMessage {
  /** Stable event name, e.g. "setup.step.done", "fix.wait.target": the NDJSON `event`, and what tests key on. */
  code: string;
  level: MessageLevel;
  /** The line(s) for people, already worded (plain and terminal hosts). Never contains ANSI codes; hosts style by level. */
  text: string;
  /** Structured fields for the JSON host (merged into the NDJSON event; must be JSON-serialisable). */
  data?: Record<string, unknown>;
  /**
   * A live message describes the current state of `key` (a running step, an instance during a deployment) and is
   * replaced by the next live message with the same key: the terminal host shows it in the moving area, the
   * plain and JSON hosts print it only when its text changed. A message without `live` is final and stays.
   */
  live?: LiveMark;
}

/**
 * Marks a message as live. `done` ends the live line of `key`: the message is final (it stays, and is printed
 * by every host even when its text equals the last live text), and the moving line for `key` goes away (the
 * terminal host adds how long the key was live, "✓ Created role web 12s", once that is a second or more).
 */
export interface LiveMark {
  key: string;
  done?: boolean;
}

/**
 * The command's one result: text for people (stdout), and the document for --json (stdout, once, pretty-printed).
 * Only the first result document is written: a later result(), fail() or interrupted() still reports on stderr.
 */
export interface IoResult {
  text: string;
  json: unknown;
}

/** What a command says when it is interrupted; every field is optional and worded for people. */
export interface InterruptState {
  /** What was done before the interruption ("3 of 10 changes are made and recorded in cd-wizard.json"). */
  done?: string;
  /** What keeps going in AWS without cd-wizard ("deployment d-A1B2C3D4E goes on"). */
  running?: string;
  /** The command that picks up where this stopped. */
  resume?: string;
  /**
   * When set, the first Ctrl-C calls it instead of exiting (setup stops after the step in flight and then ends
   * through its normal path); a second Ctrl-C exits at once with the message.
   */
  softStop?: () => void;
}

export interface Host {
  readonly mode: HostMode;
  /** Whether questions reach a person (terminal host only). */
  readonly interactive: boolean;
  readonly style: Style;
  /** Terminal width for wrapping text (80 when not a terminal). */
  readonly columns: number;
  readonly rows: number;

  emit(message: IoMessage): void;
  /** Publishes the result; call once, at the end. */
  result(result: IoResult): void;
  /**
   * Questions. Every question carries its default; the terminal host asks through @inquirer/prompts (closing
   * the live area first: ink and inquirer must never read stdin at the same time); the other hosts answer the
   * default, or throw a UsageError naming the question's `flag` when there is no default.
   */
  readonly prompter: Prompter<string>;
  /**
   * Registers what to say on Ctrl-C, read when Ctrl-C comes (the latest registration wins); returns a function
   * that unregisters it (the one before applies again). With a softStop, the first Ctrl-C calls it and shows
   * "Stopping after the steps in flight; Ctrl-C again quits now."; the second exits at once.
   */
  onInterrupt(state: () => InterruptState): () => void;
  /**
   * Says the interruption in the host's shape (from the registered InterruptState) and returns ExitCode.Interrupted (130)
   * for the command to return. For a command that stopped early after its softStop was called; the hard Ctrl-C
   * path and fail(PromptCancelledError) print the same thing.
   */
  interrupted(): number;
  /**
   * main's error handler: says what went wrong in the host's shape and returns the exit code. A UserError gives
   * its message, hint and guide article (its exitCode); a PromptCancelledError (Ctrl-C in a question) is an
   * interruption (130); anything else is an unexpected error (1; the stack only with CD_WIZARD_DEBUG). Under
   * --json: an NDJSON "error" (or "interrupted") event on stderr and the result document {"error": {...}} (or
   * {"interrupted": {...}}) on stdout. Ends the live area first (its last frame stays).
   */
  fail(error: unknown): number;
  /**
   * Ends the live area (live lines are dropped; the finished lines stay), stops listening for Ctrl-C (SIGINT goes
   * back to Node's default) and releases stdin so the process can exit; safe to call twice. main calls it once the
   * command has returned or failed. Messages after close() are printed as lines; live ones are dropped.
   */
  close(): Promise<void>;
}
