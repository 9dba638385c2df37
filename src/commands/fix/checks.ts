import { AwsError, parseAccessDenied } from '../../aws/errors.js';
import type { Ec2Instance, FixPorts, IamInstanceProfile, IamRole, LifecycleHook, ObjectHead, S3Revision, SimulationResult } from '../../aws/ports/index.js';
import type { CodeDeployDeploymentGroup } from '../../aws/ports/codedeploy.js';
import { trustsService } from '../../aws/ports/iam.js';
import type { BucketLocation } from '../../aws/ports/s3.js';
import type { PolicyDocument, TargetTag } from '../../aws/types.js';
import { nameOfArn, partitionOfArn } from '../../aws/arn.js';
import type { RemedyPlan } from './remedies.js';

/**
 * Setup checks: each looks at one thing in the live account and answers ok | problem | could-not-check
 * (design.md, "diagnosis as a union"). The AWS reads are gathered once (Facts, memoised, so checks that share a
 * read share the call) and every check starts at once; the verdicts are plain functions of what was read,
 * tested without AWS. A check whose read is denied says "could not check: <action> denied" and the rest go on.
 */

export type CheckId =
  | 'service-role'
  | 'service-role-trust'
  | 'service-role-policy'
  | 'instances-match'
  | 'instance-profiles'
  | 'revision-readable'
  | 'revision-exists'
  | 'revision-region'
  | 'asg-hook'
  | 'agent'
  | 'agent-credentials-file'
  | 'clock';

interface CheckHead {
  id: CheckId;
  title: string;
  /** What was looked at, in words ("role CodeDeployServiceRole (iam:GetRole)"). */
  looked: string;
  /** For per-instance checks (the agent over SSM). */
  instance?: string;
}

export type CheckResult =
  | (CheckHead & { status: 'ok'; detail: string })
  | (CheckHead & {
      status: 'problem';
      detail: string;
      severity: 'error' | 'warning';
      /** The cause id it proves (its guide article explains it), when it maps to one. */
      cause?: string;
      guide: string;
      instances: string[];
      remedies: RemedyPlan[];
    })
  | (CheckHead & { status: 'could-not-check'; reason: string });

export type CheckVerdict =
  | { status: 'ok'; detail: string }
  | { status: 'problem'; detail: string; severity?: 'error' | 'warning'; cause?: string; guide: string; instances?: string[]; remedies?: RemedyPlan[] }
  | { status: 'could-not-check'; reason: string };

export function toResult(head: CheckHead, verdict: CheckVerdict): CheckResult {
  if (verdict.status === 'problem') {
    return {
      ...head,
      status: 'problem',
      detail: verdict.detail,
      severity: verdict.severity ?? 'error',
      ...(verdict.cause === undefined ? {} : { cause: verdict.cause }),
      guide: verdict.guide,
      instances: verdict.instances ?? [],
      remedies: verdict.remedies ?? [],
    };
  }
  return { ...head, ...verdict };
}

/** "could not check: iam:SimulatePrincipalPolicy denied" for AccessDenied; the error's own words otherwise. */
export function reasonOf(error: unknown): string {
  if (error instanceof AwsError) {
    if (error.kind === 'access-denied') {
      const action = parseAccessDenied(error.awsMessage).action ?? `${error.service === 'AutoScaling' ? 'autoscaling' : error.service.toLowerCase()}:${error.operation}`;
      return `${action} denied`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Runs a check; an AWS error (other than bad credentials, which stop everything) becomes could-not-check. */
export async function guarded(head: CheckHead, run: () => Promise<CheckVerdict>): Promise<CheckResult> {
  try {
    return toResult(head, await run());
  } catch (error) {
    if (error instanceof AwsError && error.kind === 'credentials') throw error;
    if (!(error instanceof AwsError) && !(error instanceof CouldNotCheck)) throw error;
    return toResult(head, { status: 'could-not-check', reason: error instanceof CouldNotCheck ? error.message : reasonOf(error) });
  }
}

/** Thrown inside a check when something it depends on could not be read. */
export class CouldNotCheck extends Error {}

/* ---------- what the checks know ---------- */

export interface CheckInput {
  region: string;
  group: CodeDeployDeploymentGroup;
  /** The deployment's S3 revision, when it has one. */
  revision?: S3Revision;
  /**
   * Targets of the deployment that failed (they are checked even when the tags no longer match them). A promise,
   * so the checks that do not need them start while ListDeploymentTargets is still out.
   */
  targetIds: Promise<readonly string[]> | readonly string[];
  /** The instance profile setup created (cd-wizard.json), offered for instances that have none. */
  knownProfile?: string;
  /** Instances setup prepared (cd-wizard.json): the ones to tag when the group matches none. */
  candidateInstances: readonly string[];
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => (promise ??= load());
}

export interface InstanceSet {
  /** Instances the group's tags or Auto Scaling groups select now. */
  matched: Ec2Instance[];
  /** Failed targets of the deployment, described (some may no longer match, or be terminated). */
  targets: Ec2Instance[];
  /** Target ids EC2 does not know any more. */
  missingTargets: string[];
  missingAsgs: string[];
}

export function createFacts(ports: FixPorts, input: CheckInput) {
  const roleName = nameOfArn(input.group.serviceRoleArn);
  const facts = {
    role: once(() => ports.iam.getRole(roleName)),
    attachedPolicies: once(() => ports.iam.listAttachedPolicies(roleName)),
    instances: once(async (): Promise<InstanceSet> => {
      const tags = input.group.tagGroups.flat();
      const keys = [...new Set(tags.filter((tag) => tag.key !== '').map((tag) => tag.key))];
      const values = [...new Set(tags.filter((tag) => tag.key === '' && tag.value !== undefined).map((tag) => tag.value as string))];
      const [tagged, asgs, targets] = await Promise.all([
        keys.length + values.length > 0 ? ports.inspect.instancesWithTags(keys, values) : Promise.resolve([]),
        ports.autoScaling.describeGroups(input.group.autoScalingGroups),
        Promise.resolve(input.targetIds).then((ids) => ports.ec2.describeInstances(ids)),
      ]);
      const asgIds = new Set(asgs.found.flatMap((group) => group.instanceIds));
      const matchedTagged = tagged.filter((instance) => matchesTagGroups(input.group.tagGroups, instance.tags));
      const missingAsgMembers = [...asgIds].filter((id) => !matchedTagged.some((instance) => instance.id === id) && !targets.found.some((instance) => instance.id === id));
      const asgMembers = missingAsgMembers.length > 0 ? (await ports.ec2.describeInstances(missingAsgMembers)).found : [];
      const known = new Map([...tagged, ...targets.found, ...asgMembers].map((instance) => [instance.id, instance]));
      const matched = [...new Map([...matchedTagged, ...[...asgIds].flatMap((id) => known.get(id) ?? [])].map((instance) => [instance.id, instance])).values()].filter(
        (instance) => instance.state !== 'terminated' && instance.state !== 'shutting-down',
      );
      return { matched, targets: targets.found, missingTargets: targets.missing, missingAsgs: asgs.missing };
    }),
    profiles: once(async (): Promise<Map<string, IamInstanceProfile | undefined>> => {
      const { matched, targets } = await facts.instances();
      const names = [...new Set([...matched, ...targets].flatMap((instance) => (instance.profileArn ? [nameOfArn(instance.profileArn)] : [])))];
      if (input.knownProfile && !names.includes(input.knownProfile)) names.push(input.knownProfile);
      const found = await Promise.all(names.map((name) => ports.iam.getInstanceProfile(name)));
      return new Map(names.map((name, index) => [name, found[index]]));
    }),
    objectHead: once(() => (input.revision ? ports.inspect.headObject(input.revision.bucket, input.revision.key, input.revision.version) : Promise.resolve(undefined))),
    bucketLocation: once(() => (input.revision ? ports.s3.bucketLocation(input.revision.bucket) : Promise.resolve(undefined))),
  };
  return facts;
}

export type Facts = ReturnType<typeof createFacts>;

/* ---------- verdicts (pure) ---------- */

export const CODEDEPLOY_ROLE_POLICY = 'AWSCodeDeployRole';
/** What AWSCodeDeployRole grants that an in-place EC2 deployment cannot do without. */
export const ESSENTIAL_SERVICE_ACTIONS = ['ec2:DescribeInstances', 'ec2:DescribeInstanceStatus', 'tag:GetResources', 'autoscaling:CompleteLifecycleAction', 'autoscaling:DescribeAutoScalingGroups'];

export function codeDeployPrincipals(region: string): string[] {
  return ['codedeploy.amazonaws.com', 'codedeploy.amazonaws.com.cn', `codedeploy.${region}.amazonaws.com`];
}

/** One tag of a group: KEY_ONLY ({key}), VALUE_ONLY ({key: '', value}) or KEY_AND_VALUE. */
export function tagMatches(tag: TargetTag, tags: Readonly<Record<string, string>>): boolean {
  if (tag.key === '') return Object.values(tags).includes(tag.value ?? '');
  if (tag.value === undefined) return tag.key in tags;
  return tags[tag.key] === tag.value;
}

/** CodeDeploy's selection: one group = any tag (OR); several groups = a tag of every group (AND). No groups: nothing. */
export function matchesTagGroups(groups: readonly (readonly TargetTag[])[], tags: Readonly<Record<string, string>>): boolean {
  const nonEmpty = groups.filter((group) => group.length > 0);
  return nonEmpty.length > 0 && nonEmpty.every((group) => group.some((tag) => tagMatches(tag, tags)));
}

export function describeTags(groups: readonly (readonly TargetTag[])[]): string {
  const one = (tag: TargetTag) => (tag.key === '' ? `(any key)=${tag.value ?? ''}` : tag.value === undefined ? `${tag.key} (any value)` : `${tag.key}=${tag.value}`);
  const nonEmpty = groups.filter((group) => group.length > 0);
  if (nonEmpty.length === 0) return 'no tags';
  return nonEmpty.map((group) => group.map(one).join(' or ')).join(' and ');
}

export function serviceRoleVerdict(role: IamRole | undefined, roleArn: string): CheckVerdict {
  if (roleArn === '') return { status: 'problem', detail: 'The deployment group has no service role.', cause: 'service-role-missing', guide: 'service-role-missing' };
  if (!role) return { status: 'problem', detail: `Role ${nameOfArn(roleArn)} (${roleArn}) does not exist.`, cause: 'service-role-missing', guide: 'service-role-missing' };
  if (role.arn !== '' && role.arn !== roleArn) {
    return { status: 'problem', detail: `The group names ${roleArn}, but the role ${role.name} is ${role.arn}.`, cause: 'service-role-missing', guide: 'service-role-missing' };
  }
  return { status: 'ok', detail: `${role.arn || roleArn} exists.` };
}

/** The trust policy with a statement letting CodeDeploy assume the role added (other statements kept). */
export function repairedTrust(trust: PolicyDocument | undefined, partition: string): PolicyDocument {
  const principal = partition === 'aws-cn' ? 'codedeploy.amazonaws.com.cn' : 'codedeploy.amazonaws.com';
  return {
    Version: trust?.Version ?? '2012-10-17',
    Statement: [...(trust?.Statement ?? []), { Effect: 'Allow', Principal: { Service: principal }, Action: 'sts:AssumeRole' }],
  };
}

export function trustVerdict(role: IamRole, region: string): CheckVerdict {
  if (codeDeployPrincipals(region).some((principal) => trustsService(role.trust, principal))) return { status: 'ok', detail: `${role.name} trusts codedeploy.amazonaws.com.` };
  return {
    status: 'problem',
    detail: `${role.name}'s trust policy does not let codedeploy.amazonaws.com assume it (sts:AssumeRole).`,
    cause: 'service-role-missing',
    guide: 'service-role-missing',
    remedies: [{ kind: 'repair-trust', role: role.name, document: repairedTrust(role.trust, partitionOfArn(role.arn)) }],
  };
}

export function policyVerdict(role: IamRole, attached: readonly string[], simulated: readonly SimulationResult[] | undefined): CheckVerdict {
  const managed = attached.find((arn) => arn.endsWith(`:policy/service-role/${CODEDEPLOY_ROLE_POLICY}`));
  if (managed) return { status: 'ok', detail: `${role.name} has ${managed}.` };
  const denied = (simulated ?? []).filter((result) => result.decision !== 'allowed').map((result) => result.action);
  if (simulated && denied.length === 0) return { status: 'ok', detail: `${role.name} has no ${CODEDEPLOY_ROLE_POLICY}, but its policies allow what it grants (${ESSENTIAL_SERVICE_ACTIONS.join(', ')}).` };
  const arn = `arn:${partitionOfArn(role.arn)}:iam::aws:policy/service-role/${CODEDEPLOY_ROLE_POLICY}`;
  return {
    status: 'problem',
    detail: `${role.name} has no ${CODEDEPLOY_ROLE_POLICY}${attached.length > 0 ? ` (attached: ${attached.map(nameOfArn).join(', ')})` : ' (no managed policies)'}${denied.length > 0 ? `; not allowed: ${denied.join(', ')}` : ''}.`,
    cause: 'service-role-permissions',
    guide: 'service-role-permissions',
    remedies: [{ kind: 'attach-policy', role: role.name, policyArn: arn }],
  };
}

/** Tags that make an instance match the group: the first tag of each tag group (a VALUE_ONLY tag cannot be written). */
export function tagsToMatch(groups: readonly (readonly TargetTag[])[]): Record<string, string> | undefined {
  const tags: Record<string, string> = {};
  for (const group of groups.filter((g) => g.length > 0)) {
    const tag = group.find((candidate) => candidate.key !== '');
    if (!tag) return undefined;
    tags[tag.key] = tag.value ?? '';
  }
  return Object.keys(tags).length > 0 ? tags : undefined;
}

export function instancesVerdict(group: CodeDeployDeploymentGroup, set: InstanceSet, candidates: readonly string[]): CheckVerdict {
  const running = set.matched.filter((instance) => instance.state === 'running' || instance.state === 'pending');
  const stopped = set.matched.filter((instance) => instance.state === 'stopped' || instance.state === 'stopping');
  const terminatedTargets = set.targets.filter((instance) => instance.state === 'terminated' || instance.state === 'shutting-down').map((instance) => instance.id);
  const selection = [group.tagGroups.some((g) => g.length > 0) ? `tags ${describeTags(group.tagGroups)}` : '', group.autoScalingGroups.length > 0 ? `Auto Scaling groups ${group.autoScalingGroups.join(', ')}` : '']
    .filter((part) => part !== '')
    .join(' and ');
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
  if (running.length === 0) {
    const tags = tagsToMatch(group.tagGroups);
    const toTag = candidates.filter((id) => !set.matched.some((instance) => instance.id === id));
    return {
      status: 'problem',
      detail: `${selection} match${selection.includes(' and ') ? '' : 'es'} ${set.matched.length === 0 ? 'no instances' : `no running instance (${set.matched.length} matched)`}.${noteText}`,
      cause: 'no-instances',
      guide: 'no-instances',
      remedies: tags && toTag.length > 0 ? [{ kind: 'tag-instances', instances: toTag, tags }] : [],
    };
  }
  return { status: 'ok', detail: `${selection} match ${running.length} running instance${running.length === 1 ? '' : 's'} (${running.map((i) => i.id).join(', ')}).${noteText}` };
}

/** The instances a deployment reaches: what the group matches now plus the failed targets that still exist. */
export function targetInstances(set: InstanceSet): Ec2Instance[] {
  const all = new Map([...set.matched, ...set.targets].map((instance) => [instance.id, instance]));
  return [...all.values()].filter((instance) => instance.state !== 'terminated' && instance.state !== 'shutting-down');
}

export function profilesVerdict(instances: readonly Ec2Instance[], profiles: ReadonlyMap<string, IamInstanceProfile | undefined>, knownProfile: string | undefined): CheckVerdict {
  if (instances.length === 0) return { status: 'could-not-check', reason: 'no target instances to look at' };
  const without = instances.filter((instance) => !instance.profileArn).map((instance) => instance.id);
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
    without.length > 0 ? `no instance profile: ${without.join(', ')}` : '',
    deleted.length > 0 ? `instance profile no longer exists: ${deleted.join(', ')}` : '',
    roleless.length > 0 ? `instance profile without a role: ${roleless.join(', ')}` : '',
  ].filter((part) => part !== '');
  return {
    status: 'problem',
    detail: `${parts.join('; ')}.`,
    cause: 'agent-missing-credentials',
    guide: 'agent-missing-credentials',
    instances: [...without, ...deleted, ...roleless.map((entry) => entry.split(' ')[0] ?? '')],
    remedies: offer && without.length > 0 ? [{ kind: 'attach-profile', instances: without, profile: offer }] : [],
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

export function objectArn(revision: S3Revision, partition: string): string {
  return `arn:${partition}:s3:::${revision.bucket}/${revision.key}`;
}

export function readableVerdict(revision: S3Revision, results: ReadonlyArray<{ roleArn: string; instances: string[]; simulated: readonly SimulationResult[] }>): CheckVerdict {
  if (results.length === 0) return { status: 'could-not-check', reason: 'no instance has a role to simulate' };
  const denied = results.filter((result) => result.simulated.some((r) => r.decision !== 'allowed'));
  const what = `s3://${revision.bucket}/${revision.key}`;
  if (denied.length === 0) return { status: 'ok', detail: `${results.map((r) => nameOfArn(r.roleArn)).join(', ')} may read ${what} (s3:GetObject allowed).` };
  return {
    status: 'problem',
    detail: denied
      .map((result) => `${nameOfArn(result.roleArn)} may not read ${what}: ${result.simulated.filter((r) => r.decision !== 'allowed').map((r) => `${r.action} ${r.decision}`).join(', ')}`)
      .join('; ')
      .concat('.'),
    cause: 's3-access-denied',
    guide: 's3-access-denied',
    instances: denied.flatMap((result) => result.instances),
  };
}

export function objectVerdict(revision: S3Revision, head: ObjectHead): CheckVerdict {
  const what = `s3://${revision.bucket}/${revision.key}${revision.version ? ` (version ${revision.version})` : ''}`;
  switch (head.status) {
    case 'found':
      return { status: 'ok', detail: `${what} exists (${head.size} bytes).` };
    case 'missing':
      return { status: 'problem', detail: `${what} does not exist.`, cause: 's3-key-not-found', guide: 's3-key-not-found' };
    case 'denied':
      return { status: 'could-not-check', reason: 's3:GetObject denied (HeadObject)' };
  }
}

export function regionVerdict(revision: S3Revision, location: BucketLocation, region: string): CheckVerdict {
  switch (location.status) {
    case 'found':
      return location.region === region
        ? { status: 'ok', detail: `Bucket ${revision.bucket} is in ${region}, like the deployment.` }
        : { status: 'problem', detail: `Bucket ${revision.bucket} is in ${location.region}, the deployment in ${region}: the agent downloads from its own region.`, cause: 's3-access-denied', guide: 's3-access-denied' };
    case 'missing':
      return { status: 'could-not-check', reason: `bucket ${revision.bucket} does not exist` };
    case 'unknown':
      return { status: 'could-not-check', reason: location.reason };
  }
}

export const LAUNCH_HOOK_PREFIX = 'CodeDeploy-managed-automatic-launch-deployment-hook-';

export function hookVerdict(groupName: string, hooks: ReadonlyArray<{ asg: string; hooks: readonly LifecycleHook[] }>): CheckVerdict {
  const missing: string[] = [];
  const crowded: string[] = [];
  for (const { asg, hooks: list } of hooks) {
    const launch = list.filter((hook) => hook.name.startsWith(LAUNCH_HOOK_PREFIX) && hook.transition.endsWith('LAUNCHING'));
    if (!launch.some((hook) => hook.name.startsWith(`${LAUNCH_HOOK_PREFIX}${groupName}-`))) missing.push(asg);
    if (launch.length > 1) crowded.push(`${asg} (${launch.length}: ${launch.map((hook) => hook.name.slice(LAUNCH_HOOK_PREFIX.length)).join(', ')})`);
  }
  if (missing.length > 0) {
    return {
      status: 'problem',
      detail: `No CodeDeploy launch hook for ${groupName} on ${missing.join(', ')}: new instances start without the application. Re-add the Auto Scaling group to the deployment group to reinstall it.`,
      guide: 'auto-scaling-lifecycle-hook',
    };
  }
  if (crowded.length > 0) {
    return {
      status: 'problem',
      severity: 'warning',
      detail: `Several deployment groups deploy to each new instance of ${crowded.join('; ')}: their deployments collide.`,
      cause: 'concurrent-deployments',
      guide: 'concurrent-deployments',
    };
  }
  return { status: 'ok', detail: `${hooks.map((h) => h.asg).join(', ')} ${hooks.length === 1 ? 'has' : 'have'} the CodeDeploy launch hook for ${groupName}.` };
}

/* ---------- running them ---------- */

export async function runSetupChecks(ports: FixPorts, input: CheckInput, facts: Facts = createFacts(ports, input)): Promise<CheckResult[]> {
  const { group, region, revision } = input;
  const roleName = nameOfArn(group.serviceRoleArn);
  const needRole = async () => {
    const role = await facts.role();
    if (!role) throw new CouldNotCheck(`role ${roleName || '(none)'} does not exist`);
    return role;
  };
  const needRevision = () => {
    if (!revision) throw new CouldNotCheck('the deployment has no S3 revision');
    return revision;
  };
  const checks: Array<Promise<CheckResult>> = [
    guarded({ id: 'service-role', title: 'Service role exists', looked: `role ${roleName || '(none)'} (iam:GetRole)` }, async () =>
      serviceRoleVerdict(group.serviceRoleArn === '' ? undefined : await facts.role(), group.serviceRoleArn),
    ),
    guarded({ id: 'service-role-trust', title: 'Service role trusts codedeploy.amazonaws.com', looked: `trust policy of ${roleName}` }, async () => trustVerdict(await needRole(), region)),
    guarded({ id: 'service-role-policy', title: `Service role has ${CODEDEPLOY_ROLE_POLICY}`, looked: `policies attached to ${roleName} (iam:ListAttachedRolePolicies)` }, async () => {
      const [role, attached] = await Promise.all([needRole(), facts.attachedPolicies()]);
      let simulated: SimulationResult[] | undefined;
      if (!attached.some((arn) => arn.endsWith(`/${CODEDEPLOY_ROLE_POLICY}`)) && role.arn) {
        try {
          simulated = await ports.inspect.simulate(role.arn, ESSENTIAL_SERVICE_ACTIONS, ['*']);
        } catch (error) {
          if (!(error instanceof AwsError) || error.kind === 'credentials') throw error;
        }
      }
      return policyVerdict(role, attached, simulated);
    }),
    guarded(
      {
        id: 'instances-match',
        title: 'Deployment group matches instances',
        looked: [group.tagGroups.some((g) => g.length > 0) ? `instances tagged ${describeTags(group.tagGroups)} (ec2:DescribeInstances)` : '', group.autoScalingGroups.length > 0 ? `Auto Scaling groups ${group.autoScalingGroups.join(', ')}` : '']
          .filter((part) => part !== '')
          .join(', ') || 'the deployment group',
      },
      async () => instancesVerdict(group, await facts.instances(), input.candidateInstances),
    ),
    guarded({ id: 'instance-profiles', title: 'Every target instance has an instance profile', looked: 'the instance profile of every target instance' }, async () => {
      const instances = targetInstances(await facts.instances());
      return profilesVerdict(instances, await facts.profiles(), input.knownProfile);
    }),
    guarded(
      { id: 'revision-readable', title: 'Instance role can read the revision', looked: revision ? `s3:GetObject on s3://${revision.bucket}/${revision.key} for each instance role (iam:SimulatePrincipalPolicy)` : 'the revision' },
      async () => {
        const rev = needRevision();
        const roles = instanceRoles(targetInstances(await facts.instances()), await facts.profiles());
        const results = await Promise.all(
          [...roles].map(async ([roleArn, instances]) => ({
            roleArn,
            instances,
            simulated: await ports.inspect.simulate(roleArn, rev.version ? ['s3:GetObject', 's3:GetObjectVersion'] : ['s3:GetObject'], [objectArn(rev, partitionOfArn(roleArn))]),
          })),
        );
        return readableVerdict(rev, results);
      },
    ),
    guarded({ id: 'revision-exists', title: 'Revision object exists', looked: revision ? `s3://${revision.bucket}/${revision.key} (s3:HeadObject)` : 'the revision' }, async () => {
      const rev = needRevision();
      const head = await facts.objectHead();
      if (!head) throw new CouldNotCheck('the deployment has no S3 revision');
      return objectVerdict(rev, head);
    }),
    guarded({ id: 'revision-region', title: `Revision bucket is in ${region}`, looked: revision ? `the region of bucket ${revision.bucket}` : 'the revision' }, async () => {
      const rev = needRevision();
      const location = await facts.bucketLocation();
      if (!location) throw new CouldNotCheck('the deployment has no S3 revision');
      return regionVerdict(rev, location, region);
    }),
  ];
  if (group.autoScalingGroups.length > 0) {
    checks.push(
      guarded({ id: 'asg-hook', title: 'Auto Scaling groups have the CodeDeploy launch hook', looked: `lifecycle hooks of ${group.autoScalingGroups.join(', ')} (autoscaling:DescribeLifecycleHooks)` }, async () => {
        const { missingAsgs } = await facts.instances();
        const present = group.autoScalingGroups.filter((asg) => !missingAsgs.includes(asg));
        const hooks = await Promise.all(present.map(async (asg) => ({ asg, hooks: await ports.inspect.lifecycleHooks(asg) })));
        return hookVerdict(group.name, hooks);
      }),
    );
  }
  return Promise.all(checks);
}
