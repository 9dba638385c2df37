import type { AwsClients } from '../clients.js';
import { isAwsCode } from '../errors.js';
import { call, chunk, fromAwsTags, paginate, toAwsTags } from './call.js';
import { toInstance, type Ec2Instance } from './ec2.js';

/**
 * The calls only `cd-wizard teardown` makes, across services: the reads that tell whether something is still in use
 * and the deletes. Kept in their own port (like inspect.ts) so the setup ports stay as small as setup uses them.
 *
 * Every delete is idempotent: it answers `false` when the thing was already gone (an interrupted run, someone else),
 * `true` when this call removed it. Errors other than "it does not exist" are thrown (translated, see errors.ts).
 */

export interface S3ObjectSummary {
  key: string;
  size: number;
}

/** A launch hook CodeDeploy could not remove when its deployment group was deleted (DeleteDeploymentGroup's hooksNotCleanedUp). */
export interface LeftoverHooks {
  asg: string;
  hooks: string[];
}

export interface TeardownPort {
  /** Names of the role's inline policies (all pages). */
  listInlinePolicies(roleName: string): Promise<string[]>;
  /** Names of the instance profiles that hold the role. */
  profilesOfRole(roleName: string): Promise<string[]>;
  /** Instances (not terminated) that carry the instance profile now. */
  instancesUsingProfile(profileArn: string): Promise<Ec2Instance[]>;
  /** Deployment groups of the region ("app/group") whose service role is `roleArn`. */
  groupsUsingRole(roleArn: string): Promise<string[]>;
  /** The bucket's tags; {} without tags; undefined when the bucket does not exist. */
  bucketTags(bucket: string): Promise<Record<string, string> | undefined>;
  /** Every object of the bucket (all pages); [] when the bucket does not exist. */
  listObjects(bucket: string): Promise<S3ObjectSummary[]>;
  /** An object's user metadata (x-amz-meta-*, keys in lower case); undefined when it does not exist. */
  objectMetadata(bucket: string, key: string): Promise<Record<string, string> | undefined>;

  deleteDeploymentGroup(application: string, group: string): Promise<{ deleted: boolean; hooksNotCleanedUp: LeftoverHooks[] }>;
  deleteLifecycleHook(asg: string, hook: string): Promise<boolean>;
  deleteApplication(name: string): Promise<boolean>;
  disassociateProfile(associationId: string): Promise<boolean>;
  /** Deletes the tags only where they still have these values (EC2 DeleteTags with Key and Value). */
  deleteTags(instanceIds: readonly string[], tags: Record<string, string>): Promise<boolean>;
  detachPolicy(roleName: string, policyArn: string): Promise<boolean>;
  deleteInlinePolicy(roleName: string, policyName: string): Promise<boolean>;
  deleteInstanceProfile(name: string): Promise<boolean>;
  deleteRole(name: string): Promise<boolean>;
  deleteOidcProvider(arn: string): Promise<boolean>;
  /** Deletes the objects (1,000 per call); objects already gone count as deleted. */
  deleteObjects(bucket: string, keys: readonly string[]): Promise<boolean>;
  deleteBucket(bucket: string): Promise<boolean>;
}

/** Runs a delete; "does not exist" (any of `gone`) answers false. */
async function removal(run: () => Promise<unknown>, ...gone: string[]): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (error) {
    if (isAwsCode(error, ...gone)) return false;
    throw error;
  }
}

/** S3 DeleteObjects takes at most 1,000 keys. */
const DELETE_BATCH = 1000;

export function createTeardownPort(clients: AwsClients): TeardownPort {
  const iam = async <T>(operation: string, send: (h: Awaited<ReturnType<AwsClients['iam']>>) => Promise<T>) => {
    const h = await clients.iam();
    return call(h.target, { service: 'IAM', operation }, () => send(h));
  };
  const ec2 = async <T>(operation: string, send: (h: Awaited<ReturnType<AwsClients['ec2']>>) => Promise<T>) => {
    const h = await clients.ec2();
    return call(h.target, { service: 'EC2', operation }, () => send(h));
  };
  const codeDeploy = async <T>(operation: string, send: (h: Awaited<ReturnType<AwsClients['codeDeploy']>>) => Promise<T>) => {
    const h = await clients.codeDeploy();
    return call(h.target, { service: 'CodeDeploy', operation }, () => send(h));
  };
  const s3 = async <T>(operation: string, send: (h: Awaited<ReturnType<AwsClients['s3']>>) => Promise<T>) => {
    const h = await clients.s3();
    return call(h.target, { service: 'S3', operation }, () => send(h));
  };

  const port: TeardownPort = {
    async listInlinePolicies(roleName) {
      return paginate(
        (marker) => iam('ListRolePolicies', (h) => h.client.send(new h.sdk.ListRolePoliciesCommand({ RoleName: roleName, ...(marker === undefined ? {} : { Marker: marker }) }))),
        (page) => page.PolicyNames ?? [],
        (page) => (page.IsTruncated ? page.Marker : undefined),
      );
    },

    async profilesOfRole(roleName) {
      const profiles = await paginate(
        (marker) =>
          iam('ListInstanceProfilesForRole', (h) => h.client.send(new h.sdk.ListInstanceProfilesForRoleCommand({ RoleName: roleName, ...(marker === undefined ? {} : { Marker: marker }) }))),
        (page) => page.InstanceProfiles ?? [],
        (page) => (page.IsTruncated ? page.Marker : undefined),
      );
      return profiles.flatMap((profile) => (profile.InstanceProfileName ? [profile.InstanceProfileName] : []));
    },

    async instancesUsingProfile(profileArn) {
      const reservations = await paginate(
        (token) =>
          ec2('DescribeInstances', (h) =>
            h.client.send(
              new h.sdk.DescribeInstancesCommand({
                Filters: [
                  { Name: 'iam-instance-profile.arn', Values: [profileArn] },
                  { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
                ],
                MaxResults: 1000,
                ...(token === undefined ? {} : { NextToken: token }),
              }),
            ),
          ),
        (page) => page.Reservations ?? [],
        (page) => page.NextToken,
      );
      return reservations.flatMap((reservation) => (reservation.Instances ?? []).map(toInstance));
    },

    async groupsUsingRole(roleArn) {
      const applications = await paginate(
        (token) => codeDeploy('ListApplications', (h) => h.client.send(new h.sdk.ListApplicationsCommand(token === undefined ? {} : { nextToken: token }))),
        (page) => page.applications ?? [],
        (page) => page.nextToken,
      );
      const perApplication = await Promise.all(
        applications.map(async (application) => {
          const names = await paginate(
            (token) =>
              codeDeploy('ListDeploymentGroups', (h) => h.client.send(new h.sdk.ListDeploymentGroupsCommand({ applicationName: application, ...(token === undefined ? {} : { nextToken: token }) }))),
            (page) => page.deploymentGroups ?? [],
            (page) => page.nextToken,
          );
          // BatchGetDeploymentGroups takes up to 100 names.
          const batches = await Promise.all(
            chunk(names, 100).map((part) =>
              codeDeploy('BatchGetDeploymentGroups', (h) => h.client.send(new h.sdk.BatchGetDeploymentGroupsCommand({ applicationName: application, deploymentGroupNames: part }))),
            ),
          );
          return batches.flatMap((batch) => batch.deploymentGroupsInfo ?? []).filter((info) => info.serviceRoleArn === roleArn).map((info) => `${application}/${info.deploymentGroupName ?? ''}`);
        }),
      );
      return perApplication.flat();
    },

    async bucketTags(bucket) {
      try {
        const out = await s3('GetBucketTagging', (h) => h.client.send(new h.sdk.GetBucketTaggingCommand({ Bucket: bucket })));
        return fromAwsTags(out.TagSet);
      } catch (error) {
        if (isAwsCode(error, 'NoSuchTagSet')) return {};
        if (isAwsCode(error, 'NoSuchBucket')) return undefined;
        throw error;
      }
    },

    async listObjects(bucket) {
      try {
        const objects = await paginate(
          (token) => s3('ListObjectsV2', (h) => h.client.send(new h.sdk.ListObjectsV2Command({ Bucket: bucket, ...(token === undefined ? {} : { ContinuationToken: token }) }))),
          (page) => page.Contents ?? [],
          (page) => (page.IsTruncated ? page.NextContinuationToken : undefined),
        );
        return objects.flatMap((object) => (object.Key === undefined ? [] : [{ key: object.Key, size: object.Size ?? 0 }]));
      } catch (error) {
        if (isAwsCode(error, 'NoSuchBucket')) return [];
        throw error;
      }
    },

    async objectMetadata(bucket, key) {
      try {
        const out = await s3('HeadObject', (h) => h.client.send(new h.sdk.HeadObjectCommand({ Bucket: bucket, Key: key })));
        return Object.fromEntries(Object.entries(out.Metadata ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
      } catch (error) {
        if (isAwsCode(error, 'NotFound', 'NoSuchKey', 'NoSuchBucket')) return undefined;
        throw error;
      }
    },

    async deleteDeploymentGroup(application, group) {
      try {
        const out = await codeDeploy('DeleteDeploymentGroup', (h) => h.client.send(new h.sdk.DeleteDeploymentGroupCommand({ applicationName: application, deploymentGroupName: group })));
        const hooksNotCleanedUp = (out.hooksNotCleanedUp ?? []).flatMap((left) =>
          left.name ? [{ asg: left.name, hooks: [left.hook, left.terminationHook].filter((hook): hook is string => typeof hook === 'string' && hook !== '') }] : [],
        );
        return { deleted: true, hooksNotCleanedUp };
      } catch (error) {
        if (isAwsCode(error, 'DeploymentGroupDoesNotExistException', 'ApplicationDoesNotExistException')) return { deleted: false, hooksNotCleanedUp: [] };
        throw error;
      }
    },

    async deleteLifecycleHook(asg, hook) {
      const h = await clients.autoScaling();
      try {
        await call(h.target, { service: 'AutoScaling', operation: 'DeleteLifecycleHook' }, () =>
          h.client.send(new h.sdk.DeleteLifecycleHookCommand({ AutoScalingGroupName: asg, LifecycleHookName: hook })),
        );
        return true;
      } catch (error) {
        // Auto Scaling answers a missing hook (or group) with a ValidationError: gone, if a fresh look agrees.
        if (!isAwsCode(error, 'ValidationError')) throw error;
        const out = await call(h.target, { service: 'AutoScaling', operation: 'DescribeLifecycleHooks' }, () =>
          h.client.send(new h.sdk.DescribeLifecycleHooksCommand({ AutoScalingGroupName: asg, LifecycleHookNames: [hook] })),
        ).catch((again: unknown) => {
          if (isAwsCode(again, 'ValidationError')) return { LifecycleHooks: [] };
          throw again;
        });
        if ((out.LifecycleHooks ?? []).length === 0) return false;
        throw error;
      }
    },

    deleteApplication: (name) =>
      removal(() => codeDeploy('DeleteApplication', (h) => h.client.send(new h.sdk.DeleteApplicationCommand({ applicationName: name }))), 'ApplicationDoesNotExistException'),

    disassociateProfile: (associationId) =>
      removal(
        () => ec2('DisassociateIamInstanceProfile', (h) => h.client.send(new h.sdk.DisassociateIamInstanceProfileCommand({ AssociationId: associationId }))),
        'InvalidAssociationID.NotFound',
      ),

    async deleteTags(instanceIds, tags) {
      if (instanceIds.length === 0 || Object.keys(tags).length === 0) return false;
      return removal(
        () => ec2('DeleteTags', (h) => h.client.send(new h.sdk.DeleteTagsCommand({ Resources: [...instanceIds], Tags: toAwsTags(tags) }))),
        'InvalidInstanceID.NotFound',
      );
    },

    detachPolicy: (roleName, policyArn) =>
      removal(() => iam('DetachRolePolicy', (h) => h.client.send(new h.sdk.DetachRolePolicyCommand({ RoleName: roleName, PolicyArn: policyArn }))), 'NoSuchEntity'),

    deleteInlinePolicy: (roleName, policyName) =>
      removal(() => iam('DeleteRolePolicy', (h) => h.client.send(new h.sdk.DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: policyName }))), 'NoSuchEntity'),

    deleteInstanceProfile: (name) =>
      removal(() => iam('DeleteInstanceProfile', (h) => h.client.send(new h.sdk.DeleteInstanceProfileCommand({ InstanceProfileName: name }))), 'NoSuchEntity'),

    deleteRole: (name) => removal(() => iam('DeleteRole', (h) => h.client.send(new h.sdk.DeleteRoleCommand({ RoleName: name }))), 'NoSuchEntity'),

    deleteOidcProvider: (arn) =>
      removal(() => iam('DeleteOpenIDConnectProvider', (h) => h.client.send(new h.sdk.DeleteOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: arn }))), 'NoSuchEntity'),

    async deleteObjects(bucket, keys) {
      let deleted = false;
      for (const part of chunk(keys, DELETE_BATCH)) {
        const out = await s3('DeleteObjects', (h) =>
          h.client.send(new h.sdk.DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: part.map((key) => ({ Key: key })), Quiet: true } })),
        ).catch((error: unknown) => {
          if (isAwsCode(error, 'NoSuchBucket')) return undefined;
          throw error;
        });
        if (out === undefined) return deleted;
        const failed = (out.Errors ?? []).filter((entry) => entry.Code !== 'NoSuchKey');
        if (failed.length > 0) {
          const first = failed[0];
          throw new Error(`S3 did not delete ${failed.length} object${failed.length === 1 ? '' : 's'} of ${bucket} (${first?.Key ?? '?'}: ${first?.Code ?? '?'} ${first?.Message ?? ''})`.trim());
        }
        deleted = true;
      }
      return deleted;
    },

    deleteBucket: (bucket) => removal(() => s3('DeleteBucket', (h) => h.client.send(new h.sdk.DeleteBucketCommand({ Bucket: bucket }))), 'NoSuchBucket'),
  };
  return port;
}
