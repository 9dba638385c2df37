#!/usr/bin/env node
// The published entry point: everything else lives in the bundled dist/ output.
// `--version` alone is answered here, without loading the CLI at all: scripts call it often and expect it instant.
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-v')) {
  const { readFileSync } = await import('node:fs');
  process.stdout.write(`${JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version}\n`);
} else {
  await import('../dist/main.js');
}
