import { nameOfArn } from '../../aws/arn.js';
import type { Ec2Instance } from '../../aws/ports/index.js';
import { labelOf, type Issue } from '../resources/instances.js';
import { isOurs, madeByUs, recordsOf, type Gone, type InstanceRecord, type RecordKey, type ResourceRecord, type SetupState } from '../state.js';
import { plural, step, type RemovalOperation, type ResourceKey, type Step } from '../steps.js';
import { ROLE_RECORDS, type ObservedRoleForTeardown, type RoleRecordKey, type TeardownInput, type TeardownObservation } from './observe.js';

/**
 * Teardown's plan, a pure function of the answers file and what is in AWS: the removals in an order AWS accepts
 * (the group before the application and before the service role it needs; instances' profiles before the profile;
 * the role out of the profile before either is deleted; policies off a role before the role), what stays and why,
 * and what blocks it. A resource is removed only when the answers file records it as created by setup AND it carries
 * ManagedBy=cd-wizard (state.ts isOurs); instances carry no such tag, so for them the recorded association and tag
 * values decide, and only where they are still what setup set.
 *
 * Adding a resource (the GitHub OIDC deploy role, say) is one more record in ROLE_RECORDS, or one more planner here.
 */

/** Something teardown leaves in place, and why ("service role X" — "was reused, not created by cd-wizard"). */
export interface Kept {
  what: string;
  reason: string;
}

export interface TeardownPlan {
  account: string;
  partition: string;
  region: string;
  caller: string;
  /** Removals run after the one confirmation. */
  steps: Step[];
  /** The revision bucket and its objects: run only after their own confirmation. */
  bucketSteps: Step[];
  kept: Kept[];
  /** Reasons nothing may run (a deployment in progress, another account). */
  blocked: Issue[];
  /** Records of what is gone already, or was never cd-wizard's: taken out of the answers file when teardown applies. */
  forget: Gone;
}

export interface TeardownOptions {
  /** Also delete objects in the revision bucket that cd-wizard did not upload. */
  deleteBucketContents?: boolean;
}

const ROLE_WORDS: Record<RoleRecordKey, string> = { serviceRole: 'service role', instanceRole: 'instance role' };

const REUSED = 'was reused, not created by cd-wizard';
const UNTAGGED = 'has no ManagedBy=cd-wizard tag, so cd-wizard cannot tell that it made it';

function removal(fields: { id: string; resource: ResourceKey; summary: string; title: string; doneTitle: string; calls: string[]; op: RemovalOperation; reason?: string; instances?: string[] }): Step {
  return step({ kind: 'delete', ...fields });
}

const list = (items: readonly string[]) => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`);
const tagText = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => (value === '' ? key : `${key}=${value}`)).join(', ');

/** The plan being built: steps in order, what stays, what to forget. */
class Builder {
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
   * The usual verdict on a record: undefined when it is a candidate for removal; otherwise it is kept or forgotten
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

interface Context {
  input: TeardownInput;
  observed: TeardownObservation;
  app: string | undefined;
  group: string | undefined;
  /** Steps so far removed the deployment group / the instance profile, or detached these instances. */
  groupRemoved: boolean;
  profileRemoved: boolean;
  detached: string[];
}

function planGroup(b: Builder, c: Context): void {
  const record = c.input.state.deploymentGroup;
  if (!record || c.app === undefined) return;
  const observed = c.observed.group;
  if (!observed && madeByUs(record)) {
    for (const left of c.observed.hooks) {
      b.steps.push(
        removal({
          id: `launch-hooks:${left.asg}`,
          resource: 'deploymentGroup',
          summary: `Delete the launch hook${left.hooks.length === 1 ? '' : 's'} CodeDeploy left on Auto Scaling group ${left.asg} for ${record.name}`,
          title: `Deleting launch hooks on ${left.asg}`,
          doneTitle: `Deleted the launch hooks on ${left.asg}`,
          reason: 'the deployment group is gone; its hooks would hold every new instance until they time out',
          calls: ['autoscaling:DeleteLifecycleHook'],
          op: { type: 'delete-launch-hooks', asg: left.asg, hooks: left.hooks },
        }),
      );
    }
  }
  if (b.triage('deploymentGroup', `deployment group ${record.name}`, record, observed !== undefined, observed?.tags ?? {}) === 'settled' || !observed) return;
  const asgs = observed.info.autoScalingGroups;
  b.steps.push(
    removal({
      id: 'deployment-group',
      resource: 'deploymentGroup',
      summary: `Delete deployment group ${record.name} of application ${c.app}`,
      title: `Deleting deployment group ${record.name}`,
      doneTitle: `Deleted deployment group ${record.name}`,
      ...(asgs.length > 0 ? { reason: `CodeDeploy removes the launch hook it installed on ${list(asgs)} with it (teardown removes any it reports it could not)` } : {}),
      calls: ['codedeploy:DeleteDeploymentGroup'],
      op: { type: 'delete-deployment-group', application: c.app, group: record.name },
    }),
  );
  c.groupRemoved = true;
}

function planApplication(b: Builder, c: Context): void {
  const record = c.input.state.application;
  if (!record) return;
  const observed = c.observed.application;
  if (b.triage('application', `application ${record.name}`, record, observed !== undefined, observed?.tags ?? {}) === 'settled' || !observed) return;
  const others = observed.groups.filter((name) => !(c.groupRemoved && name === c.group));
  if (others.length > 0) {
    b.keep(`application ${record.name}`, `still has deployment group${others.length === 1 ? '' : 's'} ${list(others)}`);
    return;
  }
  b.steps.push(
    removal({
      id: 'application',
      resource: 'application',
      summary: `Delete application ${record.name}`,
      title: `Deleting application ${record.name}`,
      doneTitle: `Deleted application ${record.name}`,
      calls: ['codedeploy:DeleteApplication'],
      op: { type: 'delete-application', name: record.name },
    }),
  );
}

function planInstanceProfiles(b: Builder, c: Context, live: ReadonlyMap<string, Ec2Instance>): void {
  for (const [id, record] of Object.entries(c.input.state.instances ?? {})) {
    const instance = live.get(id);
    if (!instance) {
      b.forgetInstance(id, { profile: true, tags: Object.keys(record.tags ?? {}) });
      continue;
    }
    if (record.profile === undefined || (record.profileStatus !== 'associated' && record.profileStatus !== 'replaced')) {
      if (record.profileStatus !== undefined) b.forgetInstance(id, { profile: true });
      continue;
    }
    const association = c.observed.associations.find((candidate) => candidate.instanceId === id);
    const current = association ? nameOfArn(association.profileArn) : instance.profileArn ? nameOfArn(instance.profileArn) : undefined;
    if (!association || current !== record.profile) {
      b.forgetInstance(id, { profile: true });
      if (current !== undefined) b.keep(`the instance profile of ${labelOf(instance)}`, `is ${current} now, not ${record.profile}; left as it is`);
      continue;
    }
    c.detached.push(id);
    b.steps.push(detachStep(instance, record, record.profile));
  }
}

function detachStep(instance: Ec2Instance, record: InstanceRecord, profile: string): Step {
  const restore = record.profileStatus === 'replaced' ? record.previousProfile : undefined;
  const base = { id: `instance-profile:${instance.id}`, resource: 'instances' as const, instances: [instance.id] };
  if (restore !== undefined) {
    return removal({
      ...base,
      summary: `Give ${labelOf(instance)} back its instance profile ${restore} (setup replaced it with ${profile})`,
      title: `Giving ${instance.id} back ${restore}`,
      doneTitle: `${instance.id} uses ${restore} again`,
      calls: ['ec2:ReplaceIamInstanceProfileAssociation'],
      op: { type: 'detach-profile', instanceId: instance.id, profileName: profile, restore },
    });
  }
  return removal({
    ...base,
    summary: `Detach instance profile ${profile} from ${labelOf(instance)}`,
    title: `Detaching ${profile} from ${instance.id}`,
    doneTitle: `Detached ${profile} from ${instance.id}`,
    ...(record.profileStatus === 'replaced' ? { reason: 'setup replaced its profile, and the answers file does not name the one before: it is left without one' } : {}),
    calls: ['ec2:DisassociateIamInstanceProfile'],
    op: { type: 'detach-profile', instanceId: instance.id, profileName: profile },
  });
}

function planInstanceTags(b: Builder, c: Context, live: ReadonlyMap<string, Ec2Instance>): void {
  const batches = new Map<string, { instanceIds: string[]; tags: Record<string, string> }>();
  for (const [id, record] of Object.entries(c.input.state.instances ?? {})) {
    const instance = live.get(id);
    if (!instance || !record.tags) continue;
    const remove: Record<string, string> = {};
    for (const [key, value] of Object.entries(record.tags)) {
      if (instance.tags[key] === value) {
        remove[key] = value;
        continue;
      }
      b.forgetInstance(id, { tags: [key] });
      if (key in instance.tags) b.keep(`tag ${key} on ${labelOf(instance)}`, `is "${instance.tags[key]}" now, not "${value}" as setup wrote it; left as it is`);
    }
    if (Object.keys(remove).length === 0) continue;
    const batchKey = JSON.stringify(Object.entries(remove).sort());
    const batch = batches.get(batchKey) ?? { instanceIds: [], tags: remove };
    batch.instanceIds.push(id);
    batches.set(batchKey, batch);
  }
  if (batches.size === 0) return;
  const all = [...batches.values()];
  const ids = all.flatMap((batch) => batch.instanceIds);
  const tags = [...new Set(all.map((batch) => tagText(batch.tags)))];
  b.steps.push(
    removal({
      id: 'instance-tags',
      resource: 'instances',
      summary: `Remove the tag${all.some((batch) => Object.keys(batch.tags).length > 1) || tags.length > 1 ? 's' : ''} ${tags.join('; ')} setup added to ${ids.join(', ')}`,
      title: `Removing tags from ${plural(ids.length, 'instance')}`,
      doneTitle: `Removed the tags from ${plural(ids.length, 'instance')}`,
      reason: 'only where the value is still the one setup wrote',
      calls: ['ec2:DeleteTags'],
      instances: ids,
      op: { type: 'untag-instances', batches: all },
    }),
  );
}

function takeRoleOut(profileName: string, roleName: string, reason?: string): Step {
  return removal({
    id: `instance-profile-role:${profileName}:${roleName}`,
    resource: 'instanceProfile',
    summary: `Take role ${roleName} out of instance profile ${profileName}`,
    title: `Taking ${roleName} out of ${profileName}`,
    doneTitle: `${roleName} is out of ${profileName}`,
    ...(reason === undefined ? {} : { reason }),
    calls: ['iam:RemoveRoleFromInstanceProfile'],
    op: { type: 'remove-role-from-profile', profileName, roleName },
  });
}

function planProfile(b: Builder, c: Context): void {
  const record = c.input.state.instanceProfile;
  if (!record) return;
  const observed = c.observed.profile;
  if (b.triage('instanceProfile', `instance profile ${record.name}`, record, observed !== undefined, observed?.profile.tags ?? {}) === 'settled' || !observed) return;
  const users = observed.users.filter((instance) => !c.detached.includes(instance.id)).map((instance) => instance.id);
  if (users.length > 0) {
    b.keep(`instance profile ${record.name}`, `is still attached to ${list(users)}, which setup did not attach it to (deleting it would take their credentials)`);
    return;
  }
  for (const role of observed.profile.roles) b.steps.push(takeRoleOut(record.name, role.name));
  b.steps.push(
    removal({
      id: 'instance-profile',
      resource: 'instanceProfile',
      summary: `Delete instance profile ${record.name}`,
      title: `Deleting instance profile ${record.name}`,
      doneTitle: `Deleted instance profile ${record.name}`,
      calls: ['iam:DeleteInstanceProfile'],
      op: { type: 'delete-instance-profile', name: record.name },
    }),
  );
  c.profileRemoved = true;
}

/** Why a role of ours stays: a group or a profile that stays still uses it. */
function roleStays(key: RoleRecordKey, role: ObservedRoleForTeardown, c: Context): string | undefined {
  const ownGroup = c.app !== undefined && c.group !== undefined ? `${c.app}/${c.group}` : undefined;
  const groups = role.usedBy.filter((group) => !(c.groupRemoved && group === ownGroup));
  if (key === 'serviceRole' && groups.length > 0) return `is the service role of deployment group${groups.length === 1 ? '' : 's'} ${list(groups)}`;
  const ownProfile = c.input.state.instanceProfile?.name;
  const profiles = role.profiles.filter((profile) => !(c.profileRemoved && profile === ownProfile));
  if (profiles.length > 0) return `is in instance profile${profiles.length === 1 ? '' : 's'} ${list(profiles)}, which ${profiles.length === 1 ? 'stays' : 'stay'}`;
  return undefined;
}

function planRole(b: Builder, c: Context, key: RoleRecordKey): void {
  const record = c.input.state[key];
  if (!record) return;
  const words = ROLE_WORDS[key];
  const observed = c.observed.roles[key];
  if (b.triage(key, `${words} ${record.name}`, record, observed !== undefined, observed?.role.tags ?? {}) === 'settled' || !observed) return;
  const stays = roleStays(key, observed, c);
  if (stays !== undefined) {
    b.keep(`${words} ${record.name}`, stays);
    return;
  }
  for (const arn of observed.attached) {
    const short = nameOfArn(arn);
    b.steps.push(
      removal({
        id: `${key}-policy:${short}`,
        resource: key,
        summary: `Detach ${short} from ${record.name}`,
        title: `Detaching ${short} from ${record.name}`,
        doneTitle: `Detached ${short} from ${record.name}`,
        calls: ['iam:DetachRolePolicy'],
        op: { type: 'detach-policy', roleName: record.name, policyArn: arn },
      }),
    );
  }
  for (const name of observed.inline) {
    b.steps.push(
      removal({
        id: `${key}-inline:${name}`,
        resource: key,
        summary: `Delete inline policy ${name} of ${record.name}`,
        title: `Deleting inline policy ${name}`,
        doneTitle: `Deleted inline policy ${name}`,
        calls: ['iam:DeleteRolePolicy'],
        op: { type: 'delete-inline-policy', roleName: record.name, policyName: name },
      }),
    );
  }
  b.steps.push(
    removal({
      id: key,
      resource: key,
      summary: `Delete ${words} ${record.name}`,
      title: `Deleting ${words} ${record.name}`,
      doneTitle: `Deleted ${words} ${record.name}`,
      calls: ['iam:DeleteRole'],
      op: { type: 'delete-role', record: key, name: record.name },
    }),
  );
}

function planBucket(b: Builder, c: Context, options: TeardownOptions): void {
  const record = c.input.state.bucket;
  if (!record) return;
  const observed = c.observed.bucket;
  if (b.triage('bucket', `revision bucket ${record.name}`, record, observed !== undefined, observed?.tags ?? {}) === 'settled' || !observed) return;
  const foreign = observed.objects.filter((object) => !object.ours);
  if (foreign.length > 0 && !options.deleteBucketContents) {
    b.keep(
      `revision bucket ${record.name}`,
      `holds ${plural(foreign.length, 'object')} cd-wizard did not upload (${foreign[0]?.key ?? ''}${foreign.length > 1 ? ', …' : ''}); --delete-bucket-contents deletes ${foreign.length === 1 ? 'it' : 'them'} too`,
    );
    return;
  }
  if (observed.objects.length > 0) {
    const theirs = foreign.length > 0 ? `, ${foreign.length} of them not uploaded by cd-wizard (--delete-bucket-contents)` : '';
    b.bucketSteps.push(
      removal({
        id: 'bucket-objects',
        resource: 'bucket',
        summary: `Delete the ${plural(observed.objects.length, 'object')} in ${record.name}${theirs}`,
        title: `Emptying ${record.name}`,
        doneTitle: `Emptied ${record.name}`,
        calls: ['s3:DeleteObjects'],
        op: { type: 'empty-bucket', name: record.name, keys: observed.objects.map((object) => object.key) },
      }),
    );
  }
  b.bucketSteps.push(
    removal({
      id: 'bucket',
      resource: 'bucket',
      summary: `Delete revision bucket ${record.name}`,
      title: `Deleting revision bucket ${record.name}`,
      doneTitle: `Deleted revision bucket ${record.name}`,
      calls: ['s3:DeleteBucket'],
      op: { type: 'delete-bucket', name: record.name },
    }),
  );
}

export function computeTeardown(input: TeardownInput, observed: TeardownObservation, region: string, options: TeardownOptions = {}): TeardownPlan {
  const { identity } = observed;
  const base = { account: identity.account, partition: identity.partition, region, caller: identity.arn };
  const recordedAccount = input.state.account;
  if (recordedAccount !== undefined && recordedAccount !== identity.account) {
    return {
      ...base,
      steps: [],
      bucketSteps: [],
      kept: [],
      forget: {},
      blocked: [
        {
          message: `The answers file records resources in account ${recordedAccount}, but these credentials are for account ${identity.account}.`,
          hint: `Use credentials for ${recordedAccount} (--profile), or the answers file of this account (--answers).`,
        },
      ],
    };
  }
  const b = new Builder();
  const c: Context = {
    input,
    observed,
    app: input.state.application?.name ?? input.answers.app,
    group: input.state.deploymentGroup?.name ?? input.answers.group,
    groupRemoved: false,
    profileRemoved: false,
    detached: [],
  };
  const live = new Map(observed.instances.map((instance) => [instance.id, instance]));
  planGroup(b, c);
  planApplication(b, c);
  planInstanceProfiles(b, c, live);
  planInstanceTags(b, c, live);
  planProfile(b, c);
  for (const key of ROLE_RECORDS) planRole(b, c, key);
  planBucket(b, c, options);

  const blocked: Issue[] = [];
  const active = observed.group?.active ?? [];
  if (active.length > 0 && b.steps.length + b.bucketSteps.length > 0) {
    blocked.push({
      message: `Deployment${active.length === 1 ? '' : 's'} ${list(active)} ${active.length === 1 ? 'is' : 'are'} still running in ${c.app ?? ''}/${c.group ?? ''}; tearing down now would pull the group or the instances' credentials out from under ${active.length === 1 ? 'it' : 'them'}.`,
      hint: `Wait for ${active.length === 1 ? 'it' : 'them'} (cd-wizard fix --wait --app ${c.app ?? ''} --group ${c.group ?? ''}) or stop ${active.length === 1 ? 'it' : 'them'} (aws deploy stop-deployment --deployment-id ${active[0] ?? ''}), then run teardown again.`,
    });
  }
  const forget: Gone = {
    ...(b.records.length > 0 ? { records: [...new Set(b.records)] } : {}),
    ...(Object.keys(b.instances).length > 0 ? { instances: b.instances } : {}),
  };
  return { ...base, steps: b.steps, bucketSteps: b.bucketSteps, kept: b.kept, blocked, forget };
}

/** Whether the answers file records anything teardown could act on (a resource or an instance). */
export function recordsAnything(state: SetupState | undefined): boolean {
  if (!state) return false;
  return recordsOf(state).length > 0 || Object.keys(state.instances ?? {}).length > 0;
}
