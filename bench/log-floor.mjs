// The floor for `fix --log`: what any line scanner pays at least. Streams the file as UTF-8, lowercases each chunk
// and runs one regex over it, then reports its own CPU time and peak memory as JSON on stdout.
import { createReadStream } from 'node:fs';

const pattern = /error|fail|denied|exception/g;
let hits = 0;
for await (const chunk of createReadStream(process.argv[2], { encoding: 'utf8', highWaterMark: 256 * 1024 })) {
  const lower = chunk.toLowerCase();
  pattern.lastIndex = 0;
  while (pattern.exec(lower)) hits += 1;
}
const cpu = process.cpuUsage();
process.stdout.write(`${JSON.stringify({ hits, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS })}\n`);
