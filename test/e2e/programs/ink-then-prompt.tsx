// A test program (bundled by ink-and-prompts.e2e.test.ts): an ink menu, then an @inquirer/prompts select,
// then another ink menu, in one process — the sequence the setup wizard uses. Prints RESULT <a> <b> <c>.
import { select } from '@inquirer/prompts';
import { releaseStdin, runInk } from '../../../src/ui/ink-session.js';
import { Menu } from '../../../src/ui/Menu.js';

const streams = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };
const items = [
  { value: 'alpha', label: 'Alpha', description: 'the first' },
  { value: 'beta', label: 'Beta', description: 'the second' },
] as const;

const first = await runInk<string>(<Menu title="ink" question="First ink menu" items={items} />, streams, { more: true });
const colour = await select({ message: 'Inquirer select', choices: [{ value: 'red' }, { value: 'blue' }] });
const second = await runInk<string>(<Menu title="ink" question="Second ink menu" items={items} />, streams);
releaseStdin(process.stdin);
process.stdout.write(`RESULT ${String(first)} ${colour} ${String(second)}\n`);
