// `npm run bench [-- section …]`: prints the figures the issues set targets for. Not a test: nothing here
// fails on a slow machine; it measures and prints. Sections: startup, show, tui, keystroke, start, search, fixlog, setup, fix
// (default: all).
import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BIN, ROOT, fmt, loadTs, percentile, ratioOf, timeInterleaved } from './lib.mjs';

const wanted = new Set(process.argv.slice(2));
const want = (section) => wanted.size === 0 || wanted.has(section);
const print = (line) => console.log(line);

print(`cd-wizard benchmarks — node ${process.version}, ${new Date().toISOString()}`);

if (want('startup')) {
  const runs = timeInterleaved({ bare: ['-e', '0'], version: [BIN, '--version'], help: [BIN, '--help'] });
  const median = (name) => fmt(percentile(runs[name], 50));
  print(`startup: node -e 0 ${median('bare')} | --version ${median('version')} (${ratioOf(runs, 'version', 'bare').toFixed(2)}x) | --help ${median('help')} (${ratioOf(runs, 'help', 'bare').toFixed(2)}x)  (target <= 1.3x)`);
}

if (want('show')) {
  const runs = timeInterleaved({ bare: ['-e', '0'], show: [BIN, 'guide', '--show', 'agent-missing-credentials'] });
  print(`guide --show piped: ${fmt(percentile(runs.show, 50))} vs node -e 0 ${fmt(percentile(runs.bare, 50))} (${ratioOf(runs, 'show', 'bare').toFixed(2)}x)  (target <= 2x)`);
}

if (want('tui')) {
  // Interleaved runs (bare, guide, home, bare, …) so machine load hits all three alike; ratios are per run.
  const runs = await interleaved(
    {
      bare: [[process.execPath, '-e', "process.stdout.write('ready')"], 'ready'],
      guide: [[process.execPath, BIN, 'guide'], 'Search:'],
      home: [[process.execPath, BIN], 'Browse'],
    },
    15,
  );
  const ratio = (name) => percentile(runs[name].map((ms, i) => ms / runs.bare[i]), 50);
  print(
    `first frame in an 80x24 PTY: guide ${fmt(percentile(runs.guide, 50))} (${ratio('guide').toFixed(2)}x) | home ${fmt(percentile(runs.home, 50))} (${ratio('home').toFixed(2)}x) | bare node ${fmt(percentile(runs.bare, 50))}  (target <= 1.6x each)`,
  );
}

if (want('keystroke')) {
  // The first key typed in the guide (once ink runs) against the second one: equal when the first pays no load.
  const first = [];
  const second = [];
  for (let run = 0; run <= 10; run += 1) {
    const [a, ...rest] = await keystrokes();
    if (run > 0) {
      first.push(a);
      second.push(percentile(rest, 50));
    }
  }
  print(`first keystroke in the guide: ${fmt(percentile(first, 50))} to the new results | the next three ${fmt(percentile(second, 50))} (${(percentile(first, 50) / percentile(second, 50)).toFixed(2)}x)  (target: no index load on a keystroke)`);
}

if (want('start')) {
  // `npm start` with dist/ up to date: npm itself, the freshness check, then the app. Baseline: the app alone.
  const runs = await interleaved(
    {
      app: [[process.execPath, BIN], 'Browse'],
      npmStart: [['npm', 'start', '--silent'], 'Browse'],
    },
    5,
  );
  // What every `npm start` paid before the freshness check: a full build first.
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'ignore' });
  const build = Number(process.hrtime.bigint() - started) / 1e6;
  print(
    `npm start to the home screen (dist/ up to date): ${fmt(percentile(runs.npmStart, 50))} | the app alone ${fmt(percentile(runs.app, 50))} | a build (what every npm start used to run first) ${fmt(build)}  (target: no rebuild)`,
  );
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

/** Milliseconds from spawning `argv` in an 80×24 pseudo-terminal until `marker` appears in its output. */
async function firstOutput(argv, marker) {
  const pty = (await import('node-pty')).default ?? (await import('node-pty'));
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = pty.spawn(argv[0], argv.slice(1), { cols: 80, rows: 24, cwd: ROOT, env: { ...process.env, TERM: 'xterm-256color' } });
    let output = '';
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error(`no "${marker}" from ${argv.join(' ')} in 30 s`));
    }, 30_000);
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
}

/** Opens the guide in a PTY, waits for ink to run, types two keys: ms from each key to the screen that answers it. */
async function keystrokes() {
  const pty = (await import('node-pty')).default ?? (await import('node-pty'));
  const child = pty.spawn(process.execPath, [BIN, 'guide'], { cols: 80, rows: 24, cwd: ROOT, env: { ...process.env, TERM: 'xterm-256color' } });
  let output = '';
  let waiting;
  child.onData((data) => {
    output += data;
    waiting?.();
  });
  const until = (check) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the guide did not answer in 30 s')), 30_000);
      waiting = () => {
        if (!check()) return;
        clearTimeout(timer);
        waiting = undefined;
        resolve();
      };
      waiting();
    });
  // ink has taken over once it has drawn the frame the first frame showed (the placeholder appears twice); then
  // a person reads the screen for a moment before typing.
  await until(() => output.split('type to search').length - 1 >= 4);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const times = [];
  for (const key of ['a', 'p', 'p', 's']) {
    const before = output.length;
    const started = process.hrtime.bigint();
    child.write(key);
    await until(() => output.slice(before).includes(' of '));
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  child.kill();
  return times;
}

/** `runs` rounds of firstOutput() for each named [argv, marker], one of each per round (after one warm-up round). */
async function interleaved(commands, runs) {
  const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let round = 0; round <= runs; round += 1) {
    for (const [name, [argv, marker]] of Object.entries(commands)) {
      const ms = await firstOutput(argv, marker);
      if (round > 0) samples[name].push(ms);
    }
  }
  return samples;
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
