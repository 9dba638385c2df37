import { unknownRegionProblem } from '../aws/regions.js';
import type { TargetTag } from '../aws/types.js';

/**
 * Name rules, checked before any AWS call. Each check returns the problem in words (undefined when fine);
 * validateAnswers runs them all and returns every problem at once, never just the first.
 * Limits: IAM from the API model (role 1–64, profile 1–128, [\w+=,.@-]); CodeDeploy application and
 * deployment-group names 1–100 of [A-Za-z0-9._+=,@-]; tags ≤128/≤256; S3 bucket naming rules.
 */

/** One problem with one answer. `field` is the key in cd-wizard.json, `flag` the command-line flag. */
export interface Problem {
  field: string;
  flag: string;
  message: string;
}

export type AnswerField =
  | 'region'
  | 'app'
  | 'group'
  | 'serviceRole'
  | 'instanceRole'
  | 'instanceProfile'
  | 'bucket'
  | 'instances'
  | 'asg'
  | 'tagGroups'
  | 'deploymentConfig'
  | 'rollback'
  | 'targetGroup'
  | 'ssm'
  | 'githubRepo'
  | 'githubBranch'
  | 'githubEnvironment'
  | 'deployRole';

export const FLAG_OF: Readonly<Record<AnswerField, string>> = {
  region: '--region',
  app: '--app',
  group: '--group',
  serviceRole: '--service-role',
  instanceRole: '--instance-role',
  instanceProfile: '--instance-profile',
  bucket: '--bucket',
  instances: '--instances',
  asg: '--asg',
  tagGroups: '--tag',
  deploymentConfig: '--deployment-config',
  rollback: '--no-rollback',
  targetGroup: '--target-group',
  ssm: '--ssm',
  githubRepo: '--github-repo',
  githubBranch: '--github-branch',
  githubEnvironment: '--github-environment',
  deployRole: '--deploy-role',
};

export const DEPLOYMENT_CONFIGS = ['CodeDeployDefault.OneAtATime', 'CodeDeployDefault.HalfAtATime', 'CodeDeployDefault.AllAtOnce'] as const;
export type DeploymentConfig = (typeof DEPLOYMENT_CONFIGS)[number];

export const LIMITS = {
  roleName: 64,
  instanceProfileName: 128,
  codeDeployName: 100,
  tagKey: 128,
  tagValue: 256,
  tagGroups: 3,
  tagsPerGroup: 10,
  autoScalingGroups: 10,
  autoScalingGroupName: 255,
} as const;

const IAM_CHARS = /^[\w+=,.@-]+$/;
const CODEDEPLOY_CHARS = /^[A-Za-z0-9._+=,@-]+$/;

function badChars(value: string, allowed: RegExp): string {
  return [...new Set([...value].filter((ch) => !allowed.test(ch)))].map((ch) => (ch === ' ' ? 'space' : `"${ch}"`)).join(', ');
}

function iamName(what: string, value: string, max: number): string | undefined {
  if (value.length === 0) return `${what} is empty.`;
  if (value.length > max) return `${what} "${value}" is ${value.length} characters; IAM allows at most ${max}.`;
  if (!IAM_CHARS.test(value)) return `${what} "${value}" has characters IAM does not allow (${badChars(value, /[\w+=,.@-]/)}); use letters, digits and + = , . @ _ -.`;
  return undefined;
}

export const checkRoleName = (value: string) => iamName('Role name', value, LIMITS.roleName);
export const checkInstanceProfileName = (value: string) => iamName('Instance profile name', value, LIMITS.instanceProfileName);

export function checkCodeDeployName(what: 'Application name' | 'Deployment group name', value: string): string | undefined {
  if (value.length === 0) return `${what} is empty.`;
  if (value.length > LIMITS.codeDeployName) return `${what} "${value}" is ${value.length} characters; CodeDeploy allows at most ${LIMITS.codeDeployName}.`;
  if (!CODEDEPLOY_CHARS.test(value)) {
    return `${what} "${value}" has characters CodeDeploy does not allow (${badChars(value, /[A-Za-z0-9._+=,@-]/)}); use letters, digits and . _ + = , @ -.`;
  }
  return undefined;
}

export function checkTag(tag: TargetTag): string | undefined {
  if (tag.key.length === 0) return 'A tag key is empty.';
  if (tag.key.length > LIMITS.tagKey) return `Tag key "${tag.key.slice(0, 40)}…" is ${tag.key.length} characters; at most ${LIMITS.tagKey}.`;
  if (/^aws:/i.test(tag.key)) return `Tag key "${tag.key}" starts with "aws:", which AWS reserves for itself.`;
  if (tag.value !== undefined && tag.value.length > LIMITS.tagValue) return `The value of tag ${tag.key} is ${tag.value.length} characters; at most ${LIMITS.tagValue}.`;
  return undefined;
}

/** S3 general-purpose bucket naming rules. */
export function checkBucketName(value: string): string | undefined {
  const name = `Bucket name "${value}"`;
  if (value.startsWith('s3://')) return `${name}: give the bucket name only, without s3:// (e.g. ${value.slice(5).split('/')[0]}).`;
  if (value.length < 3 || value.length > 63) return `${name} must be 3 to 63 characters long.`;
  if (/[A-Z]/.test(value)) return `${name} has capital letters; bucket names are lowercase.`;
  if (!/^[a-z0-9.-]+$/.test(value)) return `${name} may only have lowercase letters, digits, dots and hyphens.`;
  if (!/^[a-z0-9]/.test(value) || !/[a-z0-9]$/.test(value)) return `${name} must start and end with a letter or a digit.`;
  if (value.includes('..')) return `${name} has two dots in a row.`;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(value)) return `${name} looks like an IP address, which S3 does not allow.`;
  for (const prefix of ['xn--', 'sthree-', 'amzn-s3-demo-']) if (value.startsWith(prefix)) return `${name} starts with "${prefix}", which S3 reserves.`;
  for (const suffix of ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3']) if (value.endsWith(suffix)) return `${name} ends with "${suffix}", which S3 reserves.`;
  return undefined;
}

export function checkInstanceId(value: string): string | undefined {
  return /^i-[0-9a-f]{8,17}$/.test(value) ? undefined : `"${value}" is not an EC2 instance id (they look like i-0123456789abcdef0).`;
}

export const checkRegionCode = unknownRegionProblem;

export function checkAutoScalingGroupName(value: string): string | undefined {
  if (value.length === 0) return 'An Auto Scaling group name is empty.';
  if (value.length > LIMITS.autoScalingGroupName) return `Auto Scaling group name "${value.slice(0, 40)}…" is longer than ${LIMITS.autoScalingGroupName} characters.`;
  if (value.startsWith('arn:')) return `Give the Auto Scaling group by name, not ARN (CodeDeploy matches groups by name).`;
  return undefined;
}

const TARGET_GROUP_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/([A-Za-z0-9-]{1,32})\/[0-9a-f]+$/;
const TARGET_GROUP_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

/** The target-group name CodeDeploy wants, from an ARN or a bare name. */
export function targetGroupName(value: string): string | undefined {
  const arn = TARGET_GROUP_ARN.exec(value);
  if (arn) return arn[1];
  return TARGET_GROUP_NAME.test(value) ? value : undefined;
}

export function checkTargetGroup(value: string): string | undefined {
  if (targetGroupName(value) !== undefined) return undefined;
  if (value.includes(':loadbalancer/')) return `"${value}" is a load balancer ARN; give the target group ARN (…:targetgroup/NAME/ID).`;
  return `"${value}" is not a target group ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID) or name (1–32 letters, digits, hyphens).`;
}

/**
 * A predefined configuration by its full name, or by OneAtATime / HalfAtATime / AllAtOnce in any case; any other
 * name is a custom configuration of the account (its existence is checked against AWS in the plan).
 */
export function normaliseDeploymentConfig(value: string): string {
  const wanted = value.toLowerCase().replace(/^codedeploydefault\./, '').replace(/[-_\s]/g, '');
  return DEPLOYMENT_CONFIGS.find((config) => config.toLowerCase() === `codedeploydefault.${wanted}`) ?? value.trim();
}

export function isPredefinedDeploymentConfig(name: string): name is DeploymentConfig {
  return (DEPLOYMENT_CONFIGS as readonly string[]).includes(name);
}

export function checkDeploymentConfig(value: string): string | undefined {
  const name = normaliseDeploymentConfig(value);
  if (isPredefinedDeploymentConfig(name)) return undefined;
  if (name.length === 0 || name.length > LIMITS.codeDeployName || !CODEDEPLOY_CHARS.test(name)) {
    return `Deployment config "${value}" is neither one of ${DEPLOYMENT_CONFIGS.join(', ')} nor a valid custom configuration name (1–100 of letters, digits and . _ + = , @ -).`;
  }
  return undefined;
}

/** A GitHub repository as OWNER/REPO (owner: letters, digits, hyphens, up to 39; name: letters, digits, . _ -). */
export function checkGithubRepo(value: string): string | undefined {
  const url = /^(?:https?:\/\/|git@)github\.com[/:]([^/]+\/[^/]+?)(?:\.git)?\/?$/.exec(value);
  if (url) return `Give the repository as OWNER/REPO (${url[1]}), not its URL.`;
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/.test(value) || /\/\.{1,2}$/.test(value)) {
    return `"${value}" is not a GitHub repository as OWNER/REPO (e.g. my-org/shop), spelt as on GitHub.`;
  }
  return undefined;
}

/** A branch name as git allows it, without wildcards (the trust policy matches it exactly). */
export function checkGitBranch(value: string): string | undefined {
  if (value.startsWith('refs/')) return `Give the branch name only (${value.replace(/^refs\/heads\//, '')}), not the ref "${value}".`;
  if (value.length === 0 || value.length > 255) return 'A branch name has 1 to 255 characters.';
  if (/[\s~^:?*[\\\x00-\x1f\x7f]/.test(value) || value.includes('..') || value.includes('@{') || value.includes('//') || /^[-/]|[/.]$|\.lock$/.test(value)) {
    return `"${value}" is not a branch name git allows (no spaces, ~ ^ : ? * [ \\, "..", or a leading "-").`;
  }
  return undefined;
}

/** A GitHub environment name (up to 255 characters), without wildcards (the trust policy matches it exactly). */
export function checkGithubEnvironment(value: string): string | undefined {
  if (value.trim().length === 0 || value.length > 255) return 'An environment name has 1 to 255 characters.';
  if (/[*?:\x00-\x1f\x7f]/.test(value)) return `Environment name "${value}" has a character that does not belong in one (* ? : or a control character).`;
  return undefined;
}

/** The answers being validated; any subset may be present. */
export interface AnswersToCheck {
  region?: string;
  app?: string;
  group?: string;
  serviceRole?: string;
  instanceRole?: string;
  instanceProfile?: string;
  bucket?: string;
  instances?: readonly string[];
  asg?: readonly string[];
  tagGroups?: ReadonlyArray<readonly TargetTag[]>;
  deploymentConfig?: string;
  targetGroup?: string;
  githubRepo?: string;
  githubBranch?: string;
  githubEnvironment?: string;
  deployRole?: string;
}

/** Every problem in the answers given (missing answers are not problems here; see missingAnswers). */
export function validateAnswers(answers: AnswersToCheck): Problem[] {
  const problems: Problem[] = [];
  const add = (field: AnswerField, message: string | undefined) => {
    if (message !== undefined) problems.push({ field, flag: FLAG_OF[field], message });
  };
  if (answers.region !== undefined) add('region', checkRegionCode(answers.region));
  if (answers.app !== undefined) add('app', checkCodeDeployName('Application name', answers.app));
  if (answers.group !== undefined) add('group', checkCodeDeployName('Deployment group name', answers.group));
  if (answers.serviceRole !== undefined) add('serviceRole', checkRoleName(answers.serviceRole));
  if (answers.instanceRole !== undefined) add('instanceRole', checkRoleName(answers.instanceRole));
  if (answers.instanceProfile !== undefined) add('instanceProfile', checkInstanceProfileName(answers.instanceProfile));
  if (answers.serviceRole !== undefined && answers.serviceRole === answers.instanceRole) {
    add('instanceRole', `The service role and the instance role are both "${answers.serviceRole}"; they need different names (CodeDeploy and EC2 trust different roles).`);
  }
  if (answers.bucket !== undefined) add('bucket', checkBucketName(answers.bucket));
  for (const id of answers.instances ?? []) add('instances', checkInstanceId(id));
  for (const name of answers.asg ?? []) add('asg', checkAutoScalingGroupName(name));
  if ((answers.asg?.length ?? 0) > LIMITS.autoScalingGroups) add('asg', `${answers.asg?.length} Auto Scaling groups given; a deployment group takes at most ${LIMITS.autoScalingGroups}.`);
  const groups = answers.tagGroups ?? [];
  if (groups.length > LIMITS.tagGroups) add('tagGroups', `${groups.length} tag groups given; CodeDeploy allows at most ${LIMITS.tagGroups} (each group is ANDed with the others).`);
  groups.forEach((group, index) => {
    if (group.length === 0) add('tagGroups', `Tag group ${index + 1} is empty.`);
    if (group.length > LIMITS.tagsPerGroup) add('tagGroups', `Tag group ${index + 1} has ${group.length} tags; at most ${LIMITS.tagsPerGroup}.`);
    for (const tag of group) add('tagGroups', checkTag(tag));
  });
  if (answers.deploymentConfig !== undefined) add('deploymentConfig', checkDeploymentConfig(answers.deploymentConfig));
  if (answers.targetGroup !== undefined) add('targetGroup', checkTargetGroup(answers.targetGroup));
  problems.push(...githubProblems(answers));
  return problems;
}

/** The GitHub Actions answers: a repository, and a branch or an environment (not both), and the deploy role's name. */
function githubProblems(answers: AnswersToCheck): Problem[] {
  const problems: Problem[] = [];
  const add = (field: AnswerField, message: string | undefined) => {
    if (message !== undefined) problems.push({ field, flag: FLAG_OF[field], message });
  };
  if (answers.githubRepo !== undefined) add('githubRepo', checkGithubRepo(answers.githubRepo));
  if (answers.githubBranch !== undefined) add('githubBranch', checkGitBranch(answers.githubBranch));
  if (answers.githubEnvironment !== undefined) add('githubEnvironment', checkGithubEnvironment(answers.githubEnvironment));
  if (answers.deployRole !== undefined) add('deployRole', checkRoleName(answers.deployRole));
  if (answers.githubBranch !== undefined && answers.githubEnvironment !== undefined) {
    add('githubEnvironment', 'Give a branch (--github-branch) or an environment (--github-environment), not both: a job that names an environment gets a token for the environment, not the branch.');
  }
  if (answers.githubRepo === undefined) {
    for (const field of ['githubBranch', 'githubEnvironment', 'deployRole'] as const) {
      if (answers[field] !== undefined) add(field, `${FLAG_OF[field]} needs --github-repo OWNER/REPO (the repository whose workflow deploys).`);
    }
  }
  if (answers.deployRole !== undefined && (answers.deployRole === answers.serviceRole || answers.deployRole === answers.instanceRole)) {
    add('deployRole', `The deploy role "${answers.deployRole}" has the name of the ${answers.deployRole === answers.serviceRole ? 'service' : 'instance'} role; it needs its own.`);
  }
  return problems;
}

/** Answers setup cannot do without, with the flag that gives each. */
export function missingAnswers(answers: AnswersToCheck): Problem[] {
  const problems: Problem[] = [];
  if (!answers.app) problems.push({ field: 'app', flag: '--app', message: 'the CodeDeploy application name' });
  if (!answers.group) problems.push({ field: 'group', flag: '--group', message: 'the deployment group name' });
  if (!answers.bucket) problems.push({ field: 'bucket', flag: '--bucket', message: 'the S3 bucket your revisions are uploaded to' });
  const targets = (answers.instances?.length ?? 0) + (answers.asg?.length ?? 0) + (answers.tagGroups?.length ?? 0);
  if (targets === 0) {
    problems.push({ field: 'instances', flag: '--instances, --tag or --asg', message: 'which instances to deploy to (instance ids, tags, or Auto Scaling groups)' });
  }
  return problems;
}
