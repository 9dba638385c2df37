import { findRanges, highlightRanges, stripAnsi } from './ansi.js';
import { isChar, isCtrl, isTypedText, type KeyPress } from './keys.js';

/**
 * A scrollable view over pre-rendered lines with an in-text find, as plain data and a reducer.
 * The pager knows nothing about articles or ink: GuideApp feeds it lines and key presses.
 */

export interface FindMatch {
  /** Index into lines. */
  line: number;
  /** Offsets into the line's plain (unstyled) text. */
  start: number;
  end: number;
}

export interface PagerState {
  /** Rendered lines (may contain ANSI styling). */
  readonly lines: readonly string[];
  /** The same lines without styling: what find searches. */
  readonly plain: readonly string[];
  /** First visible line. */
  readonly top: number;
  /** Visible rows. */
  readonly height: number;
  /** The find prompt's text while it is open; undefined when closed. */
  readonly prompt: string | undefined;
  /** The last find that ran ('' before any). */
  readonly query: string;
  readonly matches: readonly FindMatch[];
  /** Index into matches of the current one; -1 for none. */
  readonly current: number;
  /** A one-off status message ("match 2/5", "not found: …"); cleared by the next plain scroll. */
  readonly message: string | undefined;
}

export type PagerAction =
  | { type: 'scroll'; by: number }
  | { type: 'page'; by: number }
  | { type: 'top' }
  | { type: 'bottom' }
  | { type: 'resize'; height: number }
  | { type: 'set-lines'; lines: readonly string[] }
  | { type: 'find-open' }
  | { type: 'find-type'; text: string }
  | { type: 'find-erase' }
  | { type: 'find-clear' }
  | { type: 'find-cancel' }
  | { type: 'find-run' }
  | { type: 'find-next' }
  | { type: 'find-prev' };

export function createPager(lines: readonly string[], height: number): PagerState {
  return {
    lines,
    plain: lines.map(stripAnsi),
    top: 0,
    height: Math.max(1, height),
    prompt: undefined,
    query: '',
    matches: [],
    current: -1,
    message: undefined,
  };
}

export function maxTop(state: Pick<PagerState, 'lines' | 'height'>): number {
  return Math.max(0, state.lines.length - state.height);
}

export function clampTop(state: Pick<PagerState, 'lines' | 'height'>, top: number): number {
  return Math.min(Math.max(0, top), maxTop(state));
}

/** The rows to draw: the visible slice of lines. */
export function visibleLines(state: PagerState): readonly string[] {
  return state.lines.slice(state.top, state.top + state.height);
}

/** "lines 21–40 of 96", or "all 12 lines" when everything fits. */
export function positionLabel(state: PagerState): string {
  const total = state.lines.length;
  if (total <= state.height) return `all ${total} lines`;
  const last = Math.min(total, state.top + state.height);
  const percent = Math.round((last / total) * 100);
  return `lines ${state.top + 1}–${last} of ${total} (${percent}%)`;
}

/** The matches on one line (for highlighting), flagging the current one. */
export function matchesOnLine(state: PagerState, line: number): (FindMatch & { current: boolean })[] {
  return state.matches.flatMap((match, index) => (match.line === line ? [{ ...match, current: index === state.current }] : []));
}

function findAll(plain: readonly string[], query: string): FindMatch[] {
  return plain.flatMap((text, line) => findRanges(text, query).map((range) => ({ line, ...range })));
}

/** Scrolls so the match's line is visible: left alone when already on screen, else one line of context above it. */
function reveal(state: PagerState, match: FindMatch | undefined): number {
  if (!match) return state.top;
  if (match.line >= state.top && match.line < state.top + state.height) return state.top;
  return clampTop(state, match.line - 1);
}

function goToMatch(state: PagerState, index: number): PagerState {
  const count = state.matches.length;
  const current = ((index % count) + count) % count;
  const moved = { ...state, current };
  return { ...moved, top: reveal(moved, state.matches[current]), message: `match ${current + 1}/${count}` };
}

function runFind(state: PagerState, query: string): PagerState {
  const closed = { ...state, prompt: undefined };
  if (query === '') return { ...closed, message: undefined };
  const matches = findAll(state.plain, query);
  if (matches.length === 0) return { ...closed, query, matches, current: -1, message: `not found: ${query}` };
  // Start from the first match at or below the top of the screen, like less.
  const first = matches.findIndex((match) => match.line >= state.top);
  return goToMatch({ ...closed, query, matches }, first < 0 ? 0 : first);
}

function step(state: PagerState, by: 1 | -1): PagerState {
  if (state.query === '') return { ...state, message: 'press / to find text in this article' };
  if (state.matches.length === 0) return { ...state, message: `not found: ${state.query}` };
  return goToMatch(state, state.current + by);
}

function withLines(state: PagerState, lines: readonly string[]): PagerState {
  const plain = lines.map(stripAnsi);
  const matches = findAll(plain, state.query);
  const oldTotal = Math.max(1, state.lines.length);
  const next: PagerState = {
    ...state,
    lines,
    plain,
    matches,
    current: matches.length === 0 ? -1 : Math.min(Math.max(state.current, 0), matches.length - 1),
    // Keep roughly the same place in the text when a new width rewraps it.
    top: Math.round((state.top / oldTotal) * lines.length),
  };
  const top = clampTop(next, next.top);
  return { ...next, top: next.current >= 0 && state.current >= 0 ? reveal({ ...next, top }, matches[next.current]) : top };
}

export function pagerReducer(state: PagerState, action: PagerAction): PagerState {
  switch (action.type) {
    case 'scroll':
      return { ...state, top: clampTop(state, state.top + action.by), message: undefined };
    case 'page':
      return { ...state, top: clampTop(state, state.top + action.by * Math.max(1, state.height - 1)), message: undefined };
    case 'top':
      return { ...state, top: 0, message: undefined };
    case 'bottom':
      return { ...state, top: maxTop(state), message: undefined };
    case 'resize': {
      const resized = { ...state, height: Math.max(1, action.height) };
      return { ...resized, top: clampTop(resized, resized.top) };
    }
    case 'set-lines':
      return withLines(state, action.lines);
    case 'find-open':
      return { ...state, prompt: '', message: undefined };
    case 'find-type':
      return state.prompt === undefined ? state : { ...state, prompt: state.prompt + action.text };
    case 'find-erase':
      if (state.prompt === undefined) return state;
      return state.prompt === '' ? { ...state, prompt: undefined } : { ...state, prompt: state.prompt.slice(0, -1) };
    case 'find-clear':
      return state.prompt === undefined ? state : { ...state, prompt: '' };
    case 'find-cancel':
      return { ...state, prompt: undefined };
    case 'find-run':
      // An empty prompt repeats the last find, as in less.
      return runFind(state, state.prompt === undefined || state.prompt === '' ? state.query : state.prompt);
    case 'find-next':
      return step(state, 1);
    case 'find-prev':
      return step(state, -1);
  }
}

/** Maps a key to a pager action; undefined when the pager does not use the key (the caller may). */
export function pagerKey(state: PagerState, press: KeyPress): PagerAction | undefined {
  if (state.prompt !== undefined) {
    if (press.name === 'enter') return { type: 'find-run' };
    if (press.name === 'escape') return { type: 'find-cancel' };
    if (press.name === 'backspace') return { type: 'find-erase' };
    if (isCtrl(press, 'u')) return { type: 'find-clear' };
    if (isTypedText(press)) return { type: 'find-type', text: press.text };
    return undefined;
  }
  const half = Math.max(1, Math.floor(state.height / 2));
  if (press.name === 'up' || isChar(press, 'k')) return { type: 'scroll', by: -1 };
  if (press.name === 'down' || isChar(press, 'j')) return { type: 'scroll', by: 1 };
  if (press.name === 'pageup' || isCtrl(press, 'b') || isChar(press, 'b')) return { type: 'page', by: -1 };
  if (press.name === 'pagedown' || isCtrl(press, 'f') || isChar(press, ' ')) return { type: 'page', by: 1 };
  if (isCtrl(press, 'd')) return { type: 'scroll', by: half };
  if (isCtrl(press, 'u')) return { type: 'scroll', by: -half };
  if (press.name === 'home' || isChar(press, 'g')) return { type: 'top' };
  if (press.name === 'end' || isChar(press, 'G')) return { type: 'bottom' };
  if (isChar(press, '/')) return { type: 'find-open' };
  if (isChar(press, 'n')) return { type: 'find-next' };
  if (isChar(press, 'N')) return { type: 'find-prev' };
  return undefined;
}

export interface HighlightStyles {
  /** Escape that starts highlighting a match. */
  match: string;
  /** Escape that starts highlighting the current match. */
  current: string;
}

/** The visible lines with find matches highlighted. */
export function visibleRows(state: PagerState, styles: HighlightStyles): string[] {
  return visibleLines(state).map((line, offset) => {
    const ranges = matchesOnLine(state, state.top + offset).map((match) => ({ start: match.start, end: match.end, open: match.current ? styles.current : styles.match }));
    return highlightRanges(line, ranges);
  });
}
