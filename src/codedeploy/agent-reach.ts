import { nameOfArn, partitionOfArn } from '../aws/arn.js';
import type { AwsPorts, Ec2Instance, ManagedInstance } from '../aws/ports/index.js';
import { reasonOf } from './verdict.js';
import { osOf, type AgentOs } from './agent-install.js';
import { ssmCorePolicyArn } from './names.js';

/**
 * Which instances Systems Manager can run a command on now, and for the others why not, in words a user can act
 * on: the instance is stopped, SSM lost contact with its SSM Agent, it has no instance profile, its role lacks
 * AmazonSSMManagedInstanceCore (what `setup --ssm` attaches), or it never registered. Read once (EC2, SSM, and IAM
 * only for the instances SSM does not know), judged by a pure function.
 */

export type Unreachable = 'missing' | 'not-running' | 'ssm-offline' | 'no-profile' | 'no-ssm-policy' | 'not-registered';

export type Reach = { via: 'ssm' } | { via: 'manual'; why: Unreachable; detail: string };

export interface AgentTarget {
  id: string;
  name?: string;
  os: AgentOs;
  reach: Reach;
}

/** What IAM says about an unmanaged instance's role: which role, and whether it has the SSM core policy. */
export interface RoleFacts {
  profile?: string;
  role?: string;
  /** undefined: could not be read (the reason is in `unreadable`). */
  hasSsmCore?: boolean;
  unreadable?: string;
}

/** Pure: whether SSM can reach the instance, and why not. */
export function reachOf(id: string, instance: Ec2Instance | undefined, managed: ManagedInstance | undefined, role: RoleFacts | undefined, region: string): Reach {
  const manual = (why: Unreachable, detail: string): Reach => ({ via: 'manual', why, detail });
  if (!instance) return manual('missing', `${id} does not exist in ${region}.`);
  if (instance.state !== 'running') return manual('not-running', `It is ${instance.state}; Systems Manager reaches only running instances.`);
  if (managed) {
    if (managed.pingStatus === 'Online') return { via: 'ssm' };
    return manual('ssm-offline', `Systems Manager lost contact with its SSM Agent (ping status ${managed.pingStatus}): the SSM Agent stopped, or cannot reach Systems Manager.`);
  }
  if (!instance.profileArn) {
    return manual('no-profile', 'It has no instance profile, so its SSM Agent has no credentials: cd-wizard setup --ssm attaches a profile whose role has AmazonSSMManagedInstanceCore.');
  }
  if (role?.hasSsmCore === false) {
    return manual(
      'no-ssm-policy',
      `Its role ${role.role ?? `(in ${role.profile ?? nameOfArn(instance.profileArn)})`} does not have AmazonSSMManagedInstanceCore, so Systems Manager does not manage it: cd-wizard setup --ssm attaches it, and the SSM Agent registers within minutes.`,
    );
  }
  const roleText = role?.hasSsmCore ? `, although its role ${role.role ?? ''} has AmazonSSMManagedInstanceCore` : role?.unreadable ? ` (its role could not be read: ${role.unreadable})` : '';
  return manual('not-registered', `It is not registered with Systems Manager${roleText}: the SSM Agent is not installed or not running, or cannot reach the ssm, ssmmessages and ec2messages endpoints.`);
}

/** The role in an instance profile and whether it has AmazonSSMManagedInstanceCore attached. */
async function roleFacts(ports: AwsPorts, profileArn: string): Promise<RoleFacts> {
  const profile = nameOfArn(profileArn);
  try {
    const found = await ports.iam.getInstanceProfile(profile);
    const role = found?.roles[0]?.name;
    if (!role) return { profile, hasSsmCore: false };
    const attached = await ports.iam.listAttachedPolicies(role);
    return { profile, role, hasSsmCore: attached.includes(ssmCorePolicyArn(partitionOfArn(profileArn))) };
  } catch (error) {
    return { profile, unreadable: reasonOf(error) };
  }
}

/** Reads what decides the reach of each instance: EC2 and SSM at once, then IAM for the ones SSM does not know. */
export async function observeReach(ports: AwsPorts, ids: readonly string[], region: string): Promise<AgentTarget[]> {
  const [{ found }, managed] = await Promise.all([ports.ec2.describeInstances(ids), ports.ssm.managedInstances(ids)]);
  const byId = new Map(found.map((instance) => [instance.id, instance]));
  const managedById = new Map(managed.map((instance) => [instance.id, instance]));
  const profiles = [...new Set(found.filter((instance) => !managedById.has(instance.id) && instance.state === 'running' && instance.profileArn).map((instance) => instance.profileArn as string))];
  const facts = new Map(await Promise.all(profiles.map(async (arn) => [arn, await roleFacts(ports, arn)] as const)));
  return ids.map((id) => {
    const instance = byId.get(id);
    const ssm = managedById.get(id);
    const reach = reachOf(id, instance, ssm, instance?.profileArn ? facts.get(instance.profileArn) : undefined, region);
    return { id, ...(instance?.name === undefined ? {} : { name: instance.name }), os: osOf(instance?.platform, ssm?.platformType), reach };
  });
}
