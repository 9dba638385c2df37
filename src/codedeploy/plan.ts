import { nameOfArn } from '../aws/arn.js';
import type {
  AutoScalingGroupInfo,
  AwsPorts,
  BucketLocation,
  CallerIdentity,
  CodeDeployApplication,
  CodeDeployDeploymentGroup,
  Ec2Instance,
  IamInstanceProfile,
  LaunchProfile,
  ProfileAssociation,
} from '../aws/ports/index.js';
import { settingsFor, type GroupSettings, type SetupAnswers } from './answers.js';
import { INLINE_POLICY_NAMES, codeDeployRolePolicyArn, deploymentGroupArn, instanceProfileArn, roleArn, ssmCorePolicyArn } from './names.js';
import { bucketsGranted, launchTemplatePolicy, revisionReadPolicy } from './permissions.js';
import { asgLaunchOf, launchWarnings, type AsgLaunch } from './resources/auto-scaling.js';
import { planBucket } from './resources/bucket.js';
import { observeGithub, planGithub, type ObservedGithub } from './resources/github.js';
import { groupSpec, planApplication, planDeploymentGroup } from './resources/group.js';
import { planAttachments, planInstanceProfile, tagStep, type Issue } from './resources/instances.js';
import { inlinePolicyStep, managedPolicyStep, observeRole, planRole, type ObservedRole } from './resources/roles.js';
import { isOurs, type SetupState } from './state.js';
import { changesOf, type Step } from './steps.js';
import { describeTagGroups, matchesTagGroups } from './tags.js';
import { targetGroupName, isPredefinedDeploymentConfig } from './validate.js';

/**
 * Setup's plan: observe everything the answers name (concurrently), then compare it with what they want, resource
 * by resource, as an ordered list of steps. computePlan is pure; a plan whose steps make no calls is "nothing to
 * change". Problems stop setup before any change; warnings are shown with the plan.
 */

export interface Observation {
  identity: CallerIdentity;
  /** The service role the plan uses (the answer, the existing group's, or the default). */
  serviceRoleName: string;
  serviceRole?: ObservedRole;
  instanceRole?: ObservedRole;
  instanceProfile?: IamInstanceProfile;
  /** Instances named with --instances plus those the tags select now. */
  instances: Ec2Instance[];
  missingInstances: string[];
  associations: ProfileAssociation[];
  autoScalingGroups: AutoScalingGroupInfo[];
  missingAutoScalingGroups: string[];
  /** Per Auto Scaling group: the instance profile its launch settings give, and its current members. */
  launches: Record<string, { profile: LaunchProfile; members: Ec2Instance[] }>;
  application?: CodeDeployApplication;
  deploymentGroup?: CodeDeployDeploymentGroup;
  /** The existing deployment group's tags (ownership). */
  deploymentGroupTags: Record<string, string>;
  bucket: BucketLocation;
  /** Instances the tag groups match today (before setup tags anything). */
  tagMatches: string[];
  /** false when a custom deployment configuration the answers name does not exist. */
  deploymentConfigExists: boolean;
  /** GitHub Actions' OIDC provider and deploy role (only when the answers name a repository). */
  github?: ObservedGithub;
}

/** Instances a tag selection matches now, read in at most two calls and matched by the one rule (tags.ts). */
export async function instancesSelected(ports: AwsPorts, groups: readonly (readonly { key: string; value?: string }[])[]): Promise<Ec2Instance[]> {
  const tags = groups.flat();
  if (tags.length === 0) return [];
  const keys = [...new Set(tags.filter((tag) => tag.key !== '').map((tag) => tag.key))];
  const values = [...new Set(tags.filter((tag) => tag.key === '' && tag.value !== undefined).map((tag) => tag.value as string))];
  const candidates = await ports.ec2.instancesWithTags(keys, values);
  return candidates.filter((instance) => matchesTagGroups(groups, instance.tags));
}

async function observeLaunches(ports: AwsPorts, groups: readonly AutoScalingGroupInfo[]): Promise<Observation['launches']> {
  const entries = await Promise.all(
    groups.map(async (group) => {
      const launch = asgLaunchOf(group);
      const [profile, members] = await Promise.all([
        launch.kind === 'launch-template' && launch.name
          ? ports.ec2.launchTemplateProfile(launch.name)
          : launch.kind === 'launch-configuration' && launch.name
            ? ports.autoScaling.launchConfigurationProfile(launch.name)
            : Promise.resolve<LaunchProfile>({ status: 'unknown', reason: 'the group names no launch template or configuration' }),
        ports.ec2.describeInstances(group.instanceIds).then((out) => out.found),
      ]);
      return [group.name, { profile, members }] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/**
 * Every read setup needs, concurrently, in as few round trips as the reads allow: who we are, the group (whose
 * settings an answer may leave to it), the roles, the profile, the instances, the Auto Scaling groups, the
 * application and the bucket all go out at once; what needs an answer waits only for that one (a role's policies
 * for the role, the group's tags for the group and the account). A failure to say who we are is the one error
 * reported (it explains every other failure). The group's own service role is read afterwards only when it is not
 * the one read.
 */
export async function observe(answers: SetupAnswers, ports: AwsPorts): Promise<Observation> {
  const identityRead = ports.identity.whoAmI();
  const guessedRole = answers.serviceRole ?? 'CodeDeployServiceRole';
  const config = answers.deploymentConfig;
  const targets = (async () => {
    const [selected, named] = await Promise.all([instancesSelected(ports, answers.tagGroups), ports.ec2.describeInstances(answers.instances)]);
    const instances = [...new Map([...named.found, ...selected].map((instance) => [instance.id, instance])).values()];
    // Association ids are needed only to replace a profile: read them for instances with another profile.
    const other = instances.filter((instance) => instance.profileArn !== undefined && nameOfArn(instance.profileArn) !== answers.instanceProfile).map((instance) => instance.id);
    const associations = await ports.ec2.getProfileAssociations(other);
    return { instances, missing: named.missing, associations, tagMatches: selected.map((instance) => instance.id).sort() };
  })();
  const asgs = (async () => {
    const groups = await ports.autoScaling.describeGroups(answers.asg);
    return { ...groups, launches: await observeLaunches(ports, groups.found) };
  })();
  const groupRead = ports.codeDeploy.getDeploymentGroup(answers.app, answers.group);
  // Ownership tags matter only for a group that exists; its ARN needs the account.
  const groupTags = (async () => {
    const [identity, existing] = await Promise.all([identityRead, groupRead]);
    if (existing === undefined) return {};
    return ports.codeDeploy.tagsOf(deploymentGroupArn({ partition: identity.partition, region: answers.region, account: identity.account }, answers.app, answers.group));
  })();
  const github = observeGithub(ports, answers);
  const reads = Promise.all([
    observeRole(ports, guessedRole, [INLINE_POLICY_NAMES.launchTemplate]),
    observeRole(ports, answers.instanceRole, [INLINE_POLICY_NAMES.revisionRead]),
    ports.iam.getInstanceProfile(answers.instanceProfile),
    targets,
    asgs,
    ports.codeDeploy.getApplication(answers.app),
    groupRead,
    groupTags,
    ports.s3.bucketLocation(answers.bucket),
    config === undefined || isPredefinedDeploymentConfig(config) ? Promise.resolve(true) : ports.codeDeploy.deploymentConfigExists(config),
    github,
  ]);
  // Settled quietly: when the identity fails, its error is the one thrown, and the others' must not go unhandled.
  reads.catch(() => undefined);
  const identity = await identityRead;
  const [serviceRole, instanceRole, instanceProfile, found, groups, application, deploymentGroup, groupTagsFound, bucket, configExists, githubObserved] = await reads;
  // Adopting an existing group's role: read that role instead when it is not the one guessed.
  const groupRole = deploymentGroup?.serviceRoleArn ? nameOfArn(deploymentGroup.serviceRoleArn) : undefined;
  const serviceRoleName = answers.serviceRole ?? groupRole ?? guessedRole;
  const role = serviceRoleName === guessedRole ? serviceRole : await observeRole(ports, serviceRoleName, [INLINE_POLICY_NAMES.launchTemplate]);
  return {
    ...(githubObserved === undefined ? {} : { github: githubObserved }),
    identity,
    serviceRoleName,
    ...(role === undefined ? {} : { serviceRole: role }),
    ...(instanceRole === undefined ? {} : { instanceRole }),
    ...(instanceProfile === undefined ? {} : { instanceProfile }),
    instances: found.instances,
    missingInstances: found.missing,
    associations: found.associations,
    autoScalingGroups: groups.found,
    missingAutoScalingGroups: groups.missing,
    launches: groups.launches,
    ...(application === undefined ? {} : { application }),
    ...(deploymentGroup === undefined ? {} : { deploymentGroup }),
    deploymentGroupTags: groupTagsFound,
    bucket,
    tagMatches: found.tagMatches,
    deploymentConfigExists: configExists,
  };
}

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
  const application = planApplication(answers.app, observed.application);
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
