import type { IoResult } from './host.js';
import { BaseHost, LiveTexts, type SafeMessage } from './base-host.js';
import { createDefaultAnswers } from './default-answers.js';
import { formatLine } from './outcome.js';
import { RESULT_LIMITS, printable } from './sanitize.js';

/**
 * No terminal to draw on, or no one to ask (a pipe, a file, CI, --no-input): one line per message on stderr, a live
 * message only when its text changed, the result text on stdout. Questions answer their default
 * (src/io/default-answers.ts).
 */
export class PlainHost extends BaseHost {
  readonly mode = 'plain' as const;
  readonly interactive = false;
  readonly prompter = createDefaultAnswers((question, answer) => this.answeredByDefault(question, answer));
  private readonly liveTexts = new LiveTexts();

  protected publish(result: IoResult): void {
    writeResultText(this.terminal.stdout, result.text, this.style.enabled);
  }

  protected show(message: SafeMessage): void {
    if (!this.liveTexts.changed(message)) return;
    this.terminal.stderr.write(`${formatLine(message.level, message.text, this.style)}\n`);
  }
}

/** The result text on stdout, made printable (colours kept when colour is on), ending with a newline. */
export function writeResultText(stdout: NodeJS.WritableStream, text: string, keepStyles: boolean): void {
  if (text === '') return;
  const safe = printable(text, { ...RESULT_LIMITS, keepStyles });
  stdout.write(safe.endsWith('\n') ? safe : `${safe}\n`);
}
