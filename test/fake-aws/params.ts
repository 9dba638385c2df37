import type { AwsError } from './errors.js';

/** How a service reports a missing required parameter or a value of the wrong type. */
export interface ParamErrors {
  missing(name: string): AwsError;
  invalid(name: string, value: string, expected: string): AwsError;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A typed, validating view of a request's parameters. Query protocols give nested objects of strings (see
 * `unflattenQuery`), JSON protocols give parsed JSON; handlers read both the same way.
 */
export class Params {
  readonly raw: unknown;
  readonly errors: ParamErrors;

  constructor(raw: unknown, errors: ParamErrors) {
    this.raw = raw;
    this.errors = errors;
  }

  private get(name: string): unknown {
    return isRecord(this.raw) ? this.raw[name] : undefined;
  }

  has(name: string): boolean {
    const value = this.get(name);
    return value !== undefined && value !== null;
  }

  optStr(name: string): string | undefined {
    const value = this.get(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    throw this.errors.invalid(name, JSON.stringify(value), 'a string');
  }

  /** A required string; an empty string counts as missing, as AWS's validators treat it. */
  str(name: string): string {
    const value = this.optStr(name);
    if (value === undefined || value === '') throw this.errors.missing(name);
    return value;
  }

  optInt(name: string): number | undefined {
    const value = this.get(name);
    if (value === undefined || value === null || value === '') return undefined;
    const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
    if (!Number.isInteger(number)) throw this.errors.invalid(name, String(value), 'an integer');
    return number;
  }

  /** A timestamp: epoch seconds in JSON protocols, ISO 8601 in query protocols. Returns epoch milliseconds. */
  optTime(name: string): number | undefined {
    const value = this.get(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number') return value * 1000;
    const parsed = typeof value === 'string' ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(parsed)) throw this.errors.invalid(name, String(value), 'a timestamp');
    return parsed;
  }

  optBool(name: string): boolean | undefined {
    const value = this.get(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    throw this.errors.invalid(name, String(value), 'a boolean');
  }

  /** A list of structures. Query protocols send an empty list as `Name=`, which reads as []. */
  list(name: string): Params[] {
    const value = this.get(name);
    if (value === undefined || value === null || value === '') return [];
    if (Array.isArray(value)) return value.map((item: unknown) => new Params(item, this.errors));
    throw this.errors.invalid(name, JSON.stringify(value), 'a list');
  }

  /** A list of lists of structures (CodeDeploy's ec2TagSetList). */
  listOfLists(name: string): Params[][] {
    const value = this.get(name);
    if (value === undefined || value === null || value === '') return [];
    if (!Array.isArray(value) || !value.every((item) => Array.isArray(item))) throw this.errors.invalid(name, JSON.stringify(value), 'a list of lists');
    return value.map((inner: unknown[]) => inner.map((item) => new Params(item, this.errors)));
  }

  strList(name: string): string[] {
    const value = this.get(name);
    if (value === undefined || value === null || value === '') return [];
    if (!Array.isArray(value)) throw this.errors.invalid(name, JSON.stringify(value), 'a list of strings');
    return value.map((item: unknown) => {
      if (typeof item !== 'string') throw this.errors.invalid(name, JSON.stringify(item), 'a list of strings');
      return item;
    });
  }

  /** Whether the list parameter was sent at all (even empty), which some update operations care about. */
  hasList(name: string): boolean {
    return this.get(name) !== undefined;
  }

  optObj(name: string): Params | undefined {
    const value = this.get(name);
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) throw this.errors.invalid(name, JSON.stringify(value), 'a structure');
    return new Params(value, this.errors);
  }

  /** The keys of a map-valued parameter (JSON maps, such as SSM's `Parameters`). */
  mapKeys(name: string): string[] {
    const value = this.get(name);
    return isRecord(value) ? Object.keys(value) : [];
  }
}
