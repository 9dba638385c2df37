// `cd-wizard setup` against the fake AWS with a fixed latency per call: wall time, call count and sequential round
// trips of a fresh setup (2 instances) and of a re-run with nothing to change. Compiled and loaded by bench/run.mjs
// (loadTs); the fake runs in this process, the CLI is the built binary in a child process.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAws, type CallRecord, type FakeAws } from '../test/fake-aws/index.js';

const LATENCY_MS = 100;
const RUNS = 3;
const INSTANCES = ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2'];
const ARGS = ['setup', '--app', 'web', '--group', 'prod', '--bucket', 'my-revisions', '--instances', INSTANCES.join(','), '--yes'];

interface Sample {
  ms: number;
  calls: number;
  changes: number;
  rounds: number;
  /** From spawning the CLI to its first AWS call: start-up, answers, SDK loading. */
  firstCallMs: number;
}

/** The CLI with the fake's endpoint and keys, and nothing of the developer's AWS setup. */
function cliEnv(aws: FakeAws): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || name.startsWith('AWS_') || name.startsWith('VITEST') || ['CI', 'CD_WIZARD_NO_AUTORUN', 'NODE_OPTIONS'].includes(name)) continue;
    env[name] = value;
  }
  return { ...env, ...aws.env() };
}

function runCli(bin: string, aws: FakeAws, cwd: string): Promise<{ ms: number; spawnedAt: number }> {
  const started = performance.now();
  const spawnedAt = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...ARGS], { cwd, env: cliEnv(aws), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve({ ms: performance.now() - started, spawnedAt }) : reject(new Error(`setup exited ${code}: ${stderr}`))));
  });
}

/**
 * Round trips that happened one after the other: the calls' time ranges (arrival to answer) merged where they
 * overlap; each merged range is one round trip on the critical path. Calls that could overlap but start late
 * (the CLI loads each service's SDK on first use) count as a round of their own: that wait is real too.
 */
export function sequentialRounds(calls: readonly CallRecord[]): number {
  const ranges = calls.map((call) => [call.at, call.at + (call.durationMs ?? 0)] as const).sort((a, b) => a[0] - b[0]);
  let rounds = 0;
  let end = Number.NEGATIVE_INFINITY;
  for (const [start, finish] of ranges) {
    if (start >= end) rounds += 1;
    end = Math.max(end, finish);
  }
  return rounds;
}

// The fake's clock is real time until someone advances it (nobody does here), so `at` compares with Date.now().
const sample = ({ ms, spawnedAt }: { ms: number; spawnedAt: number }, calls: readonly CallRecord[]): Sample => ({
  ms,
  firstCallMs: Math.min(...calls.map((call) => call.at)) - spawnedAt,
  calls: calls.length,
  changes: calls.filter((call) => !/^(Get|List|Describe|Head|BatchGet|Simulate)/.test(call.action)).length,
  rounds: sequentialRounds(calls),
});

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

function line(label: string, samples: Sample[], target?: number): string {
  const ms = median(samples.map((s) => s.ms));
  const first = samples[0] ?? { calls: 0, changes: 0, rounds: 0 };
  const waiting = first.rounds * LATENCY_MS;
  const startup = median(samples.map((s) => s.firstCallMs));
  return (
    `setup ${label}: ${(ms / 1000).toFixed(2)} s (median of ${samples.length}), ${first.calls} calls (${first.changes} changes), ` +
    `${first.rounds} sequential round trips ≈ ${(waiting / 1000).toFixed(1)} s of latency, first call after ${(startup / 1000).toFixed(2)} s` +
    (target === undefined ? '' : `  (target <= ${(target / 1000).toFixed(0)} s)`)
  );
}

export async function run(bin: string): Promise<string[]> {
  const aws = await startFakeAws({
    seed: { ec2: { instances: INSTANCES.map((id, i) => ({ id, name: `web-${i + 1}` })) }, s3: { buckets: [{ name: 'my-revisions', region: 'us-east-1' }] } },
    faults: { latencyMs: LATENCY_MS },
  });
  const fresh: Sample[] = [];
  const again: Sample[] = [];
  const dirs: string[] = [];
  try {
    for (let i = 0; i < RUNS; i += 1) {
      aws.reset();
      const dir = mkdtempSync(join(tmpdir(), 'cdw-bench-setup-'));
      dirs.push(dir);
      fresh.push(sample(await runCli(bin, aws, dir), aws.calls));
      aws.clearCalls();
      again.push(sample(await runCli(bin, aws, dir), aws.calls));
      if (aws.mutatingCalls().length > 0) throw new Error(`the re-run changed something: ${aws.mutatingCalls().map((call) => call.action).join(', ')}`);
    }
  } finally {
    await aws.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
  return [
    `setup against the fake AWS with ${LATENCY_MS} ms per call, ${INSTANCES.length} instances:`,
    line('fresh', fresh),
    line('re-run (nothing to change)', again, 2000),
  ];
}
