// The fake AWS's faults, call log and control API, seen through the real SDK clients and plain HTTP.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { AddRoleToInstanceProfileCommand, AttachRolePolicyCommand, CreateInstanceProfileCommand, CreateRoleCommand, GetRoleCommand, IAMClient, ListRolesCommand, UpdateAssumeRolePolicyCommand } from '@aws-sdk/client-iam';
import { AssociateIamInstanceProfileCommand, DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AutoScalingClient, DescribeAutoScalingGroupsCommand } from '@aws-sdk/client-auto-scaling';
import { CodeDeployClient, CreateDeploymentGroupCommand, InvalidRoleException, ListApplicationsCommand } from '@aws-sdk/client-codedeploy';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FaultController } from '../../fake-aws/faults.js';
import { CODEDEPLOY_TRUST_POLICY, startFakeAws, type FakeAws, type Seed } from '../../fake-aws/index.js';
import { rejection } from '../../fake-aws/testing.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const SEED: Seed = {
  iam: { roles: [{ name: 'Ec2Role', trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] } }] },
  ec2: { instances: [{ id: 'i-0ccccccccccccccc1', name: 'web-1' }] },
  autoscaling: { groups: [{ name: 'asg' }] },
  codedeploy: { applications: [{ name: 'shop' }] },
};

let aws: FakeAws;

beforeAll(async () => {
  aws = await startFakeAws({ seed: SEED });
});
afterAll(async () => {
  await aws.close();
});
beforeEach(() => aws.reset());

function clients(maxAttempts: number, extra: Record<string, unknown> = {}) {
  const config = { ...aws.clientConfig(), maxAttempts, ...extra };
  return { iam: new IAMClient(config), ec2: new EC2Client(config), codedeploy: new CodeDeployClient(config), autoscaling: new AutoScalingClient(config) };
}


const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('IAM propagation delay', () => {
  it('makes CodeDeploy refuse a just-created role until the delay has passed', async () => {
    aws.setFaults({ iamPropagationSeconds: 0.3 });
    const { iam, codedeploy } = clients(1);
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'CodeDeployServiceRole', AssumeRolePolicyDocument: CODEDEPLOY_TRUST_POLICY }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'CodeDeployServiceRole', PolicyArn: 'arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole' }));
    const create = () => codedeploy.send(new CreateDeploymentGroupCommand({ applicationName: 'shop', deploymentGroupName: 'prod', serviceRoleArn: Role?.Arn ?? '' }));

    const early = await rejection(create());
    expect(early).toBeInstanceOf(InvalidRoleException);
    expect(early.message).toBe('Cannot assume role provided.');
    await sleep(320);
    await expect(create()).resolves.toMatchObject({ deploymentGroupId: expect.any(String) });
    expect(aws.callsTo('codedeploy', 'CreateDeploymentGroup').map((c) => c.errorCode ?? c.status)).toEqual(['InvalidRoleException', 200]);
  });

  it('restarts the delay when a trust policy changes', async () => {
    aws.setFaults({ iamPropagationSeconds: 0.3 });
    const { iam, codedeploy } = clients(1);
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Ec2Role', PolicyDocument: CODEDEPLOY_TRUST_POLICY }));
    const create = () => codedeploy.send(new CreateDeploymentGroupCommand({ applicationName: 'shop', deploymentGroupName: 'g', serviceRoleArn: 'arn:aws:iam::123456789012:role/Ec2Role' }));
    expect(await rejection(create())).toBeInstanceOf(InvalidRoleException);
    aws.advanceClock(300);
    await expect(create()).resolves.toBeDefined();
  });

  it('words the refusal as "does not have the permissions required to assume the role" on request', async () => {
    aws.setFaults({ iamPropagationSeconds: 0.3, invalidRoleWording: 'permissions-required' });
    const { iam, codedeploy } = clients(1);
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'CodeDeployServiceRole', AssumeRolePolicyDocument: CODEDEPLOY_TRUST_POLICY }));
    const create = () => codedeploy.send(new CreateDeploymentGroupCommand({ applicationName: 'shop', deploymentGroupName: 'prod', serviceRoleArn: Role?.Arn ?? '' }));
    const early = await rejection(create());
    expect(early).toBeInstanceOf(InvalidRoleException);
    expect(early.message).toBe(`AWS CodeDeploy does not have the permissions required to assume the role ${Role?.Arn}`);
    aws.advanceClock(300);
    await expect(create()).resolves.toMatchObject({ deploymentGroupId: expect.any(String) });
    expect(() => aws.setFaults({ invalidRoleWording: 'other' as 'cannot-assume' })).toThrow(/invalidRoleWording/);
  });

  it('makes EC2 refuse a just-created instance profile as an invalid name until the delay has passed', async () => {
    aws.setFaults({ iamPropagationSeconds: 0.3 });
    const { iam, ec2 } = clients(1);
    await iam.send(new CreateInstanceProfileCommand({ InstanceProfileName: 'web-profile' }));
    await iam.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: 'web-profile', RoleName: 'Ec2Role' }));
    const associate = () => ec2.send(new AssociateIamInstanceProfileCommand({ InstanceId: 'i-0ccccccccccccccc1', IamInstanceProfile: { Name: 'web-profile' } }));
    const early = await rejection(associate());
    expect(early.name).toBe('InvalidParameterValue');
    expect(early.message).toBe('Value (web-profile) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name');
    aws.advanceClock(300);
    await expect(associate()).resolves.toMatchObject({ IamInstanceProfileAssociation: { State: 'associating' } });
  });
});

describe('throttling', () => {
  it('answers with each service’s own throttling error, which the SDK retries', async () => {
    const cases = [
      { service: 'iam', call: (c: ReturnType<typeof clients>) => c.iam.send(new ListRolesCommand({})), name: 'Throttling', status: 400 },
      { service: 'ec2', call: (c: ReturnType<typeof clients>) => c.ec2.send(new DescribeInstancesCommand({})), name: 'RequestLimitExceeded', status: 503 },
      { service: 'codedeploy', call: (c: ReturnType<typeof clients>) => c.codedeploy.send(new ListApplicationsCommand({})), name: 'ThrottlingException', status: 400 },
      { service: 'autoscaling', call: (c: ReturnType<typeof clients>) => c.autoscaling.send(new DescribeAutoScalingGroupsCommand({})), name: 'Throttling', status: 400 },
    ] as const;
    aws.setFaults({ throttlingRate: 1 });
    const twoAttempts = clients(2);
    for (const { service, call, name, status } of cases) {
      aws.clearCalls();
      const error = await rejection(call(twoAttempts));
      expect(error.name).toBe(name);
      expect(error.$metadata?.httpStatusCode).toBe(status);
      expect(error.$metadata?.attempts).toBe(2);
      expect(aws.calls.map((c) => [c.service, c.errorCode])).toEqual([
        [service, name],
        [service, name],
      ]);
    }
  });

  // Seed 9 at rate 0.5 throttles the 1st and 3rd calls, and lets the next ones through.
  it('throttles a seeded share of calls, and the SDK’s standard retry gets through', async () => {
    aws.setFaults({ throttlingRate: 0.5, throttlingSeed: 9, throttleServices: ['iam'] });
    const standard = clients(3);
    expect((await standard.iam.send(new GetRoleCommand({ RoleName: 'Ec2Role' }))).$metadata.attempts).toBe(2);
    expect((await standard.iam.send(new GetRoleCommand({ RoleName: 'Ec2Role' }))).$metadata.attempts).toBe(2);
    await expect(standard.ec2.send(new DescribeInstancesCommand({}))).resolves.toBeDefined();
    expect(aws.calls.map((c) => `${c.service}:${c.errorCode ?? c.status}`)).toEqual(['iam:Throttling', 'iam:200', 'iam:Throttling', 'iam:200', 'ec2:200']);
  });

  it('is retried by the SDK’s adaptive retry mode too (whose rate limiter then slows the client)', async () => {
    aws.setFaults({ throttlingRate: 0.5, throttlingSeed: 9 });
    const adaptive = clients(3, { retryMode: 'adaptive' });
    expect((await adaptive.codedeploy.send(new ListApplicationsCommand({}))).$metadata.attempts).toBe(2);
    expect(aws.calls.map((c) => c.errorCode ?? c.status)).toEqual(['ThrottlingException', 200]);
  });

  it('draws the same throttling decisions from the same seed', () => {
    const draw = (seed: number): boolean[] => {
      const faults = new FaultController();
      faults.set({ throttlingRate: 0.5, throttlingSeed: seed }, 0);
      return Array.from({ length: 20 }, () => faults.shouldThrottle('iam'));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
    expect(draw(42).filter(Boolean).length).toBeGreaterThan(3);
  });
});

describe('dropped connections', () => {
  it('destroys the socket of the call after N, once: a network error without retries, a success with them', async () => {
    aws.setFaults({ dropConnectionAfter: 1 });
    const once = clients(1);
    await expect(once.iam.send(new GetRoleCommand({ RoleName: 'Ec2Role' }))).resolves.toBeDefined();
    const dropped = await rejection(once.iam.send(new GetRoleCommand({ RoleName: 'Ec2Role' })));
    expect(dropped.$metadata?.httpStatusCode).toBeUndefined();
    expect(`${dropped.name} ${dropped.message} ${String((dropped as { code?: string }).code)}`).toMatch(/socket hang up|ECONNRESET/);
    await expect(once.iam.send(new GetRoleCommand({ RoleName: 'Ec2Role' }))).resolves.toBeDefined();
    expect(aws.calls.map((c) => c.dropped === true)).toEqual([false, true, false]);
    expect(aws.faults.dropConnectionAfter).toBeNull();

    aws.setFaults({ dropConnectionAfter: 0 });
    const retried = await clients(3).codedeploy.send(new ListApplicationsCommand({}));
    expect(retried.$metadata.attempts).toBe(2);
    expect(retried.applications).toEqual(['shop']);
  });
});

describe('latency and injected errors', () => {
  it('delays responses overall and per service', async () => {
    aws.setFaults({ latencyMs: 60, serviceLatencyMs: { iam: 90 } });
    const { iam, codedeploy } = clients(1);
    let started = performance.now();
    await iam.send(new GetRoleCommand({ RoleName: 'Ec2Role' }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    started = performance.now();
    await codedeploy.send(new ListApplicationsCommand({}));
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    // That CodeDeploy is not also given IAM's delay is the controller's arithmetic: an upper bound on a wall time
    // would fail on a loaded machine.
    const controller = new FaultController();
    controller.set({ latencyMs: 60, serviceLatencyMs: { iam: 90 } }, 0);
    expect([controller.latencyFor('iam'), controller.latencyFor('codedeploy')]).toEqual([150, 60]);
  });

  it('returns an injected error for matching calls, as many times as asked', async () => {
    aws.setFaults({ errors: [{ service: 'iam', action: 'CreateRole', code: 'AccessDenied', status: 403, message: 'User: arn:aws:iam::123456789012:user/cd-wizard-tester is not authorized to perform: iam:CreateRole', times: 1 }] });
    const { iam } = clients(1);
    const create = () => iam.send(new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: CODEDEPLOY_TRUST_POLICY }));
    const denied = await rejection(create());
    expect(denied.name).toBe('AccessDenied');
    expect(denied.message).toContain('not authorized to perform: iam:CreateRole');
    expect(denied.$metadata?.httpStatusCode).toBe(403);
    await expect(iam.send(new GetRoleCommand({ RoleName: 'Ec2Role' }))).resolves.toBeDefined();
    await expect(create()).resolves.toBeDefined();
  });
});

describe('call log', () => {
  it('records every call in order with parsed parameters, and picks out the mutating ones', async () => {
    const { iam, ec2, codedeploy } = clients(1);
    await iam.send(new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: CODEDEPLOY_TRUST_POLICY, Tags: [{ Key: 'owner', Value: 'me' }] }));
    await iam.send(new GetRoleCommand({ RoleName: 'R' }));
    await rejection(iam.send(new GetRoleCommand({ RoleName: 'Missing' })));
    await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:Name', Values: ['web-1', 'web-2'] }] }));
    await codedeploy.send(new ListApplicationsCommand({}));
    expect(aws.calls.map((c) => `${c.service}:${c.action}:${c.status}${c.errorCode === undefined ? '' : `:${c.errorCode}`}`)).toEqual([
      'iam:CreateRole:200',
      'iam:GetRole:200',
      'iam:GetRole:404:NoSuchEntity',
      'ec2:DescribeInstances:200',
      'codedeploy:ListApplications:200',
    ]);
    expect(aws.calls[0]?.params).toEqual({ RoleName: 'R', AssumeRolePolicyDocument: CODEDEPLOY_TRUST_POLICY, Tags: [{ Key: 'owner', Value: 'me' }] });
    expect(aws.calls[3]?.params).toEqual({ Filter: [{ Name: 'tag:Name', Value: ['web-1', 'web-2'] }] });
    expect(aws.calls[0]).toMatchObject({ seq: 0, region: 'us-east-1', requestId: expect.any(String), at: expect.any(Number) });
    expect(aws.mutatingCalls().map((c) => c.action)).toEqual(['CreateRole']);
    expect(aws.callsTo('iam', 'GetRole')).toHaveLength(2);
  });
});

describe('control API over HTTP', () => {
  const control = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> => {
    const response = await fetch(`${aws.url}/__fake/${path}`, { method, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
    return { status: response.status, json: await response.json() };
  };

  it('seeds, sets faults, reads calls and state, moves the clock and resets', async () => {
    expect((await control('POST', 'seed', { codedeploy: { applications: [{ name: 'from-http' }] } })).status).toBe(200);
    const { codedeploy, iam } = clients(1);
    expect((await codedeploy.send(new ListApplicationsCommand({}))).applications).toEqual(['from-http', 'shop']);
    await iam.send(new CreateRoleCommand({ RoleName: 'R', AssumeRolePolicyDocument: CODEDEPLOY_TRUST_POLICY }));

    const mutating = await control('GET', 'calls?mutating=1');
    expect((mutating.json as Array<{ action: string }>).map((c) => c.action)).toEqual(['CreateRole']);
    const iamCalls = await control('GET', 'calls?service=codedeploy');
    expect(iamCalls.json).toHaveLength(1);

    const faults = await control('POST', 'faults', { iamPropagationSeconds: 2, latencyMs: 5 });
    expect(faults.json).toMatchObject({ iamPropagationSeconds: 2, latencyMs: 5, throttlingRate: 0 });
    expect(aws.faults.iamPropagationSeconds).toBe(2);
    expect((await control('POST', 'faults', { throttlingRate: 7 })).status).toBe(400);

    const before = aws.now();
    const clock = await control('POST', 'clock', { advanceMs: 60_000 });
    expect((clock.json as { now: number }).now).toBeGreaterThanOrEqual(before + 60_000);

    const state = await control('GET', 'state');
    expect(Object.keys((state.json as { iam: { roles: object } }).iam.roles)).toEqual(['Ec2Role', 'R']);

    await control('POST', 'reset');
    expect(aws.calls).toHaveLength(0);
    expect(aws.faults.iamPropagationSeconds).toBe(0);
    expect(Object.keys(aws.state.codedeploy.applications)).toEqual(['shop']);
    expect(aws.now() - Date.now()).toBeLessThan(1000);

    expect((await control('GET', 'nope')).status).toBe(404);
    const typo = await control('POST', 'seed', { ec2: { instance: [] } });
    expect(typo).toEqual({ status: 400, json: { error: 'Unknown seed key "ec2.instance" (known: instances)' } });
    expect((await control('POST', 'seed', '{broken')).status).toBe(400);
  });

  it('gives a child process everything it needs through env(), with no endpoint in code', async () => {
    const script = `
      const { STSClient, GetCallerIdentityCommand } = require('@aws-sdk/client-sts');
      const { CodeDeployClient, ListApplicationsCommand } = require('@aws-sdk/client-codedeploy');
      (async () => {
        const who = await new STSClient({}).send(new GetCallerIdentityCommand({}));
        const apps = await new CodeDeployClient({}).send(new ListApplicationsCommand({}));
        process.stdout.write(JSON.stringify({ account: who.Account, apps: apps.applications }));
      })().catch((error) => { process.stderr.write(String(error)); process.exit(1); });`;
    const env: Record<string, string | undefined> = { ...process.env, ...aws.env() };
    delete env['AWS_PROFILE'];
    const child = spawn(process.execPath, ['-e', script], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ account: '123456789012', apps: ['shop'] });
    expect(aws.calls.map((c) => c.action)).toEqual(['GetCallerIdentity', 'ListApplications']);
  });

  it('runs as a standalone process from scripts/fake-aws.mjs', async () => {
    const child = spawn(process.execPath, ['scripts/fake-aws.mjs', '--quiet', '--seed', 'test/fake-aws/seeds/demo.json', '--credentials', 'test:test'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const firstLine = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`fake-aws exited with ${String(code)}`)));
      });
      const url = /^fake-aws listening on (http:\/\/127\.0\.0\.1:\d+)$/.exec(firstLine)?.[1];
      expect(url).toBeDefined();
      const client = new CodeDeployClient({ endpoint: url ?? '', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
      expect((await client.send(new ListApplicationsCommand({}))).applications).toEqual(['legacy-app']);
      const calls = (await (await fetch(`${url ?? ''}/__fake/calls`)).json()) as Array<{ action: string }>;
      expect(calls.map((c) => c.action)).toEqual(['ListApplications']);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
