import { describe, expect, it } from 'vitest';
import type { SetupAnswers } from '../../../src/codedeploy/answers.js';
import { codeDeployRolePolicyArn, ssmCorePolicyArn } from '../../../src/codedeploy/names.js';
import { launchTemplatePolicy, revisionReadPolicy } from '../../../src/codedeploy/permissions.js';
import { computePlan as planOf, hasNothingToChange, type PlanOptions } from '../../../src/codedeploy/plan.js';
import { type Observation } from '../../../src/codedeploy/observe.js';
import type { ObservedRole } from '../../../src/codedeploy/resources/roles.js';
import type { SetupState } from '../../../src/codedeploy/state.js';
import { changesOf as stepChanges } from '../../../src/codedeploy/steps.js';
import { wantedTrust } from '../../../src/codedeploy/trust.js';
import { ACCOUNT, deploymentGroupInfo, emptyObservation, setupAnswers } from '../../helpers/fixtures.js';

const P = 'aws';
const serviceRoleTrust = (partition: string, account: string) => wantedTrust('codedeploy', { partition, account });
const instanceRoleTrust = (partition: string) => wantedTrust('ec2', { partition, account: ACCOUNT });
/** What the answers file records after setup created the three IAM resources: they are ours. */
const OURS: SetupState = {
  serviceRole: { name: 'CodeDeployServiceRole', status: 'created' },
  instanceRole: { name: 'CodeDeployInstanceRole', status: 'created' },
  instanceProfile: { name: 'CodeDeployInstanceProfile', status: 'created' },
};
const computePlan = (a: SetupAnswers, obs: Observation, options: PlanOptions = { recorded: OURS }) => planOf(a, obs, options);
const changesOf = (plan: ReturnType<typeof computePlan>) => stepChanges(plan.steps);
const answers = (extra: Partial<SetupAnswers> = {}) => setupAnswers({ tagGroups: [[{ key: 'cd-wizard:group', value: 'web/prod' }]], ...extra });
const nothing = () => emptyObservation(P);

const role = (name: string, trust = serviceRoleTrust(P, ACCOUNT).document, extra: Partial<ObservedRole> = {}): ObservedRole => ({
  role: { name, arn: `arn:aws:iam::${ACCOUNT}:role/${name}`, path: '/', trust, tags: { ManagedBy: 'cd-wizard' } },
  attached: [],
  inline: {},
  ...extra,
});

/** Everything set up exactly as the default answers want. */
const complete = (): Observation => {
  const a = answers();
  return {
    ...nothing(),
    serviceRole: role(a.serviceRole ?? 'CodeDeployServiceRole', serviceRoleTrust(P, ACCOUNT).document, { attached: [codeDeployRolePolicyArn(P)] }),
    instanceRole: role(a.instanceRole, instanceRoleTrust(P).document, { inline: { 'cd-wizard-revision-read': revisionReadPolicy({ partition: P, region: a.region, bucket: a.bucket }).document } }),
    instanceProfile: { name: a.instanceProfile, arn: `arn:aws:iam::${ACCOUNT}:instance-profile/${a.instanceProfile}`, roles: [{ name: a.instanceRole, arn: '' }], tags: { ManagedBy: 'cd-wizard' } },
    instances: [{ id: 'i-0aaaaaaaaaaaaaaa1', state: 'running', tags: { 'cd-wizard:group': 'web/prod' }, profileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/${a.instanceProfile}` }],
    associations: [{ id: 'iip-1', instanceId: 'i-0aaaaaaaaaaaaaaa1', profileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/${a.instanceProfile}`, state: 'associated' }],
    application: { name: 'web', id: 'app-1', computePlatform: 'Server' },
    deploymentGroup: deploymentGroupInfo(),
    tagMatches: ['i-0aaaaaaaaaaaaaaa1'],
  };
};


const summary = (obs: Observation, a = answers()) =>
  changesOf(computePlan(a, obs)).map((step) => `${step.kind} ${step.id}: ${step.calls.join('+')}`);

describe('computePlan', () => {
  it('creates everything, in dependency order, when nothing exists', () => {
    expect(summary(nothing())).toEqual([
      'create service-role: iam:CreateRole',
      'attach service-role-policy: iam:AttachRolePolicy',
      'create instance-role: iam:CreateRole',
      'create instance-role-s3: iam:PutRolePolicy',
      'create instance-profile: iam:CreateInstanceProfile',
      'attach instance-profile-role: iam:AddRoleToInstanceProfile',
      'associate instance-profile:i-0aaaaaaaaaaaaaaa1: ec2:AssociateIamInstanceProfile',
      'tag instance-tags: ec2:CreateTags',
      'create application: codedeploy:CreateApplication',
      'create deployment-group: codedeploy:CreateDeploymentGroup',
    ]);
  });

  it('says "nothing to change" when everything matches', () => {
    const plan = computePlan(answers(), complete());
    expect(hasNothingToChange(plan)).toBe(true);
    expect(plan.problems).toEqual([]);
    expect(plan.steps.map((step) => `${step.kind} ${step.id}`)).toEqual([
      'reuse service-role',
      'reuse instance-role',
      'reuse instance-profile',
      'reuse bucket',
      'reuse application',
      'reuse deployment-group',
    ]);
  });

  it('passes the ManagedBy tag and the exact trust policy to role creation', () => {
    const step = computePlan(answers(), nothing()).steps.find((s) => s.id === 'service-role');
    expect(step?.op).toEqual({
      type: 'create-role',
      role: 'serviceRole',
      name: 'CodeDeployServiceRole',
      trust: serviceRoleTrust(P, ACCOUNT).document,
      description: expect.any(String),
      tags: { ManagedBy: 'cd-wizard' },
    });
  });

  type Case = [name: string, change: (o: Observation) => void, expected: string[], a?: Partial<SetupAnswers>];
  const cases: Case[] = [
    [
      'a hand-edited trust policy on our role is replaced',
      (o) => {
        o.serviceRole!.role.trust = instanceRoleTrust(P).document;
      },
      ['update service-role: iam:UpdateAssumeRolePolicy'],
    ],
    [
      'a missing managed policy is attached',
      (o) => {
        o.serviceRole!.attached = [];
      },
      ['attach service-role-policy: iam:AttachRolePolicy'],
    ],
    [
      'an edited inline policy is repaired',
      (o) => {
        o.instanceRole!.inline['cd-wizard-revision-read'] = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::*' }] };
      },
      ['update instance-role-s3: iam:PutRolePolicy'],
    ],
    [
      '--ssm attaches AmazonSSMManagedInstanceCore',
      () => undefined,
      ['attach instance-role-ssm: iam:AttachRolePolicy'],
      { ssm: true },
    ],
    [
      'a launch-template ASG adds the inline policy to the service role',
      (o) => {
        o.autoScalingGroups = [{ name: 'web-asg', usesLaunchTemplate: true, instanceIds: [] }];
        o.deploymentGroup!.autoScalingGroups = ['web-asg'];
      },
      ['create service-role-launch-template: iam:PutRolePolicy'],
      { asg: ['web-asg'] },
    ],
    [
      'a launch-configuration ASG does not',
      (o) => {
        o.autoScalingGroups = [{ name: 'old-asg', usesLaunchTemplate: false, launchConfigurationName: 'lc', instanceIds: [] }];
        o.deploymentGroup!.autoScalingGroups = ['old-asg'];
      },
      [],
      { asg: ['old-asg'] },
    ],
    [
      'an instance without a profile gets ours',
      (o) => {
        delete o.instances[0]!.profileArn;
        o.associations = [];
      },
      ['associate instance-profile:i-0aaaaaaaaaaaaaaa1: ec2:AssociateIamInstanceProfile'],
    ],
    [
      'an instance with another profile needs a replacement',
      (o) => {
        o.instances[0]!.profileArn = `arn:aws:iam::${ACCOUNT}:instance-profile/Theirs`;
        o.associations = [{ id: 'iip-9', instanceId: 'i-0aaaaaaaaaaaaaaa1', profileArn: `arn:aws:iam::${ACCOUNT}:instance-profile/Theirs`, state: 'associated' }];
      },
      ['replace-profile instance-profile:i-0aaaaaaaaaaaaaaa1: ec2:ReplaceIamInstanceProfileAssociation'],
    ],
    [
      'an untagged instance is tagged',
      (o) => {
        o.instances[0]!.tags = { Name: 'web-1' };
      },
      ['tag instance-tags: ec2:CreateTags'],
    ],
    [
      'a drifted deployment group is updated',
      (o) => {
        o.deploymentGroup = deploymentGroupInfo({ deploymentConfig: 'CodeDeployDefault.AllAtOnce', autoRollback: { enabled: false, events: [] } });
      },
      ['update deployment-group: codedeploy:UpdateDeploymentGroup'],
    ],
    [
      'a new target group turns on traffic control',
      () => undefined,
      ['update deployment-group: codedeploy:UpdateDeploymentGroup'],
      { targetGroup: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web-tg/0123456789abcdef' },
    ],
    [
      'a profile of ours holding another role gets ours back',
      (o) => {
        o.instanceProfile!.roles = [{ name: 'Other', arn: '' }];
      },
      ['update instance-profile-role: iam:RemoveRoleFromInstanceProfile+iam:AddRoleToInstanceProfile'],
    ],
  ];

  it.each(cases)('%s', (_name, change, expected, extra) => {
    const observed = complete();
    change(observed);
    expect(summary(observed, answers(extra))).toEqual(expected);
  });

  it('adds our statement to a foreign role that does not trust CodeDeploy, keeping its own', () => {
    const observed = complete();
    const lambdaTrust = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };
    observed.serviceRole = role('CodeDeployServiceRole', lambdaTrust, { attached: [codeDeployRolePolicyArn(P)] });
    observed.serviceRole.role.tags = {};
    const step = computePlan(answers(), observed).steps.find((s) => s.id === 'service-role');
    expect(step?.kind).toBe('update');
    expect(step?.op.type === 'update-trust' && step.op.trust.Statement).toEqual([lambdaTrust.Statement[0], serviceRoleTrust(P, ACCOUNT).document.Statement[0]]);
  });

  it('reuses a foreign role that already trusts CodeDeploy without our condition', () => {
    const observed = complete();
    observed.serviceRole = role('CodeDeployServiceRole', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, { attached: [codeDeployRolePolicyArn(P)] });
    observed.serviceRole.role.tags = {};
    expect(hasNothingToChange(computePlan(answers(), observed))).toBe(true);
  });

  it('keeps revision buckets an earlier run granted when the bucket changes (shared instance role)', () => {
    const observed = complete();
    const step = computePlan(answers({ bucket: 'other-app-revisions' }), observed).steps.find((s) => s.id === 'instance-role-s3');
    expect(step?.kind).toBe('update');
    expect(step?.reason).toContain('now: Allow s3:GetObject, s3:GetObjectVersion on arn:aws:s3:::my-revisions/*');
    expect(step?.documents[0]?.document.Statement[0]?.Resource).toEqual([
      'arn:aws:s3:::other-app-revisions/*',
      'arn:aws:s3:::my-revisions/*',
      'arn:aws:s3:::aws-codedeploy-eu-west-1/*',
    ]);
    expect(step?.documents[0]?.why).toContain('(and my-revisions, granted by an earlier run)');
  });

  it('describes the deployment-group drift in words', () => {
    const observed = complete();
    observed.deploymentGroup = deploymentGroupInfo({ serviceRoleArn: 'arn:aws:iam::123456789012:role/Old', tagGroups: [[{ key: 'Env', value: 'dev' }]] });
    const step = computePlan(answers(), observed).steps.find((s) => s.id === 'deployment-group');
    expect(step?.reason).toContain('service role is arn:aws:iam::123456789012:role/Old');
    expect(step?.reason).toContain('instance tags are Env=dev, wanted cd-wizard:group=web/prod');
  });

  it('scopes the launch-template PassRole to the instance role ARN', () => {
    const observed = nothing();
    observed.autoScalingGroups = [{ name: 'web-asg', usesLaunchTemplate: true, instanceIds: [] }];
    const step = computePlan(answers({ asg: ['web-asg'] }), observed).steps.find((s) => s.id === 'service-role-launch-template');
    expect(step?.documents[0]?.document).toEqual(
      launchTemplatePolicy({ partition: P, region: 'eu-west-1', account: ACCOUNT, instanceRoleArn: `arn:aws:iam::${ACCOUNT}:role/CodeDeployInstanceRole` }).document,
    );
    expect(step?.reason).toContain('web-asg uses a launch template');
  });

  it('tags only what each instance misses: the first tag of every unmet group', () => {
    const observed = nothing();
    observed.instances = [
      { id: 'i-0aaaaaaaaaaaaaaa1', state: 'running', tags: {} },
      { id: 'i-0aaaaaaaaaaaaaaa2', state: 'running', tags: { Env: 'prod' } },
      { id: 'i-0aaaaaaaaaaaaaaa3', state: 'running', tags: { Env: 'prod', Role: 'api' } },
    ];
    const a = answers({ instances: observed.instances.map((i) => i.id), tagGroups: [[{ key: 'Env', value: 'prod' }], [{ key: 'Role', value: 'web' }, { key: 'Role', value: 'api' }]] });
    const step = computePlan(a, observed).steps.find((s) => s.id === 'instance-tags');
    expect(step?.op).toEqual({
      type: 'tag-instances',
      batches: [
        { instanceIds: ['i-0aaaaaaaaaaaaaaa1'], tags: { Env: 'prod', Role: 'web' } },
        { instanceIds: ['i-0aaaaaaaaaaaaaaa2'], tags: { Role: 'web' } },
      ],
    });
  });

  it('stops on problems before any change, and names them', () => {
    const observed = nothing();
    observed.missingInstances = ['i-0bbbbbbbbbbbbbbb1'];
    observed.instances = [{ id: 'i-0aaaaaaaaaaaaaaa1', state: 'terminated', tags: {} }];
    observed.missingAutoScalingGroups = ['nope'];
    observed.application = { name: 'web', id: 'x', computePlatform: 'Lambda' };
    const plan = computePlan(answers({ asg: ['nope'] }), observed);
    expect(plan.problems.map((p) => p.message)).toEqual([
      'Instance i-0bbbbbbbbbbbbbbb1 does not exist in eu-west-1 (account 123456789012).',
      'Instance i-0aaaaaaaaaaaaaaa1 is terminated.',
      'Auto Scaling group nope does not exist in eu-west-1.',
      'Application web exists for Lambda, not EC2 (Server).',
    ]);
    expect(plan.steps.some((s) => s.id.startsWith('instance-profile:'))).toBe(false);
  });

  it('refuses to swap the role inside someone else’s instance profile', () => {
    const observed = complete();
    observed.instanceProfile!.roles = [{ name: 'TheirRole', arn: '' }];
    observed.instanceProfile!.tags = {};
    const plan = computePlan(answers(), observed);
    expect(plan.problems[0]?.message).toMatch(/already holds role TheirRole/);
    expect(plan.problems[0]?.hint).toMatch(/--instance-role TheirRole/);
  });

  it('refuses a bucket in another region, creates a missing one, and warns about a group that matches nothing', () => {
    const observed = nothing();
    observed.instances = [];
    observed.bucket = { status: 'found', region: 'us-east-1' };
    const plan = computePlan(answers({ instances: [], tagGroups: [[{ key: 'Env', value: 'prod' }]] }), observed);
    expect(plan.warnings.map((w) => w.message)).toEqual(['No instance carries Env=prod yet, so the deployment group matches nothing.']);
    expect(plan.problems.map((p) => p.message)).toEqual(['Bucket my-revisions is in us-east-1, but the instances are in eu-west-1; CodeDeploy needs the revision bucket in the same region.']);
    observed.bucket = { status: 'missing' };
    const created = computePlan(answers(), observed);
    const bucket = created.steps.find((step) => step.id === 'bucket');
    expect(bucket?.op).toEqual({ type: 'create-bucket', name: 'my-revisions', region: 'eu-west-1', tags: { ManagedBy: 'cd-wizard' } });
    expect(bucket?.summary).toBe('Create revision bucket my-revisions in eu-west-1 (public access blocked, default encryption)');
    expect(created.problems).toEqual([]);
  });

  it('adopts an existing group’s settings the answers leave open, and changes only what they say', () => {
    const observed = complete();
    observed.deploymentGroup = deploymentGroupInfo({ deploymentConfig: 'MyTeam.TwoAtATime', autoRollback: { enabled: false, events: [] }, deploymentOption: 'WITH_TRAFFIC_CONTROL', targetGroupNames: ['web-tg'] });
    const { deploymentConfig: _config, rollback: _rollback, serviceRole: _role, ...leftOpen } = answers();
    const adopted = computePlan(leftOpen, observed);
    expect(hasNothingToChange(adopted)).toBe(true);
    expect(adopted.settings.adopted).toEqual(['serviceRole', 'deploymentConfig', 'rollback', 'targetGroup']);
    expect(adopted.steps.find((step) => step.id === 'deployment-group')?.reason).toBe(
      'keeps its service role, deployment configuration, rollback setting and load balancing; alarms and triggers are not touched',
    );
    // An answer that differs is a ~ line, and the rest is still kept (no target group is sent, so load balancing stays).
    const changed = computePlan({ ...leftOpen, deploymentConfig: 'CodeDeployDefault.AllAtOnce' }, observed);
    const update = changesOf(changed)[0];
    expect(update?.kind).toBe('update');
    expect(update?.reason).toContain('deployment config is MyTeam.TwoAtATime, wanted CodeDeployDefault.AllAtOnce');
    expect(update?.op.type === 'update-deployment-group' && update.op.spec).toMatchObject({ deploymentConfig: 'CodeDeployDefault.AllAtOnce', autoRollback: false });
    expect(update?.op.type === 'update-deployment-group' && update.op.spec.targetGroupName).toBe(undefined);
  });

  it('accepts a custom deployment configuration only when the account has it', () => {
    const observed = nothing();
    expect(computePlan(answers({ deploymentConfig: 'MyTeam.TwoAtATime' }), observed).problems).toEqual([]);
    observed.deploymentConfigExists = false;
    expect(computePlan(answers({ deploymentConfig: 'MyTeam.TwoAtATime' }), observed).problems[0]?.message).toBe('Deployment configuration MyTeam.TwoAtATime does not exist in eu-west-1.');
  });

  it('remembers a declined profile replacement: no step, no tag, nothing to change', () => {
    const observed = complete();
    const foreign = `arn:aws:iam::${ACCOUNT}:instance-profile/Legacy`;
    observed.instances = [{ id: 'i-0aaaaaaaaaaaaaaa1', state: 'running', tags: {}, profileArn: foreign }];
    observed.associations = [{ id: 'iip-9', instanceId: 'i-0aaaaaaaaaaaaaaa1', profileArn: foreign, state: 'associated' }];
    observed.tagMatches = [];
    const first = computePlan(answers(), observed);
    expect(changesOf(first).map((step) => step.kind)).toEqual(['replace-profile', 'tag']);
    const kept = computePlan(answers(), observed, { recorded: { ...OURS, instances: { 'i-0aaaaaaaaaaaaaaa1': { profileStatus: 'kept', profile: 'Legacy' } } } });
    expect(changesOf(kept)).toEqual([]);
    expect(kept.keeping).toEqual(['i-0aaaaaaaaaaaaaaa1']);
    // --replace-profile asks for it again.
    const again = computePlan(answers(), observed, { recorded: { ...OURS, instances: { 'i-0aaaaaaaaaaaaaaa1': { profileStatus: 'kept' } } }, replaceProfiles: true });
    expect(changesOf(again).map((step) => step.kind)).toEqual(['replace-profile', 'tag']);
  });

  it('warns before anything is applied when an Auto Scaling group’s new or current instances get no instance profile', () => {
    const observed = nothing();
    observed.autoScalingGroups = [{ name: 'web-asg', usesLaunchTemplate: true, launchTemplateName: 'web-lt', instanceIds: ['i-0bbbbbbbbbbbbbbb1'] }];
    observed.launches = { 'web-asg': { profile: { status: 'none' }, members: [{ id: 'i-0bbbbbbbbbbbbbbb1', state: 'running', tags: {} }] } };
    const plan = computePlan(answers({ asg: ['web-asg'] }), observed);
    expect(plan.warnings.map((w) => w.message)).toEqual([
      'New instances of Auto Scaling group web-asg start without an instance profile (its launch template sets none), so their agent will have no credentials.',
      '1 current instance of web-asg has no instance profile: i-0bbbbbbbbbbbbbbb1.',
    ]);
    expect(plan.warnings[0]?.hint).toContain('aws ec2 create-launch-template-version --launch-template-name web-lt');
    expect(plan.warnings[0]?.hint).toContain('"IamInstanceProfile":{"Name":"CodeDeployInstanceProfile"}');
  });

  it('uses the China partition and principals end to end', () => {
    const observed = nothing();
    observed.identity = { account: ACCOUNT, arn: `arn:aws-cn:iam::${ACCOUNT}:user/bob`, partition: 'aws-cn' };
    const plan = computePlan(answers({ region: 'cn-north-1', ssm: true }), observed);
    const text = JSON.stringify(plan.steps.map((s) => s.op));
    expect(text).toContain('codedeploy.amazonaws.com.cn');
    expect(text).toContain('arn:aws-cn:s3:::aws-codedeploy-cn-north-1/*');
    expect(text).toContain(ssmCorePolicyArn('aws-cn'));
    expect(text).not.toMatch(/arn:aws:/);
    expect(plan.arns.serviceRole).toBe(`arn:aws-cn:iam::${ACCOUNT}:role/CodeDeployServiceRole`);
  });
});
