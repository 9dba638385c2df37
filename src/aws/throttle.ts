/**
 * How cd-wizard rides out AWS throttling. Two layers, one policy:
 *   1. the SDK's own retries (adaptive mode: a few quick attempts, and a client-side rate limiter that slows the
 *      client down once AWS starts throttling it);
 *   2. when a call is still throttled after those, patience measured in time: capped exponential backoff with full
 *      jitter (a random wait up to min(cap, base × 2^n), at least 100 ms), again and again until the budget — 60 s of
 *      waiting per call by default — is spent. Then the call fails with AWS's throttling error, and the command says
 *      how to resume.
 * A budget in time rather than a count of attempts is what makes this predictable for a user: 30% throttling
 * finishes, a burst of 60% mostly finishes, and an account throttled for minutes stops within a minute per call
 * instead of retrying for ever or giving up after a second.
 */

export interface ThrottlePolicy {
  /** How long one call may keep retrying after throttling, in ms; 0 leaves only the SDK's own attempts. */
  budgetMs: number;
  /** The first wait's upper bound, doubled on every retry. */
  baseMs: number;
  /** The largest upper bound a wait can have. */
  capMs: number;
  /** The shortest wait, so that an unlucky draw near 0 does not send the call straight back. */
  floorMs: number;
}

export const DEFAULT_THROTTLE_POLICY: ThrottlePolicy = { budgetMs: 60_000, baseMs: 500, capMs: 8_000, floorMs: 100 };

/** The environment variable that changes the budget (whole or fractional seconds, 0 or more). */
export const RETRY_BUDGET_ENV = 'CD_WIZARD_RETRY_BUDGET_SECONDS';

/** What the policy needs from the world; tests give a fake clock and a fixed random. */
export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1). */
  random(): number;
}

export const systemClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

/** The policy for an environment: the default, with the budget from CD_WIZARD_RETRY_BUDGET_SECONDS when it is a number ≥ 0. */
export function throttlePolicyFrom(env: NodeJS.ProcessEnv): ThrottlePolicy {
  const raw = env[RETRY_BUDGET_ENV]?.trim();
  const seconds = raw === undefined || raw === '' ? Number.NaN : Number(raw);
  if (!Number.isFinite(seconds) || seconds < 0) return DEFAULT_THROTTLE_POLICY;
  return { ...DEFAULT_THROTTLE_POLICY, budgetMs: Math.round(seconds * 1000) };
}

/** The upper bound of the wait before retry number `retry` (0-based): base × 2^retry, at most cap. */
export function backoffCeiling(policy: ThrottlePolicy, retry: number): number {
  return Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(retry, 30));
}

export interface ThrottleWait {
  /** 1 for the first wait. */
  retry: number;
  delayMs: number;
  /** Time spent since the first attempt, before this wait. */
  elapsedMs: number;
}

export interface GaveUp {
  /** Time spent since the first attempt. */
  elapsedMs: number;
  /** How many times the call was sent by this layer (each may hold several SDK attempts). */
  attempts: number;
}

/**
 * Runs `attempt` until it succeeds, fails with something other than throttling, or the budget is spent. A wait is
 * never longer than what is left of the budget, so the last attempt is made at the budget's end. `giveUp` shapes the
 * error thrown when the budget ran out (it gets the last error).
 */
export async function retryThrottled<T>(
  attempt: () => Promise<T>,
  options: {
    isThrottled: (error: unknown) => boolean;
    policy?: ThrottlePolicy;
    clock?: RetryClock;
    onWait?: (wait: ThrottleWait) => void;
    giveUp?: (error: unknown, how: GaveUp) => unknown;
  },
): Promise<T> {
  const policy = options.policy ?? DEFAULT_THROTTLE_POLICY;
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  for (let retry = 0; ; retry++) {
    try {
      return await attempt();
    } catch (error) {
      if (!options.isThrottled(error)) throw error;
      const elapsedMs = clock.now() - started;
      const left = policy.budgetMs - elapsedMs;
      if (left <= 0) throw options.giveUp ? options.giveUp(error, { elapsedMs, attempts: retry + 1 }) : error;
      const delayMs = Math.min(left, Math.max(policy.floorMs, Math.floor(clock.random() * backoffCeiling(policy, retry))));
      options.onWait?.({ retry: retry + 1, delayMs, elapsedMs });
      await clock.sleep(delayMs);
    }
  }
}
