import { AwsError, isAwsCode, translateAwsError, type CallInfo, type CallTarget } from '../errors.js';
import { RETRY_BUDGET_ENV, retryThrottled, systemClock, throttlePolicyFrom, type GaveUp } from '../throttle.js';

/**
 * Runs one SDK call; anything it throws comes out as an AwsError (see errors.ts). Throttling that outlasts the
 * SDK's own retries is waited out within a time budget (see throttle.ts); pass `replayable: false` for a call
 * that cannot simply be sent again (an upload of a stream).
 */
export async function call<T>(target: CallTarget, info: CallInfo, run: () => Promise<T>, options: { replayable?: boolean } = {}): Promise<T> {
  const once = async () => {
    try {
      return await run();
    } catch (error) {
      throw translateAwsError(error, info, target);
    }
  };
  if (options.replayable === false) return once();
  const what = `${info.service} ${info.operation}`;
  return retryThrottled(once, {
    isThrottled: (error) => error instanceof AwsError && error.kind === 'throttled',
    policy: throttlePolicyFrom(target.env),
    clock: target.clock ?? systemClock,
    onWait: (wait) => target.debug?.(`aws ${what} throttled; waiting ${(wait.delayMs / 1000).toFixed(1)} s (retry ${wait.retry}, ${Math.round(wait.elapsedMs / 1000)} s so far)`),
    giveUp: (error, how) => keptThrottling(error as AwsError, how),
  });
}

/** The throttling error once the budget is spent: how long cd-wizard kept trying, and how to give AWS longer. */
function keptThrottling(error: AwsError, how: GaveUp): AwsError {
  if (how.attempts <= 1) return error;
  const seconds = Math.round(how.elapsedMs / 1000);
  return new AwsError(`AWS kept throttling ${error.service} ${error.operation} for ${seconds} s, even after retries.`, {
    service: error.service,
    operation: error.operation,
    code: error.code,
    kind: error.kind,
    awsMessage: error.awsMessage,
    hint: `Wait a minute and run the same command again (${RETRY_BUDGET_ENV}=300 waits up to 5 minutes per call).`,
    cause: error.cause,
  });
}

/** Tag list in the shape every AWS API but CodeDeploy uses. */
export function toAwsTags(tags: Readonly<Record<string, string>>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function fromAwsTags(tags: ReadonlyArray<{ Key?: string | undefined; Value?: string | undefined }> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? '';
  return out;
}

/** Folds every page of a paginated call into one list (stops early once `limit` items are in). */
export async function paginate<Page, Item>(
  fetch: (token: string | undefined) => Promise<Page>,
  itemsOf: (page: Page) => readonly Item[],
  nextOf: (page: Page) => string | undefined,
  limit = Number.POSITIVE_INFINITY,
): Promise<Item[]> {
  const items: Item[] = [];
  let token: string | undefined;
  do {
    const page = await fetch(token);
    items.push(...itemsOf(page));
    token = nextOf(page) || undefined;
  } while (token !== undefined && items.length < limit);
  return items;
}

/**
 * Creates a resource; when AWS says it already exists (an interrupted or parallel run got there first),
 * reads it back instead, so nothing is created twice.
 */
export async function createOrReuse<T>(create: () => Promise<T>, existsCode: string, read: () => Promise<T | undefined>): Promise<{ value: T; created: boolean }> {
  try {
    return { value: await create(), created: true };
  } catch (error) {
    if (!isAwsCode(error, existsCode)) throw error;
    const value = await read();
    if (value === undefined) throw error;
    return { value, created: false };
  }
}

/** Splits a list into runs of at most `size` (batch APIs: 25 deployment targets, 50 SSM instance ids …). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
