/**
 * What one AWS call answered, in a form two servers can be compared on: the error code and HTTP status of a
 * failure, or the parts of a success that cd-wizard reads, with what legitimately differs between two accounts
 * (generated ids, times) replaced by placeholders; and the shape (key paths and value types) of the whole answer.
 */

export type Outcome = { error: string; status: number | undefined } | { ok: unknown };

/** The error code the SDK reports (query and XML protocols: Code; JSON protocols and S3 HEAD: the error's name). */
export function errorOutcome(error: unknown): Outcome {
  const sdk = error as { name?: string; Code?: string; $metadata?: { httpStatusCode?: number } };
  return { error: sdk.Code ?? sdk.name ?? String(error), status: sdk.$metadata?.httpStatusCode };
}

const ID_PATTERNS: Array<[RegExp, string]> = [
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/g, '<uuid>'],
  [/\biip-assoc-[0-9a-f]+\b/g, '<association-id>'],
  [/\bAROA[A-Z0-9]{16,}\b/g, '<role-id>'],
  [/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/, '<time>'],
];

/**
 * Replaces generated values: uuids, association and role ids, times; instance ids by their position in `instances`
 * (both servers make their own). Sorts nothing: views sort what AWS does not order.
 */
export function normalise(value: unknown, instances: readonly string[]): unknown {
  if (value instanceof Date) return '<time>';
  if (typeof value === 'string') {
    let text = value;
    instances.forEach((id, index) => (text = text.split(id).join(`<instance-${index + 1}>`)));
    for (const [pattern, placeholder] of ID_PATTERNS) text = text.replace(pattern, placeholder);
    return text;
  }
  if (Array.isArray(value)) return value.map((item) => normalise(item, instances));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, normalise(item, instances)]));
  }
  return value;
}

export type Shape = Record<string, string>;

/** Every key path of an answer with its value's type ("Reservations[].Instances[].State.Name": "string"). */
export function shapeOf(value: unknown, path = '', shape: Shape = {}): Shape {
  if (value instanceof Date) shape[path] = 'date';
  else if (Array.isArray(value)) {
    shape[`${path}[]`] = 'list';
    for (const item of value) shapeOf(item, `${path}[]`, shape);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) if (key !== '$metadata' && item !== undefined) shapeOf(item, path === '' ? key : `${path}.${key}`, shape);
  } else shape[path] = typeof value;
  return shape;
}

/**
 * Paths the fake sends that moto does not, or sends with another type: each must be allowed by one of the
 * `allowed` patterns (a documented field moto leaves out), else the fake invented it or typed it wrong.
 */
export function shapeDrift(fake: Shape, moto: Shape, allowed: readonly RegExp[]): string[] {
  return Object.entries(fake)
    .filter(([path, type]) => moto[path] !== type && !allowed.some((pattern) => pattern.test(path)))
    .map(([path, type]) => `${path}: fake ${type}, moto ${moto[path] ?? 'absent'}`);
}

/** Decodes a policy document as IAM returns it (URL-encoded; servers differ in which characters they escape). */
export function policyOf(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  return JSON.parse(text.trimStart().startsWith('{') ? text : decodeURIComponent(text)) as unknown;
}

/** Tags as a sorted [key, value] list (AWS does not promise an order). */
export function tagsOf(tags: ReadonlyArray<{ Key?: string | undefined; Value?: string | undefined }> | undefined): string[][] {
  return (tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}
