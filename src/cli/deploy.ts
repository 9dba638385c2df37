import type { Command } from 'commander';
import type { DeployFlags } from '../commands/deploy/target.js';
import type { Runner } from './runner.js';

/** `cd-wizard deploy`: lint, bundle, upload, register, CreateDeployment, watch. The command itself loads only when it runs. */
export function defineDeploy(program: Command, run: Runner): void {
  program
    .command('deploy')
    .description('lint, bundle and upload a folder, start a deployment and watch it; diagnose it if it fails')
    .argument('[dir]', 'the folder that becomes the bundle root, with appspec.yml (default: the current folder)')
    .option('--app <name>', 'CodeDeploy application (default: cd-wizard.json from setup)')
    .option('--group <name>', 'deployment group (default: cd-wizard.json)')
    .option('--bucket <name>', 'S3 bucket the bundle is uploaded to (default: cd-wizard.json)')
    .option('--description <text>', 'the deployment\'s description (at most 256 characters)')
    .option('--file-exists-behavior <how>', 'files in the way on the instance that the last deployment did not put there: DISALLOW (default), OVERWRITE or RETAIN')
    .option('--ignore-application-stop-failures', 'go on when ApplicationStop (the previous revision\'s stop script) fails')
    .option('--no-wait', 'print the deployment id and return without watching')
    .addHelpText(
      'after',
      `
deploy lints the folder first (an error stops it before anything is uploaded; warnings are shown), zips it
(streamed: the folder is never held in memory; .cd-wizardignore in gitignore syntax leaves files out, .git/
always), uploads it to s3://<bucket>/<app>/<time>-<hash>.zip, registers the revision with its ETag like
aws deploy push, creates the deployment and watches it: one line per instance, a mark per lifecycle event.
The upload carries the metadata managed-by: cd-wizard, so cd-wizard teardown --delete-bucket can remove it.
A failed deployment is diagnosed as cd-wizard fix would (exit 1). Ctrl-C while watching stops watching only.

Examples:
  $ cd-wizard deploy                                  # the current folder, to the group in cd-wizard.json
  $ cd-wizard deploy build/bundle --description "v1.4.2"
  $ cd-wizard deploy --app web --group prod --bucket my-revisions --file-exists-behavior OVERWRITE
  $ cd-wizard deploy --ignore-application-stop-failures   # when the old revision's stop script is broken
  $ cd-wizard deploy --no-wait --json | jq -r .deployment.id
  $ cd-wizard fix --wait --deployment d-A1B2C3D4E     # watch a deployment again

Exit codes: 0 deployed (or started, with --no-wait), 1 lint errors, a failed deployment or an AWS error,
2 usage error, 130 Ctrl-C.`,
    )
    .action(async (dir: string | undefined, options: DeployFlags, command: Command) => {
      await run(async (ctx) => {
        const { runDeploy } = await import('../commands/deploy/deploy.js');
        return runDeploy(ctx, dir, options);
      }, command);
    });
}
