// The fake's failure scenarios for `fix`, and the two behaviours added for it: lifecycle events that advance with
// the clock while a deployment runs, and SSM command rules that depend on an earlier command (a restart).
import { BatchGetDeploymentTargetsCommand, CodeDeployClient, CreateDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { GetCommandInvocationCommand, SendCommandCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAws, type FakeAws } from '../../fake-aws/index.js';
import { INSTANCES, SCENARIOS, STOPPED_AGENT_RULES, baseSeed, scenario } from '../../fake-aws/scenarios.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

let aws: FakeAws | undefined;
afterEach(async () => {
  await aws?.close();
  aws = undefined;
});

describe('scenarios', () => {
  it('every one seeds cleanly, with one failed deployment and a cause from the catalogue', async () => {
    const { CAUSE_IDS } = await import('../../../src/kb/types.js');
    aws = await startFakeAws();
    for (const s of SCENARIOS) {
      aws.reset();
      aws.seed(s.seed);
      expect(Object.values(aws.state.codedeploy.deployments).map((d) => d.status), s.name).toEqual(['Failed']);
      expect(CAUSE_IDS as readonly string[], s.name).toContain(s.cause);
    }
    expect(() => scenario('nope')).toThrow(/No scenario "nope"/);
  });
});

describe('what the fake does for fix', () => {
  it('advances lifecycle events with the clock while a deployment runs, up to the failing one', async () => {
    const seed = baseSeed({ deployment: null });
    aws = await startFakeAws({ seed: { ...seed, codedeploy: { ...seed.codedeploy, deploymentDurationMs: 70_000, outcomes: [{ failAt: 'Install', errorCode: 'UnknownError' }] } } });
    const client = new CodeDeployClient({ ...aws.clientConfig(), maxAttempts: 1 });
    const revision = { revisionType: 'S3' as const, s3Location: { bucket: 'shop-revisions', key: 'releases/shop-42.zip', bundleType: 'zip' as const } };
    const { deploymentId } = await client.send(new CreateDeploymentCommand({ applicationName: 'shop', deploymentGroupName: 'prod', revision }));
    const events = async () =>
      (await client.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: [INSTANCES[0]] }))).deploymentTargets?.[0]?.instanceTarget?.lifecycleEvents?.map((e) => `${e.lifecycleEventName}:${e.status}`);
    expect(await events()).toEqual(['ApplicationStop:InProgress', 'DownloadBundle:Pending', 'BeforeInstall:Pending', 'Install:Pending', 'AfterInstall:Pending', 'ApplicationStart:Pending', 'ValidateService:Pending']);
    aws.advanceClock(30_000);
    expect((await events())?.slice(0, 4)).toEqual(['ApplicationStop:Succeeded', 'DownloadBundle:Succeeded', 'BeforeInstall:Succeeded', 'Install:InProgress']);
    aws.advanceClock(30_000);
    expect((await events())?.slice(3, 5)).toEqual(['Install:InProgress', 'AfterInstall:Pending']);
    aws.advanceClock(10_000);
    expect((await events())?.slice(3, 5)).toEqual(['Install:Failed', 'AfterInstall:Skipped']);
    client.destroy();
  });

  it('answers a stopped agent until a restart command was sent, a running one after', async () => {
    aws = await startFakeAws({ seed: { ...baseSeed(), ssm: { instances: [{ instanceId: INSTANCES[0] }], commandRules: STOPPED_AGENT_RULES } } });
    const client = new SSMClient({ ...aws.clientConfig(), maxAttempts: 1 });
    const run = async (command: string) => {
      const sent = await client.send(new SendCommandCommand({ DocumentName: 'AWS-RunShellScript', InstanceIds: [INSTANCES[0]], Parameters: { commands: [command] } }));
      return (await client.send(new GetCommandInvocationCommand({ CommandId: sent.Command?.CommandId, InstanceId: INSTANCES[0] }))).StandardOutputContent ?? '';
    };
    expect(await run('echo cdw-report')).toContain('cdw-report:active=inactive');
    expect(await run('sudo systemctl restart codedeploy-agent')).toContain('running as PID 5151');
    expect(await run('echo cdw-report')).toContain('cdw-report:active=active');
    client.destroy();
  });

  it('scenario() has the answers setup would have written', () => {
    expect(scenario('no-instances').answers.answers).toMatchObject({ app: 'shop', group: 'prod', instances: [...INSTANCES] });
  });
});
