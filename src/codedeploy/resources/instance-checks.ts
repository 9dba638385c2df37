import { nameOfArn } from '../../aws/arn.js';
import type { Ec2Instance, IamInstanceProfile } from '../../aws/ports/index.js';
import type { TargetTag } from '../../aws/types.js';
import { plural } from '../steps.js';
import { associateStep, tagStep } from './instances.js';
import { describeTagGroups, matchesTagGroups } from '../tags.js';
import type { CheckVerdict, Remedy } from '../verdict.js';

/**
 * Fix's checks of the instances a deployment group reaches: which ones it selects (by tag or Auto Scaling group),
 * whether any is left, and whether each carries an instance profile whose role the agent can use. The steps that
 * repair them are setup's own (instances.ts).
 */

export interface InstanceSet {
  /** Instances the group's tags or Auto Scaling groups select now. */
  matched: Ec2Instance[];
  /** Failed targets of the deployment, described (some may no longer match, or be terminated). */
  targets: Ec2Instance[];
  /** Target ids EC2 does not know any more. */
  missingTargets: string[];
  missingAsgs: string[];
}

const gone = (instance: Ec2Instance) => instance.state === 'terminated' || instance.state === 'shutting-down';

/** The instances a deployment reaches: what the group matches now plus the failed targets that still exist. */
export function targetInstances(set: InstanceSet): Ec2Instance[] {
  const all = new Map([...set.matched, ...set.targets].map((instance) => [instance.id, instance]));
  return [...all.values()].filter((instance) => !gone(instance));
}

export interface GroupSelection {
  name: string;
  tagGroups: TargetTag[][];
  autoScalingGroups: string[];
}

export function selectionText(group: GroupSelection): string {
  return [group.tagGroups.some((g) => g.length > 0) ? `tags ${describeTagGroups(group.tagGroups)}` : '', group.autoScalingGroups.length > 0 ? `Auto Scaling groups ${group.autoScalingGroups.join(', ')}` : '']
    .filter((part) => part !== '')
    .join(' and ');
}

/**
 * Fix: does the group select running instances? When it selects none and setup prepared some (the answers file),
 * the remedy is setup's own tag step for them.
 */
export function instancesVerdict(group: GroupSelection, set: InstanceSet, candidates: readonly Ec2Instance[]): CheckVerdict {
  const running = set.matched.filter((instance) => instance.state === 'running' || instance.state === 'pending');
  const stopped = set.matched.filter((instance) => instance.state === 'stopped' || instance.state === 'stopping');
  const terminatedTargets = set.targets.filter(gone).map((instance) => instance.id);
  const selection = selectionText(group);
  const notes = [
    stopped.length > 0 ? `${stopped.length} stopped (${stopped.map((i) => i.id).join(', ')}; stopped instances count as failed)` : '',
    terminatedTargets.length > 0 ? `failed targets now terminated: ${terminatedTargets.join(', ')}` : '',
    set.missingTargets.length > 0 ? `failed targets EC2 no longer knows: ${set.missingTargets.join(', ')}` : '',
    set.missingAsgs.length > 0 ? `Auto Scaling groups that do not exist: ${set.missingAsgs.join(', ')}` : '',
  ].filter((note) => note !== '');
  const noteText = notes.length > 0 ? ` Flagged: ${notes.join('; ')}.` : '';
  if (selection === '') {
    return { status: 'problem', detail: 'The deployment group selects instances by neither tags nor Auto Scaling groups.', cause: 'no-instances', guide: 'no-instances' };
  }
  if (running.length > 0) {
    return { status: 'ok', detail: `${selection} match ${plural(running.length, 'running instance')} (${running.map((i) => i.id).join(', ')}).${noteText}` };
  }
  const toTag = candidates.filter((candidate) => !gone(candidate) && !matchesTagGroups(group.tagGroups, candidate.tags));
  const tagging = toTag.length > 0 ? tagStep(toTag, group.tagGroups) : { steps: [], problems: [] };
  const remedies: Remedy[] = tagging.steps.length > 0
    ? [{ title: `Tag ${plural(toTag.length, 'instance')} so the deployment group matches ${toTag.length === 1 ? 'it' : 'them'}`, steps: tagging.steps, recheck: ['instances-match'], after: 'Start a new deployment: tagging does not restart the failed one.' }]
    : [];
  return {
    status: 'problem',
    detail: `${selection} match${selection.includes(' and ') ? '' : 'es'} ${set.matched.length === 0 ? 'no instances' : `no running instance (${set.matched.length} matched)`}.${noteText}`,
    cause: 'no-instances',
    guide: 'no-instances',
    remedies,
  };
}

/** Fix: does every target instance carry a profile with a role? The remedy attaches setup's profile (or the one the others use). */
export function profilesVerdict(instances: readonly Ec2Instance[], profiles: ReadonlyMap<string, IamInstanceProfile | undefined>, knownProfile: string | undefined): CheckVerdict {
  if (instances.length === 0) return { status: 'could-not-check', reason: 'no target instances to look at' };
  const without = instances.filter((instance) => !instance.profileArn);
  const deleted = instances.filter((instance) => instance.profileArn && !profiles.get(nameOfArn(instance.profileArn))).map((instance) => instance.id);
  const roleless = instances
    .filter((instance) => instance.profileArn && profiles.get(nameOfArn(instance.profileArn))?.roles.length === 0)
    .map((instance) => `${instance.id} (${nameOfArn(instance.profileArn ?? '')})`);
  if (without.length === 0 && deleted.length === 0 && roleless.length === 0) {
    const names = [...new Set(instances.map((instance) => nameOfArn(instance.profileArn ?? '')))];
    return { status: 'ok', detail: `${instances.length} instance${instances.length === 1 ? ' has' : 's have'} an instance profile (${names.join(', ')}).` };
  }
  // Offer the profile setup created, or the one the other instances use, when it exists and has a role.
  const used = instances.flatMap((instance) => (instance.profileArn ? [nameOfArn(instance.profileArn)] : []));
  const offer = [knownProfile, ...used].find((name) => name !== undefined && (profiles.get(name)?.roles.length ?? 0) > 0);
  const parts = [
    without.length > 0 ? `no instance profile: ${without.map((i) => i.id).join(', ')}` : '',
    deleted.length > 0 ? `instance profile no longer exists: ${deleted.join(', ')}` : '',
    roleless.length > 0 ? `instance profile without a role: ${roleless.join(', ')}` : '',
  ].filter((part) => part !== '');
  const remedies: Remedy[] =
    offer && without.length > 0
      ? [
          {
            title: `Attach instance profile ${offer} to ${plural(without.length, 'instance')}`,
            steps: [associateStep(without, offer)],
            recheck: ['instance-profiles'],
            after: `Restart the agent on ${without.map((i) => i.id).join(', ')} so it picks up the credentials: sudo systemctl restart codedeploy-agent`,
          },
        ]
      : [];
  return {
    status: 'problem',
    detail: `${parts.join('; ')}.`,
    cause: 'agent-missing-credentials',
    guide: 'agent-missing-credentials',
    instances: [...without.map((i) => i.id), ...deleted, ...roleless.map((entry) => entry.split(' ')[0] ?? '')],
    remedies,
  };
}

/** Which role each instance's profile carries: role ARN → instance ids. */
export function instanceRoles(instances: readonly Ec2Instance[], profiles: ReadonlyMap<string, IamInstanceProfile | undefined>): Map<string, string[]> {
  const roles = new Map<string, string[]>();
  for (const instance of instances) {
    const role = instance.profileArn ? profiles.get(nameOfArn(instance.profileArn))?.roles[0] : undefined;
    if (!role?.arn) continue;
    roles.set(role.arn, [...(roles.get(role.arn) ?? []), instance.id]);
  }
  return roles;
}
