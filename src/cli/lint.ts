import type { Command } from 'commander';
import type { Runner } from './runner.js';

/** `cd-wizard lint`: offline AppSpec and hook-script checks. The command itself loads only when it runs. */
export function defineLint(program: Command, run: Runner): void {
  program
    .command('lint')
    .description('check appspec.yml and the hook scripts of a bundle folder for the traps that fail deployments (offline)')
    .argument('[dir]', 'the folder that becomes the bundle root (default: the current folder)')
    .option('-q, --quiet', 'report errors only')
    .option('--rules', 'list every rule with its guide article')
    .option('--load-balancer', 'the deployment group has a load balancer (traffic hooks run)')
    .option('--no-load-balancer', 'it has none (traffic hooks never run: a warning)')
    .addHelpText(
      'after',
      `
Each problem is printed as path:line:col  severity  message  rule-id, grouped per file, with the
fix under it. Rule ids are stable; each has a guide article (--rules lists them).

Examples:
  $ cd-wizard lint                      # the bundle in the current folder
  $ cd-wizard lint build/bundle --quiet # errors only
  $ cd-wizard lint --json | jq '.findings[] | select(.severity == "error") | .rule'
  $ cd-wizard lint --rules

Exit codes: 0 no errors (warnings and notes allowed), 1 errors, 2 usage error (no such folder).`,
    )
    .action(async (dir: string | undefined, options: { quiet?: boolean; rules?: boolean; loadBalancer?: boolean }, command: Command) => {
      await run(async (ctx) => {
        const { runLint } = await import('../commands/lint/lint.js');
        const { loadBalancer, ...rest } = options;
        return runLint(ctx, dir, { ...rest, ...(command.getOptionValueSource('loadBalancer') === 'cli' ? { loadBalancer } : {}) });
      }, command);
    });
}
