/**
 * What cd-wizard made or reused, as recorded in the answers file after every step: the ids and ARNs, and per
 * instance the profile and tags it set. Teardown removes exactly what this says was created; fix reads which
 * instance profile setup made. No secrets.
 */

export interface ResourceRecord {
  name: string;
  arn?: string;
  id?: string;
  /**
   * pending: a create call was sent and its answer never came (the connection dropped, the process was killed).
   * The resource may exist; if it carries ManagedBy=cd-wizard, that call made it, and it counts as created.
   */
  status: 'created' | 'reused' | 'updated' | 'pending';
}

export interface InstanceRecord {
  /** The instance profile the instance uses after setup. */
  profile?: string;
  associationId?: string;
  /** associated / replaced by setup, or kept (its own profile; the replacement was not confirmed). */
  profileStatus?: 'associated' | 'replaced' | 'kept';
  /** The profile setup replaced (profileStatus replaced): teardown gives it back. */
  previousProfile?: string;
  /** Tags setup added. */
  tags?: Record<string, string>;
}

export interface SetupState {
  account?: string;
  partition?: string;
  region?: string;
  updatedAt?: string;
  serviceRole?: ResourceRecord;
  instanceRole?: ResourceRecord;
  instanceProfile?: ResourceRecord;
  bucket?: ResourceRecord;
  application?: ResourceRecord;
  deploymentGroup?: ResourceRecord;
  /** GitHub's OIDC identity provider (name: its host) and the role GitHub Actions deploys with. */
  oidcProvider?: ResourceRecord;
  deployRole?: ResourceRecord;
  instances?: Record<string, InstanceRecord>;
}

/** What a step records; `instances` merges by instance id. */
export type StatePatch = Omit<SetupState, 'instances'> & { instances?: Record<string, InstanceRecord> };

const RESOURCE_KEYS = ['serviceRole', 'instanceRole', 'instanceProfile', 'bucket', 'application', 'deploymentGroup', 'oidcProvider', 'deployRole'] as const;

/** Merges a step's record into the state. A resource cd-wizard created stays "created" when a later run reuses or repairs it. */
export function mergeState(base: StatePatch, patch: StatePatch): StatePatch {
  const kept: StatePatch = {};
  for (const key of RESOURCE_KEYS) {
    const before = base[key];
    const after = patch[key];
    if (before?.status === 'created' && after !== undefined && after.name === before.name) kept[key] = { ...before, ...after, status: 'created' };
  }
  const instances: Record<string, InstanceRecord> = { ...(base.instances ?? {}) };
  for (const [id, record] of Object.entries(patch.instances ?? {})) {
    const before = instances[id];
    instances[id] = { ...before, ...record, ...(before?.tags || record.tags ? { tags: { ...before?.tags, ...record.tags } } : {}) };
  }
  return { ...base, ...patch, ...kept, ...(Object.keys(instances).length > 0 ? { instances } : {}) };
}

/** The answers file says cd-wizard created this, or sent the call that would have (pending). */
export function madeByUs(record: ResourceRecord | undefined): record is ResourceRecord {
  return record?.status === 'created' || record?.status === 'pending';
}

/**
 * A resource is ours when cd-wizard created it: the answers file records it as created (or its create call as sent,
 * the answer lost) AND it carries the ManagedBy=cd-wizard tag. Either alone is not enough (a copied tag, an answers
 * file from another account), and only what is ours is changed without its own confirmation or deleted by teardown.
 */
export function isOurs(tags: Readonly<Record<string, string>>, record: ResourceRecord | undefined, name: string): boolean {
  return tags.ManagedBy === 'cd-wizard' && madeByUs(record) && record.name === name;
}

/** A reused resource's record: created when it is ours (a re-run after a lost answer), reused otherwise. */
export function reuseStatus(owned: boolean): 'created' | 'reused' {
  return owned ? 'created' : 'reused';
}

/* ---------- what teardown removed ---------- */

/** The state's resource records by key (a record added to SetupState is a key here too). */
export type RecordKey = { [K in keyof SetupState]-?: NonNullable<SetupState[K]> extends ResourceRecord ? K : never }[keyof SetupState];

/** The resource records of a state, by key (none: nothing recorded). */
export function recordsOf(state: SetupState): Array<[RecordKey, ResourceRecord]> {
  return (Object.keys(state) as Array<keyof SetupState>).flatMap((key) => {
    const value = state[key];
    return typeof value === 'object' && value !== null && 'name' in value && 'status' in value ? [[key as RecordKey, value as ResourceRecord]] : [];
  });
}

/** What a teardown step removed: records whose resource is gone, and per instance the profile or tags taken off. */
export interface Gone {
  records?: RecordKey[];
  instances?: Record<string, { profile?: boolean; tags?: string[] }>;
}

/** The state without what is gone: an answers file that stays true while teardown runs, and after it. */
export function forgetState(state: SetupState, gone: Gone): SetupState {
  const next: SetupState = { ...state };
  for (const key of gone.records ?? []) delete next[key];
  if (gone.instances && state.instances) {
    const instances: Record<string, InstanceRecord> = { ...state.instances };
    for (const [id, removed] of Object.entries(gone.instances)) {
      const before = instances[id];
      if (!before) continue;
      const after: InstanceRecord = { ...before };
      if (removed.profile) {
        delete after.profile;
        delete after.associationId;
        delete after.profileStatus;
        delete after.previousProfile;
      }
      if (removed.tags && after.tags) {
        const tags = Object.fromEntries(Object.entries(after.tags).filter(([key]) => !removed.tags?.includes(key)));
        if (Object.keys(tags).length > 0) after.tags = tags;
        else delete after.tags;
      }
      if (Object.keys(after).length === 0) delete instances[id];
      else instances[id] = after;
    }
    if (Object.keys(instances).length > 0) next.instances = instances;
    else delete next.instances;
  }
  return next;
}
