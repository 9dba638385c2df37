import type { Prompter } from '../prompt/prompter.js';
import type { Style } from './terminal.js';

/**
 * The one I/O layer (design.md, "One I/O layer"). Commands never write to the terminal and never decide whether
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
 * the result document under --json) and the process exits 130.
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
  live?: { key: string };
}

/** The command's one result: text for people (stdout), and the document for --json (stdout, once). */
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
  /** Registers what to say on Ctrl-C (the latest registration wins); returns a function that unregisters it. */
  onInterrupt(state: () => InterruptState): () => void;
  /** Ends the live area (its last frame stays) and releases stdin; safe to call twice. */
  close(): Promise<void>;
}
