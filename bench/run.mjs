// `npm run bench [-- section …]`: prints the figures the issues set targets for. Not a test: nothing here
// fails on a slow machine; it measures and prints. Sections: startup, show, tui, search, fixlog, accuracy, fuzz, setup, fix (default: all).
import { join } from 'node:path';
import { BIN, ROOT, fmt, loadTs, percentile, timeCommand } from './lib.mjs';

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




// `fix` against AWS: 50 failed instances at 100 ms per call, against a one-call-at-a-time baseline (bench/fix-bench.ts).
if (want('fix')) {
  const { run } = await loadTs('bench/fix-bench.ts');
  for (const line of await run(BIN)) print(line);
}
