/**
 * Contract test: the project's loopback fake (test/fake-aws) must answer like moto, an independent
 * re-implementation of the AWS APIs, for every call cd-wizard depends on. The same scenario (scenario.ts and the
 * steps-*.ts files) runs against both; each step compares the error code and HTTP status, or what cd-wizard reads
 * of the answer (ids and times normalised), and checks that every field the fake sends, moto sends with the same
 * type. Where moto differs from AWS's documentation, the step says which page decides, and the fake is held to it.
 *
 * Then the BUILT binary runs `setup --yes` against moto, to show setup works against a second implementation.
 *
 * moto_server is started here on a free loopback port. Without it on PATH the file is skipped (the title says
 * why), unless CD_WIZARD_REQUIRE_MOTO=1, which makes that a failure (.ci/run sets it: CI has moto).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutoScalingClient } from '@aws-sdk/client-auto-scaling';
import { CodeDeployClient, GetDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import { DescribeIamInstanceProfileAssociationsCommand, DescribeInstancesCommand, EC2Client, RunInstancesCommand } from '@aws-sdk/client-ec2';
import { IAMClient } from '@aws-sdk/client-iam';
import { S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAws, type FakeAws } from '../fake-aws/index.js';
import { requireBuild } from '../e2e/built.js';
import { describeRun, runCli } from '../e2e/helpers/run-cli.js';
import { epochTimesFromMoto, findMotoServer, startMotoServer, type MotoServer } from './moto-server.js';
import { shapeDrift } from './outcome.js';
import { runScenario, type Clients, type Observed, type World } from './scenario.js';
import { CODEDEPLOY_STEPS } from './steps-codedeploy.js';
import { EC2_STEPS, S3_STEPS } from './steps-ec2-s3.js';
import { IAM_STEPS } from './steps-iam.js';
import { TEARDOWN_STEPS } from './steps-teardown.js';

const STEPS = [...IAM_STEPS, ...EC2_STEPS, ...S3_STEPS, ...CODEDEPLOY_STEPS, ...TEARDOWN_STEPS];
const REGION = 'us-east-1';
const CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' };

const moto = findMotoServer();
const MISSING = 'moto_server is not on PATH (pip install "moto[server]"); CD_WIZARD_REQUIRE_MOTO=1 makes this a failure';

// The default reporter shows a skipped file only as a count: say why once, where it shows.
if (moto === undefined && process.env.CD_WIZARD_REQUIRE_MOTO !== '1') console.warn(`test/contract/fake-vs-moto.test.ts skipped: ${MISSING}`);
if (moto === undefined && process.env.CD_WIZARD_REQUIRE_MOTO === '1') {
  it('fake-aws against moto: moto_server is required (CD_WIZARD_REQUIRE_MOTO=1)', () => {
    throw new Error(`CD_WIZARD_REQUIRE_MOTO=1, but ${MISSING.split(';')[0]}.`);
  });
}

/** SDK clients for one endpoint, one attempt each: a contract difference must show, not be retried away. */
function clientsFor(endpoint: string): Clients {
  const config = { endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1 };
  return {
    sts: new STSClient(config),
    iam: new IAMClient(config),
    ec2: new EC2Client(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    codeDeploy: new CodeDeployClient(config),
    autoScaling: new AutoScalingClient(config),
  };
}

const destroy = (clients: Clients | undefined) => Object.values(clients ?? {}).forEach((client: { destroy(): void }) => client.destroy());

/** Two running instances on moto, as the fake seeds them (moto has no seed: RunInstances makes them, in one call). */
async function runMotoInstances(ec2: EC2Client): Promise<World['instances']> {
  const out = await ec2.send(new RunInstancesCommand({ ImageId: 'ami-12c6146b', InstanceType: 't3.micro', MinCount: 2, MaxCount: 2 }));
  const [first, second] = (out.Instances ?? []).map((instance) => instance.InstanceId ?? '');
  return [first ?? '', second ?? ''];
}

describe.skipIf(moto === undefined)(`fake-aws agrees with moto${moto === undefined ? ` (skipped: ${MISSING})` : ''}`, () => {
  let server: MotoServer | undefined;
  let fake: FakeAws | undefined;
  let motoClients: Clients | undefined;
  let fakeClients: Clients | undefined;
  let motoWorld: World;
  const onMoto = new Map<string, Observed>();
  const onFake = new Map<string, Observed>();

  beforeAll(async () => {
    [server, fake] = await Promise.all([
      startMotoServer(moto ?? ''),
      startFakeAws({ region: REGION, seed: { ec2: { instances: [{}, {}] } } }),
    ]);
    motoClients = clientsFor(server.url);
    epochTimesFromMoto(motoClients.codeDeploy);
    fakeClients = clientsFor(fake.url);
    const fakeIds = Object.keys(fake.state.ec2.instances);
    motoWorld = { instances: await runMotoInstances(motoClients.ec2) };
    const [motoSeen, fakeSeen] = await Promise.all([
      runScenario(STEPS, motoClients, motoWorld),
      runScenario(STEPS, fakeClients, { instances: [fakeIds[0] ?? '', fakeIds[1] ?? ''] }),
    ]);
    for (const [name, seen] of motoSeen) onMoto.set(name, seen);
    for (const [name, seen] of fakeSeen) onFake.set(name, seen);
  }, 60_000);

  afterAll(async () => {
    destroy(motoClients);
    destroy(fakeClients);
    await Promise.all([server?.stop(), fake?.close()]);
  });

  it.each(STEPS.map((one) => [one.name, one] as const))('%s', (_name, one) => {
    const fakeSeen = onFake.get(one.name);
    const motoSeen = onMoto.get(one.name);
    expect(fakeSeen, 'the scenario did not run this step').toBeDefined();
    if (one.motoGap) {
      expect(fakeSeen?.outcome, `AWS decides (${one.motoGap.why})`).toEqual(one.motoGap.aws);
      // When moto starts following AWS here, the exception is no longer needed: compare normally again.
      expect(motoSeen?.outcome, 'moto now agrees with AWS: remove this motoGap').not.toEqual(one.motoGap.aws);
      return;
    }
    expect(fakeSeen?.outcome).toEqual(motoSeen?.outcome);
    expect(shapeDrift(fakeSeen?.shape ?? {}, motoSeen?.shape ?? {}, one.motoOmits), 'fields the fake sends that moto does not (or typed otherwise)').toEqual([]);
  });

  it('setup --yes completes against moto, and moto holds what it reports', { timeout: 60_000 }, async () => {
    requireBuild();
    const clients = motoClients as Clients;
    // Instances of its own: the scenario's carry its profile and tags.
    const instances = await runMotoInstances(clients.ec2);
    const dir = mkdtempSync(join(tmpdir(), 'cdw-moto-setup-'));
    try {
      const run = await runCli(['setup', '--app', 'shop', '--group', 'prod', '--bucket', 'shop-revisions', '--instances', instances.join(','), '--yes'], {
        cwd: dir,
        timeoutMs: 30_000,
        env: {
          AWS_ENDPOINT_URL: server?.url,
          AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
          AWS_REGION: REGION,
          AWS_CONFIG_FILE: join(dir, 'no-config'),
          AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
          AWS_EC2_METADATA_DISABLED: 'true',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          AWS_RETRY_MODE: 'standard',
        },
      });
      expect(run.code, describeRun(run)).toBe(0);
      expect(run.stdout).toContain('Setup is done.');

      const group = await clients.codeDeploy.send(new GetDeploymentGroupCommand({ applicationName: 'shop', deploymentGroupName: 'prod' }));
      expect(group.deploymentGroupInfo?.serviceRoleArn).toBe('arn:aws:iam::123456789012:role/CodeDeployServiceRole');
      expect(group.deploymentGroupInfo?.ec2TagFilters).toEqual([{ Key: 'cd-wizard:group', Value: 'shop/prod', Type: 'KEY_AND_VALUE' }]);
      const tagged = await clients.ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag:cd-wizard:group', Values: ['shop/prod'] }] }));
      expect((tagged.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => i.InstanceId).sort()).toEqual([...instances].sort());
      const associations = await clients.ec2.send(new DescribeIamInstanceProfileAssociationsCommand({ Filters: [{ Name: 'instance-id', Values: [...instances] }] }));
      expect(associations.IamInstanceProfileAssociations?.map((a) => a.IamInstanceProfile?.Arn)).toEqual(Array(2).fill('arn:aws:iam::123456789012:instance-profile/CodeDeployInstanceProfile'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
