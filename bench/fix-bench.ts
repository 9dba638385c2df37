/**
 * `npm run bench -- fix`: `cd-wizard fix` on a failed deployment with 50 failed instances, against the fake AWS
 * answering every call after 100 ms. Prints the wall time and the number of SEQUENTIAL round trips (the longest
 * chain of calls each waiting for an earlier answer), next to a bare `node -e 0` measured before each run, another
 * build of the CLI when BENCH_BASELINE_BIN names one, and a script that reads the same evidence one call at a time,
 * fetching one target per BatchGetDeploymentTargets.
 */
import { spawn } from 'node:child_process';
import { CodeDeployClient, BatchGetDeploymentTargetsCommand, GetDeploymentCommand, GetDeploymentGroupCommand, ListDeploymentTargetsCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { HeadBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startFakeAws, type FakeAws, type Seed } from '../test/fake-aws/index.js';
import { APP, BUCKET, FAILED_DEPLOYMENT, GROUP, INSTANCE_PROFILE, KEY, SERVICE_ROLE, baseSeed } from '../test/fake-aws/scenarios.js';
import { bareNodeMs, median, sequentialRoundTrips } from './round-trips.js';

const LATENCY_MS = 100;
const INSTANCES = 50;

/** The base account with 50 tagged instances, all failed in AfterInstall. */
export function fiftyFailedSeed(): Seed {
  const ids = Array.from({ length: INSTANCES }, (_, i) => `i-0${String(i + 1).padStart(16, '0')}`);
  const base = baseSeed();
  return {
    ...base,
    ec2: { instances: ids.map((id, i) => ({ id, name: `web-${i + 1}`, tags: { Env: 'prod' }, instanceProfile: INSTANCE_PROFILE })) },
    codedeploy: {
      ...base.codedeploy,
      deployments: (base.codedeploy?.deployments ?? []).map((deployment) => ({
        ...deployment,
        targets: ids.map((instanceId) => ({ instanceId, failAt: 'AfterInstall', errorCode: 'ScriptFailed', scriptName: 'scripts/install.sh', message: 'Script at specified location: scripts/install.sh run as user root failed with exit code 1' })),
      })),
    },
  };
}

function runBinary(bin: string, aws: FakeAws, args: string[]): Promise<{ ms: number; code: number | null; stdout: string }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, ...aws.env(), AWS_RETRY_MODE: 'standard', CI: '1' };
    delete env.AWS_PROFILE;
    const child = spawn(process.execPath, [bin, ...args], { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, code, stdout }));
  });
}

/** What a straightforward script does: every read in turn, one target per call. */
async function sequentialBaseline(aws: FakeAws): Promise<number> {
  const config = { ...aws.clientConfig(), maxAttempts: 1 };
  const cd = new CodeDeployClient(config);
  const iam = new IAMClient(config);
  const ec2 = new EC2Client(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const started = performance.now();
  await cd.send(new ListDeploymentsCommand({ applicationName: APP, deploymentGroupName: GROUP, includeOnlyStatuses: ['Failed', 'Stopped'] }));
  await cd.send(new GetDeploymentCommand({ deploymentId: FAILED_DEPLOYMENT }));
  const { targetIds = [] } = await cd.send(new ListDeploymentTargetsCommand({ deploymentId: FAILED_DEPLOYMENT, targetFilters: { TargetStatus: ['Failed'] } }));
  for (const id of targetIds) await cd.send(new BatchGetDeploymentTargetsCommand({ deploymentId: FAILED_DEPLOYMENT, targetIds: [id] }));
  await cd.send(new GetDeploymentGroupCommand({ applicationName: APP, deploymentGroupName: GROUP }));
  await iam.send(new GetRoleCommand({ RoleName: SERVICE_ROLE }));
  await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: SERVICE_ROLE }));
  await ec2.send(new DescribeInstancesCommand({ Filters: [{ Name: 'tag-key', Values: ['Env'] }] }));
  const profile = await iam.send(new GetInstanceProfileCommand({ InstanceProfileName: INSTANCE_PROFILE }));
  await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: profile.InstanceProfile?.Roles?.[0]?.Arn, ActionNames: ['s3:GetObject'], ResourceArns: [`arn:aws:s3:::${BUCKET}/${KEY}`] }));
  await s3.send(new HeadObjectCommand({ Bucket: BUCKET, Key: KEY }));
  await s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
  const ms = performance.now() - started;
  for (const client of [cd, iam, ec2, s3]) client.destroy();
  return ms;
}

interface FixSample {
  ms: number;
  bareMs: number;
  trips: number;
  calls: number;
  firstCallMs: number;
}

async function fixOnce(bin: string, aws: FakeAws): Promise<FixSample> {
  aws.clearCalls();
  const bareMs = bareNodeMs();
  const spawnedAt = Date.now();
  const result = await runBinary(bin, aws, ['fix', '--app', APP, '--group', GROUP, '--json', '--no-ssm']);
  const failed = (JSON.parse(result.stdout) as { deployment?: { targetsRead?: number } }).deployment?.targetsRead;
  if (result.code !== 0 || failed !== INSTANCES) throw new Error(`fix exited ${result.code} with ${failed} targets read`);
  return { ms: result.ms, bareMs, trips: sequentialRoundTrips(aws.calls), calls: aws.calls.length, firstCallMs: Math.min(...aws.calls.map((call) => call.at)) - spawnedAt };
}

function fixLine(label: string, samples: readonly FixSample[], target: string): string {
  const trips = samples.map((s) => s.trips);
  return (
    `  ${label}: ${median(samples.map((s) => s.ms)).toFixed(0)} ms wall (${median(samples.map((s) => s.ms / s.bareMs)).toFixed(1)}x node -e 0 at ${median(samples.map((s) => s.bareMs)).toFixed(0)} ms), ` +
    `${median(trips)} sequential round trips (${Math.min(...trips)}–${Math.max(...trips)}), ${samples[0]?.calls ?? 0} calls, first call after ${median(samples.map((s) => s.firstCallMs)).toFixed(0)} ms  (${target})`
  );
}

/** BENCH_BASELINE_BIN: another build of the CLI (the commit before a change) measured in the same rounds. */
export async function run(bin: string): Promise<string[]> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const aws = await startFakeAws({ seed: fiftyFailedSeed(), faults: { latencyMs: LATENCY_MS } });
  const baselineBin = process.env.BENCH_BASELINE_BIN;
  try {
    const current: FixSample[] = [];
    const baseline: FixSample[] = [];
    // One warm-up round, then rounds of one run of each binary, so load hits them alike.
    for (let i = 0; i < 6; i += 1) {
      const one = await fixOnce(bin, aws);
      const other = baselineBin ? await fixOnce(baselineBin, aws) : undefined;
      if (i === 0) continue;
      current.push(one);
      if (other) baseline.push(other);
    }
    aws.clearCalls();
    const baselineMs = await sequentialBaseline(aws);
    const baselineTrips = sequentialRoundTrips(aws.calls);
    return [
      `fix, ${INSTANCES} failed instances at ${LATENCY_MS} ms per call, median of ${current.length}:`,
      fixLine('cd-wizard fix', current, 'target <= 1.2 s'),
      ...(baselineBin ? [fixLine('baseline build', baseline, baselineBin)] : []),
      `  sequential script (one target per call, reads only, in-process, no start-up): ${baselineMs.toFixed(0)} ms, ${baselineTrips} sequential round trips`,
    ];
  } finally {
    await aws.close();
  }
}
