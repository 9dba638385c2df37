import type { Style } from '../io/terminal.js';

/**
 * The state behind the terminal host's live area (src/ui/live-area.tsx), as a reducer and a tiny store, so it is
 * tested without ink. Finished lines are only ever appended while the view is mounted (ink's <Static> prints each
 * once, by position) and are forgotten once the view is gone; live lines are keyed, keep their place and the time
 * they first appeared, and outlive the view (a question unmounts it; the next live message mounts it again).
 * Texts arrive already made printable and, for finished lines, styled: the view only lays them out.
 */

export type Tone = 'info' | 'success' | 'warning' | 'error' | 'debug';

export interface LiveEntry {
  key: string;
  text: string;
  tone: Tone;
  /** When the key first went live (ms): how long it has been in flight. */
  since: number;
}

export interface FinishedItem {
  /** Unique within the host: the React key of the printed line. */
  id: number;
  /** The whole line(s), styled, as the plain host would print them. */
  text: string;
}

export interface LiveAreaState {
  finished: FinishedItem[];
  live: LiveEntry[];
  /** One line under the live lines ("Stopping after the steps in flight; …"). */
  notice: string | undefined;
  /**
   * The view is about to unmount: 'keep-live' leaves the live lines in its last frame (an interruption: they say
   * what was in flight), 'drop-live' takes them out (a question or the end: they described a moment that is over).
   */
  ending: 'keep-live' | 'drop-live' | undefined;
  nextId: number;
}

export type LiveAreaEvent =
  /** A live line appears or changes. */
  | { type: 'live'; key: string; text: string; tone: Tone }
  /** A final line (printed once, stays), and/or the end of the live line `key`. */
  | { type: 'finish'; key?: string; line?: string }
  | { type: 'notice'; text: string | undefined }
  | { type: 'end'; keepLive: boolean }
  /** The view is gone: its finished lines are on the screen, the next view starts with none. */
  | { type: 'unmounted' }
  /** Every live line ends without a word (the command is over). */
  | { type: 'clear-live' };

/** Every action carries the time it happened (ms), so the reducer stays pure. */
export type LiveAreaAction = LiveAreaEvent & { at: number };

export const initialLiveArea: LiveAreaState = { finished: [], live: [], notice: undefined, ending: undefined, nextId: 0 };

export function liveAreaReducer(state: LiveAreaState, action: LiveAreaAction): LiveAreaState {
  switch (action.type) {
    case 'live': {
      const index = state.live.findIndex((entry) => entry.key === action.key);
      const existing = state.live[index];
      if (existing === undefined) return { ...state, live: [...state.live, { key: action.key, text: action.text, tone: action.tone, since: action.at }] };
      if (existing.text === action.text && existing.tone === action.tone) return state;
      const live = state.live.slice();
      live[index] = { ...existing, text: action.text, tone: action.tone };
      return { ...state, live };
    }
    case 'finish': {
      const live = action.key === undefined ? state.live : state.live.filter((entry) => entry.key !== action.key);
      if (action.line === undefined) return live === state.live ? state : { ...state, live };
      return { ...state, live, finished: [...state.finished, { id: state.nextId, text: action.line }], nextId: state.nextId + 1 };
    }
    case 'notice':
      return { ...state, notice: action.text };
    case 'end':
      return { ...state, ending: action.keepLive ? 'keep-live' : 'drop-live' };
    case 'unmounted':
      return { ...state, finished: [], ending: undefined, notice: undefined };
    case 'clear-live':
      return state.live.length === 0 ? state : { ...state, live: [] };
  }
}

/* ---------- what the view shows ---------- */

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;
export const SPINNER_INTERVAL_MS = 80;

export function spinnerFrame(now: number): string {
  return SPINNER_FRAMES[Math.floor(now / SPINNER_INTERVAL_MS) % SPINNER_FRAMES.length] ?? SPINNER_FRAMES[0];
}

/** Whole seconds since `since`, never negative (the view's clock may lag an event by a tick). */
export function secondsSince(since: number, now: number): number {
  return Math.max(0, Math.floor((now - since) / 1000));
}

/** The live lines in the frame. */
export function visibleLive(state: LiveAreaState): LiveEntry[] {
  return state.ending === 'drop-live' ? [] : state.live;
}

/** The notice in the frame: never in the last one. */
export function visibleNotice(state: LiveAreaState): string | undefined {
  return state.ending === undefined ? state.notice : undefined;
}

/** Whether anything moves (the spinner and the seconds need a timer). */
export function isMoving(state: LiveAreaState): boolean {
  return state.ending === undefined && state.live.length > 0;
}

const TONE_COLOR: Record<Tone, keyof Pick<Style, 'cyan' | 'green' | 'yellow' | 'red' | 'dim'>> = {
  info: 'cyan',
  success: 'green',
  warning: 'yellow',
  error: 'red',
  debug: 'dim',
};

/**
 * The rows of one live line: "⠹ Creating role web 12s" (spinner in the tone's colour; the seconds once it has run
 * for one), continuation lines of a multi-line text indented under the text. In the last frame of an
 * interruption the spinner stops on "…".
 */
export function liveRows(entry: LiveEntry, now: number, style: Style, stopped = false): string[] {
  const seconds = secondsSince(entry.since, now);
  const [first = '', ...rest] = entry.text.split('\n');
  const mark = style[TONE_COLOR[entry.tone]](stopped ? '…' : spinnerFrame(now));
  return [`${mark} ${first}${seconds > 0 ? style.dim(` ${seconds}s`) : ''}`, ...rest.map((line) => `  ${line}`)];
}

/* ---------- the store the view subscribes to ---------- */

export interface LiveAreaStore {
  getState(): LiveAreaState;
  subscribe(listener: () => void): () => void;
  dispatch(event: LiveAreaEvent): void;
}

export function createLiveAreaStore(clock: () => number = Date.now): LiveAreaStore {
  let state = initialLiveArea;
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    dispatch(event) {
      const next = liveAreaReducer(state, { ...event, at: clock() });
      if (next === state) return;
      state = next;
      for (const listener of listeners) listener();
    },
  };
}
