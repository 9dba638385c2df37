import * as AutoScalingSdk from '@aws-sdk/client-auto-scaling';
import * as S3Sdk from '@aws-sdk/client-s3';
import * as StsSdk from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createAutoScalingPort } from '../../../src/aws/ports/autoscaling.js';
import { createIdentityPort } from '../../../src/aws/ports/identity.js';
import { createS3Port, normaliseLocation } from '../../../src/aws/ports/s3.js';
import { OFFLINE, TARGET, sdkError } from './helpers.js';

const sts = mockClient(StsSdk.STSClient);
const asg = mockClient(AutoScalingSdk.AutoScalingClient);
const s3 = mockClient(S3Sdk.S3Client);
// Test files share a process: put the real clients back for the files that follow.
afterAll(() => { sts.restore(); asg.restore(); s3.restore(); });
afterEach(() => {
  sts.reset();
  asg.reset();
  s3.reset();
});

describe('identity port', () => {
  it.each([
    ['arn:aws:sts::123456789012:assumed-role/Admin/alice', 'aws'],
    ['arn:aws-cn:iam::123456789012:user/bob', 'aws-cn'],
    ['arn:aws-us-gov:iam::123456789012:user/bob', 'aws-us-gov'],
  ])('takes the partition from %s', async (arn, partition) => {
    sts.on(StsSdk.GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: arn, UserId: 'x' });
    const port = createIdentityPort(async () => ({ sdk: StsSdk, client: new StsSdk.STSClient(OFFLINE), target: TARGET }));
    expect(await port.whoAmI()).toEqual({ account: '123456789012', arn, partition });
  });
});

describe('Auto Scaling port', () => {
  const port = createAutoScalingPort(async () => ({ sdk: AutoScalingSdk, client: new AutoScalingSdk.AutoScalingClient(OFFLINE), target: TARGET }));
  const base = { MinSize: 1, MaxSize: 2, DesiredCapacity: 1, DefaultCooldown: 300, AvailabilityZones: [], HealthCheckType: 'EC2', CreatedTime: new Date() };

  it('knows which groups use a launch template (directly or mixed) and which are missing', async () => {
    asg.on(AutoScalingSdk.DescribeAutoScalingGroupsCommand).resolves({
      AutoScalingGroups: [
        { ...base, AutoScalingGroupName: 'lt', LaunchTemplate: { LaunchTemplateName: 'web-lt', Version: '$Latest' }, Instances: [{ InstanceId: 'i-1', AvailabilityZone: 'a', LifecycleState: 'InService', HealthStatus: 'Healthy', ProtectedFromScaleIn: false }] },
        { ...base, AutoScalingGroupName: 'mixed', MixedInstancesPolicy: { LaunchTemplate: { LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0123' } } } },
        { ...base, AutoScalingGroupName: 'lc', LaunchConfigurationName: 'old-lc' },
      ],
    });
    const { found, missing } = await port.describeGroups(['lt', 'mixed', 'lc', 'gone']);
    expect(found).toEqual([
      { name: 'lt', usesLaunchTemplate: true, launchTemplateName: 'web-lt', instanceIds: ['i-1'] },
      { name: 'mixed', usesLaunchTemplate: true, launchTemplateName: 'lt-0123', instanceIds: [] },
      { name: 'lc', usesLaunchTemplate: false, launchConfigurationName: 'old-lc', instanceIds: [] },
    ]);
    expect(missing).toEqual(['gone']);
    expect(asg.commandCalls(AutoScalingSdk.DescribeAutoScalingGroupsCommand)[0]?.args[0].input).toEqual({ AutoScalingGroupNames: ['lt', 'mixed', 'lc', 'gone'], MaxRecords: 100 });
  });
});

describe('S3 port', () => {
  const port = createS3Port(async () => ({ sdk: S3Sdk, client: new S3Sdk.S3Client(OFFLINE), target: TARGET }));

  it('reads the region from HeadBucket', async () => {
    s3.on(S3Sdk.HeadBucketCommand).resolves({ BucketRegion: 'eu-central-1' });
    expect(await port.bucketLocation('b')).toEqual({ status: 'found', region: 'eu-central-1' });
  });

  it('falls back to GetBucketLocation and its legacy answers', async () => {
    s3.on(S3Sdk.HeadBucketCommand).resolves({});
    s3.on(S3Sdk.GetBucketLocationCommand).resolves({});
    expect(await port.bucketLocation('b')).toEqual({ status: 'found', region: 'us-east-1' });
    expect(normaliseLocation('EU')).toBe('eu-west-1');
  });

  it('tells a missing bucket from one it may not look at, and never fails setup for it', async () => {
    s3.on(S3Sdk.HeadBucketCommand).rejects(sdkError('NotFound', 'NotFound', 404));
    expect(await port.bucketLocation('b')).toEqual({ status: 'missing' });
    s3.on(S3Sdk.HeadBucketCommand).rejects(sdkError('Forbidden', 'Forbidden', 403));
    expect(await port.bucketLocation('b')).toMatchObject({ status: 'unknown', reason: expect.stringContaining('s3:ListBucket') });
  });

  const sent = () => s3.calls().map((c) => (c.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''));

  it('creates, locks down, encrypts and tags a new bucket', async () => {
    s3.on(S3Sdk.HeadBucketCommand).rejects(sdkError('NotFound', 'NotFound', 404));
    expect(await port.createBucket({ name: 'rev', region: 'us-east-1', tags: { 'managed-by': 'cd-wizard' } })).toEqual({ created: true });
    expect(sent()).toEqual(['HeadBucket', 'CreateBucket', 'PutPublicAccessBlock', 'PutBucketEncryption', 'PutBucketTagging']);
    expect(s3.commandCalls(S3Sdk.CreateBucketCommand)[0]?.args[0].input).toEqual({ Bucket: 'rev' });
  });

  it('in us-east-1, where S3 answers 200 to re-creating your own bucket, leaves a bucket that appeared meanwhile untouched', async () => {
    s3.on(S3Sdk.HeadBucketCommand).resolves({ BucketRegion: 'us-east-1' });
    s3.on(S3Sdk.CreateBucketCommand).resolves({});
    expect(await port.createBucket({ name: 'rev', region: 'us-east-1', tags: { 'managed-by': 'cd-wizard' } })).toEqual({ created: false });
    expect(sent()).toEqual(['HeadBucket']);
  });

  it('elsewhere, BucketAlreadyOwnedByYou means reuse it as it is: no lock-down, encryption or tags on it', async () => {
    s3.on(S3Sdk.CreateBucketCommand).rejects(sdkError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409));
    expect(await port.createBucket({ name: 'rev', region: 'eu-west-1', tags: { 'managed-by': 'cd-wizard' } })).toEqual({ created: false });
    expect(sent()).toEqual(['CreateBucket']);
    expect(s3.commandCalls(S3Sdk.CreateBucketCommand)[0]?.args[0].input).toEqual({ Bucket: 'rev', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } });
  });

  it("stops on a bucket name someone else owns", async () => {
    s3.on(S3Sdk.HeadBucketCommand).rejects(sdkError('Forbidden', 'Forbidden', 403));
    s3.on(S3Sdk.CreateBucketCommand).rejects(sdkError('BucketAlreadyExists', 'The requested bucket name is not available.', 409));
    await expect(port.createBucket({ name: 'rev', region: 'us-east-1', tags: {} })).rejects.toThrow(/not available|BucketAlreadyExists/);
    expect(sent()).toEqual(['HeadBucket', 'CreateBucket']);
  });
});
