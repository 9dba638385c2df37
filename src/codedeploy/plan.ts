import { nameOfArn } from '../aws/arn.js';
import { settingsFor, type GroupSettings, type SetupAnswers } from './answers.js';
import { INLINE_POLICY_NAMES, codeDeployRolePolicyArn, deploymentGroupArn, instanceProfileArn, roleArn, ssmCorePolicyArn } from './names.js';
import { bucketsGranted, launchTemplatePolicy, revisionReadPolicy } from './permissions.js';
import { asgLaunchOf, launchWarnings, type AsgLaunch } from './resources/auto-scaling.js';
import { planBucket } from './resources/bucket.js';
import { planGithub } from './resources/github.js';
import { groupSpec, planApplication, planDeploymentGroup } from './resources/group.js';
import { planAttachments, planInstanceProfile, tagStep, type Issue } from './resources/instances.js';
import { inlinePolicyStep, managedPolicyStep, planRole } from './resources/roles.js';
import { isOurs, type SetupState } from './state.js';
import { changesOf, type Step } from './steps.js';
import { describeTagGroups } from './tags.js';
import { targetGroupName } from './validate.js';
import type { Observation } from './observe.js';

/**
 * Setup's plan: observe everything the answers name (concurrently), then compare it with what they want, resource
 * by resource, as an ordered list of steps. computePlan is pure; a plan whose steps make no calls is "nothing to
 * change". Problems stop setup before any change; warnings are shown with the plan.
 */

export interface SetupPlan {
  region: string;
  account: string;
  partition: string;
  caller: string;
  answers: SetupAnswers;
  /** The group's settings after adoption (what was kept is listed in `adopted`). */
  settings: GroupSettings;
  steps: Step[];
  /** Problems that stop setup before any change. */
  problems: Issue[];
  warnings: Issue[];
  arns: { serviceRole: string; instanceRole: string; instanceProfile: string; deployRole?: string };
  /** Instances the deployment group will match once setup is done (tags), plus the Auto Scaling groups. */
  targets: { instances: string[]; autoScalingGroups: string[]; launches: Record<string, AsgLaunch> };
  /** Instances that keep a profile of their own (a replacement declined before). */
  keeping: string[];
}

export interface PlanOptions {
  /** What an earlier run recorded (the answers file's state): what is ours, and replacements declined before. */
  recorded?: SetupState;
  /** --replace-profile: replace profiles even where the user declined before. */
  replaceProfiles?: boolean;
}

/** Pure: the ordered steps that take `observed` to what `answers` want. */
export function computePlan(answers: SetupAnswers, observed: Observation, options: PlanOptions = {}): SetupPlan {
  const recorded = options.recorded ?? {};
  const { account, partition, arn: caller } = observed.identity;
  const region = answers.region;
  const problems: Issue[] = [];
  const warnings: Issue[] = [];
  const steps: Step[] = [];
  const push = (...made: Array<Step | undefined>) => {
    for (const one of made) if (one) steps.push(one);
  };
  const group = observed.deploymentGroup;
  const settings = settingsFor(
    answers,
    group
      ? { serviceRoleName: nameOfArn(group.serviceRoleArn), deploymentConfig: group.deploymentConfig, rollback: group.autoRollback.enabled && group.autoRollback.events.includes('DEPLOYMENT_FAILURE'), targetGroups: group.targetGroupNames }
      : undefined,
  );
  const serviceRoleName = observed.serviceRoleName;
  const serviceRoleArn = observed.serviceRole?.role.arn || roleArn(partition, account, serviceRoleName);
  const instanceRoleArn = observed.instanceRole?.role.arn || roleArn(partition, account, answers.instanceRole);
  const profileArn = observed.instanceProfile?.arn || instanceProfileArn(partition, account, answers.instanceProfile);
  const trustContext = { partition, account, region, sourceArn: deploymentGroupArn({ partition, region, account }, answers.app, answers.group) };

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
  if (!observed.deploymentConfigExists) {
    problems.push({
      message: `Deployment configuration ${settings.deploymentConfig} does not exist in ${region}.`,
      hint: 'Use OneAtATime, HalfAtATime, AllAtOnce or a configuration your account has (aws deploy list-deployment-configs).',
    });
  }

  // What cd-wizard owns (answers file and ManagedBy tag agree) it changes with the plan's yes; the rest needs its own.
  const serviceOwned = observed.serviceRole ? isOurs(observed.serviceRole.role.tags, recorded.serviceRole, serviceRoleName) : true;
  const instanceOwned = observed.instanceRole ? isOurs(observed.instanceRole.role.tags, recorded.instanceRole, answers.instanceRole) : true;

  // Service role: trust, AWSCodeDeployRole, and the launch-template extras when an Auto Scaling group needs them.
  const service = planRole('serviceRole', serviceRoleName, observed.serviceRole, trustContext, serviceOwned);
  push(service.step);
  if (service.problem) problems.push(service.problem);
  push(managedPolicyStep('service-role-policy', 'serviceRole', serviceRoleName, observed.serviceRole, codeDeployRolePolicyArn(partition), 'the AWS managed policy CodeDeploy needs to read instances, use load balancers and install Auto Scaling hooks', !serviceOwned));
  const templated = observed.autoScalingGroups.filter((asg) => asg.usesLaunchTemplate);
  if (templated.length > 0) {
    const policy = launchTemplatePolicy({ partition, region, account, instanceRoleArn });
    const made = inlinePolicyStep('service-role-launch-template', 'serviceRole', serviceRoleName, observed.serviceRole, policy, !serviceOwned);
    if (made && made.kind === 'create') made.reason = `${templated.map((asg) => asg.name).join(', ')} use${templated.length === 1 ? 's' : ''} a launch template`;
    push(made);
  }

  // Instance role: trust, read access to the buckets, SSM if asked.
  const instance = planRole('instanceRole', answers.instanceRole, observed.instanceRole, trustContext, instanceOwned);
  push(instance.step);
  if (instance.problem) problems.push(instance.problem);
  const keptBuckets = bucketsGranted(observed.instanceRole?.inline[INLINE_POLICY_NAMES.revisionRead], region).filter((bucket) => bucket !== answers.bucket);
  push(inlinePolicyStep('instance-role-s3', 'instanceRole', answers.instanceRole, observed.instanceRole, revisionReadPolicy({ partition, region, bucket: answers.bucket, keptBuckets }), !instanceOwned));
  if (answers.ssm) {
    push(managedPolicyStep('instance-role-ssm', 'instanceRole', answers.instanceRole, observed.instanceRole, ssmCorePolicyArn(partition), 'lets Systems Manager install and update the agent (--ssm)', !instanceOwned));
  }

  // Instance profile and the role in it.
  const profile = planInstanceProfile(
    answers.instanceProfile,
    answers.instanceRole,
    observed.instanceProfile,
    profileArn,
    observed.instanceProfile ? isOurs(observed.instanceProfile.tags, recorded.instanceProfile, answers.instanceProfile) : true,
  );
  push(...profile.steps);
  problems.push(...profile.problems);

  // The profile on each instance, then the tags that make the group select them (not on instances keeping their own profile).
  const attachments = planAttachments(live, observed.associations, answers.instanceProfile, recorded.instances ?? {}, options.replaceProfiles ?? false);
  push(...attachments.steps);
  problems.push(...attachments.problems);
  const tagged = tagStep(
    live.filter((candidate) => !attachments.keeping.includes(candidate.id)),
    answers.tagGroups,
  );
  push(...tagged.steps);
  problems.push(...tagged.problems);

  // Auto Scaling groups: do their new and current instances get an instance profile?
  for (const asg of observed.autoScalingGroups) {
    const launch = observed.launches[asg.name];
    if (launch) warnings.push(...launchWarnings(asg, launch.profile, launch.members, answers.instanceProfile, region));
  }

  // The revision bucket.
  const bucket = planBucket(answers.bucket, region, observed.bucket);
  push(bucket.step);
  problems.push(...bucket.problems);
  warnings.push(...bucket.warnings);

  // Application and deployment group.
  const applicationOwned = observed.application ? isOurs(observed.applicationTags, recorded.application, answers.app) : true;
  const application = planApplication(answers.app, observed.application, applicationOwned);
  push(application.step);
  problems.push(...application.problems);
  const tgName = settings.targetGroup === undefined ? undefined : targetGroupName(settings.targetGroup);
  const spec = groupSpec(answers.app, answers.group, { tagGroups: answers.tagGroups, asg: answers.asg }, settings, serviceRoleArn, tgName);
  const groupOwned = group ? isOurs(observed.deploymentGroupTags, recorded.deploymentGroup, answers.group) : true;
  push(planDeploymentGroup(spec, settings, group, groupOwned));

  // GitHub Actions with OIDC (when asked): the identity provider, the deploy role and its policy.
  const github = planGithub({ answers, observed: observed.github, recorded, where: { partition, region, account }, deploymentConfig: settings.deploymentConfig });
  push(...github.steps);
  problems.push(...github.problems);

  const matched = [...new Set([...observed.tagMatches, ...live.filter((one) => !attachments.keeping.includes(one.id)).map((one) => one.id)])].sort();
  if (matched.length === 0 && answers.asg.length === 0) {
    warnings.push({
      message: `No instance carries ${describeTagGroups(answers.tagGroups)} yet, so the deployment group matches nothing.`,
      hint: 'Tag your instances, or run setup again with --instances to have them tagged.',
    });
  }

  return {
    region,
    account,
    partition,
    caller,
    answers,
    settings,
    steps,
    problems,
    warnings,
    arns: { serviceRole: serviceRoleArn, instanceRole: instanceRoleArn, instanceProfile: profileArn, ...(github.deployRoleArn === undefined ? {} : { deployRole: github.deployRoleArn }) },
    targets: {
      instances: matched,
      autoScalingGroups: observed.autoScalingGroups.map((asg) => asg.name),
      launches: Object.fromEntries(observed.autoScalingGroups.map((asg) => [asg.name, asgLaunchOf(asg)])),
    },
    keeping: attachments.keeping,
  };
}

export function hasNothingToChange(plan: SetupPlan): boolean {
  return changesOf(plan.steps).length === 0;
}

/**
 * The plan without the changes the user declined just now: instances whose profile replacement or retagging was
 * declined keep what they have, are not tagged into the group, and the answers file remembers a declined profile
 * replacement (the next run does not ask again).
 */
export function withoutDeclined(plan: SetupPlan, declined: { profiles: readonly string[]; retags: readonly string[] }): SetupPlan {
  const out = [...declined.profiles, ...declined.retags];
  if (out.length === 0) return plan;
  const steps = plan.steps.flatMap((one): Step[] => {
    if (one.confirm === 'retag' && one.instances.every((id) => declined.retags.includes(id))) return [];
    if (one.op.type !== 'tag-instances' || one.confirm === 'retag') return [one];
    const batches = one.op.batches.map((batch) => ({ ...batch, instanceIds: batch.instanceIds.filter((id) => !declined.profiles.includes(id)) })).filter((batch) => batch.instanceIds.length > 0);
    if (batches.length === 0) return [];
    return [{ ...one, instances: one.instances.filter((id) => !declined.profiles.includes(id)), op: { type: 'tag-instances', batches } }];
  });
  return { ...plan, steps, keeping: [...plan.keeping, ...declined.profiles], targets: { ...plan.targets, instances: plan.targets.instances.filter((id) => !out.includes(id)) } };
}
