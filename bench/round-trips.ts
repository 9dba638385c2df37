// Shared by the AWS benchmarks (setup-bench.ts, fix-bench.ts): how many round trips a run waited for one after
// another, read from the fake AWS's call log, and wall time of a bare Node start as the baseline.
import { spawnSync } from 'node:child_process';
import type { CallRecord } from '../test/fake-aws/index.js';

/**
 * The longest chain of calls in which each started only after the one before it had answered: the round trips on
 * the critical path. Calls that could have gone together but started late (a client still loading) count too.
 */
export function sequentialRoundTrips(calls: readonly CallRecord[]): number {
  const sorted = [...calls].sort((a, b) => a.at - b.at);
  const depth: number[] = [];
  sorted.forEach((call, i) => {
    let before = 0;
    for (let j = 0; j < i; j += 1) {
      const earlier = sorted[j] as CallRecord;
      // Answered before this call was sent (a few ms of slack for the client's own work).
      if (earlier.at + (earlier.durationMs ?? 0) <= call.at + 2) before = Math.max(before, depth[j] ?? 0);
    }
    depth.push(before + 1);
  });
  return Math.max(0, ...depth);
}

/** Wall time of `node -e 0`, in ms: the floor every CLI run pays, measured next to it. */
export function bareNodeMs(): number {
  const started = performance.now();
  spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore' });
  return performance.now() - started;
}

export const median = (values: readonly number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
