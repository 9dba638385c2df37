/**
 * The state behind setup's progress view (src/ui/setup-progress.tsx), as a reducer and a tiny store, so it is
 * tested without ink. Events have the shape of setup's apply events (src/commands/setup/apply.ts), declared
 * here structurally so the UI does not import command code. Finished steps only ever get appended (the view
 * prints each once); the running step carries its start time and, while IAM changes spread, when the next
 * attempt is due.
 */

export interface ProgressStep {
  id: string;
  /** While running: "Creating service role CodeDeployServiceRole". */
  title: string;
  /** When done: "Created service role CodeDeployServiceRole". */
  doneTitle: string;
  /** The plan line, for steps skipped without running. */
  summary: string;
  kind: string;
}

export type ProgressEvent =
  | { type: 'step-start'; step: ProgressStep }
  | { type: 'step-done'; step: ProgressStep; note?: string }
  | { type: 'step-skip'; step: ProgressStep; reason: string }
  | { type: 'waiting-for-iam'; step: ProgressStep; attempt: number; delayMs: number; reason: string }
  | { type: 'step-failed'; step: ProgressStep; error: { message: string } };

/** Every action carries the time it happened (ms), so the reducer stays pure. */
export type ProgressAction = (ProgressEvent | { type: 'stop-requested' } | { type: 'close' }) & { at: number };

export interface FinishedLine {
  /** Unique and stable: the key of the printed line. */
  key: string;
  status: 'done' | 'skipped' | 'failed';
  text: string;
  /** A note after the text: "(it already existed)", the reason a step was skipped, the error. */
  detail?: string;
  /** How long the step ran, in whole seconds (done and failed steps). */
  seconds?: number;
}

export interface RunningStep {
  id: string;
  title: string;
  startedAt: number;
  /** Set while waiting for IAM to propagate: the attempt coming next and when it starts. */
  waiting?: { attempt: number; since: number; retryAt: number; reason: string };
}

export interface ProgressState {
  /** Steps in the plan. */
  total: number;
  finished: FinishedLine[];
  running?: RunningStep;
  /** Ctrl-C was pressed: the run stops before the next step. */
  stopping: boolean;
  /** The run is over; the view prints its last frame and unmounts. */
  closed: boolean;
}

export function initialProgress(total: number): ProgressState {
  return { total, finished: [], stopping: false, closed: false };
}

const wholeSeconds = (ms: number) => Math.max(0, Math.floor(ms / 1000));

function finish(state: ProgressState, line: Omit<FinishedLine, 'key'>): ProgressState {
  const { running: _running, ...rest } = state;
  return { ...rest, finished: [...state.finished, { key: `${state.finished.length}`, ...line }] };
}

export function progressReducer(state: ProgressState, action: ProgressAction): ProgressState {
  const ranFor = () => (state.running === undefined ? undefined : wholeSeconds(action.at - state.running.startedAt));
  switch (action.type) {
    case 'step-start':
      return { ...state, running: { id: action.step.id, title: action.step.title, startedAt: action.at } };
    case 'waiting-for-iam': {
      const running = state.running ?? { id: action.step.id, title: action.step.title, startedAt: action.at };
      return { ...state, running: { ...running, waiting: { attempt: action.attempt + 1, since: action.at, retryAt: action.at + action.delayMs, reason: action.reason } } };
    }
    case 'step-done': {
      const seconds = ranFor();
      return finish(state, { status: 'done', text: action.step.doneTitle, ...(action.note === undefined ? {} : { detail: action.note }), ...(seconds === undefined ? {} : { seconds }) });
    }
    case 'step-skip':
      return finish(state, { status: 'skipped', text: action.step.kind === 'reuse' ? action.step.doneTitle : action.step.summary, detail: action.reason });
    case 'step-failed': {
      const seconds = ranFor();
      return finish(state, { status: 'failed', text: `${action.step.title} failed`, detail: action.error.message, ...(seconds === undefined ? {} : { seconds }) });
    }
    case 'stop-requested':
      return { ...state, stopping: true };
    case 'close':
      return { ...state, closed: true };
  }
}

/* ---------- what the live line shows ---------- */

export const SPINNER_FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'] as const;
export const SPINNER_INTERVAL_MS = 80;

export function spinnerFrame(now: number): string {
  return SPINNER_FRAMES[Math.floor(now / SPINNER_INTERVAL_MS) % SPINNER_FRAMES.length] ?? SPINNER_FRAMES[0];
}

/** "12s" since the running step started. */
export function elapsedText(running: RunningStep, now: number): string {
  return `${wholeSeconds(now - running.startedAt)}s`;
}

/** "waiting for IAM to propagate (attempt 2, retrying in 4s)"; counts down to the next attempt. */
export function waitingText(waiting: NonNullable<RunningStep['waiting']>, now: number): string {
  // The view's clock may lag the event by a tick: never count from before the wait began.
  const left = Math.max(0, Math.ceil((waiting.retryAt - Math.max(now, waiting.since)) / 1000));
  return `waiting for IAM to propagate (attempt ${waiting.attempt}, ${left > 0 ? `retrying in ${left}s` : 'retrying now'})`;
}

/** "4 of 12 steps" finished. */
export function counterText(state: ProgressState): string {
  return `${state.finished.length} of ${state.total} steps`;
}

/* ---------- the store the view subscribes to ---------- */

export interface ProgressStore {
  getState(): ProgressState;
  subscribe(listener: () => void): () => void;
  dispatch(action: ProgressEvent | { type: 'stop-requested' } | { type: 'close' }): void;
}

export function createProgressStore(total: number, clock: () => number = Date.now): ProgressStore {
  let state = initialProgress(total);
  const listeners = new Set<() => void>();
  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    dispatch(action) {
      state = progressReducer(state, { ...action, at: clock() });
      for (const listener of listeners) listener();
    },
  };
}
