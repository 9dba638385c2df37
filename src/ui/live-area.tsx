import { Static, Text, render, useInput } from 'ink';
import { useEffect, useState, useSyncExternalStore } from 'react';
import type { Style } from '../io/terminal.js';
import { isCtrl, toKeyPresses } from './keys.js';
import { SPINNER_INTERVAL_MS, isMoving, liveRows, visibleLive, visibleNotice, type LiveAreaStore } from './live-area-state.js';

/**
 * The terminal host's live area (src/io/terminal-host.ts) on stderr: finished lines print once and stay (ink's
 * <Static>), the live lines below them move (spinner, seconds), and a notice under them. The view only lays out
 * what the store holds. It reads stdin in raw mode, so keys typed meanwhile do not echo into the frames; every key
 * is swallowed except Ctrl-C, which goes to `onCtrlC` (the host decides: soft stop, or quit). Load this module with
 * a dynamic import(): it pulls in ink and react.
 */

export interface LiveAreaProps {
  store: LiveAreaStore;
  style: Style;
  clock: () => number;
  onCtrlC: () => void;
  /** Whether stdin can be read in raw mode (a terminal). */
  readKeys: boolean;
}

export function LiveArea({ store, style, clock, onCtrlC, readKeys }: LiveAreaProps) {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const [now, setNow] = useState(clock);
  const moving = isMoving(state);

  useEffect(() => {
    if (!moving) return undefined;
    setNow(clock());
    const timer = setInterval(() => setNow(clock()), SPINNER_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [moving, clock]);

  useInput(
    (input, key) => {
      // A busy process can read two quick Ctrl-Cs as one chunk: each counts. The host's answer runs outside ink's
      // input batch, so what it dispatches is drawn before it unmounts the view.
      for (const press of toKeyPresses(input, key)) if (isCtrl(press, 'c')) setImmediate(onCtrlC);
    },
    { isActive: readKeys },
  );

  const notice = visibleNotice(state);
  const stopped = state.ending === 'keep-live';
  return (
    <>
      <Static items={state.finished}>{(item) => <Text key={item.id}>{item.text}</Text>}</Static>
      {visibleLive(state).flatMap((entry) =>
        liveRows(entry, now, style, stopped).map((row, index) => (
          <Text key={`${entry.key}\u0000${index}`} wrap="truncate-end">
            {row}
          </Text>
        )),
      )}
      {notice === undefined ? null : <Text wrap="truncate-end">{style.yellow(notice)}</Text>}
    </>
  );
}

/** Cursor up one line and erase it. */
const ERASE_BLANK_LINE = '\u001b[1A\u001b[2K';

export interface LiveAreaOptions extends Omit<LiveAreaProps, 'readKeys'> {
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
}

export interface LiveAreaView {
  /**
   * Draws the last frame (with or without the live lines), unmounts and turns raw mode off, synchronously: the
   * frame is on the screen when it returns. ink leaves stdin unreferenced; the host refs or releases it next.
   */
  end(keepLive: boolean): void;
}

/**
 * Mounts the live area on `stderr` (progress is not a result). Raw mode before the first frame, so a key pressed
 * at once is a key, not an echo; and, after an @inquirer question, stdin resumed (readline left it paused with its
 * 'data' listener behind, and ink would get no bytes; see ink-session.ts).
 */
export function mountLiveArea(options: LiveAreaOptions): LiveAreaView {
  const { stdin, stderr, store } = options;
  const readKeys = Boolean(stdin.isTTY);
  if (readKeys) stdin.setRawMode(true);
  if (stdin.isPaused() && stdin.listenerCount('data') > 0) stdin.resume();
  const element = <LiveArea store={store} style={options.style} clock={options.clock} onCtrlC={options.onCtrlC} readKeys={readKeys} />;
  const instance = render(element, {
    stdin,
    stdout: stderr,
    stderr,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  return {
    end(keepLive) {
      store.dispatch({ type: 'end', keepLive });
      // Commit that state now (ink renders synchronously on rerender); unmount then draws it as the last frame.
      instance.rerender(element);
      const empty = visibleLive(store.getState()).length === 0;
      instance.unmount();
      // ink ends every frame with a newline, so an empty last frame is a blank line: take it back.
      if (empty && stderr.isTTY) stderr.write(ERASE_BLANK_LINE);
      if (readKeys) stdin.setRawMode(false);
      store.dispatch({ type: 'unmounted' });
    },
  };
}
