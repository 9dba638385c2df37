import { render } from 'ink';
import type { ReactElement } from 'react';
import { ESC } from './terminal-screen.js';

/**
 * Running ink screens in a CLI process: the alternate screen, and the stdin care ink needs when it shares the
 * process with other ink screens or @inquirer/prompts (see /work/shared/reference/ecosystem-notes.md §6):
 *   1. stdin.resume() before render() after an inquirer prompt (stdin is paused and ink would get no bytes);
 *   2. stdin.ref() after waitUntilExit() when something interactive follows (ink unrefs stdin on unmount);
 *   3. releaseStdin() (pause + unref) once the last screen is done, or the process never exits.
 * This module imports ink, so only load it with a dynamic import() from the command that shows a screen.
 */


export { ESC, releaseStdin, withAltScreen } from './terminal-screen.js';

export interface InkStreams {
  readonly stdin: NodeJS.ReadStream;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

export interface RunInkOptions {
  /** Clear the screen and start at the top-left first (for full-screen views in the alternate screen). */
  clear?: boolean;
  /** Something interactive (another ink screen or a prompt) follows: keep stdin referenced. */
  more?: boolean;
  /**
   * A first frame is on screen (src/ui/first-frame.ts): called right before ink renders over it, to hand over
   * the keys typed meanwhile. The screen is not cleared.
   */
  takeOver?: () => void;
}

/**
 * Renders `element` until it calls useApp().exit(value); resolves with that value, or undefined when the
 * user pressed Ctrl-C (ink unmounts on Ctrl-C and restores raw mode itself).
 */
export async function runInk<T>(element: ReactElement, streams: InkStreams, options: RunInkOptions = {}): Promise<T | undefined> {
  const { stdin, stdout } = streams;
  // Raw mode before the first frame, not in ink's effect just after it: a key pressed as soon as the screen
  // appears is then a key (not an echo, and Ctrl-C is not a SIGINT that skips the clean-up).
  if (stdin.isTTY) stdin.setRawMode(true);
  // After an @inquirer prompt, readline leaves stdin paused with its 'data' listener behind, and ink's
  // 'readable' listener would get no bytes: resume() it. Only then: resuming a stream nobody reads yet
  // drops the keys typed before ink attaches its listener.
  if (stdin.isPaused() && stdin.listenerCount('data') > 0) stdin.resume();
  if (options.takeOver) options.takeOver();
  else if (options.clear) stdout.write(ESC.clearHome);
  try {
    const app = render(element, { stdin, stdout, stderr: streams.stderr, exitOnCtrlC: true });
    // The screens only ever exit with a value of their own result type, or with nothing on Ctrl-C.
    return (await app.waitUntilExit()) as T | undefined;
  } finally {
    if (stdin.isTTY) stdin.setRawMode(false);
    if (options.more) stdin.ref();
  }
}

