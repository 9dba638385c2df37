// `npm run bench [-- section …]`: prints the figures the issues set targets for. Not a test: nothing here
// fails on a slow machine; it measures and prints. Sections: startup, show, tui, search, fixlog, setup, fix, deploy (default: all).
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, ROOT, buildTs, fmt, loadTs, percentile, timeCommand } from './lib.mjs';

const wanted = new Set(process.argv.slice(2));
const want = (section) => wanted.size === 0 || wanted.has(section);
const print = (line) => console.log(line);

print(`cd-wizard benchmarks — node ${process.version}, ${new Date().toISOString()}`);

if (want('startup')) {
  const bare = timeCommand(['-e', '0']);
  const version = timeCommand([BIN, '--version']);
  const help = timeCommand([BIN, '--help']);
  print(`startup: node -e 0 ${fmt(bare.median)} | --version ${fmt(version.median)} (${(version.median / bare.median).toFixed(2)}x) | --help ${fmt(help.median)} (${(help.median / bare.median).toFixed(2)}x)  (target <= 1.3x)`);
}

if (want('show')) {
  const bare = timeCommand(['-e', '0']);
  const show = timeCommand([BIN, 'guide', '--show', 'agent-missing-credentials']);
  print(`guide --show piped: ${fmt(show.median)} vs node -e 0 ${fmt(bare.median)} (${(show.median / bare.median).toFixed(2)}x)  (target <= 2x)`);
}

if (want('tui')) {
  const bare = await firstOutput([process.execPath, '-e', "process.stdout.write('ready')"], 'ready');
  const guide = await firstOutput([process.execPath, BIN, 'guide'], 'Search:');
  const home = await firstOutput([process.execPath, BIN], 'Browse');
  print(`first frame in an 80x24 PTY: guide ${fmt(guide)} | home ${fmt(home)} | bare node ${fmt(bare)}  (target guide <= 250 ms)`);
}

if (want('search')) {
  const { run } = await loadTs('bench/search-bench.ts');
  for (const line of run(join(ROOT, 'dist', 'kb.json'))) print(line);
}

if (want('fixlog')) {
  const dir = mkdtempSync(join(tmpdir(), 'cdw-bench-'));
  const file = join(dir, 'codedeploy-agent.log');
  await writeAgentLog(file, 50 * 1024 * 1024);
  const bytes = statSync(file).size;
  const { ms, maxRssKb } = await runWithRss([BIN, 'fix', '--log', file, '--json']);
  print(`fix --log on a ${(bytes / 1048576).toFixed(0)} MiB agent log: ${(ms / 1000).toFixed(2)} s, ${(bytes / 1048576 / (ms / 1000)).toFixed(1)} MiB/s, peak RSS ${(maxRssKb / 1024).toFixed(0)} MiB (streams; the file is ${(bytes / 1048576).toFixed(0)} MiB)`);
  rmSync(dir, { recursive: true, force: true });
}

/** Median time from spawning `argv` in a pseudo-terminal until `marker` appears in its output (10 runs). */
async function firstOutput(argv, marker, runs = 10) {
  const pty = (await import('node-pty')).default ?? (await import('node-pty'));
  const samples = [];
  for (let i = 0; i <= runs; i += 1) {
    const started = process.hrtime.bigint();
    const ms = await new Promise((resolve, reject) => {
      const child = pty.spawn(argv[0], argv.slice(1), { cols: 80, rows: 24, env: { ...process.env, TERM: 'xterm-256color' } });
      let output = '';
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`no "${marker}" from ${argv.join(' ')} in 10 s`));
      }, 10_000);
      child.onData((data) => {
        output += data;
        if (output.includes(marker)) {
          clearTimeout(timer);
          const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
          child.kill();
          resolve(elapsed);
        }
      });
    });
    if (i > 0) samples.push(ms);
  }
  return percentile(samples, 50);
}

if (want('setup')) {
  const { run } = await loadTs('bench/setup-bench.ts');
  for (const line of await run(BIN)) print(line);
}

/** A realistic agent log: mostly polling lines, a stack trace and a few failures spread through it. */
async function writeAgentLog(file, size) {
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

/** Runs the binary with a preload that reports peak RSS through an extra file descriptor. */
function runWithRss(args) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', pathToFileURL(join(ROOT, 'bench', 'rss-probe.mjs')).href, ...args], {
      stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
      env: { ...process.env, CD_WIZARD_BENCH_RSS_FD: '3' },
    });
    let report = '';
    child.stdio[3].on('data', (data) => (report += data));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${args.join(' ')} exited ${code}`));
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, maxRssKb: Number(report.trim()) });
    });
  });
}


// `fix` against AWS: 50 failed instances at 100 ms per call, against a one-call-at-a-time baseline (bench/fix-bench.ts).
if (want('fix')) {
  const { run } = await loadTs('bench/fix-bench.ts');
  for (const line of await run(BIN)) print(line);
}

// deploy: bundle + upload of a 200 MiB folder (vs aws deploy push and a zip-only floor), and the watcher's delay and
// calls per minute (vs aws deploy wait's documented 15 s polling) (bench/deploy-bench.ts).
if (want('deploy')) {
  const { run } = await loadTs('bench/deploy-bench.ts');
  const floor = await buildTs('bench/deploy-floor.ts');
  for (const line of await run(BIN, { floor, probe: join(ROOT, 'bench', 'rss-probe.mjs') })) print(line);
}
