// The fake AWS, driven through the real SDK clients: wire formats, typed exceptions, validation and state.
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  EntityAlreadyExistsException,
  GetInstanceProfileCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  IAMServiceException,
  LimitExceededException,
  ListAttachedRolePoliciesCommand,
  ListInstanceProfilesCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolePoliciesCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
  PutRolePolicyCommand,
  RemoveRoleFromInstanceProfileCommand,
  SimulatePrincipalPolicyCommand,
  TagInstanceProfileCommand,
  TagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  paginateListRoles,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import {
  AssociateIamInstanceProfileCommand,
  CreateTagsCommand,
  DescribeIamInstanceProfileAssociationsCommand,
  DescribeInstancesCommand,
  DescribeTagsCommand,
  DisassociateIamInstanceProfileCommand,
  EC2Client,
  ReplaceIamInstanceProfileAssociationCommand,
  paginateDescribeInstances,
} from '@aws-sdk/client-ec2';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand, DescribeLifecycleHooksCommand } from '@aws-sdk/client-auto-scaling';
import {
  ApplicationAlreadyExistsException,
  ApplicationDoesNotExistException,
  BatchGetApplicationsCommand,
  CodeDeployClient,
  CreateApplicationCommand,
  CreateDeploymentGroupCommand,
  DeploymentConfigDoesNotExistException,
  DeploymentGroupAlreadyExistsException,
  DeploymentGroupDoesNotExistException,
  GetApplicationCommand,
  GetDeploymentConfigCommand,
  GetDeploymentGroupCommand,
  InvalidEC2TagCombinationException,
  InvalidRoleException,
  ListApplicationsCommand,
  ListDeploymentGroupsCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UpdateDeploymentGroupCommand,
} from '@aws-sdk/client-codedeploy';
import { GetBucketLocationCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CODEDEPLOY_TRUST_POLICY, startFakeAws, type FakeAws, type Seed } from '../../fake-aws/index.js';
import { rejection } from '../../fake-aws/testing.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const EC2_TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const CODEDEPLOY_ROLE_POLICY = 'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole';

const SEED: Seed = {
  iam: {
    roles: [
      { name: 'CodeDeployServiceRole', attachedPolicies: [CODEDEPLOY_ROLE_POLICY] },
      { name: 'Ec2Role', trustPolicy: EC2_TRUST },
    ],
    instanceProfiles: [
      { name: 'web-profile', role: 'Ec2Role' },
      { name: 'other-profile', role: 'Ec2Role' },
    ],
  },
  ec2: {
    instances: [
      { id: 'i-0aaaaaaaaaaaaaaa1', name: 'web-1', tags: { env: 'prod', app: 'shop' }, instanceProfile: 'web-profile' },
      { id: 'i-0aaaaaaaaaaaaaaa2', name: 'web-2', tags: { env: 'prod', app: 'shop' } },
      { id: 'i-0aaaaaaaaaaaaaaa3', name: 'web-3', tags: { env: 'staging' }, state: 'stopped' },
      { id: 'i-0aaaaaaaaaaaaaaa4', name: 'win-1', platform: 'windows', state: 'terminated' },
    ],
  },
  autoscaling: {
    groups: [
      { name: 'shop-asg', launchTemplate: { name: 'shop-lt', version: '3' }, instances: ['i-0bbbbbbbbbbbbbbb1'], tags: { app: 'shop' } },
      { name: 'legacy-asg', launchConfigurationName: 'legacy-lc' },
    ],
  },
  codedeploy: { applications: [{ name: 'existing-app', tags: { team: 'web' } }] },
  s3: {
    buckets: [
      { name: 'revisions-use1', objects: [{ key: 'shop/app 1.zip', body: 'PK-zip-bytes', versionId: 'v1' }] },
      { name: 'revisions-euw1', region: 'eu-west-1' },
      { name: 'someone-elses', accessDenied: true },
    ],
  },
};

let aws: FakeAws;
let iam: IAMClient;
let ec2: EC2Client;
let codedeploy: CodeDeployClient;
let autoscaling: AutoScalingClient;
let s3: S3Client;

beforeAll(async () => {
  aws = await startFakeAws({ seed: SEED });
  const config = { ...aws.clientConfig(), maxAttempts: 1 };
  iam = new IAMClient(config);
  ec2 = new EC2Client(config);
  codedeploy = new CodeDeployClient(config);
  autoscaling = new AutoScalingClient(config);
  s3 = new S3Client({ ...config, forcePathStyle: true });
});

afterAll(async () => {
  for (const client of [iam, ec2, codedeploy, autoscaling, s3]) client.destroy();
  await aws.close();
});

beforeEach(() => aws.reset());


describe('STS', () => {
  it('reports the default account and caller, and a configured one', async () => {
    const sts = new STSClient(aws.clientConfig());
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toMatchObject({
      Account: '123456789012',
      Arn: 'arn:aws:iam::123456789012:user/cd-wizard-tester',
    });
    const other = await startFakeAws({ account: '210987654321', callerArn: 'arn:aws:sts::<account>:assumed-role/Deployer/alice' });
    try {
      const identity = await new STSClient(other.clientConfig()).send(new GetCallerIdentityCommand({}));
      expect(identity).toMatchObject({ Account: '210987654321', Arn: 'arn:aws:sts::210987654321:assumed-role/Deployer/alice' });
    } finally {
      await other.close();
    }
  });
});

describe('IAM roles', () => {
  it('creates a role with tags and a description, and GetRole returns it with the trust policy URL-encoded', async () => {
    const created = await iam.send(
      new CreateRoleCommand({ RoleName: 'NewRole', Path: '/cd/', AssumeRolePolicyDocument: CODEDEPLOY_TRUST_POLICY, Description: 'for CodeDeploy', Tags: [{ Key: 'owner', Value: 'cd-wizard' }] }),
    );
    expect(created.Role).toMatchObject({ RoleName: 'NewRole', Path: '/cd/', Arn: 'arn:aws:iam::123456789012:role/cd/NewRole', Tags: [{ Key: 'owner', Value: 'cd-wizard' }] });
    expect(created.Role?.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    expect(created.Role?.CreateDate).toBeInstanceOf(Date);

    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'NewRole' }));
    expect(Role?.Description).toBe('for CodeDeploy');
    expect(Role?.MaxSessionDuration).toBe(3600);
    expect(Role?.AssumeRolePolicyDocument).toContain('%22Service%22');
    expect(JSON.parse(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? ''))).toEqual(JSON.parse(CODEDEPLOY_TRUST_POLICY));
  });

  it('maps missing and duplicate roles to the typed exceptions, with IAM status codes', async () => {
    const missing = await rejection(iam.send(new GetRoleCommand({ RoleName: 'Nope' })));
    expect(missing).toBeInstanceOf(NoSuchEntityException);
    expect(missing.message).toBe('The role with name Nope cannot be found.');
    expect(missing.$metadata?.httpStatusCode).toBe(404);

    // Role names are unique regardless of case.
    const duplicate = await rejection(iam.send(new CreateRoleCommand({ RoleName: 'codedeployservicerole', AssumeRolePolicyDocument: CODEDEPLOY_TRUST_POLICY })));
    expect(duplicate).toBeInstanceOf(EntityAlreadyExistsException);
    expect(duplicate.$metadata?.httpStatusCode).toBe(409);
  });

  it('validates role names, paths and policy documents the way IAM does', async () => {
    const badName = await rejection(iam.send(new CreateRoleCommand({ RoleName: 'has space', AssumeRolePolicyDocument: CODEDEPLOY_TRUST_POLICY })));
    expect(badName).toBeInstanceOf(IAMServiceException);
    expect(badName.name).toBe('ValidationError');
    expect(badName.message).toContain('regular expression pattern');
    const tooLong = await rejection(iam.send(new CreateRoleCommand({ RoleName: 'r'.repeat(65), AssumeRolePolicyDocument: CODEDEPLOY_TRUST_POLICY })));
    expect(tooLong.message).toContain('less than or equal to 64');
    const badPath = await rejection(iam.send(new CreateRoleCommand({ RoleName: 'Ok', Path: 'no-slash', AssumeRolePolicyDocument: CODEDEPLOY_TRUST_POLICY })));
    expect(badPath.name).toBe('ValidationError');

    const notJson = await rejection(iam.send(new CreateRoleCommand({ RoleName: 'Ok', AssumeRolePolicyDocument: '{not json' })));
    expect(notJson).toBeInstanceOf(MalformedPolicyDocumentException);
    expect(notJson.message).toBe('This policy contains invalid Json');
    const withResource = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole', Resource: '*' }] });
    expect((await rejection(iam.send(new CreateRoleCommand({ RoleName: 'Ok', AssumeRolePolicyDocument: withResource })))).message).toBe('Has prohibited field Resource');
    const noVendor = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'GetObject', Resource: '*' }] });
    const inline = await rejection(iam.send(new PutRolePolicyCommand({ RoleName: 'Ec2Role', PolicyName: 'p', PolicyDocument: noVendor })));
    expect(inline).toBeInstanceOf(MalformedPolicyDocumentException);
    expect(inline.message).toContain('prefaced by a vendor');
    expect(aws.state.iam.roles['Ok']).toBeUndefined();
  });

  it('attaches and detaches managed policies, knowing which AWS managed policy ARNs exist', async () => {
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Ec2Role', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforAWSCodeDeploy' }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Ec2Role', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' }));
    // Attaching twice is a no-op, as on IAM.
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'Ec2Role', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' }));
    const listed = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'Ec2Role' }));
    expect(listed.AttachedPolicies).toEqual([
      { PolicyName: 'AmazonEC2RoleforAWSCodeDeploy', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforAWSCodeDeploy' },
      { PolicyName: 'AmazonSSMManagedInstanceCore', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' },
    ]);
    // The common mistake: AWSCodeDeployRole lives under service-role/.
    const wrongPath = await rejection(iam.send(new AttachRolePolicyCommand({ RoleName: 'Ec2Role', PolicyArn: 'arn:aws:iam::aws:policy/AWSCodeDeployRole' })));
    expect(wrongPath).toBeInstanceOf(NoSuchEntityException);
    expect(wrongPath.message).toBe('Policy arn:aws:iam::aws:policy/AWSCodeDeployRole does not exist or is not attachable.');

    await iam.send(new DetachRolePolicyCommand({ RoleName: 'Ec2Role', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' }));
    const again = await rejection(iam.send(new DetachRolePolicyCommand({ RoleName: 'Ec2Role', PolicyArn: 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore' })));
    expect(again).toBeInstanceOf(NoSuchEntityException);
    expect(aws.state.iam.roles['Ec2Role']?.attachedPolicies).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonEC2RoleforAWSCodeDeploy']);
  });

  it('enforces the managed-policies-per-role quota with LimitExceeded', async () => {
    aws.seed({ iam: { policies: Array.from({ length: 11 }, (_, i) => ({ name: `p${i}`, document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] } })) } });
    for (let i = 0; i < 10; i += 1) await iam.send(new AttachRolePolicyCommand({ RoleName: 'Ec2Role', PolicyArn: `arn:aws:iam::123456789012:policy/p${i}` }));
    const eleventh = await rejection(iam.send(new AttachRolePolicyCommand({ RoleName: 'Ec2Role', PolicyArn: 'arn:aws:iam::123456789012:policy/p10' })));
    expect(eleventh).toBeInstanceOf(LimitExceededException);
    expect(eleventh.message).toBe('Cannot exceed quota for PoliciesPerRole: 10');
  });

  it('stores inline policies and returns them URL-encoded', async () => {
    const document = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:Get*', 's3:List*'], Resource: ['arn:aws:s3:::revisions-use1/*'] }] });
    await iam.send(new PutRolePolicyCommand({ RoleName: 'Ec2Role', PolicyName: 'revisions', PolicyDocument: document }));
    const got = await iam.send(new GetRolePolicyCommand({ RoleName: 'Ec2Role', PolicyName: 'revisions' }));
    expect(decodeURIComponent(got.PolicyDocument ?? '')).toBe(document);
    expect((await iam.send(new ListRolePoliciesCommand({ RoleName: 'Ec2Role' }))).PolicyNames).toEqual(['revisions']);
    await iam.send(new DeleteRolePolicyCommand({ RoleName: 'Ec2Role', PolicyName: 'revisions' }));
    expect(await rejection(iam.send(new GetRolePolicyCommand({ RoleName: 'Ec2Role', PolicyName: 'revisions' })))).toBeInstanceOf(NoSuchEntityException);
  });

  it('pages ListRoles with Marker and IsTruncated', async () => {
    aws.seed({ iam: { roles: ['a', 'b', 'c', 'd'].map((name) => ({ name: `Role-${name}` })) } });
    const pages: string[][] = [];
    for await (const page of paginateListRoles({ client: iam, pageSize: 2 }, {})) pages.push((page.Roles ?? []).map((role) => role.RoleName ?? ''));
    expect(pages).toEqual([['CodeDeployServiceRole', 'Ec2Role'], ['Role-a', 'Role-b'], ['Role-c', 'Role-d']]);
  });

  it('updates trust policies and merges tags', async () => {
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Ec2Role', PolicyDocument: CODEDEPLOY_TRUST_POLICY }));
    await iam.send(new TagRoleCommand({ RoleName: 'Ec2Role', Tags: [{ Key: 'a', Value: '1' }] }));
    await iam.send(new TagRoleCommand({ RoleName: 'Ec2Role', Tags: [{ Key: 'a', Value: '2' }, { Key: 'b', Value: '3' }] }));
    const { Role } = await iam.send(new GetRoleCommand({ RoleName: 'Ec2Role' }));
    expect(decodeURIComponent(Role?.AssumeRolePolicyDocument ?? '')).toBe(CODEDEPLOY_TRUST_POLICY);
    expect(Role?.Tags).toEqual([{ Key: 'a', Value: '2' }, { Key: 'b', Value: '3' }]);
  });
});

describe('IAM instance profiles', () => {
  it('creates a profile with tags, holds one role, and lists profiles for a role', async () => {
    const created = await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'new-profile', Tags: [{ Key: 'owner', Value: 'cd-wizard' }] }));
    expect(created.InstanceProfile).toMatchObject({ InstanceProfileName: 'new-profile', Arn: 'arn:aws:iam::123456789012:instance-profile/new-profile', Roles: [] });
    expect(created.InstanceProfile?.InstanceProfileId).toMatch(/^AIPA[A-Z0-9]{17}$/);
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'new-profile', RoleName: 'Ec2Role' }));
    const second = await rejection(iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'new-profile', RoleName: 'CodeDeployServiceRole' })));
    expect(second).toBeInstanceOf(LimitExceededException);
    expect(second.message).toBe('Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
    await iam.send(new TagInstanceProfileCommand({ InstanceProfileName: 'new-profile', Tags: [{ Key: 'env', Value: 'prod' }] }));

    const got = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'new-profile' }));
    expect(got.InstanceProfile?.Roles?.map((role) => role.RoleName)).toEqual(['Ec2Role']);
    expect(got.InstanceProfile?.Tags).toEqual([{ Key: 'owner', Value: 'cd-wizard' }, { Key: 'env', Value: 'prod' }]);
    const forRole = await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'Ec2Role' }));
    expect(forRole.InstanceProfiles?.map((p) => p.InstanceProfileName)).toEqual(['web-profile', 'other-profile', 'new-profile']);

    const all = await iam.send(new ListInstanceProfilesCommand({}));
    expect(all.InstanceProfiles?.map((p) => [p.InstanceProfileName, p.Roles?.[0]?.RoleName])).toEqual([
      ['web-profile', 'Ec2Role'],
      ['other-profile', 'Ec2Role'],
      ['new-profile', 'Ec2Role'],
    ]);
    await iam.send(new RemoveRoleFromInstanceProfileCommand({ InstanceProfileName: 'new-profile', RoleName: 'Ec2Role' }));
    expect(aws.state.iam.instanceProfiles['new-profile']?.roles).toEqual([]);
    expect(await rejection(iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'new-profile' })))).toBeInstanceOf(EntityAlreadyExistsException);
    expect(await rejection(iam.send(new GetInstanceProfileCommand({ InstanceProfileName: 'gone' })))).toBeInstanceOf(NoSuchEntityException);
  });
});

describe('IAM SimulatePrincipalPolicy', () => {
  it('evaluates attached and inline policies with wildcards, explicit denies and implicit denies', async () => {
    aws.seed({
      iam: {
        roles: [
          {
            name: 'Limited',
            attachedPolicies: [CODEDEPLOY_ROLE_POLICY],
            inlinePolicies: { 'no-terminate': { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 'ec2:Terminate*', Resource: '*' }] } },
          },
        ],
      },
    });
    const result = await iam.send(
      new SimulatePrincipalPolicyCommand({
        PolicySourceArn: 'arn:aws:iam::123456789012:role/Limited',
        ActionNames: ['autoscaling:PutLifecycleHook', 'ec2:TerminateInstances', 'iam:CreateRole'],
      }),
    );
    expect(result.EvaluationResults?.map((r) => [r.EvalActionName, r.EvalDecision])).toEqual([
      ['autoscaling:PutLifecycleHook', 'allowed'],
      ['ec2:TerminateInstances', 'explicitDeny'],
      ['iam:CreateRole', 'implicitDeny'],
    ]);
    expect(result.EvaluationResults?.[0]?.MatchedStatements?.[0]).toMatchObject({ SourcePolicyId: 'AWSCodeDeployRole', SourcePolicyType: 'IAM Policy' });
    expect(result.EvaluationResults?.[1]?.MatchedStatements?.[0]).toMatchObject({ SourcePolicyId: 'no-terminate', SourcePolicyType: 'role' });
  });

  it('lets the default caller (an administrator) simulate its own permissions', async () => {
    const result = await iam.send(
      new SimulatePrincipalPolicyCommand({ PolicySourceArn: 'arn:aws:iam::123456789012:user/cd-wizard-tester', ActionNames: ['iam:PassRole'], ResourceArns: ['arn:aws:iam::123456789012:role/x'] }),
    );
    expect(result.EvaluationResults?.[0]).toMatchObject({ EvalDecision: 'allowed', EvalResourceName: 'arn:aws:iam::123456789012:role/x' });
  });
});

describe('EC2', () => {
  it('filters instances by tag, tag-key, state, ID and instance profile, with wildcards', async () => {
    const ids = async (filters: Array<{ Name: string; Values: string[] }>): Promise<string[]> => {
      const result = await ec2.send(new DescribeInstancesCommand({ Filters: filters }));
      return (result.Reservations ?? []).flatMap((r) => (r.Instances ?? []).map((i) => i.InstanceId ?? '')).sort();
    };
    expect(await ids([{ Name: 'tag:env', Values: ['prod'] }])).toEqual(['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2']);
    expect(await ids([{ Name: 'tag:Name', Values: ['web-*'] }, { Name: 'instance-state-name', Values: ['running'] }])).toEqual(['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2']);
    expect(await ids([{ Name: 'tag-key', Values: ['app'] }])).toEqual(['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2']);
    expect(await ids([{ Name: 'instance-state-name', Values: ['stopped', 'terminated'] }])).toEqual(['i-0aaaaaaaaaaaaaaa3', 'i-0aaaaaaaaaaaaaaa4']);
    expect(await ids([{ Name: 'iam-instance-profile.arn', Values: ['arn:aws:iam::123456789012:instance-profile/web-profile'] }])).toEqual(['i-0aaaaaaaaaaaaaaa1']);
    expect(await ids([{ Name: 'instance-id', Values: ['i-0aaaaaaaaaaaaaaa3'] }])).toEqual(['i-0aaaaaaaaaaaaaaa3']);
    const unknown = await rejection(ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'colour', Values: ['red'] }] })));
    expect(unknown.name).toBe('InvalidParameterValue');
  });

  it('describes instances with their state, platform, tags and profile', async () => {
    const result = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa4'] }));
    const [web, windows] = (result.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    expect(web).toMatchObject({ State: { Code: 16, Name: 'running' }, PlatformDetails: 'Linux/UNIX', IamInstanceProfile: { Arn: 'arn:aws:iam::123456789012:instance-profile/web-profile' } });
    expect(web?.Tags).toEqual(expect.arrayContaining([{ Key: 'Name', Value: 'web-1' }, { Key: 'env', Value: 'prod' }]));
    expect(web?.Platform).toBeUndefined();
    expect(windows).toMatchObject({ Platform: 'windows', State: { Code: 48, Name: 'terminated' } });
  });

  it('reports unknown and malformed instance IDs with EC2 error codes', async () => {
    const missing = await rejection(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0123456789abcdef0'] })));
    expect(missing.name).toBe('InvalidInstanceID.NotFound');
    expect(missing.message).toBe("The instance ID 'i-0123456789abcdef0' does not exist");
    expect(missing.$metadata?.httpStatusCode).toBe(400);
    expect((await rejection(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['web-1'] })))).name).toBe('InvalidInstanceID.Malformed');
    const combination = await rejection(ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0aaaaaaaaaaaaaaa1'], MaxResults: 5 })));
    expect(combination.name).toBe('InvalidParameterCombination');
  });

  it('pages DescribeInstances with MaxResults and NextToken', async () => {
    aws.seed({ ec2: { instances: Array.from({ length: 4 }, (_, i) => ({ name: `extra-${i}` })) } });
    const sizes: number[] = [];
    for await (const page of paginateDescribeInstances({ client: ec2, pageSize: 5 }, {})) sizes.push(page.Reservations?.length ?? 0);
    expect(sizes).toEqual([5, 4]);
  });

  it('associates an instance profile once, then replaces it', async () => {
    const associated = await ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: 'i-0aaaaaaaaaaaaaaa2', IamInstanceProfile: { Name: 'web-profile' } }));
    expect(associated.IamInstanceProfileAssociation).toMatchObject({ InstanceId: 'i-0aaaaaaaaaaaaaaa2', State: 'associating', IamInstanceProfile: { Arn: 'arn:aws:iam::123456789012:instance-profile/web-profile' } });
    expect(associated.IamInstanceProfileAssociation?.AssociationId).toMatch(/^iip-assoc-[0-9a-f]{17}$/);

    const again = await rejection(ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: 'i-0aaaaaaaaaaaaaaa2', IamInstanceProfile: { Name: 'other-profile' } })));
    expect(again.name).toBe('IncorrectState');
    expect(again.message).toBe('There is an existing association for instance i-0aaaaaaaaaaaaaaa2');

    const described = await ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: ['i-0aaaaaaaaaaaaaaa2'] }] }));
    expect(described.IamInstanceProfileAssociations).toHaveLength(1);
    expect(described.IamInstanceProfileAssociations?.[0]?.State).toBe('associated');

    const replaced = await ec2.send(
      new ReplaceIamInstanceProfileAssociationCommand({ AssociationId: associated.IamInstanceProfileAssociation?.AssociationId ?? '', IamInstanceProfile: { Arn: 'arn:aws:iam::123456789012:instance-profile/other-profile' } }),
    );
    expect(replaced.IamInstanceProfileAssociation?.IamInstanceProfile?.Arn).toBe('arn:aws:iam::123456789012:instance-profile/other-profile');
    const instance = await ec2.send(new DescribeInstancesCommand({ InstanceIds: ['i-0aaaaaaaaaaaaaaa2'] }));
    expect(instance.Reservations?.[0]?.Instances?.[0]?.IamInstanceProfile?.Arn).toBe('arn:aws:iam::123456789012:instance-profile/other-profile');

    const removed = await ec2.send(new DisassociateIamInstanceProfileCommand({ AssociationId: replaced.IamInstanceProfileAssociation?.AssociationId ?? '' }));
    expect(removed.IamInstanceProfileAssociation?.State).toBe('disassociating');
    const after = await ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: ['i-0aaaaaaaaaaaaaaa2'] }] }));
    expect(after.IamInstanceProfileAssociations).toEqual([]);

    const badName = await rejection(ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: 'i-0aaaaaaaaaaaaaaa3', IamInstanceProfile: { Name: 'no-such-profile' } })));
    expect(badName.name).toBe('InvalidParameterValue');
    expect(badName.message).toContain('Invalid IAM Instance Profile name');
    const terminated = await rejection(ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: 'i-0aaaaaaaaaaaaaaa4', IamInstanceProfile: { Name: 'web-profile' } })));
    expect(terminated.name).toBe('IncorrectInstanceState');
  });

  it('creates and describes tags', async () => {
    await ec2.send(new CreateTagsCommand({ Resources: ['i-0aaaaaaaaaaaaaaa2', 'i-0aaaaaaaaaaaaaaa3'], Tags: [{ Key: 'CodeDeploy', Value: 'shop' }] }));
    const tags = await ec2.send(new DescribeTagsCommand({ Filters: [{ Name: 'key', Values: ['CodeDeploy'] }] }));
    expect(tags.Tags?.map((t) => [t.ResourceId, t.ResourceType, t.Value])).toEqual([
      ['i-0aaaaaaaaaaaaaaa2', 'instance', 'shop'],
      ['i-0aaaaaaaaaaaaaaa3', 'instance', 'shop'],
    ]);
    expect((await rejection(ec2.send(new CreateTagsCommand({ Resources: ['i-0123456789abcdef0'], Tags: [{ Key: 'a', Value: 'b' }] })))).name).toBe('InvalidInstanceID.NotFound');
  });
});

describe('Auto Scaling', () => {
  it('describes groups with a launch template or a launch configuration, and their instances', async () => {
    const all = await autoscaling.send(new DescribeAutoScalingGroupsCommand({}));
    expect(all.AutoScalingGroups?.map((g) => g.AutoScalingGroupName)).toEqual(['shop-asg', 'legacy-asg']);
    const { AutoScalingGroups: [shop] = [] } = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['shop-asg', 'missing-asg'] }));
    expect(shop?.LaunchTemplate).toMatchObject({ LaunchTemplateName: 'shop-lt', Version: '3' });
    expect(shop?.LaunchConfigurationName).toBeUndefined();
    expect(shop?.Instances).toEqual([expect.objectContaining({ InstanceId: 'i-0bbbbbbbbbbbbbbb1', LifecycleState: 'InService', HealthStatus: 'Healthy' })]);
    expect(shop?.Tags?.[0]).toMatchObject({ Key: 'app', Value: 'shop', ResourceType: 'auto-scaling-group' });
    const legacy = await autoscaling.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ['legacy-asg'] }));
    expect(legacy.AutoScalingGroups?.[0]).toMatchObject({ LaunchConfigurationName: 'legacy-lc', Instances: [] });
    // The group's instances exist in EC2 too.
    const instance = await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:aws:autoscaling:groupName', Values: ['shop-asg'] }] }));
    expect(instance.Reservations?.[0]?.Instances?.[0]?.InstanceId).toBe('i-0bbbbbbbbbbbbbbb1');
  });

  it('shows the launch hook CodeDeploy installs for a deployment group with the group', async () => {
    await codedeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'existing-app',
        deploymentGroupName: 'asg-group',
        serviceRoleArn: 'arn:aws:iam::123456789012:role/CodeDeployServiceRole',
        autoScalingGroups: ['shop-asg'],
      }),
    );
    const hooks = await autoscaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'shop-asg' }));
    expect(hooks.LifecycleHooks).toHaveLength(1);
    expect(hooks.LifecycleHooks?.[0]).toMatchObject({ LifecycleTransition: 'autoscaling:EC2_INSTANCE_LAUNCHING', DefaultResult: 'ABANDON', HeartbeatTimeout: 600 });
    expect(hooks.LifecycleHooks?.[0]?.LifecycleHookName).toMatch(/^CodeDeploy-managed-automatic-launch-deployment-hook-asg-group-/);
    const group = await codedeploy.send(new GetDeploymentGroupCommand({ applicationName: 'existing-app', deploymentGroupName: 'asg-group' }));
    expect(group.deploymentGroupInfo?.autoScalingGroups).toEqual([{ name: 'shop-asg', hook: hooks.LifecycleHooks?.[0]?.LifecycleHookName }]);

    // Taking the group out of the deployment group removes the hook.
    await codedeploy.send(new UpdateDeploymentGroupCommand({ applicationName: 'existing-app', currentDeploymentGroupName: 'asg-group', autoScalingGroups: [] }));
    expect((await autoscaling.send(new DescribeLifecycleHooksCommand({ AutoScalingGroupName: 'shop-asg' }))).LifecycleHooks).toEqual([]);
  });

  it('refuses an Auto Scaling group when the service role cannot manage Auto Scaling', async () => {
    aws.seed({ iam: { roles: [{ name: 'NoPolicies' }] } });
    const error = await rejection(
      codedeploy.send(
        new CreateDeploymentGroupCommand({ applicationName: 'existing-app', deploymentGroupName: 'g', serviceRoleArn: 'arn:aws:iam::123456789012:role/NoPolicies', autoScalingGroups: ['shop-asg'] }),
      ),
    );
    expect(error).toBeInstanceOf(InvalidRoleException);
    expect(error.message).toContain('Auto Scaling');
  });
});

describe('CodeDeploy applications and deployment groups', () => {
  const serviceRoleArn = 'arn:aws:iam::123456789012:role/CodeDeployServiceRole';

  it('creates, gets, lists and batch-gets applications', async () => {
    const created = await codedeploy.send(new CreateApplicationCommand({ applicationName: 'shop', computePlatform: 'Server', tags: [{ Key: 'owner', Value: 'cd-wizard' }] }));
    expect(created.applicationId).toMatch(/^[0-9a-f-]{36}$/);
    const got = await codedeploy.send(new GetApplicationCommand({ applicationName: 'shop' }));
    expect(got.application).toMatchObject({ applicationName: 'shop', applicationId: created.applicationId, computePlatform: 'Server', linkedToGitHub: false });
    expect(got.application?.createTime).toBeInstanceOf(Date);
    expect((await codedeploy.send(new ListApplicationsCommand({}))).applications).toEqual(['existing-app', 'shop']);
    expect((await codedeploy.send(new BatchGetApplicationsCommand({ applicationNames: ['shop', 'existing-app'] }))).applicationsInfo?.map((a) => a.applicationName)).toEqual(['shop', 'existing-app']);

    const duplicate = await rejection(codedeploy.send(new CreateApplicationCommand({ applicationName: 'shop' })));
    expect(duplicate).toBeInstanceOf(ApplicationAlreadyExistsException);
    const missing = await rejection(codedeploy.send(new GetApplicationCommand({ applicationName: 'nope' })));
    expect(missing).toBeInstanceOf(ApplicationDoesNotExistException);
    expect(missing.message).toBe('No application found for name: nope');
  });

  it('creates a deployment group and returns all it was given', async () => {
    const { deploymentGroupId } = await codedeploy.send(
      new CreateDeploymentGroupCommand({
        applicationName: 'existing-app',
        deploymentGroupName: 'prod',
        serviceRoleArn,
        deploymentConfigName: 'CodeDeployDefault.HalfAtATime',
        ec2TagFilters: [{ Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' }],
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
        tags: [{ Key: 'owner', Value: 'cd-wizard' }],
      }),
    );
    expect(deploymentGroupId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    const { deploymentGroupInfo: info } = await codedeploy.send(new GetDeploymentGroupCommand({ applicationName: 'existing-app', deploymentGroupName: 'prod' }));
    expect(info).toMatchObject({
      deploymentGroupId,
      serviceRoleArn,
      deploymentConfigName: 'CodeDeployDefault.HalfAtATime',
      ec2TagFilters: [{ Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' }],
      autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
      deploymentStyle: { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
      computePlatform: 'Server',
    });
    expect((await codedeploy.send(new ListDeploymentGroupsCommand({ applicationName: 'existing-app' }))).deploymentGroups).toEqual(['prod']);
    const tags = await codedeploy.send(new ListTagsForResourceCommand({ ResourceArn: 'arn:aws:codedeploy:us-east-1:123456789012:deploymentgroup:existing-app/prod' }));
    expect(tags.Tags).toEqual([{ Key: 'owner', Value: 'cd-wizard' }]);

    const duplicate = await rejection(codedeploy.send(new CreateDeploymentGroupCommand({ applicationName: 'existing-app', deploymentGroupName: 'prod', serviceRoleArn })));
    expect(duplicate).toBeInstanceOf(DeploymentGroupAlreadyExistsException);
  });

  it('rejects what CodeDeploy rejects', async () => {
    const base = { applicationName: 'existing-app', deploymentGroupName: 'g', serviceRoleArn };
    const both = await rejection(
      codedeploy.send(new CreateDeploymentGroupCommand({ ...base, ec2TagFilters: [{ Key: 'a', Value: 'b', Type: 'KEY_AND_VALUE' }], ec2TagSet: { ec2TagSetList: [[{ Key: 'c', Type: 'KEY_ONLY' }]] } })),
    );
    expect(both).toBeInstanceOf(InvalidEC2TagCombinationException);
    const config = await rejection(codedeploy.send(new CreateDeploymentGroupCommand({ ...base, deploymentConfigName: 'CodeDeployDefault.TwoAtATime' })));
    expect(config).toBeInstanceOf(DeploymentConfigDoesNotExistException);
    const noApp = await rejection(codedeploy.send(new CreateDeploymentGroupCommand({ ...base, applicationName: 'nope' })));
    expect(noApp).toBeInstanceOf(ApplicationDoesNotExistException);
    const noRole = await rejection(codedeploy.send(new CreateDeploymentGroupCommand({ ...base, serviceRoleArn: 'arn:aws:iam::123456789012:role/Missing' })));
    expect(noRole).toBeInstanceOf(InvalidRoleException);
    expect(noRole.message).toBe('Cannot assume role provided.');
    // A role that trusts EC2, not CodeDeploy, cannot be assumed by CodeDeploy either.
    const wrongTrust = await rejection(codedeploy.send(new CreateDeploymentGroupCommand({ ...base, serviceRoleArn: 'arn:aws:iam::123456789012:role/Ec2Role' })));
    expect(wrongTrust).toBeInstanceOf(InvalidRoleException);
    const noGroup = await rejection(codedeploy.send(new GetDeploymentGroupCommand({ applicationName: 'existing-app', deploymentGroupName: 'nope' })));
    expect(noGroup).toBeInstanceOf(DeploymentGroupDoesNotExistException);
    expect(Object.keys(aws.state.codedeploy.deploymentGroups)).toEqual([]);
  });

  it('updates and renames a deployment group, and tags applications', async () => {
    await codedeploy.send(new CreateDeploymentGroupCommand({ applicationName: 'existing-app', deploymentGroupName: 'old', serviceRoleArn, ec2TagFilters: [{ Key: 'env', Type: 'KEY_ONLY' }] }));
    const ec2TagSet = { ec2TagSetList: [[{ Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' as const }], [{ Key: 'app', Type: 'KEY_ONLY' as const }]] };
    // Switching from tag filters to a tag set means clearing the filters in the same call.
    const both = await rejection(codedeploy.send(new UpdateDeploymentGroupCommand({ applicationName: 'existing-app', currentDeploymentGroupName: 'old', ec2TagSet })));
    expect(both).toBeInstanceOf(InvalidEC2TagCombinationException);
    await codedeploy.send(
      new UpdateDeploymentGroupCommand({ applicationName: 'existing-app', currentDeploymentGroupName: 'old', newDeploymentGroupName: 'new', ec2TagSet, ec2TagFilters: [] }),
    );
    const { deploymentGroupInfo: info } = await codedeploy.send(new GetDeploymentGroupCommand({ applicationName: 'existing-app', deploymentGroupName: 'new' }));
    expect(info?.ec2TagFilters).toEqual([]);
    expect(info?.ec2TagSet?.ec2TagSetList).toHaveLength(2);
    expect(await rejection(codedeploy.send(new GetDeploymentGroupCommand({ applicationName: 'existing-app', deploymentGroupName: 'old' })))).toBeInstanceOf(DeploymentGroupDoesNotExistException);

    const appArn = 'arn:aws:codedeploy:us-east-1:123456789012:application:existing-app';
    await codedeploy.send(new TagResourceCommand({ ResourceArn: appArn, Tags: [{ Key: 'cost', Value: '42' }] }));
    expect((await codedeploy.send(new ListTagsForResourceCommand({ ResourceArn: appArn }))).Tags).toEqual([{ Key: 'team', Value: 'web' }, { Key: 'cost', Value: '42' }]);
  });

  it('returns the predefined deployment configs', async () => {
    const { deploymentConfigInfo } = await codedeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'CodeDeployDefault.AllAtOnce' }));
    expect(deploymentConfigInfo).toMatchObject({ deploymentConfigName: 'CodeDeployDefault.AllAtOnce', computePlatform: 'Server', minimumHealthyHosts: { type: 'HOST_COUNT', value: 0 } });
    expect(await rejection(codedeploy.send(new GetDeploymentConfigCommand({ deploymentConfigName: 'Custom' })))).toBeInstanceOf(DeploymentConfigDoesNotExistException);
  });
});

describe('S3', () => {
  it('answers HeadBucket and GetBucketLocation (empty for us-east-1)', async () => {
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'revisions-use1' }));
    expect(head.BucketRegion).toBe('us-east-1');
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'revisions-use1' }))).LocationConstraint).toBeFalsy();
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'revisions-euw1' }))).LocationConstraint).toBe('eu-west-1');
  });

  it('maps a missing bucket to NotFound, a forbidden one to 403, and one in another region to a redirect', async () => {
    const missing = await rejection(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' })));
    expect(missing.name).toBe('NotFound');
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    expect((await rejection(s3.send(new HeadBucketCommand({ Bucket: 'someone-elses' })))).$metadata?.httpStatusCode).toBe(403);
    expect((await rejection(s3.send(new HeadBucketCommand({ Bucket: 'revisions-euw1' })))).$metadata?.httpStatusCode).toBe(301);
    const euw1 = new S3Client({ ...aws.clientConfig(), region: 'eu-west-1', forcePathStyle: true });
    expect((await euw1.send(new HeadBucketCommand({ Bucket: 'revisions-euw1' }))).BucketRegion).toBe('eu-west-1');
  });

  it('answers HeadObject with size, ETag and version, and NotFound for a missing key', async () => {
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'revisions-use1', Key: 'shop/app 1.zip' }));
    expect(head).toMatchObject({ ContentLength: 12, ContentType: 'application/zip', VersionId: 'v1' });
    expect(head.ETag).toMatch(/^"[0-9a-f]{32}"$/);
    const missing = await rejection(s3.send(new HeadObjectCommand({ Bucket: 'revisions-use1', Key: 'shop/app 2.zip' })));
    expect(missing.name).toBe('NotFound');
    expect(aws.calls.at(-1)).toMatchObject({ service: 's3', action: 'HeadObject', status: 404, errorCode: 'NoSuchKey', params: { Bucket: 'revisions-use1', Key: 'shop/app 2.zip' } });
  });
});

describe('S3 reads', () => {
  it('lists buckets and objects, and returns object content', async () => {
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual(['revisions-use1', 'revisions-euw1', 'someone-elses']);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: 'revisions-use1', Prefix: 'shop/' }));
    expect(listed.Contents?.map((o) => [o.Key, o.Size])).toEqual([['shop/app 1.zip', 12]]);
    expect(listed.KeyCount).toBe(1);
    const object = await s3.send(new GetObjectCommand({ Bucket: 'revisions-use1', Key: 'shop/app 1.zip' }));
    expect(await object.Body?.transformToString()).toBe('PK-zip-bytes');
    const missing = await rejection(s3.send(new GetObjectCommand({ Bucket: 'revisions-use1', Key: 'nope.zip' })));
    expect(missing).toBeInstanceOf(NoSuchKey);
  });
});

describe('request signing', () => {
  it('rejects a wrong secret key and an unknown access key with each service’s own error', async () => {
    const wrongSecret = { ...aws.clientConfig(), credentials: { accessKeyId: 'test', secretAccessKey: 'wrong' }, maxAttempts: 1 };
    const unknownKey = { ...aws.clientConfig(), credentials: { accessKeyId: 'AKIAUNKNOWN', secretAccessKey: 'test' }, maxAttempts: 1 };
    expect((await rejection(new IAMClient(wrongSecret).send(new GetRoleCommand({ RoleName: 'Ec2Role' })))).name).toBe('SignatureDoesNotMatch');
    expect((await rejection(new IAMClient(unknownKey).send(new GetRoleCommand({ RoleName: 'Ec2Role' })))).name).toBe('InvalidClientTokenId');
    expect((await rejection(new EC2Client(wrongSecret).send(new DescribeInstancesCommand({})))).name).toBe('AuthFailure');
    expect((await rejection(new CodeDeployClient(wrongSecret).send(new ListApplicationsCommand({})))).name).toBe('InvalidSignatureException');
    expect((await rejection(new CodeDeployClient(unknownKey).send(new ListApplicationsCommand({})))).name).toBe('UnrecognizedClientException');
    expect((await rejection(new S3Client({ ...wrongSecret, forcePathStyle: true }).send(new GetBucketLocationCommand({ Bucket: 'revisions-use1' })))).name).toBe('SignatureDoesNotMatch');
  });
});
