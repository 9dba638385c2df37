// `cd-wizard setup` against the fake AWS with a fixed latency per call: wall time and sequential round trips of a
// fresh setup (2 instances; the bucket exists), of one where the bucket is new too, and of a re-run with nothing to
// change, next to a bare `node -e 0` measured in the same rounds, and next to another build of the CLI when
// BENCH_BASELINE_BIN names one (for instance the commit before a change, built elsewhere). Compiled and loaded by
// bench/run.mjs (loadTs); the fake runs in this process, the CLI is the built binary in a child process.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAws, type CallRecord, type FakeAws } from '../test/fake-aws/index.js';
import { bareNodeMs, median, sequentialRoundTrips } from './round-trips.js';

const LATENCY_MS = 100;
const RUNS = 5;
const INSTANCES = ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2'];
const ARGS = ['setup', '--app', 'web', '--group', 'prod', '--bucket', 'my-revisions', '--instances', INSTANCES.join(','), '--yes'];
/** An empty account all the way: the revision bucket does not exist either (create, lock down, encrypt, tag). */
const ARGS_NEW_BUCKET = ARGS.map((arg) => (arg === 'my-revisions' ? 'new-revisions' : arg));

interface Sample {
  ms: number;
  /** Wall time of `node -e 0` measured just before this run. */
  bareMs: number;
  calls: number;
  changes: number;
  trips: number;
  /** From spawning the CLI to its first AWS call: start-up, answers, SDK loading. */
  firstCallMs: number;
}

/** The CLI with the fake's endpoint and keys, and nothing of the developer's AWS setup. */
function cliEnv(aws: FakeAws): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || name.startsWith('AWS_') || name.startsWith('VITEST') || name.startsWith('BENCH_') || ['CI', 'CD_WIZARD_NO_AUTORUN', 'NODE_OPTIONS'].includes(name)) continue;
    env[name] = value;
  }
  return { ...env, ...aws.env() };
}

function runCli(bin: string, aws: FakeAws, cwd: string, args: readonly string[] = ARGS): Promise<{ ms: number; spawnedAt: number }> {
  const started = performance.now();
  const spawnedAt = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env: cliEnv(aws), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ ms: performance.now() - started, spawnedAt }) : reject(new Error(`setup exited ${code}: ${stderr}`))));
  });
}

// The fake's clock is real time until someone advances it (nobody does here), so `at` compares with Date.now().
const sample = ({ ms, spawnedAt }: { ms: number; spawnedAt: number }, bareMs: number, calls: readonly CallRecord[]): Sample => ({
  ms,
  bareMs,
  firstCallMs: Math.min(...calls.map((call) => call.at)) - spawnedAt,
  calls: calls.length,
  changes: calls.filter((call) => !/^(Get|List|Describe|Head|BatchGet|Simulate)/.test(call.action)).length,
  trips: sequentialRoundTrips(calls),
});

/** Fresh setups and re-runs of each binary, in rounds (one of each per round, so load hits them alike), each run after a bare `node -e 0`. */
async function measure(bins: readonly string[], aws: FakeAws): Promise<Array<{ fresh: Sample[]; again: Sample[]; newBucket: Sample[] }>> {
  const out = bins.map(() => ({ fresh: [] as Sample[], again: [] as Sample[], newBucket: [] as Sample[] }));
  const dirs: string[] = [];
  try {
    for (let i = 0; i < RUNS; i += 1) {
      for (const [index, bin] of bins.entries()) {
        const samples = out[index] as { fresh: Sample[]; again: Sample[]; newBucket: Sample[] };
        aws.reset();
        const dir = mkdtempSync(join(tmpdir(), 'cdw-bench-setup-'));
        dirs.push(dir);
        let bare = bareNodeMs();
        samples.fresh.push(sample(await runCli(bin, aws, dir), bare, aws.calls));
        aws.clearCalls();
        bare = bareNodeMs();
        samples.again.push(sample(await runCli(bin, aws, dir), bare, aws.calls));
        if (aws.mutatingCalls().length > 0) throw new Error(`the re-run changed something: ${aws.mutatingCalls().map((call) => call.action).join(', ')}`);
        aws.reset();
        const empty = mkdtempSync(join(tmpdir(), 'cdw-bench-setup-'));
        dirs.push(empty);
        bare = bareNodeMs();
        samples.newBucket.push(sample(await runCli(bin, aws, empty, ARGS_NEW_BUCKET), bare, aws.calls));
      }
    }
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

function line(label: string, samples: Sample[], target: string): string {
  const ms = median(samples.map((s) => s.ms));
  const ratio = median(samples.map((s) => s.ms / s.bareMs));
  const trips = samples.map((s) => s.trips);
  const first = samples[0] ?? { calls: 0, changes: 0 };
  return (
    `  ${label}: ${(ms / 1000).toFixed(2)} s (${ratio.toFixed(1)}x node -e 0 at ${median(samples.map((s) => s.bareMs)).toFixed(0)} ms), ` +
    `${median(trips)} sequential round trips (${Math.min(...trips)}–${Math.max(...trips)}), ${first.calls} calls (${first.changes} changes), ` +
    `first call after ${(median(samples.map((s) => s.firstCallMs)) / 1000).toFixed(2)} s  (${target})`
  );
}

export async function run(bin: string): Promise<string[]> {
  const aws = await startFakeAws({
    seed: { ec2: { instances: INSTANCES.map((id, i) => ({ id, name: `web-${i + 1}` })) }, s3: { buckets: [{ name: 'my-revisions', region: 'us-east-1' }] } },
    faults: { latencyMs: LATENCY_MS },
  });
  const baselineBin = process.env.BENCH_BASELINE_BIN;
  try {
    const lines = [`setup against the fake AWS with ${LATENCY_MS} ms per call, ${INSTANCES.length} instances, median of ${RUNS}:`];
    const [current, baseline] = await measure(baselineBin ? [bin, baselineBin] : [bin], aws);
    if (!current) throw new Error('no samples');
    lines.push(line('fresh', current.fresh, 'target <= 6 round trips'));
    if (baseline) lines.push(line('fresh, baseline build', baseline.fresh, baselineBin ?? ''));
    lines.push(line('fresh, new bucket too', current.newBucket, 'target <= 6 round trips'));
    if (baseline) lines.push(line('fresh, new bucket, baseline build', baseline.newBucket, baselineBin ?? ''));
    lines.push(line('re-run (nothing to change)', current.again, 'target <= 3 round trips, <= 0.9 s'));
    if (baseline) lines.push(line('re-run, baseline build', baseline.again, baselineBin ?? ''));
    return lines;
  } finally {
    await aws.close();
  }
}
