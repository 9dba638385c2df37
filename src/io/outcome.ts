import { UserError, ExitCode } from '../errors.js';
import { PromptCancelledError } from '../prompt/prompter.js';
import type { InterruptState, IoMessage, MessageLevel } from './host.js';
import type { Style } from './terminal.js';

/**
 * How every host words the ends of a run that are not the command's result: an error, and an interruption.
 * Each is a message (the line people read, the NDJSON event) plus the result document for --json and the exit
 * code, so the plain, terminal and JSON hosts say the same thing in their own shape.
 */

export interface Outcome {
  message: IoMessage & { data: Record<string, unknown> };
  /** The --json result document. */
  document: Record<string, unknown>;
  exitCode: number;
}

/** The lines people read for a message: the level's symbol before the first line, coloured only with colour on. */
export function formatLine(level: MessageLevel, text: string, style: Style): string {
  switch (level) {
    case 'success':
      return `${style.green(style.symbols.ok)} ${text}`;
    case 'warning':
      return `${style.yellow(style.symbols.warn)} ${text}`;
    case 'error':
      return `${style.red(style.symbols.fail)} ${text}`;
    case 'debug':
      return style.dim(text);
    case 'info':
      return text;
  }
}

export const STOPPING_TEXT = 'Stopping after the steps in flight; Ctrl-C again quits now.';
export const NOTHING_CHANGED_TEXT = 'Interrupted; nothing was changed.';

/** Continuation lines of a field sit under its first line. */
/** Continuation lines of a multi-line text indented by `by` (under the text, past a status mark). */
export const indentRest = (text: string, by: string) => text.replace(/\n/g, `\n${by}`);

/**
 *   Interrupted.
 *     Done: …
 *     Still running in AWS: …
 *     To resume: …
 * (a line for each field given), or "Interrupted; nothing was changed." when the command registered nothing.
 */
export function interruptOutcome(state: InterruptState): Outcome {
  const fields = { done: state.done, running: state.running, resume: state.resume };
  const given = Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
  const labels: Record<string, string> = { done: 'Done', running: 'Still running in AWS', resume: 'To resume' };
  const lines = Object.entries(given).map(([field, value]) => `  ${labels[field] ?? field}: ${indentRest(value, '    ')}`);
  const text = lines.length === 0 ? NOTHING_CHANGED_TEXT : ['Interrupted.', ...lines].join('\n');
  return { message: { code: 'interrupted', level: 'error', text, data: given }, document: { interrupted: given }, exitCode: ExitCode.Interrupted };
}

/** What went wrong, for main's error handler; `debug` adds the stack of an unexpected error. */
export function errorOutcome(error: unknown, debug: boolean): { interrupted: true } | Outcome {
  if (error instanceof PromptCancelledError) return { interrupted: true };
  if (error instanceof UserError) {
    const lines = [error.message];
    if (error.hint) lines.push(`  ${indentRest(error.hint, '  ')}`);
    if (error.guide) lines.push(`  Read more: cd-wizard guide --show ${error.guide}`);
    const data = { message: error.message, ...(error.hint ? { hint: error.hint } : {}), ...(error.guide ? { guide: error.guide } : {}) };
    return { message: { code: 'error', level: 'error', text: lines.join('\n'), data }, document: { error: data }, exitCode: error.exitCode };
  }
  const message = error instanceof Error ? error.message : String(error);
  const stack = debug && error instanceof Error && error.stack ? error.stack : undefined;
  const text = [`cd-wizard hit an unexpected error: ${message}`, stack ?? '  Run again with CD_WIZARD_DEBUG=1 for the stack trace, and please report it.'].join('\n');
  const data = { message, unexpected: true, ...(stack === undefined ? {} : { stack }) };
  return { message: { code: 'error', level: 'error', text, data }, document: { error: data }, exitCode: ExitCode.Failure };
}
