// Preloaded with --import by the benchmarks: reports the process's peak memory when it exits.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.CD_WIZARD_BENCH_RSS_FD) writeSync(Number(process.env.CD_WIZARD_BENCH_RSS_FD), `${process.resourceUsage().maxRSS}\n`);
});
