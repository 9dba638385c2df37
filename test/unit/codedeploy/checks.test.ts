import { describe, expect, it } from 'vitest';
import { AwsError } from '../../../src/aws/errors.js';
import type { CodeDeployDeploymentGroup } from '../../../src/aws/ports/codedeploy.js';
import type { Ec2Instance, IamInstanceProfile, IamRole } from '../../../src/aws/ports/index.js';
import { hookVerdict } from '../../../src/codedeploy/resources/auto-scaling.js';
import { bucketVerdict, grantable, objectVerdict, readableVerdict, readGrantRemedy } from '../../../src/codedeploy/resources/bucket.js';
import type { ObservedRole } from '../../../src/codedeploy/resources/roles.js';
import { instancesVerdict, profilesVerdict } from '../../../src/codedeploy/resources/instance-checks.js';
import { serviceRoleExistsVerdict as serviceRoleVerdict, serviceRolePolicyVerdict as policyVerdict, serviceRoleTrustVerdict } from '../../../src/codedeploy/resources/roles.js';
import { wantedTrust } from '../../../src/codedeploy/trust.js';
import { guarded } from '../../../src/codedeploy/verdict.js';

const CTX = { partition: 'aws', account: '123456789012', region: 'us-east-1', sourceArn: 'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:shop/prod' };
const trustVerdict = (r: IamRole, region: string, owned = false) => serviceRoleTrustVerdict(r, { ...CTX, region }, owned);

const group = (extra: Partial<CodeDeployDeploymentGroup> = {}): CodeDeployDeploymentGroup => ({
  application: 'shop',
  name: 'prod',
  id: 'g-1',
  serviceRoleArn: 'arn:aws:iam::123456789012:role/CodeDeployServiceRole',
  tagGroups: [[{ key: 'Env', value: 'prod' }]],
  tagForm: 'filters',
  autoScalingGroups: [],
  deploymentConfig: 'CodeDeployDefault.OneAtATime',
  autoRollback: { enabled: true, events: [] },
  deploymentOption: 'WITHOUT_TRAFFIC_CONTROL',
  targetGroupNames: [],
  ...extra,
});
const instance = (id: string, extra: Partial<Ec2Instance> = {}): Ec2Instance => ({ id, state: 'running', tags: { Env: 'prod' }, ...extra });
const role = (extra: Partial<IamRole> = {}): IamRole => ({
  name: 'CodeDeployServiceRole',
  arn: 'arn:aws:iam::123456789012:role/CodeDeployServiceRole',
  path: '/',
  trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
  tags: {},
  ...extra,
});
const PROFILE = 'arn:aws:iam::123456789012:instance-profile/CodeDeployInstanceProfile';
const profiles = new Map<string, IamInstanceProfile | undefined>([
  ['CodeDeployInstanceProfile', { name: 'CodeDeployInstanceProfile', arn: PROFILE, roles: [{ name: 'R', arn: 'arn:aws:iam::123456789012:role/R' }], tags: {} }],
]);

describe('instances the group selects', () => {
  it('counts running instances, flags stopped ones and terminated targets, offers setup’s tag step for its instances when none match', () => {
    const ok = instancesVerdict(group(), { matched: [instance('i-1'), instance('i-2', { state: 'stopped' })], targets: [instance('i-9', { state: 'terminated' })], missingTargets: [], missingAsgs: [] }, []);
    expect(ok).toMatchObject({ status: 'ok' });
    expect(ok.status === 'ok' && ok.detail).toBe('tags Env=prod match 1 running instance (i-1). Flagged: 1 stopped (i-2; stopped instances count as failed); failed targets now terminated: i-9.');
    const none = instancesVerdict(group({ tagGroups: [[{ key: 'Env', value: 'production' }]] }), { matched: [], targets: [], missingTargets: [], missingAsgs: [] }, [instance('i-1', { tags: {} })]);
    expect(none).toMatchObject({ status: 'problem', cause: 'no-instances', detail: 'tags Env=production matches no instances.' });
    expect(none.status === 'problem' && none.remedies?.[0]?.steps.map((step) => step.op)).toEqual([{ type: 'tag-instances', batches: [{ instanceIds: ['i-1'], tags: { Env: 'production' } }] }]);
  });

  it('matches a VALUE_ONLY group the way setup does', () => {
    const valueOnly = group({ tagGroups: [[{ key: '', value: 'prod' }]] });
    expect(instancesVerdict(valueOnly, { matched: [instance('i-1', { tags: { Stage: 'prod' } })], targets: [], missingTargets: [], missingAsgs: [] }, [])).toMatchObject({ status: 'ok' });
  });
});

describe('service role', () => {
  it('deleted: made again as setup makes it, under the same name, only where that gives the ARN the group names', () => {
    const gone = serviceRoleVerdict(undefined, 'arn:aws:iam::123456789012:role/Gone', CTX);
    const remedy = gone.status === 'problem' ? gone.remedies?.[0] : undefined;
    expect(remedy?.title).toBe("Create service role Gone again (CodeDeploy's trust, AWSCodeDeployRole)");
    expect(remedy?.steps.map((step) => step.op.type)).toEqual(['create-role', 'attach-policy']);
    const create = remedy?.steps[0]?.op;
    // The trust setup writes: CodeDeploy, only for this account's deployment groups.
    expect(create?.type === 'create-role' && JSON.stringify(create.trust)).toContain('"aws:SourceAccount":"123456789012"');
    expect(remedy?.steps.every((step) => step.confirm === undefined)).toBe(true);
    expect(remedy?.recheck).toEqual(['service-role', 'service-role-trust', 'service-role-policy']);
    // A path, another account or partition: CreateRole here would not give back that ARN; the fix steps say what to do.
    for (const arn of ['arn:aws:iam::123456789012:role/service-role/Gone', 'arn:aws:iam::999999999999:role/Gone', 'arn:aws-cn:iam::123456789012:role/Gone']) {
      expect(serviceRoleVerdict(undefined, arn, CTX)).toMatchObject({ status: 'problem', cause: 'service-role-missing', remedies: [] });
    }
  });

  it('missing, present, trusted, untrusted (the repair is setup’s step and keeps other statements)', () => {
    expect(serviceRoleVerdict(undefined, 'arn:aws:iam::1:role/Gone')).toMatchObject({ status: 'problem', cause: 'service-role-missing', detail: 'Role Gone (arn:aws:iam::1:role/Gone) does not exist.' });
    expect(serviceRoleVerdict(role(), role().arn)).toMatchObject({ status: 'ok' });
    expect(trustVerdict(role(), 'us-east-1')).toMatchObject({ status: 'ok' });
    const regional = role({ trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.eu-west-1.amazonaws.com' }, Action: 'sts:AssumeRole' }] } });
    expect(trustVerdict(regional, 'eu-west-1')).toMatchObject({ status: 'ok' });
    // Another region's principal does not let CodeDeploy in for us-east-1 — the answer setup gives too.
    expect(trustVerdict(regional, 'us-east-1')).toMatchObject({ status: 'problem', cause: 'service-role-trust' });
    const ec2Only = role({ trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] } });
    const verdict = trustVerdict(ec2Only, 'us-east-1');
    expect(verdict).toMatchObject({ status: 'problem', cause: 'service-role-trust', guide: 'service-role-trust' });
    const op = verdict.status === 'problem' ? verdict.remedies?.[0]?.steps[0]?.op : undefined;
    // The repair adds setup's own statement, conditions included; the role's statements stay.
    expect(op?.type === 'update-trust' && op.trust.Statement).toEqual([...(ec2Only.trust?.Statement ?? []), ...wantedTrust('codedeploy', CTX).document.Statement]);
  });

  it('a trust limited to another account by aws:SourceAccount is a problem, as setup sees it', () => {
    const other = role({ trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': '999999999999' } } }] } });
    expect(trustVerdict(other, 'us-east-1')).toMatchObject({ status: 'problem', cause: 'service-role-trust', detail: expect.stringContaining('another account') });
  });

  it('AWSCodeDeployRole attached, or equivalent permissions simulated, or a problem with the attach remedy', () => {
    expect(policyVerdict(role(), ['arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole'], undefined)).toMatchObject({ status: 'ok' });
    expect(policyVerdict(role(), ['arn:aws:iam::1:policy/Mine'], [{ action: 'ec2:DescribeInstances', decision: 'allowed' }])).toMatchObject({ status: 'ok' });
    expect(policyVerdict(role(), [], [{ action: 'ec2:DescribeInstances', decision: 'implicitDeny' }])).toMatchObject({
      status: 'problem',
      cause: 'service-role-permissions',
      detail: 'CodeDeployServiceRole has no AWSCodeDeployRole (no managed policies); not allowed: ec2:DescribeInstances.',
    });
    const attach = policyVerdict(role(), [], undefined);
    expect(attach.status === 'problem' && attach.remedies?.[0]?.steps[0]?.op).toEqual({ type: 'attach-policy', roleName: 'CodeDeployServiceRole', policyArn: 'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole' });
  });
});

describe('instances, profiles and the revision', () => {
  it('instances without a profile → agent-missing-credentials, offering the profile the others use', () => {
    const verdict = profilesVerdict([instance('i-1', { profileArn: PROFILE }), instance('i-2')], profiles, undefined);
    expect(verdict).toMatchObject({ status: 'problem', cause: 'agent-missing-credentials', instances: ['i-2'] });
    expect(verdict.status === 'problem' && verdict.remedies?.[0]?.steps[0]?.op).toEqual({ type: 'associate-profile', instanceIds: ['i-2'], profileName: 'CodeDeployInstanceProfile' });
    expect(profilesVerdict([instance('i-1', { profileArn: PROFILE })], profiles, undefined)).toMatchObject({ status: 'ok' });
    expect(profilesVerdict([instance('i-1')], new Map(), undefined)).toMatchObject({ status: 'problem', remedies: [] });
    expect(profilesVerdict([], profiles, undefined)).toEqual({ status: 'could-not-check', reason: 'no target instances to look at' });
  });

  it('simulated reads, object head and bucket region', () => {
    const revision = { bucket: 'b', key: 'k.zip' };
    expect(readableVerdict('s3://b/k.zip', [{ roleArn: 'arn:aws:iam::1:role/R', instances: ['i-1'], simulated: [{ action: 's3:GetObject', decision: 'implicitDeny' }] }])).toMatchObject({
      status: 'problem',
      cause: 's3-access-denied',
      detail: 'R may not read s3://b/k.zip: s3:GetObject implicitDeny.',
      instances: ['i-1'],
    });
    expect(objectVerdict(revision, { status: 'missing' })).toMatchObject({ status: 'problem', cause: 's3-key-not-found' });
    expect(objectVerdict(revision, { status: 'found', size: 3 })).toEqual({ status: 'ok', detail: 's3://b/k.zip exists (3 bytes).' });
    expect(bucketVerdict('b', { status: 'found', region: 'eu-west-1' }, 'us-east-1')).toMatchObject({ status: 'problem', cause: 's3-bucket-wrong-region' });
    // A missing bucket is a problem, not "could not check": fix must never say "No problems found" about it.
    expect(bucketVerdict('b', { status: 'missing' }, 'us-east-1')).toMatchObject({ status: 'problem', cause: 's3-bucket-missing', detail: 'Bucket b does not exist.' });
  });

  it("a role denied the read only for want of an Allow gets setup's read policy, keeping the buckets it already reads", () => {
    const denied = (decision: 'implicitDeny' | 'explicitDeny') => ({ roleArn: 'arn:aws:iam::1:role/R', instances: ['i-1'], simulated: [{ action: 's3:GetObject', decision }] });
    // An explicit Deny (a permissions boundary, an SCP-like statement) wins over any Allow: nothing to offer.
    expect(grantable([denied('implicitDeny'), denied('explicitDeny')])).toEqual([denied('implicitDeny')]);
    const otherApp = { Version: '2012-10-17', Statement: [{ Sid: 'ReadRevisions', Effect: 'Allow' as const, Action: 's3:GetObject', Resource: 'arn:aws:s3:::other-app-revisions/*' }] };
    const observed = (inline: ObservedRole['inline']): ObservedRole => ({ role: role({ name: 'R', arn: 'arn:aws:iam::1:role/R' }), attached: [], inline });
    const where = { partition: 'aws', region: 'us-east-1', bucket: 'b' };
    const remedy = readGrantRemedy(observed({ 'cd-wizard-revision-read': otherApp }), where, false);
    expect(remedy?.title).toBe('Let R read the revisions in b');
    expect(remedy?.recheck).toEqual(['revision-readable']);
    // Not cd-wizard's role: a person's yes, never --yes alone.
    expect(remedy?.steps[0]?.confirm).toBe('foreign');
    const op = remedy?.steps[0]?.op;
    expect(op?.type === 'put-inline-policy' && op.document.Statement[0]?.Resource).toEqual(['arn:aws:s3:::b/*', 'arn:aws:s3:::other-app-revisions/*', 'arn:aws:s3:::aws-codedeploy-us-east-1/*']);
    expect(readGrantRemedy(observed({}), where, true)?.steps[0]?.confirm).toBeUndefined();
    // The policy is already there as wanted: the denial comes from elsewhere, and rewriting it would change nothing.
    const wanted = op?.type === 'put-inline-policy' ? op.document : undefined;
    expect(readGrantRemedy(observed({ 'cd-wizard-revision-read': wanted as NonNullable<typeof wanted> }), where, true)).toBeUndefined();
    expect(readableVerdict('s3://b/k.zip', [denied('implicitDeny')], remedy ? [remedy] : [])).toMatchObject({ status: 'problem', remedies: [{ title: 'Let R read the revisions in b' }] });
  });

  it('Auto Scaling launch hooks: missing, one per group, or several groups on one ASG', () => {
    const hook = (g: string) => ({ name: `CodeDeploy-managed-automatic-launch-deployment-hook-${g}-1234`, transition: 'autoscaling:EC2_INSTANCE_LAUNCHING' });
    expect(hookVerdict('prod', [{ asg: 'a', hooks: [hook('prod')] }])).toMatchObject({ status: 'ok' });
    expect(hookVerdict('prod', [{ asg: 'a', hooks: [] }])).toMatchObject({ status: 'problem', guide: 'auto-scaling-lifecycle-hook' });
    expect(hookVerdict('prod', [{ asg: 'a', hooks: [hook('prod'), hook('canary')] }])).toMatchObject({ status: 'problem', severity: 'warning', cause: 'concurrent-deployments' });
  });
});

describe('guarded checks', () => {
  const head = { id: 'revision-readable' as const, title: 'T', looked: 'L' };
  it('AccessDenied → could not check: <action> denied; credentials errors still stop the command', async () => {
    const denied = new AwsError('x', {
      service: 'IAM',
      operation: 'SimulatePrincipalPolicy',
      code: 'AccessDenied',
      kind: 'access-denied',
      awsMessage: 'User: arn:aws:iam::1:user/me is not authorized to perform: iam:SimulatePrincipalPolicy on resource: role R',
    });
    expect(await guarded(head, () => Promise.reject(denied))).toEqual({ ...head, status: 'could-not-check', reason: 'iam:SimulatePrincipalPolicy denied' });
    const expired = new AwsError('expired', { service: 'IAM', operation: 'GetRole', code: 'ExpiredToken', kind: 'credentials', awsMessage: '' });
    await expect(guarded(head, () => Promise.reject(expired))).rejects.toBe(expired);
  });
});
