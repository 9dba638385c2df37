#!/usr/bin/env node
// The published entry point: everything else lives in the bundled dist/ output.
// `--version` alone is answered here, without loading the CLI at all: scripts call it often and expect it instant.
// `cd-wizard` and `cd-wizard guide` open full screen on a terminal: their first frame is drawn before the CLI
// loads (dist/first-frame.js does nothing when they would not open full screen).
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  if (args.length === 0 || (args.length === 1 && args[0] === 'guide')) {
    (await import('../dist/first-frame.js')).showEarlyFrame(args.length === 0 ? 'home' : 'guide');
  }
  await import('../dist/main.js');
}
