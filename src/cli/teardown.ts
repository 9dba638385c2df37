import type { Command } from 'commander';
import type { TeardownFlags } from '../commands/teardown/teardown.js';
import type { Runner } from './runner.js';

/** `cd-wizard teardown`: remove what setup created and nothing it reused. The command itself loads only when it runs. */
export function defineTeardown(program: Command, run: Runner): void {
  program
    .command('teardown')
    .description('remove what setup created (and nothing it reused), after showing the plan')
    .option('-y, --yes', 'remove without asking (the revision bucket still needs --delete-bucket)')
    .option('--dry-run', 'show what would be removed and kept, and stop; only read calls are made')
    .option('--delete-bucket', 'also delete the revision bucket setup created, with the revisions cd-wizard uploaded')
    .option('--delete-bucket-contents', 'with the bucket, also delete objects cd-wizard did not upload (implies --delete-bucket)')
    .addHelpText(
      'after',
      `
Teardown reads the answers file (./cd-wizard.json or --answers) and removes exactly what setup recorded there as
created AND still tagged ManagedBy=cd-wizard: the deployment group, the application (when no other group is left),
the instance profile associations and tags setup added (only where they are still what setup set), the instance
profile, the roles and their policies. What setup reused stays, and the plan says why each thing stays. It asks
once (default No); the revision bucket needs its own yes (--delete-bucket), and is never emptied of objects
cd-wizard did not upload without --delete-bucket-contents. A deployment still running blocks it. Interrupted, it
continues where it stopped when run again; a second run says nothing is left.

Examples:
  $ cd-wizard teardown --dry-run                      # what would go, what stays and why
  $ cd-wizard teardown                                # asks once (on a terminal)
  $ cd-wizard teardown --yes                          # in a script: everything but the revision bucket
  $ cd-wizard teardown --yes --delete-bucket          # and the bucket, when it holds only cd-wizard's uploads
  $ cd-wizard teardown --answers other/cd-wizard.json --dry-run --json | jq '.plan.kept'

Exit codes: 0 done (also nothing left, a dry run or a declined plan), 1 a removal failed or a deployment is still
running, 2 usage error, 130 Ctrl-C (run it again to continue).`,
    )
    .action(async (options: TeardownFlags, command: Command) => {
      await run(async (ctx) => {
        const { runTeardown } = await import('../commands/teardown/teardown.js');
        return runTeardown(ctx, options);
      }, command);
    });
}
