/** EC2 and S3 steps of the contract scenario: finding instances by tag, giving them a profile, the revision bucket. */
import {
  AssociateIamInstanceProfileCommand,
  CreateTagsCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  type DescribeInstancesCommandOutput,
  type IamInstanceProfileAssociation,
} from '@aws-sdk/client-ec2';
import {
  CreateBucketCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
  PutBucketEncryptionCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { tagsOf } from './outcome.js';
import { failing, step, type Step, type World } from './scenario.js';
import { PROFILE } from './steps-iam.js';

/** An instance id that exists on neither server. */
const UNKNOWN_INSTANCE = 'i-0123456789abcdef0';
export const BUCKET = 'contract-revisions';
export const EU_BUCKET = 'contract-revisions-eu';
const GROUP_TAG = 'cd-wizard:group';

/**
 * What the EC2 port reads of each instance (src/aws/ports/ec2.ts, toInstance), in the scenario's order of the
 * instances (each server makes its own ids). PlatformDetails is read too, but moto does not send it (INSTANCE_OMITS).
 */
const instancesView = (out: DescribeInstancesCommandOutput, world: World) =>
  (out.Reservations ?? [])
    .flatMap((reservation) => reservation.Instances ?? [])
    .map((instance) => ({ id: instance.InstanceId, state: instance.State?.Name, tags: tagsOf(instance.Tags), profileArn: instance.IamInstanceProfile?.Arn }))
    .sort((a, b) => world.instances.indexOf(a.id ?? '') - world.instances.indexOf(b.id ?? ''));

/**
 * The EC2 API reference documents Instance.PlatformDetails ("The platform details value for the instance") and
 * IamInstanceProfile.Id ("The ID of the instance profile"); moto 5 leaves the first out and fills the second with
 * the association id, so neither is compared (cd-wizard reads the ARN, not the Id).
 */
const INSTANCE_OMITS = [/\.PlatformDetails$/, /\.IamInstanceProfile\.Id$/];
/** IamInstanceProfileAssociation.Timestamp is documented ("The time the IAM instance profile was associated"); moto 5 leaves it out. */
export const ASSOCIATION_OMITS = [/\.Timestamp$/];

const associationView = (association: IamInstanceProfileAssociation | undefined) => ({
  id: association?.AssociationId,
  instance: association?.InstanceId,
  profileArn: association?.IamInstanceProfile?.Arn,
  state: association?.State,
});

const describe = (filters: Array<{ Name: string; Values: string[] }>) => new DescribeInstancesCommand({ Filters: filters, MaxResults: 1000 });
const LIVE = { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped', 'shutting-down'] };

export const EC2_STEPS: readonly Step[] = [
  step('EC2 DescribeInstances by instance-id filter skips unknown ids', (c, w) => c.ec2.send(describe([{ Name: 'instance-id', Values: [w.instances[0], UNKNOWN_INSTANCE] }])), {
    view: instancesView,
    motoOmits: INSTANCE_OMITS,
  }),
  failing('EC2 DescribeInstances of an unknown InstanceIds → InvalidInstanceID.NotFound', (c) => c.ec2.send(new DescribeInstancesCommand({ InstanceIds: [UNKNOWN_INSTANCE] }))),
  step('EC2 CreateTags on both instances', (c, w) => c.ec2.send(new CreateTagsCommand({ Resources: [...w.instances], Tags: [{ Key: 'Env', Value: 'prod' }] }))),
  step('EC2 CreateTags with a colon in the key', (c, w) => c.ec2.send(new CreateTagsCommand({ Resources: [w.instances[1]], Tags: [{ Key: GROUP_TAG, Value: 'web/prod' }] }))),
  step('EC2 DescribeInstances filter tag:Env', (c) => c.ec2.send(describe([{ Name: 'tag:Env', Values: ['prod'] }])), { view: instancesView, motoOmits: INSTANCE_OMITS }),
  step(`EC2 DescribeInstances filter tag:${GROUP_TAG}`, (c) => c.ec2.send(describe([{ Name: `tag:${GROUP_TAG}`, Values: ['web/prod'] }])), {
    view: instancesView,
    motoOmits: INSTANCE_OMITS,
  }),
  step('EC2 DescribeInstances filter tag-key and state', (c) => c.ec2.send(describe([{ Name: 'tag-key', Values: [GROUP_TAG, 'Missing'] }, LIVE])), {
    view: instancesView,
    motoOmits: INSTANCE_OMITS,
  }),
  step('EC2 DescribeInstances filter tag-value', (c) => c.ec2.send(describe([{ Name: 'tag-value', Values: ['prod'] }, LIVE])), { view: instancesView, motoOmits: INSTANCE_OMITS }),
  step('EC2 DescribeInstances filter tag:Env with no match', (c) => c.ec2.send(describe([{ Name: 'tag:Env', Values: ['production'] }])), { view: instancesView }),
  step(
    'EC2 DescribeIamInstanceProfileAssociations before any',
    (c, w) => c.ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [...w.instances] }] })),
    { view: (out) => (out.IamInstanceProfileAssociations ?? []).map(associationView) },
  ),
  step('EC2 AssociateIamInstanceProfile', (c, w) => c.ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: w.instances[0], IamInstanceProfile: { Name: PROFILE } })), {
    view: (out) => associationView(out.IamInstanceProfileAssociation),
    motoOmits: ASSOCIATION_OMITS,
  }),
  failing('EC2 AssociateIamInstanceProfile on an instance that has one → IncorrectState', (c, w) =>
    c.ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: w.instances[0], IamInstanceProfile: { Name: PROFILE } })),
  ),
  failing(
    'EC2 AssociateIamInstanceProfile of an unknown profile → InvalidParameterValue',
    (c, w) => c.ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: w.instances[1], IamInstanceProfile: { Name: 'MissingContractProfile' } })),
    {
      aws: { error: 'InvalidParameterValue', status: 400 },
      // moto 5 answers with IAM's 404 NoSuchEntity. EC2 answers with its own codes: the API reference sends
      // AssociateIamInstanceProfile's errors to "Common client error codes", which has InvalidParameterValue
      // ("a value specified in a parameter is not valid") and no NoSuchEntity. It is also what a profile that
      // IAM has not yet spread to EC2 gets, and what setup retries on.
      why: 'EC2 API reference, Common client error codes: EC2 has no NoSuchEntity',
    },
  ),
  failing('EC2 AssociateIamInstanceProfile on an unknown instance → InvalidInstanceID.NotFound', (c) =>
    c.ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: UNKNOWN_INSTANCE, IamInstanceProfile: { Name: PROFILE } })),
  ),
  step(
    'EC2 DescribeIamInstanceProfileAssociations filtered by instance and state',
    (c, w) =>
      c.ec2.send(
        new DescribeIamInstanceProfileAssociationsCommand({
          Filters: [
            { Name: 'instance-id', Values: [...w.instances] },
            { Name: 'state', Values: ['associating', 'associated'] },
          ],
        }),
      ),
    { view: (out) => (out.IamInstanceProfileAssociations ?? []).map(associationView), motoOmits: ASSOCIATION_OMITS },
  ),
  step('EC2 DescribeInstances shows the profile', (c, w) => c.ec2.send(new DescribeInstancesCommand({ InstanceIds: [w.instances[0]] })), {
    view: instancesView,
    motoOmits: INSTANCE_OMITS,
  }),
];

export const S3_STEPS: readonly Step[] = [
  failing('S3 HeadBucket of a missing bucket → NotFound', (c) => c.s3.send(new HeadBucketCommand({ Bucket: BUCKET }))),
  failing('S3 GetBucketLocation of a missing bucket → NoSuchBucket', (c) => c.s3.send(new GetBucketLocationCommand({ Bucket: BUCKET }))),
  step('S3 CreateBucket in us-east-1', (c) => c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }))),
  // The S3 API reference (CreateBucket, BucketAlreadyOwnedByYou): every region answers 409 to re-creating a bucket
  // you own, except North Virginia, which answers 200 OK for legacy compatibility.
  step('S3 CreateBucket again in us-east-1 → 200', (c) => c.s3.send(new CreateBucketCommand({ Bucket: BUCKET }))),
  step('S3 CreateBucket in eu-west-1', (c) => c.s3.send(new CreateBucketCommand({ Bucket: EU_BUCKET, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }))),
  failing('S3 CreateBucket again in eu-west-1 → BucketAlreadyOwnedByYou', (c) =>
    c.s3.send(new CreateBucketCommand({ Bucket: EU_BUCKET, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })),
  ),
  // HeadBucket's AccessPointAlias (x-amz-access-point-alias) is documented in the S3 API reference; moto leaves it out.
  step('S3 HeadBucket', (c) => c.s3.send(new HeadBucketCommand({ Bucket: BUCKET })), { view: (out) => ({ region: out.BucketRegion }), motoOmits: [/^AccessPointAlias$/] }),
  step('S3 GetBucketLocation in us-east-1 is empty', (c) => c.s3.send(new GetBucketLocationCommand({ Bucket: BUCKET })), { view: (out) => ({ location: out.LocationConstraint }) }),
  step('S3 GetBucketLocation in eu-west-1', (c) => c.s3.send(new GetBucketLocationCommand({ Bucket: EU_BUCKET })), { view: (out) => ({ location: out.LocationConstraint }) }),
  step('S3 PutPublicAccessBlock', (c) =>
    c.s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: BUCKET,
        PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      }),
    ),
  ),
  step('S3 PutBucketEncryption', (c) =>
    c.s3.send(new PutBucketEncryptionCommand({ Bucket: BUCKET, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } })),
  ),
  step('S3 PutBucketTagging', (c) => c.s3.send(new PutBucketTaggingCommand({ Bucket: BUCKET, Tagging: { TagSet: [{ Key: 'ManagedBy', Value: 'cd-wizard' }] } }))),
  step('S3 GetBucketTagging', (c) => c.s3.send(new GetBucketTaggingCommand({ Bucket: BUCKET })), { view: (out) => tagsOf(out.TagSet) }),
];
