import * as IamSdk from '@aws-sdk/client-iam';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { AwsError } from '../../../src/aws/errors.js';
import { createIamPort, decodePolicyDocument } from '../../../src/aws/ports/iam.js';
import { wantedTrust } from '../../../src/codedeploy/trust.js';

const serviceRoleTrust = (partition: string, account: string) => wantedTrust('codedeploy', { partition, account });
import { OFFLINE, TARGET, sdkError } from './helpers.js';

const iam = mockClient(IamSdk.IAMClient);
// Test files share a process: put the real clients back for the files that follow.
afterAll(() => { iam.restore(); });
const port = createIamPort(async () => ({ sdk: IamSdk, client: new IamSdk.IAMClient(OFFLINE), target: TARGET }));
afterEach(() => iam.reset());

const trust = serviceRoleTrust('aws', '123456789012').document;
const encoded = encodeURIComponent(JSON.stringify(trust));

describe('IAM port', () => {
  it('creates a role with the exact trust policy JSON and the ManagedBy tag', async () => {
    iam.on(IamSdk.CreateRoleCommand).resolves({ Role: { RoleName: 'R', Arn: 'arn:aws:iam::123456789012:role/R', Path: '/', RoleId: 'x', CreateDate: new Date() } });
    const { role, created } = await port.createRole({ name: 'R', trust, description: 'd', tags: { ManagedBy: 'cd-wizard' } });
    expect(created).toBe(true);
    expect(role.arn).toBe('arn:aws:iam::123456789012:role/R');
    const input = iam.commandCalls(IamSdk.CreateRoleCommand)[0]?.args[0].input;
    expect(input).toEqual({ RoleName: 'R', Description: 'd', Tags: [{ Key: 'ManagedBy', Value: 'cd-wizard' }], AssumeRolePolicyDocument: expect.any(String) });
    expect(JSON.parse(input?.AssumeRolePolicyDocument ?? '')).toEqual({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'codedeploy.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': 'arn:aws:codedeploy:*:123456789012:deploymentgroup:*' } },
        },
      ],
    });
  });

  it('re-reads the role when it already exists (an interrupted or parallel run)', async () => {
    iam.on(IamSdk.CreateRoleCommand).rejects(sdkError('EntityAlreadyExistsException', 'Role with name R already exists.', 409));
    iam.on(IamSdk.GetRoleCommand).resolves({ Role: { RoleName: 'R', Arn: 'arn:aws:iam::123456789012:role/R', Path: '/', RoleId: 'x', CreateDate: new Date(), AssumeRolePolicyDocument: encoded, Tags: [{ Key: 'ManagedBy', Value: 'cd-wizard' }] } });
    const { role, created } = await port.createRole({ name: 'R', trust, description: 'd', tags: {} });
    expect(created).toBe(false);
    expect(role.trust).toEqual(trust);
    expect(role.tags).toEqual({ ManagedBy: 'cd-wizard' });
    expect(iam.commandCalls(IamSdk.GetRoleCommand)[0]?.args[0].input).toEqual({ RoleName: 'R' });
  });

  it('decodes the URL-encoded trust policy IAM returns, and returns undefined for a missing role', async () => {
    iam.on(IamSdk.GetRoleCommand, { RoleName: 'R' }).resolves({ Role: { RoleName: 'R', Arn: 'a', Path: '/', RoleId: 'x', CreateDate: new Date(), AssumeRolePolicyDocument: encoded } });
    iam.on(IamSdk.GetRoleCommand, { RoleName: 'Nope' }).rejects(sdkError('NoSuchEntityException', 'The role with name Nope cannot be found.', 404));
    expect((await port.getRole('R'))?.trust).toEqual(trust);
    expect(await port.getRole('Nope')).toBeUndefined();
    expect(decodePolicyDocument(JSON.stringify(trust))).toEqual(trust);
    expect(decodePolicyDocument('%7Bnot json')).toBeUndefined();
  });

  it('folds every page of attached policies', async () => {
    iam
      .on(IamSdk.ListAttachedRolePoliciesCommand)
      .resolvesOnce({ AttachedPolicies: [{ PolicyArn: 'arn:1' }], IsTruncated: true, Marker: 'm1' })
      .resolvesOnce({ AttachedPolicies: [{ PolicyArn: 'arn:2' }], IsTruncated: false });
    expect(await port.listAttachedPolicies('R')).toEqual(['arn:1', 'arn:2']);
    expect(iam.commandCalls(IamSdk.ListAttachedRolePoliciesCommand).map((c) => c.args[0].input)).toEqual([{ RoleName: 'R' }, { RoleName: 'R', Marker: 'm1' }]);
  });

  it('sends inline policies as JSON and reads them back decoded', async () => {
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow' as const, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] };
    iam.on(IamSdk.PutRolePolicyCommand).resolves({});
    iam.on(IamSdk.GetRolePolicyCommand).resolves({ RoleName: 'R', PolicyName: 'p', PolicyDocument: encodeURIComponent(JSON.stringify(document)) });
    await port.putInlinePolicy('R', 'p', document);
    expect(iam.commandCalls(IamSdk.PutRolePolicyCommand)[0]?.args[0].input).toEqual({ RoleName: 'R', PolicyName: 'p', PolicyDocument: JSON.stringify(document) });
    expect(await port.getInlinePolicy('R', 'p')).toEqual(document);
  });

  it('lists every role with its decoded trust policy (the trust rules decide which to offer)', async () => {
    iam.on(IamSdk.ListRolesCommand).resolves({
      Roles: [
        { RoleName: 'Cd', Arn: 'a1', Path: '/', RoleId: '1', CreateDate: new Date(), AssumeRolePolicyDocument: encoded },
        { RoleName: 'Lambda', Arn: 'a2', Path: '/', RoleId: '2', CreateDate: new Date(), AssumeRolePolicyDocument: encodeURIComponent('{"Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}') },
      ],
    });
    const roles = await port.listRoles();
    expect(roles.map((r) => r.name)).toEqual(['Cd', 'Lambda']);
    expect(roles[1]?.trust?.Statement[0]?.Principal).toEqual({ Service: 'lambda.amazonaws.com' });
  });

  it('treats "profile already holds this role" as done, but not another role', async () => {
    iam.on(IamSdk.AddRoleToInstanceProfileCommand).rejects(sdkError('LimitExceededException', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1', 409));
    iam.on(IamSdk.GetInstanceProfileCommand).resolves({ InstanceProfile: { InstanceProfileName: 'P', Arn: 'p', Path: '/', InstanceProfileId: 'i', CreateDate: new Date(), Roles: [{ RoleName: 'R', Arn: 'r', Path: '/', RoleId: 'x', CreateDate: new Date() }] } });
    await expect(port.addRoleToInstanceProfile('P', 'R')).resolves.toBeUndefined();
    await expect(port.addRoleToInstanceProfile('P', 'Other')).rejects.toBeInstanceOf(AwsError);
  });

  it('creates instance profiles with tags', async () => {
    iam.on(IamSdk.CreateInstanceProfileCommand).resolves({ InstanceProfile: { InstanceProfileName: 'P', Arn: 'arn:aws:iam::1:instance-profile/P', Path: '/', InstanceProfileId: 'i', CreateDate: new Date(), Roles: [] } });
    const { profile } = await port.createInstanceProfile({ name: 'P', tags: { ManagedBy: 'cd-wizard' } });
    expect(profile.arn).toBe('arn:aws:iam::1:instance-profile/P');
    expect(iam.commandCalls(IamSdk.CreateInstanceProfileCommand)[0]?.args[0].input).toEqual({ InstanceProfileName: 'P', Tags: [{ Key: 'ManagedBy', Value: 'cd-wizard' }] });
  });

  it('turns AccessDenied into an AwsError naming the action', async () => {
    iam.on(IamSdk.AttachRolePolicyCommand).rejects(sdkError('AccessDenied', 'User: arn:aws:iam::1:user/bob is not authorized to perform: iam:AttachRolePolicy on resource: role R', 403));
    const error = await port.attachPolicy('R', 'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AwsError);
    expect((error as AwsError).message).toBe('user/bob is not allowed to call iam:AttachRolePolicy on role R.');
  });
});
