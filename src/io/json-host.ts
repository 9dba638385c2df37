import type { IoResult } from './host.js';
import { BaseHost, LiveTexts, type SafeMessage } from './base-host.js';
import { createDefaultAnswers } from './default-answers.js';

/**
 * --json: NDJSON on stderr, exactly one object per line, {"event": code, "level", "text", ...data} (data never
 * overrides those three); a live message only when its text changed for its key. stdout carries one document: the
 * result, or {"error": {...}}, or {"interrupted": {...}}. Questions answer their default.
 */
export class JsonHost extends BaseHost {
  readonly mode = 'json' as const;
  readonly interactive = false;
  readonly prompter = createDefaultAnswers((question, answer) => this.answeredByDefault(question, answer));
  private readonly liveTexts = new LiveTexts();

  protected publish(result: IoResult): void {
    this.writeDocument(result.json);
  }

  protected show(message: SafeMessage): void {
    if (!this.liveTexts.changed(message)) return;
    this.terminal.stderr.write(`${JSON.stringify(eventObject(message))}\n`);
  }

  protected override outcomeDocument(document: unknown): void {
    this.writeDocument(document);
  }
}

/** One NDJSON event: event, level and text first; data keys of the same names are dropped, not merged over them. */
export function eventObject(message: SafeMessage): Record<string, unknown> {
  const { event: _event, level: _level, text: _text, ...data } = message.data;
  return { event: message.code, level: message.level, text: message.text, ...data };
}
