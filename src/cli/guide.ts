import type { Command } from 'commander';
import type { Runner } from './runner.js';

/** `cd-wizard guide`: search and read the troubleshooting guide, offline. The command itself loads only when it runs. */
export function defineGuide(program: Command, run: Runner): void {
  program
    .command('guide')
    .description('search and read the troubleshooting guide (offline)')
    .argument('[query...]', 'words to search for; opens the interactive guide when omitted on a terminal')
    .option('-s, --show <id>', 'open one article: in the pager on a terminal, as plain text (its markdown) when piped')
    .option('-l, --list', 'list every article: id, title, summary')
    .option('--raw', 'with --show: print the markdown even on a terminal (no pager, no styling)')
    .addHelpText(
      'after',
      `
On a terminal with no query, the guide opens full screen: type to search, Enter to open, / to find in an
article, Esc to go back, q to quit. --show <id> opens that article in the same pager (scroll, / to find, q or Esc
to leave). Piped, nothing is interactive: no query prints the list of articles, --show prints the article's
plain text (markdown), a query prints the ranked results. With --no-input on a terminal, --show prints the
article rendered instead of opening the pager. --json gives the same as JSON.

Examples:
  $ cd-wizard guide                               # interactive (on a terminal)
  $ cd-wizard guide appspec not found             # ranked results: id, title, summary
  $ cd-wizard guide --show agent-missing-credentials          # the pager on a terminal
  $ cd-wizard guide --show agent-missing-credentials | less   # plain text when piped
  $ cd-wizard guide --show appspec-not-found --raw > appspec.md
  $ cd-wizard guide --list --json | jq -r '.[].id'

Exit codes: 0 done (also when nothing matches), 1 no such article, 2 usage error.`,
    )
    .action(async (query: string[], options: { show?: string; list?: boolean; raw?: boolean }, command: Command) => {
      await run(async (ctx) => {
        const { runGuide } = await import('../commands/guide/guide.js');
        return runGuide(ctx, { query: query.join(' '), ...options });
      }, command);
    });
}
