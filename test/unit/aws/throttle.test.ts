// The throttling policy (src/aws/throttle.ts) and its use in every port call (src/aws/ports/call.ts), on a fake
// clock: no test sleeps for real.
import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../src/aws/errors.js';
import { call } from '../../../src/aws/ports/call.js';
import { DEFAULT_THROTTLE_POLICY, backoffCeiling, retryThrottled, throttlePolicyFrom, type RetryClock } from '../../../src/aws/throttle.js';
import { seededRandom } from '../../fake-aws/random.js';

/** A clock that only moves when something sleeps (and, optionally, by `perAttemptMs` on every attempt). */
function fakeClock(random: () => number = () => 0.5) {
  let now = 0;
  const sleeps: number[] = [];
  const clock: RetryClock = {
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random,
  };
  return { clock, sleeps, advance: (ms: number) => (now += ms), now: () => now };
}

class Throttled extends Error {
  override name = 'ThrottlingException';
}
const isThrottled = (error: unknown) => error instanceof Throttled;

/** An attempt that is throttled `times` times, then answers 'ok'. */
function throttledTimes(times: number) {
  let calls = 0;
  const attempt = async () => {
    calls += 1;
    if (calls <= times) throw new Throttled('Rate exceeded');
    return 'ok';
  };
  return { attempt, calls: () => calls };
}

describe('retryThrottled', () => {
  it('waits with capped exponential backoff and full jitter, then succeeds', async () => {
    const { clock, sleeps } = fakeClock(() => 0.5);
    const { attempt, calls } = throttledTimes(6);
    await expect(retryThrottled(attempt, { isThrottled, clock })).resolves.toBe('ok');
    expect(calls()).toBe(7);
    // Half of each ceiling (0.5, 1, 2, 4, 8, 8 s): the ceiling doubles and stops at the cap.
    expect(sleeps).toEqual([250, 500, 1000, 2000, 4000, 4000]);
  });

  it('draws each wait between the floor and the ceiling', async () => {
    for (const [random, first] of [
      [0, DEFAULT_THROTTLE_POLICY.floorMs],
      [0.999_999, 499],
    ] as const) {
      const { clock, sleeps } = fakeClock(() => random);
      await retryThrottled(throttledTimes(1).attempt, { isThrottled, clock });
      expect(sleeps).toEqual([first]);
    }
    expect([0, 1, 2, 3, 4, 10, 100].map((retry) => backoffCeiling(DEFAULT_THROTTLE_POLICY, retry))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('stops when the time budget is spent, not after a count of attempts, and says how long it tried', async () => {
    const { clock, sleeps, now } = fakeClock(() => 0.999_999);
    const { attempt, calls } = throttledTimes(Number.POSITIVE_INFINITY);
    const gaveUp: Array<{ elapsedMs: number; attempts: number }> = [];
    const error = await retryThrottled(attempt, {
      isThrottled,
      clock,
      giveUp: (last, how) => {
        gaveUp.push(how);
        return last;
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Throttled);
    // Waited exactly the budget: the last wait is cut to what was left, and the last attempt is made at its end.
    expect(sleeps.reduce((a, b) => a + b, 0)).toBe(60_000);
    expect(now()).toBe(60_000);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(8_000);
    expect(gaveUp).toEqual([{ elapsedMs: 60_000, attempts: calls() }]);
    expect(calls()).toBeGreaterThan(8);
  });

  it('counts the time the attempts themselves take against the budget', async () => {
    const { clock, advance, now } = fakeClock(() => 0.5);
    // Each attempt takes 20 s (a slow SDK round): the budget runs out after a few.
    const attempt = async () => {
      advance(20_000);
      throw new Throttled('Rate exceeded');
    };
    await expect(retryThrottled(attempt, { isThrottled, clock })).rejects.toBeInstanceOf(Throttled);
    expect(now()).toBeLessThanOrEqual(60_000 + 20_000);
  });

  it('passes any other error through at once', async () => {
    const { clock, sleeps } = fakeClock();
    const denied = new Error('AccessDenied');
    await expect(retryThrottled(() => Promise.reject(denied), { isThrottled, clock })).rejects.toBe(denied);
    expect(sleeps).toEqual([]);
  });

  it('makes one attempt with a budget of 0', async () => {
    const { clock, sleeps } = fakeClock();
    const { attempt, calls } = throttledTimes(1);
    await expect(retryThrottled(attempt, { isThrottled, clock, policy: { ...DEFAULT_THROTTLE_POLICY, budgetMs: 0 } })).rejects.toBeInstanceOf(Throttled);
    expect(calls()).toBe(1);
    expect(sleeps).toEqual([]);
  });

  // Each simulated send is throttled at random with the given rate, the SDK's own quick attempts left out (so this
  // is harsher than the real thing). A setup makes about 100 calls.
  it.each([
    [0.3, 2000],
    [0.6, 2000],
  ])('at %s throttling, %i calls all get through inside the budget', async (rate, count) => {
    const draw = seededRandom(8);
    const { clock, now } = fakeClock(seededRandom(9));
    let worstMs = 0;
    for (let i = 0; i < count; i += 1) {
      const started = now();
      await retryThrottled(
        async () => {
          if (draw() < rate) throw new Throttled('Rate exceeded');
          return 'ok';
        },
        { isThrottled, clock },
      );
      worstMs = Math.max(worstMs, now() - started);
    }
    expect(worstMs).toBeLessThan(DEFAULT_THROTTLE_POLICY.budgetMs);
  });
});

describe('throttlePolicyFrom', () => {
  it('reads the budget from CD_WIZARD_RETRY_BUDGET_SECONDS, and ignores what is not a number of seconds', () => {
    const budget = (value: string | undefined): number => throttlePolicyFrom({ CD_WIZARD_RETRY_BUDGET_SECONDS: value }).budgetMs;
    expect(budget(undefined)).toBe(60_000);
    expect(budget('300')).toBe(300_000);
    expect(budget('2.5')).toBe(2_500);
    expect(budget('0')).toBe(0);
    for (const bad of ['', ' ', 'soon', '-1', 'Infinity']) expect(budget(bad), bad).toBe(60_000);
  });
});

describe('call', () => {
  const throttling = () => Object.assign(new Error('Rate exceeded'), { name: 'Throttling', $metadata: { httpStatusCode: 400 } });
  const target = (clock: RetryClock, env: NodeJS.ProcessEnv = {}, debug?: (line: string) => void) => ({ region: 'us-east-1', env, clock, ...(debug ? { debug } : {}) });

  it('rides out throttling that outlasts the SDK’s attempts, and notes each wait under --debug', async () => {
    const { clock } = fakeClock(() => 0.5);
    let sent = 0;
    const lines: string[] = [];
    const out = await call(target(clock, {}, (line) => lines.push(line)), { service: 'IAM', operation: 'PutRolePolicy' }, async () => {
      sent += 1;
      if (sent < 4) throw throttling();
      return 'done';
    });
    expect(out).toBe('done');
    expect(lines).toEqual([
      'aws IAM PutRolePolicy throttled; waiting 0.3 s (retry 1, 0 s so far)',
      'aws IAM PutRolePolicy throttled; waiting 0.5 s (retry 2, 0 s so far)',
      'aws IAM PutRolePolicy throttled; waiting 1.0 s (retry 3, 1 s so far)',
    ]);
  });

  it('ends with the throttling message once the budget is spent', async () => {
    const { clock } = fakeClock(() => 0.5);
    const error = await call(target(clock), { service: 'IAM', operation: 'PutRolePolicy' }, () => Promise.reject(throttling())).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).kind).toBe('throttled');
    expect((error as AwsError).message).toBe('AWS kept throttling IAM PutRolePolicy for 60 s, even after retries.');
    expect((error as AwsError).hint).toBe('Wait a minute and run the same command again (CD_WIZARD_RETRY_BUDGET_SECONDS=300 waits up to 5 minutes per call).');
  });

  it('follows the budget from the environment', async () => {
    const { clock, now } = fakeClock(() => 0.5);
    const error = await call(target(clock, { CD_WIZARD_RETRY_BUDGET_SECONDS: '5' }), { service: 'EC2', operation: 'CreateTags' }, () => Promise.reject(throttling())).catch((e: unknown) => e);
    expect((error as AwsError).message).toBe('AWS kept throttling EC2 CreateTags for 5 s, even after retries.');
    expect(now()).toBe(5_000);
  });

  it('sends a call that cannot be replayed once', async () => {
    const { clock, sleeps } = fakeClock();
    let sent = 0;
    const error = await call(target(clock), { service: 'S3', operation: 'PutObject' }, () => {
      sent += 1;
      return Promise.reject(throttling());
    }, { replayable: false }).catch((e: unknown) => e);
    expect((error as AwsError).message).toBe('AWS kept throttling S3 PutObject, even after retries.');
    expect(sent).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('does not retry other errors', async () => {
    const { clock, sleeps } = fakeClock();
    let sent = 0;
    const denied = Object.assign(new Error('User: arn:aws:iam::123456789012:user/bob is not authorized to perform: iam:CreateRole'), { name: 'AccessDenied' });
    await expect(call(target(clock), { service: 'IAM', operation: 'CreateRole' }, () => {
      sent += 1;
      return Promise.reject(denied);
    })).rejects.toMatchObject({ kind: 'access-denied' });
    expect(sent).toBe(1);
    expect(sleeps).toEqual([]);
  });
});
