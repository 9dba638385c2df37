import { nameOfArn } from '../../aws/arn.js';
import type { Ec2Instance, IamInstanceProfile, ProfileAssociation } from '../../aws/ports/index.js';
import type { TargetTag } from '../../aws/types.js';
import { MANAGED_BY_TAG } from '../names.js';
import { reuseStatus, type InstanceRecord } from '../state.js';
import { namedStep, plural, reuseStep, step, type Step } from '../steps.js';
import { tagsToAdd } from '../tags.js';

/**
 * The instance profile, and the instances: the profile each one carries (its agent's credentials) and the tags
 * the deployment group selects them by. One set of steps for setup's plan and fix's remedies.
 */

export interface Issue {
  message: string;
  hint?: string;
}

export interface Planned {
  steps: Step[];
  problems: Issue[];
}

/* ---------- the instance profile ---------- */

export function planInstanceProfile(name: string, roleName: string, profile: IamInstanceProfile | undefined, profileArn: string, owned: boolean): Planned {
  const steps: Step[] = [
    profile
      ? reuseStep('instance-profile', 'instanceProfile', 'instance profile', name, { instanceProfile: { name, arn: profile.arn, status: reuseStatus(owned) } })
      : namedStep('create', 'instance profile', name, {
          id: 'instance-profile',
          resource: 'instanceProfile',
          reason: 'the container that hands the instance role to EC2 instances',
          calls: ['iam:CreateInstanceProfile'],
          op: { type: 'create-instance-profile', name, tags: { ...MANAGED_BY_TAG } },
        }),
  ];
  const otherRoles = (profile?.roles ?? []).map((role) => role.name).filter((other) => other !== roleName);
  const holdsRole = profile?.roles.some((role) => role.name === roleName) ?? false;
  if (profile && otherRoles.length > 0 && !owned) {
    return {
      steps,
      problems: [
        {
          message: `Instance profile ${name} already holds role ${otherRoles.join(', ')}, not ${roleName}; cd-wizard did not create it, so it will not swap the role.`,
          hint: `Use --instance-role ${otherRoles[0]} to reuse that role, or --instance-profile with a new name.`,
        },
      ],
    };
  }
  if (!holdsRole) {
    steps.push(
      step({
        id: 'instance-profile-role',
        kind: otherRoles.length > 0 ? 'update' : 'attach',
        resource: 'instanceProfile',
        summary: `Put role ${roleName} in instance profile ${name}`,
        title: `Adding role ${roleName} to ${name}`,
        doneTitle: `Role ${roleName} is in ${name}`,
        // Taking a role someone put in the profile out of it changes what the instances using it may do.
        ...(otherRoles.length > 0 ? { reason: `replaces role ${otherRoles.join(', ')}, which cd-wizard did not put there`, confirm: 'foreign' as const } : {}),
        calls: [...(otherRoles.length > 0 ? ['iam:RemoveRoleFromInstanceProfile'] : []), 'iam:AddRoleToInstanceProfile'],
        op: { type: 'set-profile-role', profileName: name, profileArn, roleName, remove: otherRoles },
      }),
    );
  }
  return { steps, problems: [] };
}

/* ---------- the profile on each instance ---------- */

export const labelOf = (instance: Pick<Ec2Instance, 'id' | 'name'>): string => (instance.name ? `${instance.id} (${instance.name})` : instance.id);

/** Attaches a profile to instances that have none. */
export function associateStep(instances: readonly Pick<Ec2Instance, 'id' | 'name'>[], profileName: string): Step {
  const ids = instances.map((instance) => instance.id);
  const one = instances.length === 1 && instances[0] !== undefined;
  return step({
    id: one ? `instance-profile:${ids[0]}` : 'instance-profiles',
    kind: 'associate',
    resource: 'instances',
    summary: `Attach instance profile ${profileName} to ${instances.map(labelOf).join(', ')}`,
    title: `Attaching ${profileName} to ${ids.join(', ')}`,
    doneTitle: `${ids.join(', ')} ${one ? 'uses' : 'use'} ${profileName}`,
    calls: ['ec2:AssociateIamInstanceProfile'],
    instances: ids,
    op: { type: 'associate-profile', instanceIds: ids, profileName },
  });
}

export interface Attachments extends Planned {
  /** Instances that keep a profile of their own (replacement declined before): never tagged into the group. */
  keeping: string[];
}

/**
 * Setup: the profile on each chosen instance. Replacing someone's profile changes that instance's permissions, so it
 * needs its own "yes"; a "no" is remembered in the answers file (profileStatus kept) and not asked again unless
 * --replace-profile is given.
 */
export function planAttachments(
  live: readonly Ec2Instance[],
  associations: readonly ProfileAssociation[],
  profileName: string,
  recorded: Readonly<Record<string, InstanceRecord>>,
  replaceProfiles: boolean,
): Attachments {
  const steps: Step[] = [];
  const problems: Issue[] = [];
  const keeping: string[] = [];
  for (const instance of live) {
    const association = associations.find((a) => a.instanceId === instance.id);
    const current = association?.profileArn ?? instance.profileArn;
    if (current === undefined) {
      steps.push(associateStep([instance], profileName));
      continue;
    }
    const currentName = nameOfArn(current);
    if (currentName === profileName) continue;
    if (recorded[instance.id]?.profileStatus === 'kept' && !replaceProfiles) {
      keeping.push(instance.id);
      steps.push(
        reuseStep(`instance-profile:${instance.id}`, 'instances', 'the instance profile of', labelOf(instance), {}, `keeps its own profile ${currentName}, as you chose before (--replace-profile replaces it); it is not tagged into the group`),
      );
      continue;
    }
    if (!association) {
      problems.push({ message: `Instance ${instance.id} has profile ${currentName} but EC2 shows no association for it yet.`, hint: 'Try again in a minute.' });
      continue;
    }
    steps.push(
      step({
        id: `instance-profile:${instance.id}`,
        kind: 'replace-profile',
        resource: 'instances',
        summary: `Replace instance profile ${currentName} with ${profileName} on ${labelOf(instance)}`,
        title: `Replacing the instance profile of ${instance.id}`,
        doneTitle: `${instance.id} uses ${profileName} (was ${currentName})`,
        reason: `the instance loses the permissions of ${currentName}; needs your separate confirmation`,
        calls: ['ec2:ReplaceIamInstanceProfileAssociation'],
        instances: [instance.id],
        confirm: 'replace-profile',
        op: { type: 'replace-profile', instanceId: instance.id, associationId: association.id, profileName, currentProfile: currentName },
      }),
    );
  }
  return { steps, problems, keeping };
}

/* ---------- tags ---------- */

/**
 * Tags instances so the group selects them: one batch per distinct set of tags to add. An instance whose tag would
 * change value (another deployment group may select it by that value) gets its own step that needs its own yes
 * (--retag), showing the current value.
 */
export function tagStep(instances: readonly Ec2Instance[], groups: readonly (readonly TargetTag[])[]): Planned {
  const problems: Issue[] = [];
  const additions = new TagBatches();
  const retags = new TagBatches();
  for (const instance of instances) {
    const wanted = tagsToAdd(groups, instance.tags);
    if ('conflict' in wanted) {
      problems.push({ message: `Instance ${instance.id} cannot be tagged into the group: ${wanted.conflict}.`, hint: 'Put those tags in one group (--tag), or use different keys.' });
      continue;
    }
    if (Object.keys(wanted.tags).length === 0) continue;
    const changes = Object.entries(wanted.overwrites).map(([key, before]) => `${key} on ${instance.id} from "${before}" to "${wanted.tags[key] ?? ''}"`);
    (changes.length > 0 ? retags : additions).add(instance.id, wanted.tags, changes);
  }
  const added = additions.size === 0 ? undefined : step({
    id: 'instance-tags',
    kind: 'tag',
    resource: 'instances',
    summary: `Tag ${additions.instanceIds().join(', ')} with ${additions.tagList().join(', ')}`,
    title: `Tagging ${plural(additions.instanceIds().length, 'instance')}`,
    doneTitle: `Tagged ${plural(additions.instanceIds().length, 'instance')}`,
    calls: ['ec2:CreateTags'],
    instances: additions.instanceIds(),
    op: { type: 'tag-instances', batches: additions.batches() },
  });
  const retagged = retags.size === 0 ? undefined : step({
    id: 'instance-retag',
    kind: 'update',
    resource: 'instances',
    summary: `Retag ${retags.instanceIds().join(', ')} with ${retags.tagList().join(', ')}`,
    title: `Retagging ${plural(retags.instanceIds().length, 'instance')}`,
    doneTitle: `Retagged ${plural(retags.instanceIds().length, 'instance')}`,
    reason: `changes ${retags.changes.join(', ')}: another deployment group may select them by the old value`,
    calls: ['ec2:CreateTags'],
    instances: retags.instanceIds(),
    confirm: 'retag',
    op: { type: 'tag-instances', batches: retags.batches() },
  });
  const steps = [added, retagged].filter((one): one is Step => one !== undefined);
  return { steps, problems };
}

/** Instances grouped by the tags they need, so one CreateTags call covers each group. */
class TagBatches {
  private readonly byTags = new Map<string, { instanceIds: string[]; tags: Record<string, string> }>();
  readonly changes: string[] = [];

  get size(): number {
    return this.byTags.size;
  }

  add(instanceId: string, tags: Record<string, string>, changes: readonly string[]): void {
    const key = JSON.stringify(Object.entries(tags).sort());
    const batch = this.byTags.get(key) ?? { instanceIds: [], tags };
    batch.instanceIds.push(instanceId);
    this.byTags.set(key, batch);
    this.changes.push(...changes);
  }

  batches(): Array<{ instanceIds: string[]; tags: Record<string, string> }> {
    return [...this.byTags.values()];
  }

  instanceIds(): string[] {
    return this.batches().flatMap((batch) => batch.instanceIds);
  }

  tagList(): string[] {
    return [...new Set(this.batches().flatMap((batch) => Object.entries(batch.tags).map(([k, v]) => (v === '' ? k : `${k}=${v}`))))];
  }
}
