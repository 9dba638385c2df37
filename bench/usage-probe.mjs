// Preloaded with --import by the log and deploy benchmarks: reports the process's CPU time and peak memory when it exits.
import { writeSync } from 'node:fs';

process.on('exit', () => {
  const fd = process.env.CD_WIZARD_BENCH_USAGE_FD;
  if (!fd) return;
  const cpu = process.cpuUsage();
  writeSync(Number(fd), `${JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS })}\n`);
});
