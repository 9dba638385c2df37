// `npm run bench -- fixlog`: `fix --log` on a generated 50 MiB agent log against the floor program (bench/log-floor.mjs:
// stream + lowercase + one regex), CPU time side by side as a ratio, and peak memory on a 5 and a 50 MiB log (it
// should not grow with the file). Runs alternate and the medians are printed; the machine is shared.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, ROOT, percentile } from './lib.mjs';

/** A realistic agent log: mostly polling lines, a stack trace and a few failures spread through it. */
export async function writeAgentLog(file, size) {
  const out = createWriteStream(file);
  const poll = (i) =>
    `2024-09-10T18:${String(i % 60).padStart(2, '0')}:12 INFO  [codedeploy-agent(33869)]: [Aws::CodeDeployCommand::Client 200 45.142183 0 retries] poll_host_command(host_identifier:"arn:aws:ec2:ap-northeast-2:123456789012:instance/i-0e9fe7b11be081a65")\n`;
  const failure = [
    '2024-09-10T18:01:58 ERROR [codedeploy-agent(33869)]: InstanceAgent::Plugins::CodeDeployPlugin::CommandPoller: Missing credentials - please check if this instance was started with an IAM instance profile\n',
    '2024-09-10T18:02:01 ERROR [codedeploy-agent(33869)]: InstanceAgent::Plugins::CodeDeployPlugin::CommandExecutor: Error during perform: InstanceAgent::Plugins::CodeDeployPlugin::ScriptError - Script at specified location: scripts/start.sh failed with exit code 1 - /opt/codedeploy-agent/lib/instance_agent/plugins/codedeploy/hook_executor.rb:183:in `execute_script\'\n',
    "\t/opt/codedeploy-agent/lib/instance_agent/plugins/codedeploy/command_executor.rb:138:in `block (2 levels) in <class:CommandExecutor>'\n",
  ];
  let written = 0;
  let i = 0;
  while (written < size) {
    let chunk = '';
    for (let j = 0; j < 2000; j += 1, i += 1) chunk += i % 40_000 === 7 ? failure.join('') : poll(i);
    written += Buffer.byteLength(chunk);
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve));
  }
  await new Promise((resolve) => out.end(resolve));
}

/** Runs node with `args`; the usage probe (or the floor program itself) reports CPU and peak memory. */
function measure(args, { probe }) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, probe ? ['--import', pathToFileURL(join(ROOT, 'bench', 'usage-probe.mjs')).href, ...args] : args, {
      stdio: ['ignore', probe ? 'ignore' : 'pipe', 'inherit', 'pipe'],
      env: { ...process.env, CD_WIZARD_BENCH_USAGE_FD: '3' },
    });
    let report = '';
    (probe ? child.stdio[3] : child.stdout).on('data', (data) => (report += data));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}`));
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, ...JSON.parse(report.trim().split('\n').pop()) });
    });
  });
}

export async function runLogBench(print, runs = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'cdw-bench-'));
  try {
    const big = join(dir, 'codedeploy-agent.log');
    const small = join(dir, 'small.log');
    await writeAgentLog(big, 50 * 1024 * 1024);
    await writeAgentLog(small, 5 * 1024 * 1024);
    const mib = statSync(big).size / 1048576;
    const fix = [];
    const floor = [];
    for (let run = 0; run < runs; run += 1) {
      floor.push(await measure([join(ROOT, 'bench', 'log-floor.mjs'), big], { probe: false }));
      fix.push(await measure([BIN, 'fix', '--log', big, '--json'], { probe: true }));
    }
    const smallRun = await measure([BIN, 'fix', '--log', small, '--json'], { probe: true });
    const median = (samples, key) => percentile(samples.map((sample) => sample[key]), 50);
    const fixCpu = median(fix, 'cpuMs');
    const floorCpu = median(floor, 'cpuMs');
    print(
      `fix --log on a ${mib.toFixed(0)} MiB agent log: CPU ${(fixCpu / 1000).toFixed(2)} s (${(mib / (fixCpu / 1000)).toFixed(0)} MiB/s of CPU), wall ${(median(fix, 'ms') / 1000).toFixed(2)} s | ` +
        `floor (stream + lowercase + one regex): CPU ${(floorCpu / 1000).toFixed(2)} s (${(mib / (floorCpu / 1000)).toFixed(0)} MiB/s) | ratio ${(fixCpu / floorCpu).toFixed(2)}x the floor (target <= 1.5x; median of ${runs})`,
    );
    print(`  peak RSS: ${(smallRun.maxRssKb / 1024).toFixed(0)} MiB on 5 MiB, ${(median(fix, 'maxRssKb') / 1024).toFixed(0)} MiB on 50 MiB (floor ${(median(floor, 'maxRssKb') / 1024).toFixed(0)} MiB)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
