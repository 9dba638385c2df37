import type { Command } from 'commander';
import type { FixOptions as FixFlags } from '../commands/fix/fix.js';
import type { Runner } from './runner.js';

/** `cd-wizard fix`: diagnose a failed deployment in AWS, or a pasted error or log offline. The command itself loads only when it runs. */
export function defineFix(program: Command, run: Runner): void {
  program
    .command('fix')
    .description('diagnose a failed deployment in AWS, or an error message or agent log (offline)')
    .option('--app <name>', 'CodeDeploy application (default: cd-wizard.json from setup, or pick one on a terminal)')
    .option('--group <name>', 'deployment group (default: cd-wizard.json, or pick one)')
    .option('--deployment <id>', 'the deployment to diagnose, d-XXXXXXXXX (default: the group\'s latest Failed/Stopped one)')
    .option('--wait', 'follow the deployment (given, or the group\'s latest) until it ends; diagnose it and exit 1 if it fails')
    .option('--all', 'also list the setup checks that passed')
    .option('--out <file>', 'also write a markdown report (secrets masked) to paste into an issue')
    .option('--no-ssm', 'do not run the read-only agent check on instances through Systems Manager')
    .option('-y, --yes', 'apply the remedies (and run the SSM check) without asking')
    .option('-m, --message <text>', 'offline: an error message copied from the console, a CI log or `aws deploy` output')
    .option('-l, --log <file>', 'offline: an agent or deployment log file; - reads standard input')
    .option('--redact-account', 'also mask 12-digit AWS account ids in the output')
    .option('--list-causes', 'list every cause fix can name and what detects it (text rules, a setup check, or both)')
    .addHelpText(
      'after',
      `
Against AWS (no --message/--log): reads the deployment (status, error, every failed instance's lifecycle events
and diagnostics) and checks the setup (service role, trust, AWSCodeDeployRole, instances matched by the group,
instance profiles, the revision in S3, the Auto Scaling launch hook, and, through Systems Manager if you agree,
the agent on the instances). Findings come first, most specific first, with the evidence, why, fix steps filled
with your names, and the guide article. Remedies it can apply are shown exactly and asked one by one (default
No); --yes applies them; with --json and no --yes nothing is changed.

Offline (--message/--log): the text is matched against the same cause catalogue. Access keys, secret keys,
session tokens and passwords in URLs are masked in everything echoed back.

Examples:
  $ cd-wizard fix                                     # the latest failed deployment of the group in cd-wizard.json
  $ cd-wizard fix --app web --group prod --all
  $ cd-wizard fix --deployment d-A1B2C3D4E --json | jq '.findings[0].cause'
  $ cd-wizard fix --wait --app web --group prod      # in CI after create-deployment: exit 1 if it fails
  $ cd-wizard fix --app web --group prod --out report.md --redact-account
  $ cd-wizard fix --yes                               # apply the remedies without asking
  $ cd-wizard fix --list-causes --json | jq -r '.causes[].id'
  $ cd-wizard fix --message "The specified key does not exist."
  $ ssh ec2-user@host sudo tail -n 500 /var/log/aws/codedeploy-agent/codedeploy-agent.log | cd-wizard fix --log -

Exit codes: 0 diagnosed (also when problems were found), 1 could not (or --wait saw the deployment fail), 2 usage.`,
    )
    .action(async (options: FixFlags, command: Command) => {
      await run(async (ctx) => {
        const { runFix } = await import('../commands/fix/fix.js');
        const { ssm, ...rest } = options;
        return runFix(ctx, { ...rest, ...(command.getOptionValueSource('ssm') === 'cli' ? { ssm } : {}) });
      }, command);
    });
}
