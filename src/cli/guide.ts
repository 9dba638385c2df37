import type { Command } from 'commander';
import type { Runner } from './runner.js';

/** `cd-wizard guide`: search and read the troubleshooting guide, offline. The command itself loads only when it runs. */
export function defineGuide(program: Command, run: Runner): void {
  program
    .command('guide')
    .description('search and read the troubleshooting guide (offline)')
    .argument('[query...]', 'words to search for; opens the interactive guide when omitted on a terminal')
    .option('-s, --show <id>', 'print one article')
    .option('-l, --list', 'list every article')
    .option('--raw', 'print the article as markdown, not rendered')
    .addHelpText(
      'after',
      `
On a terminal with no query, the guide opens full screen: type to search, Enter to open, / to find in an
article, Esc to go back, q to quit. Piped (or with --no-input), it prints plain text.

Examples:
  $ cd-wizard guide                               # interactive
  $ cd-wizard guide appspec not found             # ranked results: id, title, summary
  $ cd-wizard guide --show agent-missing-credentials
  $ cd-wizard guide --show appspec-not-found --raw > appspec.md
  $ cd-wizard guide --list --json`,
    )
    .action(async (query: string[], options: { show?: string; list?: boolean; raw?: boolean }, command: Command) => {
      await run(async (ctx) => {
        const { runGuide } = await import('../commands/guide/guide.js');
        return runGuide(ctx, { query: query.join(' '), ...options });
      }, command);
    });
}
