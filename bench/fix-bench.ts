/**
 * `npm run bench -- fix`: `cd-wizard fix` on a failed deployment with 50 failed instances, against the fake AWS
 * answering every call after 100 ms. Prints the wall time and the number of SEQUENTIAL round trips (the longest
 * chain of calls each waiting for an earlier answer), next to a baseline that reads the same evidence one call
 * at a time, fetching one target per BatchGetDeploymentTargets.
 */
import { spawn } from 'node:child_process';
import { CodeDeployClient, BatchGetDeploymentTargetsCommand, GetDeploymentCommand, GetDeploymentGroupCommand, ListDeploymentTargetsCommand, ListDeploymentsCommand } from '@aws-sdk/client-codedeploy';
import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { GetInstanceProfileCommand, GetRoleCommand, IAMClient, ListAttachedRolePoliciesCommand, SimulatePrincipalPolicyCommand } from '@aws-sdk/client-iam';
import { HeadBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startFakeAws, type CallRecord, type FakeAws, type Seed } from '../test/fake-aws/index.js';
import { APP, BUCKET, FAILED_DEPLOYMENT, GROUP, INSTANCE_PROFILE, KEY, SERVICE_ROLE, baseSeed } from '../test/fake-aws/scenarios.js';

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

/** The longest chain of calls in which each started only after the one before it had answered. */
export function sequentialRoundTrips(calls: readonly CallRecord[]): number {
  const sorted = [...calls].sort((a, b) => a.at - b.at);
  const depth: number[] = [];
  sorted.forEach((call, i) => {
    let before = 0;
    for (let j = 0; j < i; j += 1) {
      const earlier = sorted[j] as CallRecord;
      // Answered before this call was sent (a few ms of slack for the client's own work).
      if (earlier.at + (earlier.durationMs ?? 0) <= call.at + 2) before = Math.max(before, depth[j] ?? 0);
    }
    depth.push(before + 1);
  });
  return Math.max(0, ...depth);
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

export async function run(bin: string): Promise<string[]> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const aws = await startFakeAws({ seed: fiftyFailedSeed(), faults: { latencyMs: LATENCY_MS } });
  try {
    const lines: string[] = [];
    const samples: Array<{ ms: number; trips: number; calls: number }> = [];
    for (let i = 0; i < 4; i += 1) {
      aws.clearCalls();
      const result = await runBinary(bin, aws, ['fix', '--app', APP, '--group', GROUP, '--json', '--no-ssm']);
      const failed = (JSON.parse(result.stdout) as { deployment?: { targetsRead?: number } }).deployment?.targetsRead;
      if (result.code !== 0 || failed !== INSTANCES) throw new Error(`fix exited ${result.code} with ${failed} targets read`);
      if (i > 0) samples.push({ ms: result.ms, trips: sequentialRoundTrips(aws.calls), calls: aws.calls.length });
    }
    samples.sort((a, b) => a.ms - b.ms);
    const median = samples[Math.floor(samples.length / 2)] as { ms: number; trips: number; calls: number };
    aws.clearCalls();
    const baselineMs = await sequentialBaseline(aws);
    const baselineTrips = sequentialRoundTrips(aws.calls);
    lines.push(
      `fix, ${INSTANCES} failed instances at ${LATENCY_MS} ms per call: ${median.ms.toFixed(0)} ms wall (process included), ${median.trips} sequential round trips, ${median.calls} calls  (target <= 10 round trips, <= 1500 ms)`,
      `  sequential baseline (one target per call, reads only, in-process): ${baselineMs.toFixed(0)} ms, ${baselineTrips} sequential round trips`,
    );
    return lines;
  } finally {
    await aws.close();
  }
}
