/**
 * What cd-wizard made or reused, as recorded in the answers file after every step: the ids and ARNs, and per
 * instance the profile and tags it set. Teardown removes exactly what this says was created; fix reads which
 * instance profile setup made. No secrets.
 */

export interface ResourceRecord {
  name: string;
  arn?: string;
  id?: string;
  status: 'created' | 'reused' | 'updated';
}

export interface InstanceRecord {
  /** The instance profile the instance uses after setup. */
  profile?: string;
  associationId?: string;
  /** associated / replaced by setup, or kept (its own profile; the replacement was not confirmed). */
  profileStatus?: 'associated' | 'replaced' | 'kept';
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

/**
 * A resource is ours when cd-wizard created it: the answers file records it as created AND it carries the
 * ManagedBy=cd-wizard tag. Either alone is not enough (a copied tag, an answers file from another account), and
 * only what is ours is changed without its own confirmation or deleted by teardown.
 */
export function isOurs(tags: Readonly<Record<string, string>>, record: ResourceRecord | undefined, name: string): boolean {
  return tags.ManagedBy === 'cd-wizard' && record?.status === 'created' && record.name === name;
}
