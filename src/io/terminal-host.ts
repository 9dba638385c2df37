import type { ConfirmQuestion, InputQuestion, MultiSelectQuestion, Prompter, SelectQuestion } from '../prompt/prompter.js';
import type { LiveAreaView } from '../ui/live-area.js';
import { createLiveAreaStore, secondsSince, type LiveAreaStore } from '../ui/live-area-state.js';
import type { IoResult } from './host.js';
import { BaseHost, LiveTexts, type HostSetup, type SafeMessage } from './base-host.js';
import { STOPPING_TEXT, formatLine } from './outcome.js';
import { writeResultText } from './plain-host.js';
import { printable } from './sanitize.js';

/**
 * A person at a terminal. Final messages are lines on stderr; live messages move in an ink area on stderr
 * (src/ui/live-area.tsx: finished lines stay above, live lines below, Ctrl-C caught in raw mode); questions go
 * through @inquirer/prompts. ink, react and inquirer load with import() the first time they are needed, so a
 * command that never shows progress or asks never loads them.
 *
 * ink and inquirer never read stdin at the same time, and the process can always exit (the three stdin rules of
 * src/ui/ink-session.ts): the area is unmounted before a question (its last frame stays) and stdin ref()'d for the
 * question (ink unrefs it when it unmounts); mountLiveArea() resumes stdin after a question; close() pauses and
 * unrefs it. Lines emitted while a question is open wait until it is answered, so they never cut through it.
 */

type Area =
  | { state: 'idle' }
  | { state: 'loading'; generation: number }
  | { state: 'mounted'; view: LiveAreaView }
  /** ink could not load or mount: live messages become lines. */
  | { state: 'failed' };

const SHOW_CURSOR = '\u001b[?25h';

export class TerminalHost extends BaseHost {
  readonly mode = 'terminal' as const;
  readonly interactive = true;
  readonly prompter: Prompter<string> = {
    input: (question: InputQuestion<string>) => this.ask((prompter) => prompter.input(question)),
    select: <T>(question: SelectQuestion<string, T>) => this.ask((prompter) => prompter.select(question)),
    multiSelect: <T>(question: MultiSelectQuestion<string, T>) => this.ask((prompter) => prompter.multiSelect(question)),
    confirm: (question: ConfirmQuestion<string>) => this.ask((prompter) => prompter.confirm(question)),
  };
  private readonly store: LiveAreaStore;
  private area: Area = { state: 'idle' };
  private generation = 0;
  private questionsOpen = 0;
  private held: string[] = [];
  private stdinUsed = false;
  private inquirer: Promise<Prompter<string>> | undefined;
  /** Live messages as lines, when the area failed. */
  private readonly fallback = new LiveTexts();

  constructor(setup: HostSetup) {
    super(setup);
    this.store = createLiveAreaStore(() => this.runtime.now());
  }

  protected publish(result: IoResult): void {
    this.endLive(false);
    this.flushHeld();
    writeResultText(this.terminal.stdout, result.text, this.style.enabled);
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    await super.close();
    this.endLive(false);
    this.store.dispatch({ type: 'clear-live' });
    this.flushHeld();
    if (this.stdinUsed) {
      this.terminal.stdin.pause();
      this.terminal.stdin.unref();
    }
  }

  protected show(message: SafeMessage): void {
    const live = message.live;
    if (live !== undefined && !live.done) {
      if (this.closed) return;
      if (this.area.state === 'failed') {
        if (this.fallback.changed(message)) this.writeLine(formatLine(message.level, message.text, this.style));
        return;
      }
      this.store.dispatch({ type: 'live', key: live.key, text: message.text, tone: message.level });
      this.wantArea();
      return;
    }
    const line = live === undefined ? formatLine(message.level, message.text, this.style) : this.withSeconds(formatLine(message.level, message.text, this.style), live.key);
    if (this.area.state === 'mounted') {
      this.store.dispatch({ type: 'finish', ...(live === undefined ? {} : { key: live.key }), line });
      return;
    }
    if (live !== undefined) this.store.dispatch({ type: 'finish', key: live.key });
    this.writeLine(line);
  }

  protected override showStopping(): void {
    if (this.area.state === 'mounted') this.store.dispatch({ type: 'notice', text: STOPPING_TEXT });
    else super.showStopping();
  }

  protected override endLive(keep: boolean): void {
    const area = this.area;
    if (area.state === 'loading') this.area = { state: 'idle' };
    if (area.state !== 'mounted') return;
    this.area = { state: 'idle' };
    area.view.end(keep);
  }

  protected override restoreTerminal(): void {
    const { stdin, stderr } = this.terminal;
    if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
    if (stderr.isTTY) stderr.write(SHOW_CURSOR);
  }

  /** A finished live line says how long it ran, once that is a second or more: "✓ Created role web 12s". */
  private withSeconds(line: string, key: string): string {
    const entry = this.store.getState().live.find((candidate) => candidate.key === key);
    const seconds = entry === undefined ? 0 : secondsSince(entry.since, this.runtime.now());
    if (seconds === 0) return line;
    const end = line.indexOf('\n');
    const suffix = this.style.dim(` ${seconds}s`);
    return end < 0 ? `${line}${suffix}` : `${line.slice(0, end)}${suffix}${line.slice(end)}`;
  }

  private writeLine(line: string): void {
    if (this.questionsOpen > 0) this.held.push(line);
    else this.terminal.stderr.write(`${line}\n`);
  }

  private flushHeld(): void {
    const lines = this.held;
    this.held = [];
    for (const line of lines) this.terminal.stderr.write(`${line}\n`);
  }

  /** Mounts the live area unless it is up, on its way, or must wait (a question is open, the host is closed). */
  private wantArea(): void {
    if (this.closed || this.questionsOpen > 0 || this.area.state !== 'idle') return;
    this.generation += 1;
    const generation = this.generation;
    this.area = { state: 'loading', generation };
    const stillWanted = () => this.area.state === 'loading' && this.area.generation === generation;
    void import('../ui/live-area.js')
      .then(({ mountLiveArea }) => {
        if (!stillWanted()) return;
        this.stdinUsed = true;
        const view = mountLiveArea({
          store: this.store,
          style: this.style,
          clock: () => this.runtime.now(),
          stdin: this.terminal.stdin,
          stderr: this.terminal.stderr,
          onCtrlC: () => this.ctrlC(),
        });
        this.area = { state: 'mounted', view };
      })
      .catch((error: unknown) => {
        if (!stillWanted()) return;
        this.area = { state: 'failed' };
        const reason = error instanceof Error ? error.message : String(error);
        this.writeLine(formatLine('warning', printable(`Cannot draw progress here (${reason}); showing it as lines.`), this.style));
        for (const entry of this.store.getState().live) this.show({ code: 'live', level: entry.tone, text: entry.text, data: {}, live: { key: entry.key } });
      });
  }

  /** One question: the live area goes first (its last frame stays), lines wait, then the area comes back if needed. */
  private async ask<T>(run: (prompter: Prompter<string>) => Promise<T>): Promise<T> {
    this.endLive(false);
    this.questionsOpen += 1;
    try {
      this.inquirer ??= import('../prompt/inquirer-prompter.js').then(({ createInquirerPrompter }) =>
        createInquirerPrompter<string>({ input: this.terminal.stdin, output: this.terminal.stderr, rows: this.rows, color: this.style.enabled }),
      );
      const prompter = await this.inquirer;
      this.stdinUsed = true;
      // ink unrefs stdin when it unmounts, and inquirer never refs it again: without this the event loop empties
      // while the question is on the screen, and the question fails as if cancelled.
      this.terminal.stdin.ref();
      const answer = await run(prompter);
      this.questionDone(true);
      return answer;
    } catch (error) {
      // A cancelled question ends the run: the area stays down for fail() to say so.
      this.questionDone(false);
      throw error;
    }
  }

  private questionDone(answered: boolean): void {
    this.questionsOpen -= 1;
    if (this.questionsOpen > 0) return;
    this.flushHeld();
    if (answered && this.store.getState().live.length > 0) this.wantArea();
  }
}
