import { isOurs, madeByUs, type Gone, type RecordKey, type ResourceRecord } from '../state.js';
import { step, type RemovalOperation, type ResourceKey, type Step } from '../steps.js';
import type { TeardownInput, TeardownObservation } from './observe.js';

/**
 * What teardown's planners share: the plan being built (steps in order, what stays and why, what to forget) and
 * what earlier planners decided that later ones depend on (the group is going, these instances lose the profile).
 */

/** Something teardown leaves in place, and why ("service role X" — "was reused, not created by cd-wizard"). */
export interface Kept {
  what: string;
  reason: string;
}

export const REUSED = 'was reused, not created by cd-wizard';
export const UNTAGGED = 'has no ManagedBy=cd-wizard tag, so cd-wizard cannot tell that it made it';

export function removal(fields: { id: string; resource: ResourceKey; summary: string; title: string; doneTitle: string; calls: string[]; op: RemovalOperation; reason?: string; instances?: string[] }): Step {
  return step({ kind: 'delete', ...fields });
}

/** The common removal: "Delete X" in the plan, "Deleting X" while it runs, "Deleted X" when done. */
export function deletion(fields: { id: string; resource: ResourceKey; what: string; calls: string[]; op: RemovalOperation; reason?: string; instances?: string[] }): Step {
  const { what, ...rest } = fields;
  return removal({ ...rest, summary: `Delete ${what}`, title: `Deleting ${what}`, doneTitle: `Deleted ${what}` });
}

/** "a", "a and b", "a, b and c". */
export const list = (items: readonly string[]): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);

/** The plan being built: steps in order, what stays, what to forget. */
export class Builder {
  readonly steps: Step[] = [];
  readonly bucketSteps: Step[] = [];
  readonly kept: Kept[] = [];
  readonly records: RecordKey[] = [];
  readonly instances: NonNullable<Gone['instances']> = {};

  keep(what: string, reason: string, forget?: RecordKey): void {
    this.kept.push({ what, reason });
    if (forget) this.records.push(forget);
  }

  forgetInstance(id: string, part: { profile?: boolean; tags?: string[] }): void {
    const before = this.instances[id] ?? {};
    this.instances[id] = { ...before, ...(part.profile ? { profile: true } : {}), ...(part.tags ? { tags: [...(before.tags ?? []), ...part.tags] } : {}) };
  }

  /**
   * The usual verdict on a record: 'remove' when it is a candidate for removal; otherwise it is kept or forgotten
   * here (reused: kept and forgotten; gone: forgotten; not tagged: kept).
   */
  triage(key: RecordKey, what: string, record: ResourceRecord, exists: boolean, tags: Readonly<Record<string, string>>): 'remove' | 'settled' {
    if (!madeByUs(record)) {
      this.keep(what, REUSED, key);
      return 'settled';
    }
    if (!exists) {
      this.records.push(key);
      return 'settled';
    }
    if (!isOurs(tags, record, record.name)) {
      this.keep(what, UNTAGGED);
      return 'settled';
    }
    return 'remove';
  }
}

export interface Context {
  input: TeardownInput;
  observed: TeardownObservation;
  app: string | undefined;
  group: string | undefined;
  /** Steps so far remove the deployment group / the instance profile, detach these instances, delete these roles. */
  groupRemoved: boolean;
  profileRemoved: boolean;
  detached: string[];
  removedRoles: string[];
}
