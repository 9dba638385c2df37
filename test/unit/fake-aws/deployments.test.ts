// The fake AWS's operations for `fix`: CodeDeploy deployments and targets, and SSM Run Command.
import {
  BatchGetDeploymentTargetsCommand,
  BatchGetDeploymentsCommand,
  CodeDeployClient,
  CreateDeploymentCommand,
  DeploymentDoesNotExistException,
  DeploymentLimitExceededException,
  DeploymentTargetListSizeExceededException,
  GetDeploymentCommand,
  GetDeploymentGroupCommand,
  InvalidDeploymentIdException,
  ListDeploymentTargetsCommand,
  ListDeploymentsCommand,
} from '@aws-sdk/client-codedeploy';
import { DescribeInstanceInformationCommand, GetCommandInvocationCommand, InvalidInstanceId, InvocationDoesNotExist, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAws, type FakeAws, type Seed } from '../../fake-aws/index.js';
import { rejection } from '../../fake-aws/testing.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const FAILED = 'd-FAILED001';
const SEED: Seed = {
  iam: { roles: [{ name: 'CodeDeployServiceRole', attachedPolicies: ['arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole'] }] },
  ec2: {
    instances: [
      { id: 'i-0ddddddddddddddd1', name: 'web-1', tags: { env: 'prod' } },
      { id: 'i-0ddddddddddddddd2', name: 'web-2', tags: { env: 'prod' } },
      { id: 'i-0ddddddddddddddd3', name: 'old', tags: { env: 'prod' }, state: 'terminated' },
    ],
  },
  codedeploy: {
    applications: [{ name: 'shop' }],
    deploymentGroups: [
      { application: 'shop', name: 'prod', serviceRole: 'CodeDeployServiceRole', ec2TagFilters: [{ Key: 'env', Value: 'prod', Type: 'KEY_AND_VALUE' }] },
      { application: 'shop', name: 'empty', serviceRole: 'CodeDeployServiceRole', ec2TagFilters: [{ Key: 'env', Value: 'nowhere', Type: 'KEY_AND_VALUE' }] },
    ],
    deployments: [
      { id: 'd-OLDOK0001', application: 'shop', deploymentGroup: 'prod', status: 'Succeeded', createTime: '2026-11-01T10:00:00Z', targets: [{ instanceId: 'i-0ddddddddddddddd1' }] },
      {
        id: FAILED,
        application: 'shop',
        deploymentGroup: 'prod',
        status: 'Failed',
        createTime: '2026-11-02T10:00:00Z',
        errorInformation: { code: 'HEALTH_CONSTRAINTS', message: 'The overall deployment failed because too many individual instances failed deployment' },
        targets: [
          { instanceId: 'i-0ddddddddddddddd1', failAt: 'AfterInstall', errorCode: 'ScriptFailed', scriptName: 'scripts/migrate.sh', message: 'Script at specified location: scripts/migrate.sh run as user root failed with exit code 1', logTail: '[stderr]psql: connection refused' },
          { instanceId: 'i-0ddddddddddddddd2' },
        ],
      },
    ],
  },
  ssm: {
    instances: [{ instanceId: 'i-0ddddddddddddddd1' }, { instanceId: 'i-0ddddddddddddddd2', pingStatus: 'ConnectionLost' }],
    commandRules: [{ commandContains: 'systemctl status codedeploy-agent', stdout: 'inactive (dead)', exitCode: 3, status: 'Failed', durationMs: 2000 }],
  },
};

let aws: FakeAws;
let codedeploy: CodeDeployClient;
let ssm: SSMClient;

beforeAll(async () => {
  aws = await startFakeAws({ seed: SEED });
  codedeploy = new CodeDeployClient({ ...aws.clientConfig(), maxAttempts: 1 });
  ssm = new SSMClient({ ...aws.clientConfig(), maxAttempts: 1 });
});
afterAll(async () => {
  codedeploy.destroy();
  ssm.destroy();
  await aws.close();
});
beforeEach(() => aws.reset());


describe('seeded deployments', () => {
  it('lists deployments newest first, filtered by group and status', async () => {
    expect((await codedeploy.send(new ListDeploymentsCommand({ applicationName: 'shop', deploymentGroupName: 'prod' }))).deployments).toEqual([FAILED, 'd-OLDOK0001']);
    expect((await codedeploy.send(new ListDeploymentsCommand({ applicationName: 'shop', deploymentGroupName: 'prod', includeOnlyStatuses: ['Failed'] }))).deployments).toEqual([FAILED]);
    const range = await codedeploy.send(new ListDeploymentsCommand({ createTimeRange: { start: new Date('2026-11-02T00:00:00Z') } }));
    expect(range.deployments).toEqual([FAILED]);
  });

  it('returns a failed deployment with its error information and overview', async () => {
    const { deploymentInfo } = await codedeploy.send(new GetDeploymentCommand({ deploymentId: FAILED }));
    expect(deploymentInfo).toMatchObject({
      deploymentId: FAILED,
      status: 'Failed',
      errorInformation: { code: 'HEALTH_CONSTRAINTS' },
      deploymentOverview: { Failed: 1, Succeeded: 1, Pending: 0 },
      creator: 'user',
      computePlatform: 'Server',
    });
    expect(deploymentInfo?.createTime).toEqual(new Date('2026-11-02T10:00:00Z'));
    const batch = await codedeploy.send(new BatchGetDeploymentsCommand({ deploymentIds: [FAILED, 'd-OLDOK0001', 'd-MISSING01'] }));
    expect(batch.deploymentsInfo?.map((d) => d.status)).toEqual(['Failed', 'Succeeded']);
    expect(await rejection(codedeploy.send(new GetDeploymentCommand({ deploymentId: 'd-MISSING01' })))).toBeInstanceOf(DeploymentDoesNotExistException);
    expect(await rejection(codedeploy.send(new GetDeploymentCommand({ deploymentId: 'not-an-id' })))).toBeInstanceOf(InvalidDeploymentIdException);
  });

  it('lists targets by status and returns lifecycle events with diagnostics', async () => {
    const failedTargets = await codedeploy.send(new ListDeploymentTargetsCommand({ deploymentId: FAILED, targetFilters: { TargetStatus: ['Failed'] } }));
    expect(failedTargets.targetIds).toEqual(['i-0ddddddddddddddd1']);
    const { deploymentTargets } = await codedeploy.send(new BatchGetDeploymentTargetsCommand({ deploymentId: FAILED, targetIds: ['i-0ddddddddddddddd1', 'i-0ddddddddddddddd2'] }));
    const [failed, ok] = deploymentTargets ?? [];
    expect(failed?.deploymentTargetType).toBe('InstanceTarget');
    expect(failed?.instanceTarget).toMatchObject({ targetId: 'i-0ddddddddddddddd1', status: 'Failed', targetArn: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0ddddddddddddddd1' });
    const events = failed?.instanceTarget?.lifecycleEvents ?? [];
    expect(events.map((e) => `${e.lifecycleEventName}:${e.status}`)).toEqual([
      'ApplicationStop:Succeeded',
      'DownloadBundle:Succeeded',
      'BeforeInstall:Succeeded',
      'Install:Succeeded',
      'AfterInstall:Failed',
      'ApplicationStart:Skipped',
      'ValidateService:Skipped',
    ]);
    expect(events[4]?.diagnostics).toEqual({
      errorCode: 'ScriptFailed',
      scriptName: 'scripts/migrate.sh',
      message: 'Script at specified location: scripts/migrate.sh run as user root failed with exit code 1',
      logTail: '[stderr]psql: connection refused',
    });
    expect(ok?.instanceTarget?.status).toBe('Succeeded');

    const tooMany = Array.from({ length: 26 }, (_, i) => `i-${String(i).padStart(17, '0')}`);
    expect(await rejection(codedeploy.send(new BatchGetDeploymentTargetsCommand({ deploymentId: FAILED, targetIds: tooMany })))).toBeInstanceOf(DeploymentTargetListSizeExceededException);
  });
});

describe('CreateDeployment', () => {
  const revision = { revisionType: 'S3' as const, s3Location: { bucket: 'revisions', key: 'shop.zip', bundleType: 'zip' as const } };

  it('runs a simulated deployment on the group’s live instances, failing where an outcome rule says', async () => {
    aws.seed({ codedeploy: { deploymentDurationMs: 5000, outcomes: [{ instanceId: 'i-0ddddddddddddddd2', failAt: 'ApplicationStart', errorCode: 'ScriptTimedOut', message: 'Script at specified location: scripts/start.sh timed out' }] } });
    const { deploymentId } = await codedeploy.send(new CreateDeploymentCommand({ applicationName: 'shop', deploymentGroupName: 'prod', revision }));
    expect(deploymentId).toMatch(/^d-[A-Z0-9]{9}$/);
    const running = await codedeploy.send(new GetDeploymentCommand({ deploymentId }));
    expect(running.deploymentInfo).toMatchObject({ status: 'InProgress', deploymentOverview: { InProgress: 2 }, deploymentConfigName: 'CodeDeployDefault.OneAtATime' });
    const busy = await rejection(codedeploy.send(new CreateDeploymentCommand({ applicationName: 'shop', deploymentGroupName: 'prod', revision })));
    expect(busy).toBeInstanceOf(DeploymentLimitExceededException);

    aws.advanceClock(5000);
    const done = await codedeploy.send(new GetDeploymentCommand({ deploymentId }));
    expect(done.deploymentInfo).toMatchObject({ status: 'Failed', errorInformation: { code: 'HEALTH_CONSTRAINTS' }, deploymentOverview: { Succeeded: 1, Failed: 1 } });
    const { deploymentTargets } = await codedeploy.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: ['i-0ddddddddddddddd2'] }));
    const failedEvent = deploymentTargets?.[0]?.instanceTarget?.lifecycleEvents?.find((e) => e.status === 'Failed');
    expect(failedEvent).toMatchObject({ lifecycleEventName: 'ApplicationStart', diagnostics: { errorCode: 'ScriptTimedOut' } });
    const group = await codedeploy.send(new GetDeploymentGroupCommand({ applicationName: 'shop', deploymentGroupName: 'prod' }));
    expect(group.deploymentGroupInfo?.lastAttemptedDeployment).toMatchObject({ deploymentId, status: 'Failed' });
    expect(group.deploymentGroupInfo?.lastSuccessfulDeployment?.deploymentId).toBe('d-OLDOK0001');
  });

  it('succeeds when every instance succeeds, and fails with NO_INSTANCES when the group matches none', async () => {
    const { deploymentId } = await codedeploy.send(new CreateDeploymentCommand({ applicationName: 'shop', deploymentGroupName: 'prod', revision }));
    expect((await codedeploy.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo?.status).toBe('Succeeded');
    const empty = await codedeploy.send(new CreateDeploymentCommand({ applicationName: 'shop', deploymentGroupName: 'empty', revision }));
    const info = (await codedeploy.send(new GetDeploymentCommand({ deploymentId: empty.deploymentId }))).deploymentInfo;
    expect(info?.status).toBe('Failed');
    expect(info?.errorInformation?.code).toBe('NO_INSTANCES');
  });
});

describe('SSM', () => {
  it('describes managed instances, filtered by ID and ping status', async () => {
    const all = await ssm.send(new DescribeInstanceInformationCommand({}));
    expect(all.InstanceInformationList?.map((i) => [i.InstanceId, i.PingStatus, i.PlatformType])).toEqual([
      ['i-0ddddddddddddddd1', 'Online', 'Linux'],
      ['i-0ddddddddddddddd2', 'ConnectionLost', 'Linux'],
    ]);
    expect(all.InstanceInformationList?.[0]?.LastPingDateTime).toBeInstanceOf(Date);
    const online = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'PingStatus', Values: ['Online'] }, { Key: 'InstanceIds', Values: ['i-0ddddddddddddddd1', 'i-0ddddddddddddddd2'] }] }));
    expect(online.InstanceInformationList?.map((i) => i.InstanceId)).toEqual(['i-0ddddddddddddddd1']);
  });

  it('runs a command, which is in progress until its rule’s duration has passed, then prints the rule’s output', async () => {
    const sent = await ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0ddddddddddddddd1'], Parameters: { commands: ['systemctl status codedeploy-agent'] } }));
    expect(sent.Command).toMatchObject({ Status: 'Pending', DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0ddddddddddddddd1'], Parameters: { commands: ['systemctl status codedeploy-agent'] } });
    const commandId = sent.Command?.CommandId ?? '';
    const first = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: 'i-0ddddddddddddddd1' }));
    expect(first).toMatchObject({ Status: 'InProgress', ResponseCode: -1 });
    aws.advanceClock(2000);
    const done = await ssm.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: 'i-0ddddddddddddddd1' }));
    expect(done).toMatchObject({ Status: 'Failed', ResponseCode: 3, StandardOutputContent: 'inactive (dead)', PluginName: 'aws:runShellScript' });

    const other = await ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0ddddddddddddddd1'], Parameters: { commands: ['echo hi'] } }));
    const ok = await ssm.send(new GetCommandInvocationCommand({ CommandId: other.Command?.CommandId ?? '', InstanceId: 'i-0ddddddddddddddd1' }));
    expect(ok).toMatchObject({ Status: 'Success', ResponseCode: 0, StandardOutputContent: '' });
  });

  it('refuses instances that are not online, and hides new invocations for ssmInvocationDelayMs', async () => {
    const offline = await rejection(ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0ddddddddddddddd2'], Parameters: { commands: ['true'] } })));
    expect(offline).toBeInstanceOf(InvalidInstanceId);
    aws.setFaults({ ssmInvocationDelayMs: 500 });
    const sent = await ssm.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-0ddddddddddddddd1'], Parameters: { commands: ['true'] } }));
    const get = () => ssm.send(new GetCommandInvocationCommand({ CommandId: sent.Command?.CommandId ?? '', InstanceId: 'i-0ddddddddddddddd1' }));
    expect(await rejection(get())).toBeInstanceOf(InvocationDoesNotExist);
    aws.advanceClock(500);
    await expect(get()).resolves.toMatchObject({ Status: 'Success' });
  });
});
