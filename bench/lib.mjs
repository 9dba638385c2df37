// Small helpers shared by the benchmarks: timing child processes and summarising samples.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = join(ROOT, 'bin', 'cd-wizard.js');

export function percentile(samples, p) {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index];
}

/** Wall time of a command, median of `runs` runs after one warm-up. */
export function timeCommand(args, { runs = 20, env = {}, input } = {}) {
  const samples = [];
  for (let i = 0; i <= runs; i += 1) {
    const started = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { env: { ...process.env, ...env }, input, stdio: ['pipe', 'pipe', 'pipe'] });
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    if (result.status !== 0 && result.status !== null && !args.includes('-e')) {
      throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
    }
    if (i > 0) samples.push(ms);
  }
  return { median: percentile(samples, 50), p90: percentile(samples, 90) };
}

/** Compiles a TypeScript bench module that imports src/; returns the path of the compiled file (`define`: extra esbuild replacements). */
export async function buildTs(entry, define = {}) {
  const cache = join(ROOT, 'node_modules', '.cache', 'cd-wizard');
  mkdirSync(cache, { recursive: true });
  const outfile = join(cache, `${entry.replace(/[/.]/g, '_')}.mjs`);
  await build({ entryPoints: [join(ROOT, entry)], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile, logLevel: 'error', define });
  return outfile;
}

/** Compiles a TypeScript bench module that imports src/ and loads it. */
export async function loadTs(entry, define = {}) {
  return import(`${pathToFileURL(await buildTs(entry, define)).href}?t=${Date.now()}`);
}

export const fmt = (ms) => `${ms.toFixed(1)} ms`;

/**
 * Wall times of several commands measured in rounds (one of each per round, after a warm-up round), so machine load
 * hits them alike. Returns the samples by name; compare them as per-round ratios (ratioOf).
 */
export function timeInterleaved(commands, { runs = 20 } = {}) {
  const samples = Object.fromEntries(Object.keys(commands).map((name) => [name, []]));
  for (let round = 0; round <= runs; round += 1) {
    for (const [name, args] of Object.entries(commands)) {
      const started = process.hrtime.bigint();
      spawnSync(process.execPath, args, { stdio: ['pipe', 'pipe', 'pipe'] });
      if (round > 0) samples[name].push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  return samples;
}

/** Median of the per-round ratios of `name` to `base` (both sample lists from the same rounds). */
export function ratioOf(samples, name, base) {
  return percentile(samples[name].map((ms, i) => ms / samples[base][i]), 50);
}
