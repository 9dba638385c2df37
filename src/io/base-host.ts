import type { Prompter, QuestionBase } from '../prompt/prompter.js';
import { ExitCode } from '../errors.js';
import type { Host, HostMode, InterruptState, IoMessage, IoResult } from './host.js';
import { STOPPING_TEXT, errorOutcome, interruptOutcome, type Outcome } from './outcome.js';
import { DOCUMENT_LIMITS, printable, printableData } from './sanitize.js';
import type { Style, Terminal } from './terminal.js';

/**
 * What the three hosts share: every message made printable once, the debug filter, one result document at most,
 * and the one Ctrl-C path (SIGINT, the live area's Ctrl-C key and fail(PromptCancelledError) all end here).
 */

/** The process around a host: where SIGINT comes from and how the process ends. Tests pass their own. */
export interface HostRuntime {
  /**
   * Listens for SIGINT, and for SIGTERM and SIGHUP (a CI runner cancelling the job, a closed terminal): all three
   * stop the run the same way, after the step in flight. Returns the function that stops listening (the signals
   * then do what Node does by default).
   */
  onSigint(listener: () => void): () => void;
  /** Ends the process now with `code` (called once stdout and stderr have taken what was written). */
  exit(code: number): void;
  now(): number;
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

export const processRuntime: HostRuntime = {
  onSigint(listener) {
    for (const signal of STOP_SIGNALS) process.on(signal, listener);
    return () => {
      for (const signal of STOP_SIGNALS) process.off(signal, listener);
    };
  },
  exit: (code) => process.exit(code),
  now: () => Date.now(),
};

export interface HostSetup {
  terminal: Terminal;
  style: Style;
  /** Show debug messages and the stack of unexpected errors (CD_WIZARD_DEBUG). */
  debug: boolean;
  runtime: HostRuntime;
}

/** A message after printable(): text and data safe to print. */
export interface SafeMessage extends IoMessage {
  data: Record<string, unknown>;
}

/** How long a hard stop waits for stdout and stderr to take the last lines before it exits anyway. */
const FLUSH_WAIT_MS = 500;

/** The last text printed for each live key: plain and JSON hosts print a live message only when it changed. */
export class LiveTexts {
  private readonly last = new Map<string, string>();

  /** Whether `message` is news: final messages and the end of a live line always are. */
  changed(message: IoMessage): boolean {
    const live = message.live;
    if (live === undefined) return true;
    if (live.done) {
      this.last.delete(live.key);
      return true;
    }
    if (this.last.get(live.key) === message.text) return false;
    this.last.set(live.key, message.text);
    return true;
  }
}

export abstract class BaseHost implements Host {
  abstract readonly mode: HostMode;
  abstract readonly interactive: boolean;
  abstract readonly prompter: Prompter<string>;
  readonly style: Style;
  readonly columns: number;
  readonly rows: number;
  protected readonly terminal: Terminal;
  protected readonly debug: boolean;
  protected readonly runtime: HostRuntime;
  protected closed = false;
  private readonly states: Array<{ read: () => InterruptState }> = [];
  private stopping = false;
  private exiting = false;
  private documentWritten = false;
  private stopListening: (() => void) | undefined;

  constructor(setup: HostSetup) {
    this.terminal = setup.terminal;
    this.style = setup.style;
    this.debug = setup.debug;
    this.runtime = setup.runtime;
    this.columns = setup.terminal.columns;
    this.rows = setup.terminal.rows;
    this.stopListening = setup.runtime.onSigint(() => this.ctrlC('signal'));
  }

  emit(message: IoMessage): void {
    // After a hard stop the message is the last word: the command may still be running until the process exits.
    if (this.exiting || (message.level === 'debug' && !this.debug)) return;
    this.show(this.safe(message));
  }

  result(result: IoResult): void {
    if (!this.exiting) this.publish(result);
  }

  onInterrupt(state: () => InterruptState): () => void {
    const entry = { read: state };
    this.states.push(entry);
    return () => {
      const index = this.states.indexOf(entry);
      if (index >= 0) this.states.splice(index, 1);
    };
  }

  interrupted(): number {
    this.endLive(true);
    this.report(interruptOutcome(this.interruptState()));
    return ExitCode.Interrupted;
  }

  fail(error: unknown): number {
    const outcome = errorOutcome(error, this.debug);
    if (!('message' in outcome)) return this.interrupted();
    this.endLive(true);
    this.report(outcome);
    return outcome.exitCode;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopListening?.();
    this.stopListening = undefined;
    return Promise.resolve();
  }

  /** Shows one message already made printable (and past the debug filter). */
  protected abstract show(message: SafeMessage): void;

  /** Writes the result: its text (plain, terminal) or its document (json). */
  protected abstract publish(result: IoResult): void;

  /** The end of the live area (terminal host): `keep` leaves the live lines in the last frame. Synchronous. */
  protected endLive(_keep: boolean): void {}

  /** Puts the terminal back before a hard stop exits (terminal host: raw mode off, cursor shown). */
  protected restoreTerminal(): void {}

  /** An error's or interruption's result document (JSON host). */
  protected outcomeDocument(_document: unknown): void {}

  protected safe(message: IoMessage): SafeMessage {
    return { ...message, text: printable(message.text), data: (printableData(message.data ?? {}) ?? {}) as Record<string, unknown> };
  }

  /** Writes the one result document to stdout, pretty-printed; later ones are dropped. */
  protected writeDocument(document: unknown): void {
    if (this.documentWritten) return;
    this.documentWritten = true;
    this.terminal.stdout.write(`${JSON.stringify(printableData(document, DOCUMENT_LIMITS) ?? null, null, 2)}\n`);
  }

  /** Reports a question answered by its default (plain and JSON hosts), at debug level. */
  protected answeredByDefault(question: QuestionBase<string>, answer: unknown): void {
    const shown = typeof answer === 'string' ? answer : JSON.stringify(answer);
    this.emit({
      code: 'question.default',
      level: 'debug',
      text: `${question.flag ?? question.id}: ${shown} (the default; cd-wizard cannot ask here)`,
      data: { question: question.id, ...(question.flag === undefined ? {} : { flag: question.flag }), answer },
    });
  }

  /**
   * Ctrl-C, however it came: the first one soft-stops a command that registered softStop; otherwise quit now. A
   * terminal echoes a SIGINT's Ctrl-C as "^C" where the cursor is: what follows starts on a line of its own.
   */
  protected ctrlC(source: 'signal' | 'key' = 'key'): void {
    if (this.exiting) return;
    if (source === 'signal' && this.terminal.stderr.isTTY) this.terminal.stderr.write('\n');
    const state = this.interruptState();
    if (!this.stopping && state.softStop !== undefined) {
      this.stopping = true;
      this.showStopping();
      try {
        state.softStop();
        return;
      } catch {
        // A soft stop that cannot stop is a hard stop.
      }
    }
    this.exiting = true;
    const code = this.interrupted();
    this.restoreTerminal();
    this.stopListening?.();
    this.stopListening = undefined;
    this.exitWhenFlushed(code);
  }

  protected showStopping(): void {
    this.show(this.safe({ code: 'stopping', level: 'warning', text: STOPPING_TEXT }));
  }

  private report(outcome: Outcome): void {
    this.show(this.safe(outcome.message));
    this.outcomeDocument(outcome.document);
  }

  private interruptState(): InterruptState {
    const top = this.states.at(-1);
    if (top === undefined) return {};
    try {
      return top.read();
    } catch {
      return {};
    }
  }

  private exitWhenFlushed(code: number): void {
    let waiting = 2;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      this.runtime.exit(code);
    };
    const timer = setTimeout(finish, FLUSH_WAIT_MS);
    const flushed = () => {
      waiting -= 1;
      if (waiting === 0) finish();
    };
    this.terminal.stdout.write('', flushed);
    this.terminal.stderr.write('', flushed);
  }
}
