// `cd-wizard setup --yes` (2 instances, the full set of resources) against the fake AWS throttling a share of every
// call, at 30% and 60%: how many runs finish, how long they take, and how the others stop. The same seeds run with
// the current policy (the SDK's quick attempts, then up to 60 s of backoff per call, see src/aws/throttle.ts) and
// with the old one as baseline (the SDK's adaptive retries, 6 attempts, nothing after: AWS_MAX_ATTEMPTS=6 and
// CD_WIZARD_RETRY_BUDGET_SECONDS=0). Both in the SDK's default retry mode (adaptive) as a user gets it.
// Compiled and loaded by bench/run.mjs (loadTs); the fake runs in this process, the CLI is the built binary.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAws, type FakeAws } from '../test/fake-aws/index.js';

const INSTANCES = ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2'];
const ARGS = ['setup', '--app', 'web', '--group', 'prod', '--bucket', 'my-revisions', '--instances', INSTANCES.join(','), '--yes'];
const SEED = {
  ec2: { instances: INSTANCES.map((id, i) => ({ id, name: `web-${i + 1}` })) },
  s3: { buckets: [{ name: 'my-revisions', region: 'us-east-1' }] },
};
/** Runs side by side (the machine has 2 cores; the runs mostly wait). */
const PARALLEL = 4;

interface Policy {
  name: string;
  env: Record<string, string>;
}
const POLICIES: Policy[] = [
  { name: 'old (SDK adaptive, 6 attempts)', env: { AWS_MAX_ATTEMPTS: '6', CD_WIZARD_RETRY_BUDGET_SECONDS: '0' } },
  { name: 'new (SDK 3 attempts + 60 s budget)', env: {} },
];

interface Outcome {
  ok: boolean;
  ms: number;
  /** The first line of stderr's error when the run failed. */
  stopped?: string;
  resumable: boolean;
}

function cliEnv(aws: FakeAws, extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || name.startsWith('AWS_') || name.startsWith('CD_WIZARD_') || name.startsWith('VITEST') || ['CI', 'NODE_OPTIONS'].includes(name)) continue;
    env[name] = value;
  }
  return { ...env, ...aws.env(), ...extra };
}

async function oneRun(bin: string, rate: number, seed: number, policy: Policy): Promise<Outcome> {
  const aws = await startFakeAws({ seed: SEED, faults: { throttlingRate: rate, throttlingSeed: seed } });
  const cwd = mkdtempSync(join(tmpdir(), 'cdw-bench-throttle-'));
  const started = performance.now();
  try {
    const { code, stderr } = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, ...ARGS], { cwd, env: cliEnv(aws, policy.env), stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit, stderr }));
    });
    const ms = performance.now() - started;
    if (code === 0) return { ok: true, ms, resumable: true };
    const stopped = /✗ (.*)/.exec(stderr)?.[1] ?? stderr.trim().split('\n').at(-1) ?? `exit ${code}`;
    return { ok: false, ms, stopped, resumable: /setup continues where it stopped/.test(stderr) };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
    await aws.close();
  }
}

async function pool<T>(jobs: Array<() => Promise<T>>, width: number): Promise<T[]> {
  const out: T[] = new Array<T>(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < jobs.length) {
        const index = next++;
        out[index] = await (jobs[index] as () => Promise<T>)();
      }
    }),
  );
  return out;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export async function run(bin: string, options: { runs?: number; rates?: number[] } = {}): Promise<string[]> {
  const runs = options.runs ?? Number(process.env.BENCH_THROTTLE_RUNS ?? 10);
  const rates = options.rates ?? [0.3, 0.6];
  const lines: string[] = [`throttling: setup --yes (2 instances, ~100 calls) against the fake throttling every call at random; ${runs} seeds per rate and policy, ${PARALLEL} at a time`];
  for (const rate of rates) {
    for (const policy of POLICIES) {
      const outcomes = await pool(
        Array.from({ length: runs }, (_, i) => () => oneRun(bin, rate, 1000 + i, policy)),
        PARALLEL,
      );
      const finished = outcomes.filter((o) => o.ok);
      const times = finished.map((o) => o.ms).sort((a, b) => a - b);
      const median = times.length > 0 ? seconds(times[Math.floor(times.length / 2)] as number) : '-';
      const worst = times.length > 0 ? seconds(times.at(-1) as number) : '-';
      const stops = outcomes.filter((o) => !o.ok);
      const resumable = stops.filter((o) => o.resumable).length;
      const reasons = [...new Set(stops.map((o) => (o.stopped ?? '').replace(/ for \d+ s/, ' for N s')))].slice(0, 2);
      lines.push(
        `  ${Math.round(rate * 100)}% ${policy.name}: ${finished.length}/${runs} finished (median ${median}, worst ${worst})` +
          (stops.length > 0 ? `; ${stops.length} stopped, ${resumable} with the resume line: ${reasons.join(' | ')}` : ''),
      );
    }
  }
  return lines;
}
