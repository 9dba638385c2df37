/**
 * Teardown steps of the contract scenario, run after the others: the reads teardown makes to find what setup left,
 * and the deletions, twice each, because teardown takes a resource that is already gone as done (by its error
 * code, src/aws/ports/teardown.ts). Also the "nothing there" answers fix and teardown rely on.
 *
 * Left out: moto 5 does not serve CodeDeploy's BatchGetDeploymentGroups, DeleteDeploymentGroup or
 * DeleteApplication (it answers 500 with an HTML page). For DescribeLifecycleHooks of an unknown group the fake
 * answers 400 ValidationError and moto an empty list; the Auto Scaling API reference lists neither, so nothing
 * decides, and teardown takes both as "the hook is gone".
 */
import { DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { DeleteTagsCommand, DescribeIamInstanceProfileAssociationsCommand, DisassociateIamInstanceProfileCommand } from '@aws-sdk/client-ec2';
import {
  DeleteInstanceProfileCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolePoliciesCommand,
  RemoveRoleFromInstanceProfileCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, GetBucketTaggingCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { tagsOf } from './outcome.js';
import { failing, step, type Clients, type Step, type World } from './scenario.js';
import { ASSOCIATION_OMITS, BUCKET } from './steps-ec2-s3.js';
import { CODEDEPLOY_ROLE_POLICY, INSTANCE_ROLE, PROFILE, SERVICE_ROLE } from './steps-iam.js';

const KEY = 'web/release.zip';
/** In us-east-1, as the clients are: a bucket in another region would first answer with a redirect. */
const UNTAGGED_BUCKET = 'contract-untagged';
const REVISION_READ = 'cd-wizard-revision-read';

/** Disassociates the first instance's profile, found afresh (each server makes its own association id). */
async function disassociate(c: Clients, w: World) {
  const out = await c.ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [w.instances[0]] }] }));
  const id = out.IamInstanceProfileAssociations?.[0]?.AssociationId ?? 'iip-assoc-0000000000000000a';
  return c.ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: id }));
}

export const TEARDOWN_STEPS: readonly Step[] = [
  step('S3 CreateBucket without tags', (c) => c.s3.send(new CreateBucketCommand({ Bucket: UNTAGGED_BUCKET }))),
  failing('S3 GetBucketTagging of an untagged bucket → NoSuchTagSet', (c) => c.s3.send(new GetBucketTaggingCommand({ Bucket: UNTAGGED_BUCKET }))),
  step('S3 DeleteBucket (untagged)', (c) => c.s3.send(new DeleteBucketCommand({ Bucket: UNTAGGED_BUCKET }))),
  failing('S3 HeadObject of a missing key → NotFound', (c) => c.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: KEY }))),
  step('S3 PutObject', (c) => c.s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: 'PK\u0005\u0006'.padEnd(22, '\u0000') })), { view: (out) => ({ etag: out.ETag }) }),
  step('S3 HeadObject', (c) => c.s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: KEY })), { view: (out) => ({ size: out.ContentLength, etag: out.ETag }) }),
  step('S3 ListObjectsV2', (c) => c.s3.send(new ListObjectsV2Command({ Bucket: BUCKET })), {
    view: (out) => ({ keys: (out.Contents ?? []).map((object) => object.Key), truncated: out.IsTruncated }),
  }),
  step('S3 DeleteObjects', (c) => c.s3.send(new DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects: [{ Key: KEY }], Quiet: true } })), {
    view: (out) => ({ errors: out.Errors ?? [] }),
  }),
  step('S3 DeleteBucket', (c) => c.s3.send(new DeleteBucketCommand({ Bucket: BUCKET }))),
  failing('S3 DeleteBucket of a missing bucket → NoSuchBucket', (c) => c.s3.send(new DeleteBucketCommand({ Bucket: BUCKET }))),
  failing('S3 GetBucketTagging of a missing bucket → NoSuchBucket', (c) => c.s3.send(new GetBucketTaggingCommand({ Bucket: BUCKET }))),

  step('EC2 DisassociateIamInstanceProfile', disassociate, {
    view: (out) => ({ instance: out.IamInstanceProfileAssociation?.InstanceId, state: out.IamInstanceProfileAssociation?.State }),
    motoOmits: ASSOCIATION_OMITS,
  }),
  failing('EC2 DisassociateIamInstanceProfile of an unknown association → InvalidAssociationID.NotFound', (c) =>
    c.ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: 'iip-assoc-0000000000000000a' })),
  ),
  step('EC2 DeleteTags', (c, w) => c.ec2.send(new DeleteTagsCommand({ Resources: [...w.instances], Tags: [{ Key: 'Env', Value: 'prod' }] }))),

  step('IAM ListRolePolicies', (c) => c.iam.send(new ListRolePoliciesCommand({ RoleName: INSTANCE_ROLE })), { view: (out) => ({ names: out.PolicyNames, truncated: out.IsTruncated }) }),
  step('IAM ListInstanceProfilesForRole', (c) => c.iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: INSTANCE_ROLE })), {
    view: (out) => (out.InstanceProfiles ?? []).map((profile) => ({ name: profile.InstanceProfileName, tags: tagsOf(profile.Tags) })),
    // The IAM API reference documents IsTruncated in every List answer; moto 5 leaves it out here.
    motoOmits: [/^IsTruncated$/],
  }),
  failing('IAM DeleteRole of a role with a managed policy → DeleteConflict', (c) => c.iam.send(new DeleteRoleCommand({ RoleName: SERVICE_ROLE }))),
  step('IAM DetachRolePolicy', (c) => c.iam.send(new DetachRolePolicyCommand({ RoleName: SERVICE_ROLE, PolicyArn: CODEDEPLOY_ROLE_POLICY }))),
  failing('IAM DetachRolePolicy again → NoSuchEntity', (c) => c.iam.send(new DetachRolePolicyCommand({ RoleName: SERVICE_ROLE, PolicyArn: CODEDEPLOY_ROLE_POLICY }))),
  step('IAM DeleteRole', (c) => c.iam.send(new DeleteRoleCommand({ RoleName: SERVICE_ROLE }))),
  failing('IAM DeleteRole again → NoSuchEntity', (c) => c.iam.send(new DeleteRoleCommand({ RoleName: SERVICE_ROLE }))),
  step('IAM DeleteRolePolicy', (c) => c.iam.send(new DeleteRolePolicyCommand({ RoleName: INSTANCE_ROLE, PolicyName: REVISION_READ }))),
  failing('IAM DeleteRolePolicy again → NoSuchEntity', (c) => c.iam.send(new DeleteRolePolicyCommand({ RoleName: INSTANCE_ROLE, PolicyName: REVISION_READ }))),
  step('IAM RemoveRoleFromInstanceProfile', (c) => c.iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: PROFILE, RoleName: INSTANCE_ROLE }))),
  step('IAM DeleteInstanceProfile', (c) => c.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: PROFILE }))),
  failing('IAM DeleteInstanceProfile again → NoSuchEntity', (c) => c.iam.send(new DeleteInstanceProfileCommand({ InstanceProfileName: PROFILE }))),

  step('Auto Scaling DescribeAutoScalingGroups of an unknown group is empty', (c) => c.autoScaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['contract-asg'] })), {
    view: (out) => ({ groups: out.AutoScalingGroups ?? [] }),
  }),
];
