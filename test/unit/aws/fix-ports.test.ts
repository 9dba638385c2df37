import * as CodeDeploySdk from '@aws-sdk/client-codedeploy';
import * as IamSdk from '@aws-sdk/client-iam';
import * as S3Sdk from '@aws-sdk/client-s3';
import * as SsmSdk from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../src/aws/clients.js';
import { createDeploymentsPort } from '../../../src/aws/ports/deployments.js';
import { createInspectPort } from '../../../src/aws/ports/inspect.js';
import { createSsmPort } from '../../../src/aws/ports/ssm.js';
import { OFFLINE, TARGET, sdkError } from './helpers.js';

const cd = mockClient(CodeDeploySdk.CodeDeployClient);
const iam = mockClient(IamSdk.IAMClient);
const s3 = mockClient(S3Sdk.S3Client);
const ssm = mockClient(SsmSdk.SSMClient);
// Test files share a process: put the real clients back for the files that follow.
afterAll(() => { cd.restore(); iam.restore(); s3.restore(); ssm.restore(); });
afterEach(() => {
  cd.reset();
  iam.reset();
  s3.reset();
  ssm.reset();
});

const deployments = createDeploymentsPort(async () => ({ sdk: CodeDeploySdk, client: new CodeDeploySdk.CodeDeployClient(OFFLINE), target: TARGET }));
const ssmPort = createSsmPort(async () => ({ sdk: SsmSdk, client: new SsmSdk.SSMClient(OFFLINE), target: TARGET }));
const clients = {
  target: TARGET,
  iam: async () => ({ sdk: IamSdk, client: new IamSdk.IAMClient(OFFLINE), target: TARGET }),
  s3: async () => ({ sdk: S3Sdk, client: new S3Sdk.S3Client(OFFLINE), target: TARGET }),
} as unknown as AwsClients; // only the clients the tested calls use
const inspect = createInspectPort(clients);

describe('deployments port', () => {
  it('lists failed targets over every page, then reads them 25 per call, all calls at once', async () => {
    const ids = Array.from({ length: 60 }, (_, i) => `i-${String(i).padStart(17, '0')}`);
    cd.on(CodeDeploySdk.ListDeploymentTargetsCommand)
      .resolvesOnce({ targetIds: ids.slice(0, 50), nextToken: 't' })
      .resolvesOnce({ targetIds: ids.slice(50) });
    let inFlight = 0;
    let most = 0;
    cd.on(CodeDeploySdk.BatchGetDeploymentTargetsCommand).callsFake(async (input: CodeDeploySdk.BatchGetDeploymentTargetsInput) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((done) => setTimeout(done, 10));
      inFlight -= 1;
      return { deploymentTargets: (input.targetIds ?? []).map((targetId) => ({ instanceTarget: { targetId, status: 'Failed', lifecycleEvents: [{ lifecycleEventName: 'AfterInstall', status: 'Failed', diagnostics: { errorCode: 'ScriptFailed', message: 'm' } }] } })) };
    });
    const listed = await deployments.listTargetIds('d-ABCDEFGHI', 'Failed');
    expect(listed).toEqual(ids);
    expect(cd.commandCalls(CodeDeploySdk.ListDeploymentTargetsCommand)[0]?.args[0].input).toEqual({ deploymentId: 'd-ABCDEFGHI', targetFilters: { TargetStatus: ['Failed'] } });
    const targets = await deployments.getTargets('d-ABCDEFGHI', listed);
    expect(targets.map((t) => t.id)).toEqual(ids);
    expect(targets[0]).toEqual({ id: ids[0], status: 'Failed', lifecycleEvents: [{ name: 'AfterInstall', status: 'Failed', diagnostics: { errorCode: 'ScriptFailed', message: 'm' } }] });
    expect(cd.commandCalls(CodeDeploySdk.BatchGetDeploymentTargetsCommand).map((call) => call.args[0].input.targetIds?.length)).toEqual([25, 25, 10]);
    expect(most).toBe(3);
  });

  it('reads a deployment into cd-wizard terms and redeploys an S3 revision', async () => {
    cd.on(CodeDeploySdk.GetDeploymentCommand).resolves({
      deploymentInfo: {
        deploymentId: 'd-ABCDEFGHI',
        applicationName: 'shop',
        deploymentGroupName: 'prod',
        status: 'Failed',
        errorInformation: { code: 'HEALTH_CONSTRAINTS', message: 'too many' },
        deploymentOverview: { Failed: 2 },
        revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k.zip', bundleType: 'zip' } },
        rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK1' },
      },
    });
    expect(await deployments.getDeployment('d-ABCDEFGHI')).toMatchObject({
      application: 'shop',
      group: 'prod',
      errorCode: 'HEALTH_CONSTRAINTS',
      overview: { Failed: 2, Succeeded: 0 },
      revision: { type: 'S3', s3: { bucket: 'b', key: 'k.zip', bundleType: 'zip' } },
      rollback: { deploymentId: 'd-ROLLBACK1' },
    });
    cd.on(CodeDeploySdk.CreateDeploymentCommand).resolves({ deploymentId: 'd-NEW000001' });
    expect(await deployments.createDeployment({ application: 'shop', group: 'prod', revision: { bucket: 'b', key: 'k.zip', bundleType: 'zip' }, ignoreApplicationStopFailures: true })).toBe('d-NEW000001');
    expect(cd.commandCalls(CodeDeploySdk.CreateDeploymentCommand)[0]?.args[0].input).toEqual({
      applicationName: 'shop',
      deploymentGroupName: 'prod',
      revision: { revisionType: 'S3', s3Location: { bucket: 'b', key: 'k.zip', bundleType: 'zip' } },
      ignoreApplicationStopFailures: true,
    });
  });

  it('lists a group’s deployments newest first, narrowed by status, up to a limit', async () => {
    cd.on(CodeDeploySdk.ListDeploymentsCommand).resolves({ deployments: ['d-AAAAAAAA1', 'd-AAAAAAAA2'], nextToken: 'more' });
    expect(await deployments.listDeployments('shop', 'prod', { statuses: ['Failed', 'Stopped'], limit: 1 })).toEqual(['d-AAAAAAAA1']);
    expect(cd.commandCalls(CodeDeploySdk.ListDeploymentsCommand)).toHaveLength(1);
    expect(cd.commandCalls(CodeDeploySdk.ListDeploymentsCommand)[0]?.args[0].input).toEqual({ applicationName: 'shop', deploymentGroupName: 'prod', includeOnlyStatuses: ['Failed', 'Stopped'] });
  });
});

describe('SSM port', () => {
  it('finds managed instances, sends a shell script, reads an invocation (unknown for a moment right after sending)', async () => {
    ssm.on(SsmSdk.DescribeInstanceInformationCommand).resolves({ InstanceInformationList: [{ InstanceId: 'i-1', PingStatus: 'Online', PlatformType: 'Linux' }] });
    expect(await ssmPort.managedInstances(['i-1', 'i-2'])).toEqual([{ id: 'i-1', pingStatus: 'Online', platformType: 'Linux' }]);
    ssm.on(SsmSdk.SendCommandCommand).resolves({ Command: { CommandId: 'c-1' } });
    expect(await ssmPort.runShellScript(['i-1'], ['echo hi'], 'why')).toBe('c-1');
    expect(ssm.commandCalls(SsmSdk.SendCommandCommand)[0]?.args[0].input).toMatchObject({ DocumentName: 'AWS-RunShellScript', InstanceIds: ['i-1'], Parameters: { commands: ['echo hi'] } });
    ssm.on(SsmSdk.GetCommandInvocationCommand).rejectsOnce(sdkError('InvocationDoesNotExist', '')).resolves({ Status: 'Success', ResponseCode: 0, StandardOutputContent: 'out' });
    expect(await ssmPort.invocation('c-1', 'i-1')).toBeUndefined();
    expect(await ssmPort.invocation('c-1', 'i-1')).toEqual({ status: 'Success', exitCode: 0, stdout: 'out', stderr: '' });
  });
});

describe('inspect port', () => {
  it('simulates a principal and heads the revision object', async () => {
    iam.on(IamSdk.SimulatePrincipalPolicyCommand).resolves({ EvaluationResults: [{ EvalActionName: 's3:GetObject', EvalDecision: 'implicitDeny' }] });
    expect(await inspect.simulate('arn:aws:iam::1:role/R', ['s3:GetObject'], ['arn:aws:s3:::b/k'])).toEqual([{ action: 's3:GetObject', decision: 'implicitDeny' }]);
    expect(iam.commandCalls(IamSdk.SimulatePrincipalPolicyCommand)[0]?.args[0].input).toEqual({ PolicySourceArn: 'arn:aws:iam::1:role/R', ActionNames: ['s3:GetObject'], ResourceArns: ['arn:aws:s3:::b/k'] });
    s3.on(S3Sdk.HeadObjectCommand).rejectsOnce(sdkError('NotFound', '', 404)).resolves({ ContentLength: 12, ETag: '"e"' });
    expect(await inspect.headObject('b', 'k')).toEqual({ status: 'missing' });
    expect(await inspect.headObject('b', 'k')).toEqual({ status: 'found', size: 12, etag: '"e"' });
    s3.on(S3Sdk.HeadObjectCommand).rejects(sdkError('Forbidden', '', 403));
    expect(await inspect.headObject('b', 'k')).toMatchObject({ status: 'denied' });
  });
});
