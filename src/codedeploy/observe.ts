import { nameOfArn } from '../aws/arn.js';
import type { AutoScalingGroupInfo, AwsPorts, BucketLocation, CallerIdentity, CodeDeployApplication, CodeDeployDeploymentGroup, Ec2Instance, IamInstanceProfile, LaunchProfile, ProfileAssociation } from '../aws/ports/index.js';
import { type SetupAnswers } from './answers.js';
import { INLINE_POLICY_NAMES, applicationArn, deploymentGroupArn } from './names.js';
import { asgLaunchOf } from './resources/auto-scaling.js';
import { observeGithub, type ObservedGithub } from './resources/github.js';
import { observeRole, type ObservedRole } from './resources/roles.js';
import { matchesTagGroups } from './tags.js';
import { isPredefinedDeploymentConfig } from './validate.js';

/**
 * What setup reads before it plans: everything the answers name, observed concurrently in as few round trips as
 * the reads allow (independent reads at once; a read that needs another's answer right after it). The plan
 * (plan.ts) is a pure function of this observation, so tests build one by hand (test/helpers/fixtures.ts).
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
  /** The existing application's tags (ownership). */
  applicationTags: Record<string, string>;
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
 * for the role, the application's and the group's tags for them and the account). A failure to say who we are is the one error
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
  const applicationRead = ports.codeDeploy.getApplication(answers.app);
  const groupRead = ports.codeDeploy.getDeploymentGroup(answers.app, answers.group);
  // Ownership tags matter only for what exists; the ARN needs the account.
  const tagsIfFound = async (read: Promise<unknown>, arnOf: (where: { partition: string; region: string; account: string }) => string) => {
    const [identity, existing] = await Promise.all([identityRead, read]);
    if (existing === undefined) return {};
    return ports.codeDeploy.tagsOf(arnOf({ partition: identity.partition, region: answers.region, account: identity.account }));
  };
  const applicationTags = tagsIfFound(applicationRead, (where) => applicationArn(where, answers.app));
  const groupTags = tagsIfFound(groupRead, (where) => deploymentGroupArn(where, answers.app, answers.group));
  const github = observeGithub(ports, answers);
  const reads = Promise.all([
    observeRole(ports, guessedRole, [INLINE_POLICY_NAMES.launchTemplate]),
    observeRole(ports, answers.instanceRole, [INLINE_POLICY_NAMES.revisionRead]),
    ports.iam.getInstanceProfile(answers.instanceProfile),
    targets,
    asgs,
    applicationRead,
    applicationTags,
    groupRead,
    groupTags,
    ports.s3.bucketLocation(answers.bucket),
    config === undefined || isPredefinedDeploymentConfig(config) ? Promise.resolve(true) : ports.codeDeploy.deploymentConfigExists(config),
    github,
  ]);
  // Settled quietly: when the identity fails, its error is the one thrown, and the others' must not go unhandled.
  reads.catch(() => undefined);
  const identity = await identityRead;
  const [serviceRole, instanceRole, instanceProfile, found, groups, application, applicationTagsFound, deploymentGroup, groupTagsFound, bucket, configExists, githubObserved] = await reads;
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
    applicationTags: applicationTagsFound,
    ...(deploymentGroup === undefined ? {} : { deploymentGroup }),
    deploymentGroupTags: groupTagsFound,
    bucket,
    tagMatches: found.tagMatches,
    deploymentConfigExists: configExists,
  };
}
