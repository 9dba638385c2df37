/**
 * Names and ARNs of what cd-wizard creates or reads, partition-aware. Every command builds them here, so a
 * role ARN in setup's plan, fix's check, teardown and export is spelled one way.
 */

/** The tag on everything cd-wizard creates; with the answers file's record it makes a resource "ours". */
export const MANAGED_BY_TAG = { ManagedBy: 'cd-wizard' } as const;

export const DEFAULT_NAMES = {
  serviceRole: 'CodeDeployServiceRole',
  instanceRole: 'CodeDeployInstanceRole',
  instanceProfile: 'CodeDeployInstanceProfile',
} as const;

/** Inline policies cd-wizard writes, by purpose. */
export const INLINE_POLICY_NAMES = {
  revisionRead: 'cd-wizard-revision-read',
  launchTemplate: 'cd-wizard-launch-template',
  deploy: 'cd-wizard-deploy',
} as const;

/** The AWS managed policy an EC2/on-premises service role needs (note the service-role/ path). */
export const CODEDEPLOY_ROLE_POLICY = 'AWSCodeDeployRole';

export function codeDeployRolePolicyArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/service-role/${CODEDEPLOY_ROLE_POLICY}`;
}

export function ssmCorePolicyArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`;
}

/** The regional bucket with the agent installer and updates (aws-codedeploy-<region>). */
export function resourceKitBucket(region: string): string {
  return `aws-codedeploy-${region}`;
}

export function roleArn(partition: string, account: string, name: string, path = '/'): string {
  return `arn:${partition}:iam::${account}:role${path}${name}`;
}

export function instanceProfileArn(partition: string, account: string, name: string, path = '/'): string {
  return `arn:${partition}:iam::${account}:instance-profile${path}${name}`;
}

export function deploymentGroupArn(where: { partition: string; region: string; account: string }, application: string, group: string): string {
  return `arn:${where.partition}:codedeploy:${where.region}:${where.account}:deploymentgroup:${application}/${group}`;
}

export function applicationArn(where: { partition: string; region: string; account: string }, application: string): string {
  return `arn:${where.partition}:codedeploy:${where.region}:${where.account}:application:${application}`;
}

export function deploymentConfigArn(where: { partition: string; region: string; account: string }, config: string): string {
  return `arn:${where.partition}:codedeploy:${where.region}:${where.account}:deploymentconfig:${config}`;
}

/**
 * The S3 prefix revisions of an application are uploaded under (s3://BUCKET/APP/…): the deploy role may write only
 * there, and `deploy` and the GitHub Actions workflow `init` writes put their bundles there.
 */
export function revisionPrefix(application: string): string {
  return `${application}/`;
}

/** GitHub Actions' OIDC issuer and the audience AWS's credentials action asks for. */
export const GITHUB_OIDC = {
  host: 'token.actions.githubusercontent.com',
  url: 'https://token.actions.githubusercontent.com',
  audience: 'sts.amazonaws.com',
} as const;

export function oidcProviderArn(partition: string, account: string, host: string): string {
  return `arn:${partition}:iam::${account}:oidc-provider/${host}`;
}

/**
 * The default name of the role GitHub Actions deploys with: cd-wizard-deploy-<app>, cut to IAM's 64 characters (an
 * application name may have 100; its characters are all allowed in role names).
 */
export function defaultDeployRoleName(application: string): string {
  return `cd-wizard-deploy-${application}`.slice(0, 64);
}

export function isManagedByCdWizard(tags: Readonly<Record<string, string>>): boolean {
  return tags.ManagedBy === MANAGED_BY_TAG.ManagedBy;
}
