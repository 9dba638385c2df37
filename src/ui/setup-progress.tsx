import { Box, Static, Text, render, useApp, useInput } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { releaseStdin, type InkStreams } from './ink-session.js';
import {
  SPINNER_INTERVAL_MS,
  counterText,
  createProgressStore,
  elapsedText,
  spinnerFrame,
  waitingText,
  type FinishedLine,
  type ProgressEvent,
  type ProgressStore,
} from './setup-progress-state.js';

/**
 * Setup's progress while it changes AWS: each finished step prints once and stays (ink's <Static>); only the
 * running step moves (spinner, seconds, the IAM wait). Mounted after every question has been answered, so no
 * prompt is ever open while it reads keys. Load this module with a dynamic import(): it pulls in ink and react.
 *
 * Keys: the view reads stdin in raw mode, so keys typed meanwhile do not echo into the frames. Ctrl-C asks to
 * stop after the running step; a second Ctrl-C quits at once (onQuit).
 */

const MARK: Record<FinishedLine['status'], { symbol: string; color: 'green' | 'gray' | 'red' }> = {
  done: { symbol: '✓', color: 'green' },
  skipped: { symbol: '–', color: 'gray' },
  failed: { symbol: '✗', color: 'red' },
};

function Finished({ line }: { line: FinishedLine }) {
  const mark = MARK[line.status];
  return (
    <Text>
      <Text color={mark.color}>{mark.symbol}</Text> <Text dimColor={line.status === 'skipped'}>{line.text}</Text>
      {line.detail === undefined ? null : line.status === 'failed' ? <Text color="red">: {line.detail}</Text> : <Text dimColor> ({line.detail})</Text>}
      {line.seconds !== undefined && line.seconds > 0 ? <Text dimColor> {line.seconds}s</Text> : null}
    </Text>
  );
}

export interface SetupProgressProps {
  store: ProgressStore;
  /** The second Ctrl-C. */
  onQuit: () => void;
}

export function SetupProgress({ store, onQuit }: SetupProgressProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { exit } = useApp();
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (state.closed) {
      // Unmount after this frame: the finished lines are printed, the live part is gone.
      exit();
      return undefined;
    }
    const timer = setInterval(() => setNow(Date.now()), SPINNER_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [state.closed, exit]);

  // Every other key is swallowed on purpose.
  useInput((input, key) => {
    if (!(key.ctrl && input === 'c')) return;
    if (store.getState().stopping) onQuit();
    else store.dispatch({ type: 'stop-requested' });
  });

  const running = state.closed ? undefined : state.running;
  return (
    <>
      <Static items={state.finished}>{(line) => <Finished key={line.key} line={line} />}</Static>
      {running === undefined ? null : (
        <Box flexDirection="column">
          <Text>
            <Text color="cyan">{spinnerFrame(now)}</Text> {running.title} <Text dimColor>{elapsedText(running, now)}</Text>
          </Text>
          {running.waiting === undefined ? null : <Text color="yellow">  {waitingText(running.waiting, now)}</Text>}
          <Text dimColor>  {counterText(state)} done</Text>
        </Box>
      )}
      {state.stopping && !state.closed ? <Text color="yellow">Stopping after this step. Ctrl-C again quits now.</Text> : null}
    </>
  );
}

export interface SetupProgressSession {
  /** Feed apply events here. */
  report(event: ProgressEvent): void;
  /** Whether the user pressed Ctrl-C (apply stops before its next step). */
  stopRequested(): boolean;
  /** Prints the last frame, unmounts and lets go of stdin. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * Mounts the progress view on `streams.stderr` (progress is not a result) and reads keys from `streams.stdin`.
 * The stdin calls that let ink follow @inquirer/prompts in one process (reference notes §6): raw mode and
 * resume() before render() (the prompts left stdin paused, and ink would get no bytes); at the end setRawMode(false),
 * pause() and unref() so the process can exit. Nothing interactive follows, so no ref() after ink.
 */
export function startSetupProgress(streams: InkStreams, options: { total: number; onQuit: () => void }): SetupProgressSession {
  const { stdin } = streams;
  const store = createProgressStore(options.total);
  if (stdin.isTTY) stdin.setRawMode(true);
  if (stdin.isPaused()) stdin.resume();
  // Called only after render() below has returned.
  const quit = () => {
    instance.unmount();
    if (stdin.isTTY) stdin.setRawMode(false);
    releaseStdin(stdin);
    options.onQuit();
  };
  const instance = render(<SetupProgress store={store} onQuit={quit} />, { stdin, stdout: streams.stderr, stderr: streams.stderr, exitOnCtrlC: false, patchConsole: false });
  const exited = instance.waitUntilExit().catch(() => undefined);
  let closing: Promise<void> | undefined;
  return {
    report: (event) => store.dispatch(event),
    stopRequested: () => store.getState().stopping,
    close() {
      closing ??= (async () => {
        store.dispatch({ type: 'close' });
        await exited;
        if (stdin.isTTY) stdin.setRawMode(false);
        releaseStdin(stdin);
      })();
      return closing;
    },
  };
}
