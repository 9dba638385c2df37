import type { PolicyDocument } from '../aws/types.js';
import { asList, type PolicySpec } from './documents.js';
import { INLINE_POLICY_NAMES, applicationArn, deploymentConfigArn, deploymentGroupArn, resourceKitBucket, revisionPrefix } from './names.js';
import { servicePrincipal } from './trust.js';

/**
 * The permission documents cd-wizard writes, partition-aware, each with the one-line reason shown in the plan.
 * Least privilege: no `*` action anywhere; S3 access names the buckets; PassRole names one role.
 */

/**
 * Read-only S3 access for the agent: the revision bucket(s) and the regional agent bucket, nothing else.
 * `keptBuckets` are revision buckets an earlier run granted (a shared instance role serving several
 * applications), kept so that re-running setup for one application does not cut another off.
 */
export function revisionReadPolicy(input: { partition: string; region: string; bucket: string; keptBuckets?: readonly string[] }): PolicySpec {
  const kit = resourceKitBucket(input.region);
  const buckets = [...new Set([input.bucket, ...(input.keptBuckets ?? []), kit])];
  const s3 = (resource: string) => `arn:${input.partition}:s3:::${resource}`;
  const kept = (input.keptBuckets ?? []).filter((bucket) => bucket !== input.bucket && bucket !== kit);
  return {
    name: INLINE_POLICY_NAMES.revisionRead,
    why:
      `Lets the agent download revisions from ${input.bucket}${kept.length > 0 ? ` (and ${kept.join(', ')}, granted by an earlier run)` : ''} ` +
      `and its own installer and updates from ${kit}; read-only, nothing else.`,
    document: {
      Version: '2012-10-17',
      Statement: [
        { Sid: 'ReadRevisions', Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: buckets.map((bucket) => s3(`${bucket}/*`)) },
        // ListBucket turns a missing key into a clear 404 (NoSuchKey) instead of a misleading 403.
        { Sid: 'ListRevisionBuckets', Effect: 'Allow', Action: 's3:ListBucket', Resource: buckets.map((bucket) => s3(bucket)) },
      ],
    },
  };
}

/** Revision buckets a read policy grants s3:GetObject on, by exact bucket ARN (wildcards are not kept). */
export function bucketsGranted(document: PolicyDocument | undefined, region: string): string[] {
  if (!document) return [];
  const names = document.Statement.filter((statement) => statement.Effect === 'Allow' && asList(statement.Action).some((action) => action.toLowerCase() === 's3:getobject'))
    .flatMap((statement) => asList(statement.Resource))
    .map((resource) => /^arn:[a-z-]+:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/\*$/.exec(resource)?.[1])
    .filter((name): name is string => name !== undefined && name !== resourceKitBucket(region));
  return [...new Set(names)];
}

/**
 * For Auto Scaling groups with a launch template, CodeDeploy (blue/green and the launch hook) launches instances
 * from the template: it needs ec2:RunInstances, ec2:CreateTags only while launching (ec2:CreateAction =
 * RunInstances, so it cannot re-tag instances other deployment groups select) and iam:PassRole on the instance role.
 */
export function launchTemplatePolicy(input: { partition: string; region: string; account: string; instanceRoleArn: string }): PolicySpec {
  const ec2 = `arn:${input.partition}:ec2:${input.region}`;
  return {
    name: INLINE_POLICY_NAMES.launchTemplate,
    why: 'An Auto Scaling group with a launch template: CodeDeploy launches instances from it, tags them as they launch and passes them the instance role.',
    document: {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'LaunchFromTemplate',
          Effect: 'Allow',
          Action: 'ec2:RunInstances',
          // This account's resources in this region, plus public images and snapshots (no account in their ARN).
          Resource: [`${ec2}:${input.account}:*`, `${ec2}::image/*`, `${ec2}::snapshot/*`],
        },
        {
          Sid: 'TagAtLaunchOnly',
          Effect: 'Allow',
          Action: 'ec2:CreateTags',
          Resource: `${ec2}:${input.account}:*`,
          Condition: { StringEquals: { 'ec2:CreateAction': 'RunInstances' } },
        },
        {
          Sid: 'PassInstanceRole',
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: input.instanceRoleArn,
          Condition: { StringEquals: { 'iam:PassedToService': servicePrincipal('ec2', input.partition) } },
        },
      ],
    },
  };
}

/**
 * What GitHub Actions may do with the deploy role, and nothing more: upload bundles under the application's
 * revision prefix, register them, start and follow deployments of this one group. CreateDeployment also needs
 * GetDeploymentConfig on the group's configuration (predefined ones are named with the account's own id) and
 * Register/GetApplicationRevision on the application. ListDeploymentTargets and BatchGetDeploymentTargets let the
 * workflow's `cd-wizard fix --wait` show each instance; they read the group's deployments only.
 */
export function githubDeployPolicy(input: { partition: string; region: string; account: string; bucket: string; application: string; group: string; deploymentConfig: string }): PolicySpec {
  const where = { partition: input.partition, region: input.region, account: input.account };
  const prefix = `arn:${input.partition}:s3:::${input.bucket}/${revisionPrefix(input.application)}*`;
  return {
    name: INLINE_POLICY_NAMES.deploy,
    why:
      `Lets the workflow upload bundles to s3://${input.bucket}/${revisionPrefix(input.application)} only, register them with ${input.application} ` +
      `and deploy to ${input.application}/${input.group}; no other bucket, application or group.`,
    document: {
      Version: '2012-10-17',
      Statement: [
        // Multipart uploads (aws deploy push above 6 MiB) are covered by s3:PutObject; aborting one is its own action.
        { Sid: 'UploadRevisions', Effect: 'Allow', Action: ['s3:PutObject', 's3:AbortMultipartUpload'], Resource: prefix },
        { Sid: 'RegisterRevisions', Effect: 'Allow', Action: ['codedeploy:RegisterApplicationRevision', 'codedeploy:GetApplicationRevision'], Resource: applicationArn(where, input.application) },
        {
          Sid: 'DeployToGroup',
          Effect: 'Allow',
          Action: ['codedeploy:CreateDeployment', 'codedeploy:GetDeployment', 'codedeploy:GetDeploymentGroup', 'codedeploy:ListDeploymentTargets', 'codedeploy:BatchGetDeploymentTargets'],
          Resource: deploymentGroupArn(where, input.application, input.group),
        },
        { Sid: 'ReadDeploymentConfig', Effect: 'Allow', Action: 'codedeploy:GetDeploymentConfig', Resource: deploymentConfigArn(where, input.deploymentConfig) },
      ],
    },
  };
}
