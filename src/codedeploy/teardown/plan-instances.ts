import { nameOfArn } from '../../aws/arn.js';
import type { Ec2Instance } from '../../aws/ports/index.js';
import { labelOf } from '../resources/instances.js';
import type { InstanceRecord } from '../state.js';
import { plural, type Step } from '../steps.js';
import { removal, type Builder, type Context } from './builder.js';

/**
 * The instances setup changed: the instance profile it attached (taken off, or the one it replaced given back) and
 * the tags it added, each only where it is still what setup set. Instances carry no ManagedBy tag: the answers
 * file's record and the live values decide.
 */

const tagText = (tags: Record<string, string>) => Object.entries(tags).map(([key, value]) => (value === '' ? key : `${key}=${value}`)).join(', ');

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

export function planInstanceProfiles(b: Builder, c: Context, live: ReadonlyMap<string, Ec2Instance>): void {
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

export function planInstanceTags(b: Builder, c: Context, live: ReadonlyMap<string, Ec2Instance>): void {
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
