// `npm run bench [-- section …]`: prints the figures the issues set targets for. Not a test: nothing here
// fails on a slow machine; it measures and prints. Sections: startup, show, tui, keystroke, start, search, fixlog,
// accuracy, fuzz, setup, throttle, fix, deploy (default: all).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { BIN, ROOT, buildTs, fmt, loadTs, percentile, ratioOf, timeInterleaved } from './lib.mjs';

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
  const { runLogBench } = await import('./log-bench.mjs');
  await runLogBench(print);
}

if (want('fuzz')) {
  const { run } = await loadTs('bench/fuzz-bench.ts');
  for (const line of run(join(ROOT, 'content'))) print(line);
}

if (want('accuracy')) {
  const { runAccuracyBench } = await import('./accuracy.mjs');
  await runAccuracyBench(print);
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

// setup under 30% and 60% throttling, finished/total, against the previous retry policy (bench/throttle-bench.ts).
if (want('throttle')) {
  const { run } = await loadTs('bench/throttle-bench.ts');
  for (const line of await run(BIN)) print(line);
}

if (want('setup')) {
  const { run } = await loadTs('bench/setup-bench.ts');
  for (const line of await run(BIN)) print(line);
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
  for (const line of await run(BIN, { floor, probe: join(ROOT, 'bench', 'usage-probe.mjs') })) print(line);
}
