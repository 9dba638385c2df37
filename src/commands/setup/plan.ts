import { nameOfArn } from '../../aws/arn.js';
import type {
  AutoScalingGroupInfo,
  AwsPorts,
  BucketLocation,
  CallerIdentity,
  CodeDeployApplication,
  CodeDeployDeploymentGroup,
  DeploymentGroupSpec,
  Ec2Instance,
  IamInstanceProfile,
  IamRole,
  ProfileAssociation,
} from '../../aws/ports/index.js';
import type { PolicyDocument, TargetTag } from '../../aws/types.js';
import type { InstanceRecord, ResourceRecord, SetupAnswers, SetupState } from './answers.js';
import {
  INLINE_POLICY_NAMES,
  MANAGED_BY_TAG,
  bucketsGranted,
  codeDeployRolePolicyArn,
  describeStatement,
  instanceProfileArn,
  instanceRoleTrust,
  launchTemplatePolicy,
  mergeTrust,
  resourceKitBucket,
  revisionReadPolicy,
  roleArn,
  samePolicy,
  serviceRoleTrust,
  ssmCorePolicyArn,
  trustAllowsService,
  type PolicySpec,
} from './policies.js';
import { targetGroupName } from './validate.js';

/**
 * observe → plan: what exists now, compared with what the answers want, as an ordered list of steps.
 * computePlan is pure (table-driven tests feed it observations); a plan whose steps make no calls is
 * "nothing to change".
 */

/* ---------- observation ---------- */

export interface ObservedRole {
  role: IamRole;
  attached: string[];
  /** The inline policies setup manages, by name (undefined = absent). */
  inline: Record<string, PolicyDocument | undefined>;
}

export interface Observation {
  identity: CallerIdentity;
  serviceRole?: ObservedRole;
  instanceRole?: ObservedRole;
  instanceProfile?: IamInstanceProfile;
  instances: Ec2Instance[];
  missingInstances: string[];
  associations: ProfileAssociation[];
  autoScalingGroups: AutoScalingGroupInfo[];
  missingAutoScalingGroups: string[];
  application?: CodeDeployApplication;
  deploymentGroup?: CodeDeployDeploymentGroup;
  bucket: BucketLocation;
  /** Instances the tag groups match today (before setup tags anything). */
  tagMatches: string[];
}

async function observeRole(aws: AwsPorts, name: string, inlineNames: readonly string[]): Promise<ObservedRole | undefined> {
  const role = await aws.iam.getRole(name);
  if (!role) return undefined;
  const [attached, ...inline] = await Promise.all([aws.iam.listAttachedPolicies(name), ...inlineNames.map((policy) => aws.iam.getInlinePolicy(name, policy))]);
  return { role, attached, inline: Object.fromEntries(inlineNames.map((policy, i) => [policy, inline[i]])) };
}

async function observeInstances(aws: AwsPorts, ids: readonly string[]) {
  const { found, missing } = await aws.ec2.describeInstances(ids);
  const associations = await aws.ec2.getProfileAssociations(found.filter((instance) => instance.profileArn !== undefined).map((instance) => instance.id));
  return { found, missing, associations };
}

/** Instances matching the tag groups: any tag of a group (OR), every group (AND). */
async function observeTagMatches(aws: AwsPorts, groups: readonly TargetTag[][]): Promise<string[]> {
  if (groups.length === 0) return [];
  const perGroup = await Promise.all(groups.map(async (group) => new Set((await Promise.all(group.map((tag) => aws.ec2.findInstancesByTag(tag)))).flat())));
  const [first, ...rest] = perGroup;
  return [...(first ?? [])].filter((id) => rest.every((set) => set.has(id))).sort();
}

/** Every read setup needs: who we are first (one clear error when credentials fail), the rest concurrently. */
export async function observe(answers: SetupAnswers, aws: AwsPorts): Promise<Observation> {
  const identity = await aws.identity.whoAmI();
  // Instances the tags select get the instance profile too (without it their agent has no credentials), so
  // they are observed with the ones named by --instances.
  const targets = (async () => {
    const tagMatches = await observeTagMatches(aws, answers.tagGroups);
    return { tagMatches, instances: await observeInstances(aws, [...new Set([...answers.instances, ...tagMatches])]) };
  })();
  const [serviceRole, instanceRole, instanceProfile, { instances, tagMatches }, groups, application, deploymentGroup, bucket] = await Promise.all([
    observeRole(aws, answers.serviceRole, [INLINE_POLICY_NAMES.launchTemplate]),
    observeRole(aws, answers.instanceRole, [INLINE_POLICY_NAMES.revisionRead]),
    aws.iam.getInstanceProfile(answers.instanceProfile),
    targets,
    aws.autoScaling.describeGroups(answers.asg),
    aws.codeDeploy.getApplication(answers.app),
    aws.codeDeploy.getDeploymentGroup(answers.app, answers.group),
    aws.s3.bucketLocation(answers.bucket),
  ]);
  return {
    identity,
    ...(serviceRole === undefined ? {} : { serviceRole }),
    ...(instanceRole === undefined ? {} : { instanceRole }),
    ...(instanceProfile === undefined ? {} : { instanceProfile }),
    instances: instances.found,
    missingInstances: instances.missing,
    associations: instances.associations,
    autoScalingGroups: groups.found,
    missingAutoScalingGroups: groups.missing,
    ...(application === undefined ? {} : { application }),
    ...(deploymentGroup === undefined ? {} : { deploymentGroup }),
    bucket,
    tagMatches,
  };
}

/* ---------- plan ---------- */

export type StepKind = 'create' | 'reuse' | 'update' | 'attach' | 'tag' | 'associate' | 'replace-profile';
export type ResourceKey = 'serviceRole' | 'instanceRole' | 'instanceProfile' | 'instances' | 'application' | 'deploymentGroup';
export type RoleKey = 'serviceRole' | 'instanceRole';

/** What setup records after a step; `instances` merges by instance id. */
export type StatePatch = Omit<SetupState, 'instances'> & { instances?: Record<string, InstanceRecord> };

/** What a step does, as data for apply.ts. */
export type Operation =
  | { type: 'none'; record: StatePatch }
  | { type: 'create-role'; role: RoleKey; name: string; trust: PolicyDocument; description: string; tags: Record<string, string> }
  | { type: 'update-trust'; role: RoleKey; name: string; arn: string; trust: PolicyDocument }
  | { type: 'attach-policy'; roleName: string; policyArn: string }
  | { type: 'put-inline-policy'; roleName: string; policyName: string; document: PolicyDocument }
  | { type: 'create-instance-profile'; name: string; tags: Record<string, string> }
  | { type: 'set-profile-role'; profileName: string; profileArn: string; roleName: string; remove: string[] }
  | { type: 'associate-profile'; instanceId: string; profileName: string }
  | { type: 'replace-profile'; instanceId: string; associationId: string; profileName: string; currentProfile: string }
  | { type: 'tag-instances'; batches: Array<{ instanceIds: string[]; tags: Record<string, string> }> }
  | { type: 'create-application'; name: string; tags: Record<string, string> }
  | { type: 'create-deployment-group'; spec: DeploymentGroupSpec; tags: Record<string, string> }
  | { type: 'update-deployment-group'; spec: DeploymentGroupSpec; previous: CodeDeployDeploymentGroup };

export interface PlanStep {
  /** Stable id: state file, events and tests use it. */
  id: string;
  kind: StepKind;
  resource: ResourceKey;
  /** The plan line: "Create service role CodeDeployServiceRole". */
  summary: string;
  /** While running: "Creating service role CodeDeployServiceRole". */
  title: string;
  /** When done: "Service role CodeDeployServiceRole created". */
  doneTitle: string;
  /** Why: the drift found, or what a reused resource is. */
  reason?: string;
  /** The AWS calls the step makes (empty: nothing to do). */
  calls: string[];
  /** Policy documents the step writes. */
  documents: PolicySpec[];
  /** Instances the step changes. */
  instances: string[];
  /** Needs its own confirmation beyond the plan's (default No). */
  confirm?: 'replace-profile';
  op: Operation;
}

/** Where an Auto Scaling group's new instances get their instance profile from. */
export type AsgLaunch = { kind: 'launch-template'; name?: string } | { kind: 'launch-configuration'; name?: string } | { kind: 'unknown' };

export function asgLaunchOf(group: AutoScalingGroupInfo): AsgLaunch {
  if (group.usesLaunchTemplate) return { kind: 'launch-template', ...(group.launchTemplateName === undefined ? {} : { name: group.launchTemplateName }) };
  if (group.launchConfigurationName !== undefined) return { kind: 'launch-configuration', name: group.launchConfigurationName };
  return { kind: 'unknown' };
}

export interface PlanIssue {
  message: string;
  hint?: string;
}

export interface SetupPlan {
  region: string;
  account: string;
  partition: string;
  caller: string;
  answers: SetupAnswers;
  steps: PlanStep[];
  /** Problems that stop setup before any change. */
  problems: PlanIssue[];
  warnings: PlanIssue[];
  arns: { serviceRole: string; instanceRole: string; instanceProfile: string };
  /** Instances the deployment group will match once setup is done (tags), plus the Auto Scaling groups. */
  targets: { instances: string[]; autoScalingGroups: string[]; launches: Record<string, AsgLaunch> };
}

export function changesOf(plan: SetupPlan): PlanStep[] {
  return plan.steps.filter((step) => step.calls.length > 0);
}

export function hasNothingToChange(plan: SetupPlan): boolean {
  return changesOf(plan).length === 0;
}

const MANAGED: Record<string, string> = { ...MANAGED_BY_TAG };
const isOurs = (tags: Record<string, string>) => tags.ManagedBy === MANAGED_BY_TAG.ManagedBy;

const ROLE_WORDS: Record<RoleKey, { label: string; service: 'codedeploy' | 'ec2'; description: string }> = {
  serviceRole: {
    label: 'service role',
    service: 'codedeploy',
    description: 'CodeDeploy service role (cd-wizard): lets CodeDeploy read instances and manage Auto Scaling hooks.',
  },
  instanceRole: {
    label: 'instance role',
    service: 'ec2',
    description: 'EC2 instance role for the CodeDeploy agent (cd-wizard): reads revisions from S3.',
  },
};

const resource = (name: string, arn: string, status: ResourceRecord['status']): ResourceRecord => ({ name, arn, status });

type StepFields = Omit<PlanStep, 'calls' | 'documents' | 'instances'> & Partial<Pick<PlanStep, 'calls' | 'documents' | 'instances'>>;

/** A step; calls, documents and instances default to none. */
function step(fields: StepFields): PlanStep {
  return { calls: [], documents: [], instances: [], ...fields };
}

const VERBS = { create: ['Create', 'Creating', 'Created'], update: ['Update', 'Updating', 'Updated'] } as const;

/** "Create/Update <what> <name>" with its progress and done titles; `summary` may say more. */
function namedStep(kind: keyof typeof VERBS, what: string, name: string, fields: Omit<StepFields, 'kind' | 'summary' | 'title' | 'doneTitle'> & { summary?: string }): PlanStep {
  const [verb, doing, done] = VERBS[kind];
  return step({ kind, summary: `${verb} ${what} ${name}`, title: `${doing} ${what} ${name}`, doneTitle: `${done} ${what} ${name}`, ...fields });
}

/** "Reuse <what> <name>": no calls, only a record for the state file. */
function reuseStep(id: string, resourceKey: ResourceKey, what: string, name: string, record: StatePatch, reason?: string): PlanStep {
  return step({
    id,
    kind: 'reuse',
    resource: resourceKey,
    summary: `Reuse ${what} ${name}`,
    title: `Checking ${what} ${name}`,
    doneTitle: `Reusing ${what} ${name}`,
    ...(reason === undefined ? {} : { reason }),
    op: { type: 'none', record },
  });
}

function planRole(key: RoleKey, name: string, observed: ObservedRole | undefined, trust: PolicySpec, account: string, partition: string): PlanStep {
  const words = ROLE_WORDS[key];
  const base = { id: key === 'serviceRole' ? 'service-role' : 'instance-role', resource: key };
  if (!observed) {
    return namedStep('create', words.label, name, {
      ...base,
      calls: ['iam:CreateRole'],
      documents: [trust],
      op: { type: 'create-role', role: key, name, trust: trust.document, description: words.description, tags: MANAGED },
    });
  }
  const role = observed.role;
  const ours = isOurs(role.tags);
  // Ours: the trust policy must be exactly ours. Someone else's: it only has to let the service in; if it
  // does not, our statement is added and theirs kept.
  const drift = ours ? !samePolicy(role.trust, trust.document) : !trustAllowsService(role.trust, words.service, account);
  if (!drift) {
    const reason = ours ? 'created by cd-wizard' : `exists; its trust policy already lets ${words.service === 'ec2' ? 'EC2' : 'CodeDeploy'} assume it`;
    return reuseStep(base.id, key, words.label, name, { [key]: resource(name, role.arn, 'reused') }, reason);
  }
  const document = ours ? trust.document : mergeTrust(role.trust, trust.document);
  return step({
    ...base,
    kind: 'update',
    summary: `Repair the trust policy of ${words.label} ${name}`,
    title: `Repairing the trust policy of ${name}`,
    doneTitle: `Repaired the trust policy of ${name}`,
    reason: role.trust === undefined
      ? 'its trust policy cannot be read'
      : ours
        ? `its trust policy was changed outside cd-wizard (now: ${role.trust.Statement.map(describeStatement).join('; ') || 'no statements'})`
        : `its trust policy does not let ${words.service === 'ec2' ? 'EC2' : 'CodeDeploy'} assume it; our statement is added, yours are kept`,
    calls: ['iam:UpdateAssumeRolePolicy'],
    documents: [{ ...trust, document }],
    op: { type: 'update-trust', role: key, name, arn: role.arn || roleArn(partition, account, name), trust: document },
  });
}

function planManagedPolicy(id: string, roleName: string, observed: ObservedRole | undefined, policyArn: string, why: string, required: boolean): PlanStep | undefined {
  if (observed?.attached.includes(policyArn)) return undefined;
  const short = policyArn.split('/').pop() ?? policyArn;
  return step({
    id,
    kind: 'attach',
    resource: id.startsWith('service') ? 'serviceRole' : 'instanceRole',
    summary: `Attach ${short} to ${roleName}`,
    title: `Attaching ${short} to ${roleName}`,
    doneTitle: `Attached ${short} to ${roleName}`,
    reason: observed && required ? `missing from the role: ${why}` : why,
    calls: ['iam:AttachRolePolicy'],
    op: { type: 'attach-policy', roleName, policyArn },
  });
}

function planInlinePolicy(id: string, roleName: string, observed: ObservedRole | undefined, policy: PolicySpec): PlanStep | undefined {
  const current = observed?.inline[policy.name];
  if (current !== undefined && samePolicy(current, policy.document)) return undefined;
  const update = current !== undefined;
  return step({
    id,
    kind: update ? 'update' : 'create',
    resource: id.startsWith('service') ? 'serviceRole' : 'instanceRole',
    summary: `${update ? 'Repair' : 'Add'} inline policy ${policy.name} on ${roleName}`,
    title: `${update ? 'Repairing' : 'Adding'} inline policy ${policy.name}`,
    doneTitle: `${update ? 'Repaired' : 'Added'} inline policy ${policy.name}`,
    ...(update ? { reason: `it differs from what setup wants (now: ${current.Statement.map(describeStatement).join('; ') || 'no statements'})` } : {}),
    calls: ['iam:PutRolePolicy'],
    documents: [policy],
    op: { type: 'put-inline-policy', roleName, policyName: policy.name, document: policy.document },
  });
}

const tagText = (tag: TargetTag) => (tag.value === undefined ? `${tag.key} (any value)` : `${tag.key}=${tag.value}`);
const tagKeyOf = (tag: TargetTag) => (tag.value === undefined ? `k:${tag.key}` : `kv:${tag.key}=${tag.value}`);

export function describeTagGroups(groups: readonly TargetTag[][]): string {
  if (groups.length === 0) return 'no tags';
  return groups.map((group) => (group.length === 1 ? tagText(group[0] as TargetTag) : `(${group.map(tagText).join(' OR ')})`)).join(' AND ');
}

function sameTagGroups(a: readonly TargetTag[][], b: readonly TargetTag[][]): boolean {
  const canonical = (groups: readonly TargetTag[][]) => JSON.stringify(groups.map((group) => group.map(tagKeyOf).sort()).sort());
  return canonical(a) === canonical(b);
}

const hasTag = (instance: Ec2Instance, tag: TargetTag) => (tag.value === undefined ? tag.key in instance.tags : instance.tags[tag.key] === tag.value);

/** Differences between a deployment group and the spec, in words (empty: nothing to do). */
export function deploymentGroupDrift(observed: CodeDeployDeploymentGroup, spec: DeploymentGroupSpec): string[] {
  const drift: string[] = [];
  if (observed.serviceRoleArn !== spec.serviceRoleArn) drift.push(`service role is ${observed.serviceRoleArn || 'not set'}, wanted ${spec.serviceRoleArn}`);
  if (spec.tagGroups !== undefined && !sameTagGroups(observed.tagGroups, spec.tagGroups)) {
    drift.push(`instance tags are ${describeTagGroups(observed.tagGroups)}, wanted ${describeTagGroups(spec.tagGroups)}`);
  }
  if (spec.autoScalingGroups !== undefined && [...observed.autoScalingGroups].sort().join(',') !== [...spec.autoScalingGroups].sort().join(',')) {
    drift.push(`Auto Scaling groups are ${observed.autoScalingGroups.join(', ') || 'none'}, wanted ${spec.autoScalingGroups.join(', ')}`);
  }
  if (observed.deploymentConfig !== spec.deploymentConfig) drift.push(`deployment config is ${observed.deploymentConfig}, wanted ${spec.deploymentConfig}`);
  const rollbackOn = observed.autoRollback.enabled && observed.autoRollback.events.includes('DEPLOYMENT_FAILURE');
  if (spec.autoRollback !== rollbackOn) drift.push(spec.autoRollback ? 'automatic rollback on failure is off' : 'automatic rollback is on');
  if (spec.targetGroupName !== undefined && (observed.deploymentOption !== 'WITH_TRAFFIC_CONTROL' || observed.targetGroupNames.join(',') !== spec.targetGroupName)) {
    drift.push(`load balancing is ${observed.targetGroupNames.length > 0 ? `target group ${observed.targetGroupNames.join(', ')}` : 'off'}, wanted target group ${spec.targetGroupName}`);
  }
  return drift;
}

/** Pure: the ordered steps that take `observed` to what `answers` want. */
export function computePlan(answers: SetupAnswers, observed: Observation): SetupPlan {
  const { account, partition, arn: caller } = observed.identity;
  const region = answers.region;
  const problems: PlanIssue[] = [];
  const warnings: PlanIssue[] = [];
  const steps: PlanStep[] = [];
  const push = (step: PlanStep | undefined) => {
    if (step) steps.push(step);
  };

  const serviceRoleArn = observed.serviceRole?.role.arn || roleArn(partition, account, answers.serviceRole);
  const instanceRoleArn = observed.instanceRole?.role.arn || roleArn(partition, account, answers.instanceRole);
  const profileArn = observed.instanceProfile?.arn || instanceProfileArn(partition, account, answers.instanceProfile);

  // Problems found while looking.
  for (const id of observed.missingInstances) {
    problems.push({ message: `Instance ${id} does not exist in ${region} (account ${account}).`, hint: 'Check the id and the region (--region).' });
  }
  const live = observed.instances.filter((instance) => {
    if (instance.state === 'terminated' || instance.state === 'shutting-down') {
      // Named with --instances: a mistake to point out. Merely matching the tags: nothing to do for it.
      if (answers.instances.includes(instance.id)) problems.push({ message: `Instance ${instance.id} is ${instance.state}.`, hint: 'Leave it out of --instances.' });
      return false;
    }
    if (instance.state === 'stopped' || instance.state === 'stopping') {
      warnings.push({ message: `Instance ${instance.id} is ${instance.state}: CodeDeploy still targets it and counts it as failed until it runs.` });
    }
    return true;
  });
  for (const name of observed.missingAutoScalingGroups) {
    problems.push({ message: `Auto Scaling group ${name} does not exist in ${region}.`, hint: 'Check the name (it is case-sensitive) and the region.' });
  }
  if (observed.application && observed.application.computePlatform !== 'Server') {
    problems.push({
      message: `Application ${answers.app} exists for ${observed.application.computePlatform}, not EC2 (Server).`,
      hint: 'Choose another application name with --app.',
    });
  }

  // Service role: trust, AWSCodeDeployRole, and the launch-template extras when an ASG needs them.
  push(planRole('serviceRole', answers.serviceRole, observed.serviceRole, serviceRoleTrust(partition, account), account, partition));
  push(
    planManagedPolicy(
      'service-role-policy',
      answers.serviceRole,
      observed.serviceRole,
      codeDeployRolePolicyArn(partition),
      'the AWS managed policy CodeDeploy needs to read instances, use load balancers and install Auto Scaling hooks',
      true,
    ),
  );
  const templated = observed.autoScalingGroups.filter((group) => group.usesLaunchTemplate);
  if (templated.length > 0) {
    const policy = launchTemplatePolicy({ partition, region, account, instanceRoleArn });
    const step = planInlinePolicy('service-role-launch-template', answers.serviceRole, observed.serviceRole, policy);
    if (step && step.kind === 'create') step.reason = `${templated.map((group) => group.name).join(', ')} use${templated.length === 1 ? 's' : ''} a launch template`;
    push(step);
  }

  // Instance role: trust, read access to the two buckets, SSM if asked.
  push(planRole('instanceRole', answers.instanceRole, observed.instanceRole, instanceRoleTrust(partition), account, partition));
  const keptBuckets = bucketsGranted(observed.instanceRole?.inline[INLINE_POLICY_NAMES.revisionRead], region).filter((bucket) => bucket !== answers.bucket);
  push(planInlinePolicy('instance-role-s3', answers.instanceRole, observed.instanceRole, revisionReadPolicy({ partition, region, bucket: answers.bucket, keptBuckets })));
  if (answers.ssm) {
    push(planManagedPolicy('instance-role-ssm', answers.instanceRole, observed.instanceRole, ssmCorePolicyArn(partition), 'lets Systems Manager install and update the agent (--ssm)', false));
  }

  // Instance profile and the role in it.
  const profile = observed.instanceProfile;
  push(
    profile
      ? reuseStep('instance-profile', 'instanceProfile', 'instance profile', answers.instanceProfile, { instanceProfile: resource(answers.instanceProfile, profile.arn, 'reused') })
      : namedStep('create', 'instance profile', answers.instanceProfile, {
          id: 'instance-profile',
          resource: 'instanceProfile',
          reason: 'the container that hands the instance role to EC2 instances',
          calls: ['iam:CreateInstanceProfile'],
          op: { type: 'create-instance-profile', name: answers.instanceProfile, tags: MANAGED },
        }),
  );
  const otherRoles = (profile?.roles ?? []).map((role) => role.name).filter((name) => name !== answers.instanceRole);
  const holdsRole = profile?.roles.some((role) => role.name === answers.instanceRole) ?? false;
  if (profile && otherRoles.length > 0 && !isOurs(profile.tags)) {
    problems.push({
      message: `Instance profile ${answers.instanceProfile} already holds role ${otherRoles.join(', ')}, not ${answers.instanceRole}; cd-wizard did not create it, so it will not swap the role.`,
      hint: `Use --instance-role ${otherRoles[0]} to reuse that role, or --instance-profile with a new name.`,
    });
  } else if (!holdsRole) {
    push(step({
      id: 'instance-profile-role',
      kind: otherRoles.length > 0 ? 'update' : 'attach',
      resource: 'instanceProfile',
      summary: `Put role ${answers.instanceRole} in instance profile ${answers.instanceProfile}`,
      title: `Adding role ${answers.instanceRole} to ${answers.instanceProfile}`,
      doneTitle: `Role ${answers.instanceRole} is in ${answers.instanceProfile}`,
      ...(otherRoles.length > 0 ? { reason: `replaces role ${otherRoles.join(', ')} (changed outside cd-wizard)` } : {}),
      calls: [...(otherRoles.length > 0 ? ['iam:RemoveRoleFromInstanceProfile'] : []), 'iam:AddRoleToInstanceProfile'],
      op: { type: 'set-profile-role', profileName: answers.instanceProfile, profileArn, roleName: answers.instanceRole, remove: otherRoles },
    }));
  }

  // The profile on each chosen instance. Replacing someone's profile changes that instance's permissions,
  // so it needs its own "yes".
  for (const instance of live) {
    const association = observed.associations.find((a) => a.instanceId === instance.id);
    const current = association?.profileArn ?? instance.profileArn;
    const label = instance.name ? `${instance.id} (${instance.name})` : instance.id;
    if (current === undefined) {
      push(step({
        id: `instance-profile:${instance.id}`,
        kind: 'associate',
        resource: 'instances',
        summary: `Attach instance profile ${answers.instanceProfile} to ${label}`,
        title: `Attaching ${answers.instanceProfile} to ${instance.id}`,
        doneTitle: `${instance.id} uses ${answers.instanceProfile}`,
        calls: ['ec2:AssociateIamInstanceProfile'],
        instances: [instance.id],
        op: { type: 'associate-profile', instanceId: instance.id, profileName: answers.instanceProfile },
      }));
    } else if (nameOfArn(current) !== answers.instanceProfile) {
      if (!association) {
        problems.push({ message: `Instance ${instance.id} has profile ${nameOfArn(current)} but EC2 shows no association for it yet.`, hint: 'Try again in a minute.' });
        continue;
      }
      push(step({
        id: `instance-profile:${instance.id}`,
        kind: 'replace-profile',
        resource: 'instances',
        summary: `Replace instance profile ${nameOfArn(current)} with ${answers.instanceProfile} on ${label}`,
        title: `Replacing the instance profile of ${instance.id}`,
        doneTitle: `${instance.id} uses ${answers.instanceProfile} (was ${nameOfArn(current)})`,
        reason: `the instance loses the permissions of ${nameOfArn(current)}; needs your separate confirmation`,
        calls: ['ec2:ReplaceIamInstanceProfileAssociation'],
        instances: [instance.id],
        confirm: 'replace-profile',
        op: { type: 'replace-profile', instanceId: instance.id, associationId: association.id, profileName: answers.instanceProfile, currentProfile: nameOfArn(current) },
      }));
    }
  }

  // Tags on the chosen instances, so the deployment group finds them: the first tag of every group the
  // instance does not satisfy yet.
  const batches = new Map<string, { instanceIds: string[]; tags: Record<string, string> }>();
  for (const instance of live) {
    const missing: Record<string, string> = {};
    for (const group of answers.tagGroups) {
      const first = group[0];
      if (!first || group.some((tag) => hasTag(instance, tag))) continue;
      const value = first.value ?? '';
      if (first.key in missing && missing[first.key] !== value) {
        problems.push({ message: `The tag groups need both ${first.key}=${missing[first.key]} and ${first.key}=${value} on ${instance.id}; an instance has one value per key.`, hint: 'Put those tags in one group (--tag), or use different keys.' });
        continue;
      }
      missing[first.key] = value;
    }
    if (Object.keys(missing).length === 0) continue;
    const key = JSON.stringify(Object.entries(missing).sort());
    const batch = batches.get(key) ?? { instanceIds: [], tags: missing };
    batch.instanceIds.push(instance.id);
    batches.set(key, batch);
  }
  if (batches.size > 0) {
    const tagged = [...batches.values()].flatMap((batch) => batch.instanceIds);
    const tagList = [...new Set([...batches.values()].flatMap((batch) => Object.entries(batch.tags).map(([k, v]) => (v === '' ? k : `${k}=${v}`))))];
    push(step({
      id: 'instance-tags',
      kind: 'tag',
      resource: 'instances',
      summary: `Tag ${tagged.join(', ')} with ${tagList.join(', ')}`,
      title: `Tagging ${tagged.length} instance${tagged.length === 1 ? '' : 's'}`,
      doneTitle: `Tagged ${tagged.length} instance${tagged.length === 1 ? '' : 's'}`,
      reason: 'so the deployment group selects them',
      calls: ['ec2:CreateTags'],
      instances: tagged,
      op: { type: 'tag-instances', batches: [...batches.values()] },
    }));
  }

  // Application and deployment group.
  push(
    observed.application
      ? reuseStep('application', 'application', 'application', answers.app, { application: { name: answers.app, id: observed.application.id, status: 'reused' } })
      : namedStep('create', 'application', answers.app, {
          id: 'application',
          resource: 'application',
          summary: `Create application ${answers.app} (EC2/on-premises)`,
          calls: ['codedeploy:CreateApplication'],
          op: { type: 'create-application', name: answers.app, tags: MANAGED },
        }),
  );

  const tgName = answers.targetGroup === undefined ? undefined : targetGroupName(answers.targetGroup);
  const spec: DeploymentGroupSpec = {
    application: answers.app,
    name: answers.group,
    serviceRoleArn,
    deploymentConfig: answers.deploymentConfig,
    autoRollback: answers.rollback,
    ...(answers.tagGroups.length > 0 ? { tagGroups: answers.tagGroups } : {}),
    ...(answers.asg.length > 0 ? { autoScalingGroups: answers.asg } : {}),
    ...(tgName === undefined ? {} : { targetGroupName: tgName }),
  };
  const group = observed.deploymentGroup;
  const specText = [
    describeTagGroups(answers.tagGroups) === 'no tags' ? undefined : `instances tagged ${describeTagGroups(answers.tagGroups)}`,
    answers.asg.length > 0 ? `Auto Scaling group${answers.asg.length === 1 ? '' : 's'} ${answers.asg.join(', ')}` : undefined,
  ]
    .filter((part) => part !== undefined)
    .join(' and ');
  const settings = `${answers.deploymentConfig.replace('CodeDeployDefault.', '')}, rollback on failure ${answers.rollback ? 'on' : 'off'}${tgName ? `, traffic through target group ${tgName}` : ''}`;
  const drift = group ? deploymentGroupDrift(group, spec) : [];
  if (!group) {
    push(
      namedStep('create', 'deployment group', answers.group, {
        id: 'deployment-group',
        resource: 'deploymentGroup',
        summary: `Create deployment group ${answers.group} for ${specText || 'no instances yet'} (${settings})`,
        calls: ['codedeploy:CreateDeploymentGroup'],
        op: { type: 'create-deployment-group', spec, tags: MANAGED },
      }),
    );
  } else if (drift.length === 0) {
    push(reuseStep('deployment-group', 'deploymentGroup', 'deployment group', answers.group, { deploymentGroup: { name: answers.group, id: group.id, status: 'reused' } }));
  } else {
    push(
      namedStep('update', 'deployment group', answers.group, {
        id: 'deployment-group',
        resource: 'deploymentGroup',
        reason: drift.join('; '),
        calls: ['codedeploy:UpdateDeploymentGroup'],
        op: { type: 'update-deployment-group', spec, previous: group },
      }),
    );
  }

  // What the group will match, and advice.
  const matched = [...new Set([...observed.tagMatches, ...live.map((instance) => instance.id)])].sort();
  if (matched.length === 0 && answers.asg.length === 0) {
    warnings.push({
      message: `No instance carries ${describeTagGroups(answers.tagGroups)} yet, so the deployment group matches nothing.`,
      hint: 'Tag your instances, or run setup again with --instances to have them tagged.',
    });
  }
  const bucket = observed.bucket;
  if (bucket.status === 'missing') {
    warnings.push({ message: `Bucket ${answers.bucket} does not exist yet.`, hint: `Create it in ${region} before the first push: aws s3 mb s3://${answers.bucket} --region ${region}` });
  } else if (bucket.status === 'found' && bucket.region !== region) {
    warnings.push({
      message: `Bucket ${answers.bucket} is in ${bucket.region}, but the instances are in ${region}; CodeDeploy needs the revision bucket in the same region.`,
      hint: `Use a bucket in ${region} (--bucket).`,
    });
  } else if (bucket.status === 'unknown') {
    warnings.push({ message: `Could not check bucket ${answers.bucket}: ${bucket.reason}` });
  }
  if (answers.bucket === resourceKitBucket(region)) {
    problems.push({ message: `${answers.bucket} is AWS's agent bucket, not yours.`, hint: 'Give the bucket you upload revisions to (--bucket).' });
  }

  return {
    region,
    account,
    partition,
    caller,
    answers,
    steps,
    problems,
    warnings,
    arns: { serviceRole: serviceRoleArn, instanceRole: instanceRoleArn, instanceProfile: profileArn },
    targets: {
      instances: matched,
      autoScalingGroups: observed.autoScalingGroups.map((group) => group.name),
      launches: Object.fromEntries(observed.autoScalingGroups.map((group) => [group.name, asgLaunchOf(group)])),
    },
  };
}
