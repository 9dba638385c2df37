/**
 * `npm run bench -- deploy`: the two figures issue 10 sets for deploy, each next to a baseline measured in the same
 * run against the same loopback fake AWS (in this process; the measured programs are child processes).
 *
 * 1. Bundle + upload of a generated 200 MiB folder (three quarters incompressible, one quarter text): wall time, MiB/s
 *    of source and the child's peak RSS, for `cd-wizard deploy --no-wait`, for `aws deploy push` on the same folder
 *    when the AWS CLI is installed, and for a floor: the same files through the same zip library to /dev/null.
 * 2. Watching: `cd-wizard deploy` on a 2-instance deployment whose 7 lifecycle events advance over 35 s. For every
 *    instance line it prints (NDJSON), the delay from the moment the fake moved that instance to the moment the line
 *    arrived; and the CodeDeploy calls per minute. Beside it, what `aws deploy wait deployment-successful` does by its
 *    documentation: GetDeployment every 15 s (4 calls a minute), so a change shows up to 15 s late, and only the end
 *    is shown, never an instance.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startFakeAws, type FakeAws } from '../test/fake-aws/index.js';
import { APP, BUCKET, GROUP, baseSeed } from '../test/fake-aws/scenarios.js';

const MIB = 1024 * 1024;
const APPSPEC = 'version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /var/www/html\n';

/** A folder of `total` bytes in 1 MiB files: 3 of 4 random (incompressible), 1 of 4 log-like text. */
function generate(dir: string, total: number): void {
  writeFileSync(join(dir, 'appspec.yml'), APPSPEC);
  const line = (i: number) => `2026-01-10T09:58:${String(i % 60).padStart(2, '0')} INFO request ${i} served in ${i % 97} ms path=/api/items/${i % 1000}\n`;
  for (let i = 0; i * MIB < total; i += 1) {
    const sub = join(dir, `part-${Math.floor(i / 50)}`);
    mkdirSync(sub, { recursive: true });
    if (i % 4 === 3) {
      let text = '';
      for (let n = 0; text.length < MIB; n += 1) text += line(i * 10_000 + n);
      writeFileSync(join(sub, `log-${i}.txt`), text.slice(0, MIB));
    } else {
      writeFileSync(join(sub, `blob-${i}.bin`), randomBytes(MIB));
    }
  }
}

interface Measured {
  ms: number;
  rssMiB: number;
  code: number | null;
  stderr: string;
}

/** Runs node with the usage probe (bench/usage-probe.mjs reports CPU time and the peak RSS on fd 3, as JSON). */
function runNode(probe: string, args: string[], env: Record<string, string | undefined>): Promise<Measured> {
  return measure(process.execPath, ['--import', pathToFileURL(probe).href, ...args], { ...env, CD_WIZARD_BENCH_USAGE_FD: '3' }, true);
}

function measure(command: string, args: string[], env: Record<string, string | undefined>, probe: boolean): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { env: env as NodeJS.ProcessEnv, stdio: ['ignore', 'ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let report = '';
    let peakKb = 0;
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdio[3]?.on('data', (chunk: Buffer) => (report += chunk.toString()));
    // Programs without the probe: sample VmHWM (the peak resident set) from /proc while they run.
    const sampler = probe ? undefined : setInterval(() => (peakKb = Math.max(peakKb, hwmKb(child.pid))), 50);
    child.on('error', reject);
    child.on('close', (code) => {
      if (sampler) clearInterval(sampler);
      const kb = probe ? (JSON.parse(report.trim() || '{"maxRssKb":0}') as { maxRssKb: number }).maxRssKb : peakKb;
      resolve({ ms: performance.now() - started, rssMiB: kb / 1024, code, stderr });
    });
  });
}

/** VmHWM of a process and its children (the AWS CLI is a shell shim around python). */
function hwmKb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  const out = spawnSync('sh', ['-c', `for p in ${pid} $(pgrep -P ${pid}) $(pgrep -P $(pgrep -P ${pid} | tr '\\n' ',' | sed 's/,$//') 2>/dev/null); do grep VmHWM /proc/$p/status 2>/dev/null; done`], { encoding: 'utf8' }).stdout;
  return Math.max(0, ...[...out.matchAll(/VmHWM:\s+(\d+)/g)].map((match) => Number(match[1])));
}

function cliEnv(aws: FakeAws, extra: Record<string, string> = {}): Record<string, string | undefined> {
  const env: Record<string, string | undefined> = { ...process.env, ...aws.env(), ...extra };
  delete env.AWS_PROFILE;
  return env;
}

const fmtRun = (label: string, m: Measured, bytes: number) => `${label}: ${(m.ms / 1000).toFixed(1)} s, ${(bytes / MIB / (m.ms / 1000)).toFixed(1)} MiB/s, peak RSS ${m.rssMiB.toFixed(0)} MiB`;

async function uploadBench(bin: string, paths: { floor: string; probe: string }, lines: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cdw-bench-deploy-'));
  const total = 200 * MIB;
  const aws = await startFakeAws({ seed: baseSeed({ deployment: null }) });
  try {
    generate(dir, total);
    const deploy = await runNode(paths.probe, [bin, 'deploy', dir, '--no-wait', '--app', APP, '--group', GROUP, '--bucket', BUCKET], cliEnv(aws, { AWS_RETRY_MODE: 'standard' }));
    if (deploy.code !== 0) throw new Error(`deploy exited ${deploy.code}: ${deploy.stderr.slice(-2000)}`);
    const object = Object.values(aws.state.s3.buckets[BUCKET]?.objects ?? {}).find((o) => o.key.startsWith(`${APP}/`));
    const floor = await runNode(paths.probe, [paths.floor, dir], process.env);
    lines.push(
      `deploy: bundle + upload of a ${total / MIB} MiB folder (${Math.round(total / MIB)} files) to the loopback fake: ${fmtRun('cd-wizard deploy --no-wait', deploy, total)} (target < 150 MiB); zip ${((object?.size ?? 0) / MIB).toFixed(0)} MiB, ETag ${object?.etag ?? '?'}`,
      `  ${fmtRun('floor: the same files through yazl to /dev/null', floor, total)}; deploy takes ${(deploy.ms / floor.ms).toFixed(2)}x the floor's time`,
    );
    const which = spawnSync('sh', ['-c', 'command -v aws'], { encoding: 'utf8' }).stdout.trim();
    if (which === '') {
      lines.push('  aws deploy push: the AWS CLI is not installed here; compared with the floor only.');
    } else {
      aws.clearCalls();
      const version = spawnSync('aws', ['--version'], { encoding: 'utf8' });
      const push = await measure('aws', ['deploy', 'push', '--application-name', APP, '--s3-location', `s3://${BUCKET}/${APP}/cli-push.zip`, '--source', dir, '--region', 'us-east-1'], cliEnv(aws), false);
      const pushed = aws.state.s3.buckets[BUCKET]?.objects[`${APP}/cli-push.zip`];
      lines.push(
        push.code === 0 && pushed
          ? `  ${fmtRun(`aws deploy push (${(version.stdout || version.stderr).trim().split(' ')[0] ?? 'aws-cli'}, same folder, same fake)`, push, total)}; zip ${(pushed.size / MIB).toFixed(0)} MiB; cd-wizard takes ${(deploy.ms / push.ms).toFixed(2)}x its time, ${(deploy.rssMiB / Math.max(1, push.rssMiB)).toFixed(2)}x its peak RSS`
          : `  aws deploy push failed here (exit ${push.code}): ${push.stderr.trim().split('\n').slice(-2).join(' ')}`,
      );
    }
  } finally {
    await aws.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Delay from each instance's state change in the fake to its line reaching this process, and calls per minute. */
async function watchBench(bin: string, lines: string[]): Promise<void> {
  const durationMs = 35_000;
  const events = 7;
  const seed = baseSeed({ deployment: null });
  const aws = await startFakeAws({ seed: { ...seed, codedeploy: { ...seed.codedeploy, deploymentDurationMs: durationMs } } });
  const dir = mkdtempSync(join(tmpdir(), 'cdw-bench-watch-'));
  writeFileSync(join(dir, 'appspec.yml'), APPSPEC);
  writeFileSync(join(dir, 'index.html'), '<h1>hello</h1>\n');
  try {
    const delays: number[] = [];
    let watchStart = 0;
    let watchEnd = 0;
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [bin, 'deploy', dir, '--json', '--app', APP, '--group', GROUP, '--bucket', BUCKET], { env: cliEnv(aws) as NodeJS.ProcessEnv, stdio: ['ignore', 'ignore', 'pipe'] });
      let buffered = '';
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        const arrived = Date.now();
        buffered += chunk;
        const complete = buffered.split('\n');
        buffered = complete.pop() ?? '';
        for (const text of complete) {
          const event = JSON.parse(text) as { event: string; instance?: string; status?: string; events?: Array<{ status: string }> };
          if (event.event === 'deploy.watch.start') watchStart = arrived;
          if (event.event !== 'deploy.watch.target' || event.events === undefined) continue;
          const record = Object.values(aws.state.codedeploy.deployments).find((d) => d.finishesAt !== undefined);
          if (!record?.finishesAt) continue;
          // The fake moves an instance to event i at createdAt + i × duration / events, and ends it at finishesAt.
          const done = event.events.filter((e) => e.status === 'Succeeded').length;
          const changedAt = event.status === 'Succeeded' ? record.finishesAt : record.createdAt + Math.ceil((done * durationMs) / events);
          delays.push(arrived - changedAt);
        }
      });
      child.on('error', reject);
      child.on('close', (code) => {
        watchEnd = Date.now();
        if (code === 0) resolve();
        else reject(new Error(`deploy exited ${code}`));
      });
    });
    const watchCalls = aws.calls.filter((call) => call.service === 'codedeploy' && call.at >= watchStart && /^(GetDeployment|ListDeploymentTargets|BatchGetDeploymentTargets)$/.test(call.action)).length;
    const minutes = (watchEnd - watchStart) / 60_000;
    const sorted = [...delays].sort((a, b) => a - b);
    const p = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
    const mean = delays.reduce((sum, d) => sum + d, 0) / Math.max(1, delays.length);
    lines.push(
      `watch: 2 instances × 7 events over ${durationMs / 1000} s: ${delays.length} instance lines, change → screen mean ${(mean / 1000).toFixed(1)} s, p50 ${(p(0.5) / 1000).toFixed(1)} s, max ${(p(1) / 1000).toFixed(1)} s (target <= 5 s); ${(watchCalls / minutes).toFixed(0)} CodeDeploy calls a minute (${watchCalls} in ${(minutes * 60).toFixed(0)} s)`,
      `  aws deploy wait deployment-successful (documented: GetDeployment every 15 s, gives up after 30 min): 4 calls a minute, a change shows up to 15 s late (mean 7.5 s), no per-instance line; cd-wizard is ${(15_000 / Math.max(1, p(1))).toFixed(1)}x faster to the screen at the worst, for ${(watchCalls / minutes / 4).toFixed(1)}x the calls`,
    );
  } finally {
    await aws.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run(bin: string, paths: { floor: string; probe: string }): Promise<string[]> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const lines: string[] = [];
  await uploadBench(bin, paths, lines);
  await watchBench(bin, lines);
  return lines;
}
