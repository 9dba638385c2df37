// The fake AWS's operations for `agent` and setup's GitHub part: AWS-ConfigureAWSPackage with per-instance
// outcomes, the platform check of Run Command documents, and IAM OpenID Connect providers.
import {
  AddClientIDToOpenIDConnectProviderCommand,
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  EntityAlreadyExistsException,
  GetOpenIDConnectProviderCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  MalformedPolicyDocumentException,
  NoSuchEntityException,
} from '@aws-sdk/client-iam';
import { GetCommandInvocationCommand, InvalidParameters, SendCommandCommand, SSMClient, UnsupportedPlatformType } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAws, type FakeAws } from '../../fake-aws/index.js';
import { rejection } from '../../fake-aws/testing.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const LINUX_OK = 'i-0eeeeeeeeeeeeeee1';
const LINUX_BROKEN = 'i-0eeeeeeeeeeeeeee2';
const WINDOWS = 'i-0eeeeeeeeeeeeeee3';
const PROVIDER = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';

let aws: FakeAws;
let ssm: SSMClient;
let iam: IAMClient;

beforeAll(async () => {
  aws = await startFakeAws({
    seed: {
      ec2: { instances: [{ id: LINUX_OK }, { id: LINUX_BROKEN }, { id: WINDOWS, platform: 'windows' }] },
      ssm: {
        instances: [{ instanceId: LINUX_OK }, { instanceId: LINUX_BROKEN }, { instanceId: WINDOWS }],
        commandRules: [{ instanceId: LINUX_BROKEN, document: 'AWS-ConfigureAWSPackage', status: 'Failed', stderr: 'Failed to install package; install status Failed', durationMs: 1000 }],
      },
    },
  });
  ssm = new SSMClient({ ...aws.clientConfig(), maxAttempts: 1 });
  iam = new IAMClient({ ...aws.clientConfig(), maxAttempts: 1 });
});
afterAll(async () => {
  ssm.destroy();
  iam.destroy();
  await aws.close();
});

const install = (ids: string[], parameters: Record<string, string[]> = { action: ['Install'], name: ['AWSCodeDeployAgent'] }) =>
  ssm.send(new SendCommandCommand({ DocumentName: 'AWS-ConfigureAWSPackage', InstanceIds: ids, Parameters: parameters }));
const invocation = (commandId: string, id: string) => ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: id }));

describe('SSM AWS-ConfigureAWSPackage', () => {
  it('installs on Linux and Windows alike; a seeded rule fails one instance with its output', async () => {
    const sent = await install([LINUX_OK, LINUX_BROKEN, WINDOWS]);
    const id = sent.Command?.CommandId ?? '';
    expect(await invocation(id, LINUX_OK)).toMatchObject({ Status: 'Success', StandardOutputContent: 'Successfully installed AWSCodeDeployAgent', PluginName: 'configurePackage' });
    expect(await invocation(id, WINDOWS)).toMatchObject({ Status: 'Success' });
    expect(await invocation(id, LINUX_BROKEN)).toMatchObject({ Status: 'InProgress' });
    aws.advanceClock(1000);
    expect(await invocation(id, LINUX_BROKEN)).toMatchObject({ Status: 'Failed', ResponseCode: 1, StandardErrorContent: 'Failed to install package; install status Failed' });
  });

  it('checks the package parameters', async () => {
    expect(await rejection(install([LINUX_OK], { name: ['AWSCodeDeployAgent'] }))).toBeInstanceOf(InvalidParameters);
    expect(await rejection(install([LINUX_OK], { action: ['Install'] }))).toBeInstanceOf(InvalidParameters);
    expect(await rejection(install([LINUX_OK], { action: ['Install'], name: ['AWSCodeDeployAgent'], installationType: ['Sideways'] }))).toBeInstanceOf(InvalidParameters);
  });

  it('refuses a shell script on Windows and PowerShell on Linux', async () => {
    const shell = await rejection(ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: [LINUX_OK, WINDOWS], Parameters: { commands: ['true'] } })));
    expect(shell).toBeInstanceOf(UnsupportedPlatformType);
    expect((shell as Error).message).toContain(WINDOWS);
    expect(await rejection(ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunPowerShellScript', InstanceIds: [LINUX_OK], Parameters: { commands: ['$true'] } })))).toBeInstanceOf(UnsupportedPlatformType);
  });

  it('a rule may match what was sent before on the same instance (a report after the install)', async () => {
    const report = async () => (await invocation((await ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: [LINUX_OK], Parameters: { commands: ['report'] } }))).Command?.CommandId ?? '', LINUX_OK)).StandardOutputContent;
    aws.reset();
    aws.seed({ ec2: { instances: [{ id: LINUX_OK }] }, ssm: { instances: [{ instanceId: LINUX_OK }], commandRules: [{ commandContains: 'report', after: 'AWSCodeDeployAgent', stdout: 'after' }, { commandContains: 'report', stdout: 'before' }] } });
    expect(await report()).toBe('before');
    await install([LINUX_OK]);
    expect(await report()).toBe('after');
  });
});

describe('IAM OpenID Connect providers', () => {
  const trust = JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Federated: PROVIDER }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: { StringEquals: { 'token.actions.githubusercontent.com:sub': 'repo:o/r:ref:refs/heads/main' } } }],
  });

  it('a role may trust a provider only once it exists', async () => {
    aws.reset();
    expect(await rejection(iam.send(new CreateRoleCommand({ RoleName: 'deploy', AssumeRolePolicyDocument: trust })))).toBeInstanceOf(MalformedPolicyDocumentException);
    const created = await iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'], Tags: [{ Key: 'ManagedBy', Value: 'cd-wizard' }] }));
    expect(created.OpenIDConnectProviderArn).toBe(PROVIDER);
    expect((await iam.send(new CreateRoleCommand({ RoleName: 'deploy', AssumeRolePolicyDocument: trust }))).Role?.RoleName).toBe('deploy');
  });

  it('lists, reads (URL without https://), adds audiences idempotently, and refuses a second provider for a URL', async () => {
    expect((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList).toEqual([{ Arn: PROVIDER }]);
    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: PROVIDER, ClientID: 'other' }));
    await iam.send(new AddClientIDToOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: PROVIDER, ClientID: 'other' }));
    const read = await iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: PROVIDER }));
    expect(read).toMatchObject({ Url: 'token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com', 'other'], Tags: [{ Key: 'ManagedBy', Value: 'cd-wizard' }] });
    expect(await rejection(iam.send(new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['x'] })))).toBeInstanceOf(EntityAlreadyExistsException);
    expect(await rejection(iam.send(new GetOpenIDConnectProviderCommand({ OpenIDConnectProviderArn: 'arn:aws:iam::123456789012:oidc-provider/example.com' })))).toBeInstanceOf(NoSuchEntityException);
  });
});
