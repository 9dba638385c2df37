/** STS and IAM steps of the contract scenario: the roles and the instance profile setup makes, and their errors. */
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  GetInstanceProfileCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
  TagRoleCommand,
  type Role,
} from '@aws-sdk/client-iam';
import { policyOf, tagsOf } from './outcome.js';
import { failing, step, type Step } from './scenario.js';

export const SERVICE_ROLE = 'ContractServiceRole';
export const INSTANCE_ROLE = 'ContractInstanceRole';
export const PROFILE = 'ContractInstanceProfile';
export const CODEDEPLOY_ROLE_POLICY = 'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole';
const MANAGED_BY = [{ Key: 'ManagedBy', Value: 'cd-wizard' }];

const trust = (service: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
const READ_REVISIONS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:GetObjectVersion'], Resource: 'arn:aws:s3:::contract-revisions/*' }],
});

/** What the IAM port reads of a role (src/aws/ports/iam.ts, toRole). */
const roleView = (role: Role | undefined) => ({
  name: role?.RoleName,
  arn: role?.Arn,
  path: role?.Path,
  trust: policyOf(role?.AssumeRolePolicyDocument),
  tags: tagsOf(role?.Tags),
});

export const IAM_STEPS: readonly Step[] = [
  step('STS GetCallerIdentity', (c) => c.sts.send(new GetCallerIdentityCommand({})), {
    // The caller differs by design (each server has its own test user); setup reads the account and the ARN's partition.
    view: (out) => ({ account: out.Account, partition: out.Arn?.split(':')[1] }),
  }),
  failing('IAM GetRole of a missing role → NoSuchEntity', (c) => c.iam.send(new GetRoleCommand({ RoleName: SERVICE_ROLE }))),
  step(
    'IAM CreateRole with tags',
    (c) => c.iam.send(new CreateRoleCommand({ RoleName: SERVICE_ROLE, AssumeRolePolicyDocument: trust('codedeploy.amazonaws.com'), Description: 'contract', Tags: MANAGED_BY })),
    { view: (out) => roleView(out.Role) },
  ),
  failing('IAM CreateRole of an existing role → EntityAlreadyExists', (c) =>
    c.iam.send(new CreateRoleCommand({ RoleName: SERVICE_ROLE, AssumeRolePolicyDocument: trust('codedeploy.amazonaws.com') })),
  ),
  failing(
    'IAM CreateRole of a name differing only in case → EntityAlreadyExists',
    (c) => c.iam.send(new CreateRoleCommand({ RoleName: SERVICE_ROLE.toLowerCase(), AssumeRolePolicyDocument: trust('codedeploy.amazonaws.com') })),
    {
      aws: { error: 'EntityAlreadyExists', status: 409 },
      // moto 5 creates a second role. The IAM API reference (CreateRole, RoleName) says role names are unique
      // within the account and not distinguished by case.
      why: 'IAM API reference, CreateRole RoleName: names are not distinguished by case',
    },
  ),
  step('IAM GetRole', (c) => c.iam.send(new GetRoleCommand({ RoleName: SERVICE_ROLE })), { view: (out) => roleView(out.Role) }),
  step('IAM AttachRolePolicy AWSCodeDeployRole', (c) => c.iam.send(new AttachRolePolicyCommand({ RoleName: SERVICE_ROLE, PolicyArn: CODEDEPLOY_ROLE_POLICY }))),
  failing('IAM AttachRolePolicy of an unknown managed policy → NoSuchEntity', (c) =>
    c.iam.send(new AttachRolePolicyCommand({ RoleName: SERVICE_ROLE, PolicyArn: 'arn:aws:iam::aws:policy/NoSuchContractPolicy' })),
  ),
  failing('IAM AttachRolePolicy to a missing role → NoSuchEntity', (c) =>
    c.iam.send(new AttachRolePolicyCommand({ RoleName: 'MissingContractRole', PolicyArn: CODEDEPLOY_ROLE_POLICY })),
  ),
  step('IAM ListAttachedRolePolicies', (c) => c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: SERVICE_ROLE })), {
    view: (out) => ({ arns: (out.AttachedPolicies ?? []).map((p) => p.PolicyArn), truncated: out.IsTruncated }),
  }),
  step('IAM CreateRole (instance role)', (c) => c.iam.send(new CreateRoleCommand({ RoleName: INSTANCE_ROLE, AssumeRolePolicyDocument: trust('ec2.amazonaws.com') })), {
    view: (out) => roleView(out.Role),
  }),
  step('IAM PutRolePolicy', (c) => c.iam.send(new PutRolePolicyCommand({ RoleName: INSTANCE_ROLE, PolicyName: 'cd-wizard-revision-read', PolicyDocument: READ_REVISIONS }))),
  step('IAM GetRolePolicy', (c) => c.iam.send(new GetRolePolicyCommand({ RoleName: INSTANCE_ROLE, PolicyName: 'cd-wizard-revision-read' })), {
    view: (out) => ({ role: out.RoleName, name: out.PolicyName, document: policyOf(out.PolicyDocument) }),
  }),
  failing('IAM GetRolePolicy of a missing policy → NoSuchEntity', (c) => c.iam.send(new GetRolePolicyCommand({ RoleName: INSTANCE_ROLE, PolicyName: 'missing' }))),
  step('IAM TagRole', (c) => c.iam.send(new TagRoleCommand({ RoleName: INSTANCE_ROLE, Tags: MANAGED_BY }))),
  failing('IAM TagRole of a missing role → NoSuchEntity', (c) => c.iam.send(new TagRoleCommand({ RoleName: 'MissingContractRole', Tags: MANAGED_BY }))),
  step('IAM GetRole shows the tag', (c) => c.iam.send(new GetRoleCommand({ RoleName: INSTANCE_ROLE })), { view: (out) => roleView(out.Role) }),
  failing('IAM GetInstanceProfile of a missing profile → NoSuchEntity', (c) => c.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: PROFILE }))),
  step('IAM CreateInstanceProfile with tags', (c) => c.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: PROFILE, Tags: MANAGED_BY })), {
    view: (out) => ({ name: out.InstanceProfile?.InstanceProfileName, arn: out.InstanceProfile?.Arn, tags: tagsOf(out.InstanceProfile?.Tags) }),
  }),
  failing('IAM CreateInstanceProfile of an existing profile → EntityAlreadyExists', (c) =>
    c.iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: PROFILE })),
  ),
  step('IAM AddRoleToInstanceProfile', (c) => c.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: PROFILE, RoleName: INSTANCE_ROLE }))),
  failing('IAM AddRoleToInstanceProfile to a full profile → LimitExceeded', (c) =>
    c.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: PROFILE, RoleName: SERVICE_ROLE })),
  ),
  failing('IAM AddRoleToInstanceProfile of a missing role → NoSuchEntity', (c) =>
    c.iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'MissingContractProfile', RoleName: 'MissingContractRole' })),
  ),
  step('IAM GetInstanceProfile', (c) => c.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: PROFILE })), {
    view: (out) => ({
      name: out.InstanceProfile?.InstanceProfileName,
      arn: out.InstanceProfile?.Arn,
      roles: (out.InstanceProfile?.Roles ?? []).map((role) => ({ name: role.RoleName, arn: role.Arn })),
      tags: tagsOf(out.InstanceProfile?.Tags),
    }),
  }),
  step('IAM ListRoles', (c) => c.iam.send(new ListRolesCommand({})), {
    // Only the scenario's roles (a server may hold others), without tags: the IAM API reference says ListRoles
    // does not return them.
    view: (out) =>
      (out.Roles ?? [])
        .map((role) => ({ ...roleView(role), tags: undefined }))
        .filter((role) => role.name?.startsWith('Contract'))
        .sort((a, b) => (a.name ?? '').localeCompare(b.name ?? '')),
  }),
];
