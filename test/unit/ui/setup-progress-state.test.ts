import { describe, expect, it } from 'vitest';
import {
  SPINNER_FRAMES,
  counterText,
  createProgressStore,
  elapsedText,
  initialProgress,
  progressReducer,
  spinnerFrame,
  waitingText,
  type ProgressAction,
  type ProgressState,
  type ProgressStep,
} from '../../../src/ui/setup-progress-state.js';

const step = (id: string, kind = 'create'): ProgressStep => ({ id, kind, title: `Creating ${id}`, doneTitle: `Created ${id}`, summary: `Create ${id}` });
const run = (actions: ProgressAction[], total = 3): ProgressState => actions.reduce(progressReducer, initialProgress(total));

describe('setup progress state', () => {
  it('appends a line per finished step (with whole seconds) and tracks the running one', () => {
    const state = run([
      { type: 'step-start', step: step('role'), at: 1_000 },
      { type: 'step-done', step: step('role'), at: 3_500 },
      { type: 'step-start', step: step('profile'), at: 3_500 },
    ]);
    expect(state.finished).toEqual([{ key: '0', status: 'done', text: 'Created role', seconds: 2 }]);
    expect(state.running).toEqual({ id: 'profile', title: 'Creating profile', startedAt: 3_500 });
    expect(counterText(state)).toBe('1 of 3 steps');
    expect(elapsedText(state.running!, 15_900)).toBe('12s');
  });

  it('keeps notes, skip reasons and errors on their lines; a failure ends the running step', () => {
    const state = run([
      { type: 'step-skip', step: step('app', 'reuse'), reason: 'already set up', at: 0 },
      { type: 'step-skip', step: step('replace', 'replace-profile'), reason: 'not confirmed', at: 0 },
      { type: 'step-start', step: step('role'), at: 0 },
      { type: 'step-done', step: step('role'), note: 'it already existed', at: 10 },
      { type: 'step-start', step: step('group'), at: 10 },
      { type: 'step-failed', step: step('group'), error: { message: 'Cannot assume role provided.' }, at: 4_010 },
    ]);
    expect(state.finished.map(({ status, text, detail }) => ({ status, text, detail }))).toEqual([
      { status: 'skipped', text: 'Created app', detail: 'already set up' },
      { status: 'skipped', text: 'Create replace', detail: 'not confirmed' },
      { status: 'done', text: 'Created role', detail: 'it already existed' },
      { status: 'failed', text: 'Creating group failed', detail: 'Cannot assume role provided.' },
    ]);
    expect(state.finished.map((line) => line.key)).toEqual(['0', '1', '2', '3']);
    expect(state.running).toBeUndefined();
  });

  it('shows the IAM wait with the coming attempt and a countdown', () => {
    const state = run([
      { type: 'step-start', step: step('group'), at: 0 },
      { type: 'waiting-for-iam', step: step('group'), attempt: 1, delayMs: 4_000, reason: 'Cannot assume role provided.', at: 1_000 },
    ]);
    const waiting = state.running?.waiting;
    expect(waiting).toEqual({ attempt: 2, since: 1_000, retryAt: 5_000, reason: 'Cannot assume role provided.' });
    expect(waitingText(waiting!, 1_000)).toBe('waiting for IAM to propagate (attempt 2, retrying in 4s)');
    // A view clock a tick behind the event does not count a second too many.
    expect(waitingText(waiting!, 950)).toBe('waiting for IAM to propagate (attempt 2, retrying in 4s)');
    expect(waitingText(waiting!, 3_500)).toBe('waiting for IAM to propagate (attempt 2, retrying in 2s)');
    expect(waitingText(waiting!, 5_200)).toBe('waiting for IAM to propagate (attempt 2, retrying now)');
    // The retry that works ends the step as usual.
    const done = progressReducer(state, { type: 'step-done', step: step('group'), at: 5_300 });
    expect(done.running).toBeUndefined();
    expect(done.finished).toEqual([{ key: '0', status: 'done', text: 'Created group', seconds: 5 }]);
  });

  it('records a stop request and the close', () => {
    const state = run([
      { type: 'stop-requested', at: 0 },
      { type: 'close', at: 0 },
    ]);
    expect(state).toMatchObject({ stopping: true, closed: true });
  });

  it('spins through its frames with time', () => {
    expect(spinnerFrame(0)).toBe(SPINNER_FRAMES[0]);
    expect(spinnerFrame(80)).toBe(SPINNER_FRAMES[1]);
    expect(spinnerFrame(80 * SPINNER_FRAMES.length)).toBe(SPINNER_FRAMES[0]);
  });

  it('store: dispatch stamps the time and tells subscribers; unsubscribe stops that', () => {
    let now = 100;
    const store = createProgressStore(2, () => now);
    let heard = 0;
    const unsubscribe = store.subscribe(() => (heard += 1));
    store.dispatch({ type: 'step-start', step: step('role') });
    expect(store.getState().running?.startedAt).toBe(100);
    now = 2_100;
    store.dispatch({ type: 'step-done', step: step('role') });
    expect(store.getState().finished[0]?.seconds).toBe(2);
    unsubscribe();
    store.dispatch({ type: 'close' });
    expect(heard).toBe(2);
    expect(store.getState().closed).toBe(true);
  });
});
