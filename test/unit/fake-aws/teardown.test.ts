// Teardown's port (src/aws/ports/teardown.ts) through the real SDK against the fake AWS: the refusals AWS makes
// (DeleteConflict, BucketNotEmpty), "already gone" as false rather than an error, and the in-use reads.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAwsClients } from '../../../src/aws/clients.js';
import { createAwsPorts, type AwsPorts } from '../../../src/aws/ports/index.js';
import { rolesTrusting } from '../../../src/codedeploy/teardown/observe.js';
import { startFakeAws, type FakeAws } from '../../fake-aws/index.js';

const ACCOUNT = '123456789012';
let aws: FakeAws;
let ports: AwsPorts;

beforeAll(async () => {
  aws = await startFakeAws();
  ports = createAwsPorts(createAwsClients({ region: 'us-east-1', endpointUrl: aws.url, env: { AWS_MAX_ATTEMPTS: '1' } }));
});
// The SDK takes its credentials from the process environment; the suite unstubs it before each test (unstubEnvs).
beforeEach(() => {
  for (const [name, value] of Object.entries(aws.env())) vi.stubEnv(name, value);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await aws.close();
});

const seedRole = () =>
  aws.seed({
    iam: {
      roles: [{ name: 'Gone', attachedPolicies: ['arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole'], inlinePolicies: { read: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } } }],
      instanceProfiles: [{ name: 'GoneProfile', role: 'Gone' }],
    },
  });

describe('the teardown port against the fake', () => {
  it('deletes a role only in the order IAM accepts, and a second delete is "already gone"', async () => {
    aws.reset();
    seedRole();
    await expect(ports.teardown.deleteRole('Gone')).rejects.toMatchObject({ code: expect.stringMatching(/^DeleteConflict/) });
    await expect(ports.teardown.deleteInstanceProfile('GoneProfile')).rejects.toMatchObject({ code: expect.stringMatching(/^DeleteConflict/) });
    expect(await ports.teardown.listInlinePolicies('Gone')).toEqual(['read']);
    expect(await ports.teardown.profilesOfRole('Gone')).toEqual(['GoneProfile']);
    await ports.iam.removeRoleFromInstanceProfile('GoneProfile', 'Gone');
    expect(await ports.teardown.deleteInstanceProfile('GoneProfile')).toBe(true);
    expect(await ports.teardown.detachPolicy('Gone', 'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole')).toBe(true);
    expect(await ports.teardown.deleteInlinePolicy('Gone', 'read')).toBe(true);
    expect(await ports.teardown.deleteRole('Gone')).toBe(true);
    expect(await ports.teardown.deleteRole('Gone')).toBe(false);
    expect(await ports.teardown.detachPolicy('Gone', 'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole')).toBe(false);
    expect(await ports.teardown.deleteInstanceProfile('GoneProfile')).toBe(false);
    expect(aws.state.iam.roles).toEqual({});
  });

  it('reads GitHub\'s OIDC provider with its tags and the roles that trust it (ListRoles), and deletes it once', async () => {
    aws.reset();
    const host = 'token.actions.githubusercontent.com';
    const arn = `arn:aws:iam::${ACCOUNT}:oidc-provider/${host}`;
    const federated = (principal: string | string[]) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: principal }, Action: 'sts:AssumeRoleWithWebIdentity' }] });
    aws.seed({
      iam: {
        oidcProviders: [{ url: `https://${host}`, clientIds: ['sts.amazonaws.com'], tags: { ManagedBy: 'cd-wizard' } }],
        roles: [{ name: 'Deployer', trustPolicy: federated(arn) }, { name: 'Both', trustPolicy: federated(['arn:aws:iam::123456789012:oidc-provider/gitlab.com', arn]) }, { name: 'CodeDeployServiceRole' }],
      },
    });
    expect(await ports.iam.findOidcProvider(host)).toEqual({ arn, url: host, audiences: ['sts.amazonaws.com'], tags: { ManagedBy: 'cd-wizard' } });
    expect((await rolesTrusting(ports, arn)).sort()).toEqual(['Both', 'Deployer']);
    expect(await ports.teardown.deleteOidcProvider(arn)).toBe(true);
    expect(await ports.teardown.deleteOidcProvider(arn)).toBe(false);
    expect(await ports.iam.findOidcProvider(host)).toBeUndefined();
  });

  it('reads and deletes CodeDeploy groups and applications; the group takes its launch hooks with it', async () => {
    aws.reset();
    aws.seed({
      iam: { roles: [{ name: 'CodeDeployServiceRole', attachedPolicies: ['arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole'] }] },
      autoscaling: { groups: [{ name: 'web-asg', instances: [] }] },
      codedeploy: { applications: [{ name: 'web' }] },
    });
    const roleArn = `arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole`;
    await ports.codeDeploy.createDeploymentGroup({ application: 'web', name: 'prod', serviceRoleArn: roleArn, deploymentConfig: 'CodeDeployDefault.OneAtATime', autoRollback: true, autoScalingGroups: ['web-asg'] }, { ManagedBy: 'cd-wizard' });
    expect((await ports.inspect.lifecycleHooks('web-asg')).map((hook) => hook.name)).toEqual([expect.stringMatching(/^CodeDeploy-managed-automatic-launch-deployment-hook-prod-/)]);
    expect(await ports.teardown.groupsUsingRole(roleArn)).toEqual(['web/prod']);
    expect(await ports.codeDeploy.tagsOf(`arn:aws:codedeploy:us-east-1:${ACCOUNT}:deploymentgroup:web/prod`)).toEqual({ ManagedBy: 'cd-wizard' });
    expect(await ports.teardown.deleteDeploymentGroup('web', 'prod')).toEqual({ deleted: true, hooksNotCleanedUp: [] });
    expect(await ports.inspect.lifecycleHooks('web-asg')).toEqual([]);
    expect(await ports.teardown.deleteApplication('web')).toBe(true);
    expect(aws.state.codedeploy.applications).toEqual({});
  });

  it('removes a lifecycle hook once; a hook already gone is false', async () => {
    aws.reset();
    aws.seed({ autoscaling: { groups: [{ name: 'web-asg', instances: [], lifecycleHooks: [{ name: 'CodeDeploy-managed-automatic-launch-deployment-hook-prod-1' }] }] } });
    expect(await ports.teardown.deleteLifecycleHook('web-asg', 'CodeDeploy-managed-automatic-launch-deployment-hook-prod-1')).toBe(true);
    expect(await ports.teardown.deleteLifecycleHook('web-asg', 'CodeDeploy-managed-automatic-launch-deployment-hook-prod-1')).toBe(false);
  });

  it('deletes tags only where they still have the value given, and takes a profile off an instance', async () => {
    aws.reset();
    aws.seed({ ec2: { instances: [{ id: 'i-0aaaaaaaaaaaaaaa1', tags: { team: 'web', env: 'other' } }] }, iam: { instanceProfiles: [{ name: 'P' }] } });
    await ports.teardown.deleteTags(['i-0aaaaaaaaaaaaaaa1'], { team: 'web', env: 'prod' });
    expect(aws.state.ec2.instances['i-0aaaaaaaaaaaaaaa1']?.tags).toEqual([{ Key: 'env', Value: 'other' }]);
    const { associationId } = await ports.ec2.associateProfile('i-0aaaaaaaaaaaaaaa1', 'P');
    expect((await ports.teardown.instancesUsingProfile(`arn:aws:iam::${ACCOUNT}:instance-profile/P`)).map((instance) => instance.id)).toEqual(['i-0aaaaaaaaaaaaaaa1']);
    expect(await ports.teardown.disassociateProfile(associationId)).toBe(true);
    expect(await ports.teardown.disassociateProfile(associationId)).toBe(false);
  });

  it('reads a bucket (tags, objects, metadata), refuses to delete it while not empty, then deletes it', async () => {
    aws.reset();
    aws.seed({
      s3: {
        buckets: [{ name: 'revs', region: 'us-east-1', tags: { ManagedBy: 'cd-wizard' }, objects: [{ key: 'web/a.zip', body: 'a', metadata: { 'managed-by': 'cd-wizard' } }, { key: 'other.txt', body: 'b' }] }],
      },
    });
    expect(await ports.teardown.bucketTags('revs')).toEqual({ ManagedBy: 'cd-wizard' });
    expect(await ports.teardown.bucketTags('missing-bucket')).toBeUndefined();
    expect(await ports.teardown.listObjects('revs')).toEqual([
      { key: 'other.txt', size: 1 },
      { key: 'web/a.zip', size: 1 },
    ]);
    expect(await ports.teardown.objectMetadata('revs', 'web/a.zip')).toEqual({ 'managed-by': 'cd-wizard' });
    await expect(ports.teardown.deleteBucket('revs')).rejects.toMatchObject({ code: 'BucketNotEmpty' });
    expect(await ports.teardown.deleteObjects('revs', ['web/a.zip', 'other.txt', 'never-there'])).toBe(true);
    expect(await ports.teardown.deleteBucket('revs')).toBe(true);
    expect(await ports.teardown.deleteBucket('revs')).toBe(false);
  });

  it('a bucket setup creates carries its tags (CreateBucket, PutBucketTagging, GetBucketTagging)', async () => {
    aws.reset();
    expect(await ports.s3.createBucket({ name: 'made-here', region: 'eu-west-1', tags: { ManagedBy: 'cd-wizard' } })).toEqual({ created: true });
    expect(aws.state.s3.buckets['made-here']?.region).toBe('eu-west-1');
    expect(await ports.s3.createBucket({ name: 'made-here', region: 'eu-west-1', tags: { ManagedBy: 'cd-wizard' } })).toEqual({ created: false });
    expect(aws.state.s3.buckets['made-here']?.tags).toEqual([{ Key: 'ManagedBy', Value: 'cd-wizard' }]);
  });
});
