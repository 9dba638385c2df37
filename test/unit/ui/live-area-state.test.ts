import { describe, expect, it } from 'vitest';
import { createStyle } from '../../../src/io/terminal.js';
import {
  SPINNER_FRAMES,
  createLiveAreaStore,
  initialLiveArea,
  isMoving,
  liveAreaReducer,
  liveRows,
  visibleLive,
  visibleNotice,
  type LiveAreaAction,
  type LiveAreaState,
} from '../../../src/ui/live-area-state.js';

const run = (actions: LiveAreaAction[], from: LiveAreaState = initialLiveArea) => actions.reduce(liveAreaReducer, from);
const plain = createStyle(false);

describe('live area state', () => {
  it('keeps live lines in the order they appeared; a change keeps the place and the start time', () => {
    const state = run([
      { type: 'live', key: 'i-1', text: 'i-1: BeforeInstall', tone: 'info', at: 1000 },
      { type: 'live', key: 'i-2', text: 'i-2: BeforeInstall', tone: 'info', at: 1100 },
      { type: 'live', key: 'i-1', text: 'i-1: Install', tone: 'warning', at: 5000 },
    ]);
    expect(state.live).toEqual([
      { key: 'i-1', text: 'i-1: Install', tone: 'warning', since: 1000 },
      { key: 'i-2', text: 'i-2: BeforeInstall', tone: 'info', since: 1100 },
    ]);
  });

  it('the same live text again is no change (the view does not redraw)', () => {
    const state = run([{ type: 'live', key: 'a', text: 'x', tone: 'info', at: 1 }]);
    expect(liveAreaReducer(state, { type: 'live', key: 'a', text: 'x', tone: 'info', at: 2 })).toBe(state);
  });

  it('a finished line is appended with a new id and ends the live line of its key', () => {
    const state = run([
      { type: 'live', key: 'role', text: 'Creating role', tone: 'info', at: 0 },
      { type: 'live', key: 'group', text: 'Creating group', tone: 'info', at: 0 },
      { type: 'finish', key: 'role', line: '✓ Created role', at: 10 },
      { type: 'finish', line: '! A note', at: 11 },
      { type: 'finish', key: 'group', at: 12 },
    ]);
    expect(state.finished).toEqual([
      { id: 0, text: '✓ Created role' },
      { id: 1, text: '! A note' },
    ]);
    expect(state.live).toEqual([]);
  });

  it('ending for a question drops the live lines from the last frame but remembers them; the notice never shows in it', () => {
    const running = run([
      { type: 'live', key: 'step', text: 'Creating role', tone: 'info', at: 0 },
      { type: 'notice', text: 'Stopping after the steps in flight; Ctrl-C again quits now.', at: 1 },
    ]);
    expect(visibleNotice(running)).toBe('Stopping after the steps in flight; Ctrl-C again quits now.');
    expect(isMoving(running)).toBe(true);
    const dropped = liveAreaReducer(running, { type: 'end', keepLive: false, at: 2 });
    expect(visibleLive(dropped)).toEqual([]);
    expect(visibleNotice(dropped)).toBeUndefined();
    expect(isMoving(dropped)).toBe(false);
    const kept = liveAreaReducer(running, { type: 'end', keepLive: true, at: 2 });
    expect(visibleLive(kept).map((entry) => entry.text)).toEqual(['Creating role']);
  });

  it('once unmounted, finished lines are forgotten (printed already) while live lines and ids carry on', () => {
    const state = run([
      { type: 'live', key: 'step', text: 'Creating role', tone: 'info', at: 0 },
      { type: 'finish', line: 'one', at: 1 },
      { type: 'end', keepLive: false, at: 2 },
      { type: 'unmounted', at: 3 },
      { type: 'finish', line: 'two', at: 4 },
    ]);
    expect(state.finished).toEqual([{ id: 1, text: 'two' }]);
    expect(state.ending).toBeUndefined();
    expect(state.live.map((entry) => entry.key)).toEqual(['step']);
    expect(liveAreaReducer(state, { type: 'clear-live', at: 5 }).live).toEqual([]);
  });
});

describe('live rows', () => {
  const entry = { key: 'step', text: 'Creating role web-role', tone: 'info' as const, since: 10_000 };

  it('a spinner frame (by the clock: one every 80 ms), the text, and the seconds once it has run for one', () => {
    expect(liveRows(entry, 10_500, plain)).toEqual([`${SPINNER_FRAMES[1]} Creating role web-role`]);
    expect(liveRows(entry, 22_000, plain)).toEqual([`${SPINNER_FRAMES[5]} Creating role web-role 12s`]);
  });

  it('stopped (an interruption\'s last frame): "…" instead of the spinner', () => {
    expect(liveRows(entry, 12_000, plain, true)).toEqual(['… Creating role web-role 2s']);
  });

  it('a clock behind the event never shows negative seconds; more lines sit under the text', () => {
    expect(liveRows({ ...entry, text: 'Waiting for IAM\nattempt 2 of 5' }, 9_000, plain)).toEqual([`${SPINNER_FRAMES[2]} Waiting for IAM`, '  attempt 2 of 5']);
  });
});

describe('live area store', () => {
  it('stamps actions with its clock and tells subscribers only when something changed', () => {
    let now = 500;
    const store = createLiveAreaStore(() => now);
    let calls = 0;
    const unsubscribe = store.subscribe(() => (calls += 1));
    store.dispatch({ type: 'live', key: 'a', text: 'x', tone: 'info' });
    now = 900;
    store.dispatch({ type: 'live', key: 'a', text: 'x', tone: 'info' });
    expect(calls).toBe(1);
    expect(store.getState().live[0]?.since).toBe(500);
    unsubscribe();
    store.dispatch({ type: 'finish', key: 'a' });
    expect(calls).toBe(1);
    expect(store.getState().live).toEqual([]);
  });
});
