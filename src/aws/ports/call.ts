import { isAwsCode, translateAwsError, type CallInfo, type CallTarget } from '../errors.js';

/** Runs one SDK call; anything it throws comes out as an AwsError (see errors.ts). */
export async function call<T>(target: CallTarget, info: CallInfo, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw translateAwsError(error, info, target);
  }
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
