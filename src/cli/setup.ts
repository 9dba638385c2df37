import type { Command } from 'commander';
import type { SetupFlags } from '../commands/setup/flags.js';
import { collect, type Runner } from './runner.js';

/** `cd-wizard setup`: create or reuse what CodeDeploy needs, plan first. The command itself loads only when it runs. */
export function defineSetup(program: Command, run: Runner): void {
  program
    .command('setup')
    .description('create or reuse the roles, instance profile, application and deployment group CodeDeploy needs')
    .option('--app <name>', 'CodeDeploy application name')
    .option('--group <name>', 'deployment group name')
    .option('--bucket <name>', 'S3 bucket your revisions are uploaded to (the instances may read only it)')
    .option('--instances <ids>', 'instances to prepare, i-…,i-… (they get the instance profile and the tags)', collect)
    .option('--tag <key=value>', 'select instances by tag; repeat: any of them matches; KEY alone = any value', collect)
    .option('--tag-group <k=v,…>', 'a group of tags; repeat: an instance must match every group (up to 3)', collect)
    .option('--asg <names>', 'Auto Scaling groups, by name: a,b', collect)
    .option('--service-role <name>', 'CodeDeploy service role (default: CodeDeployServiceRole)')
    .option('--instance-role <name>', 'EC2 instance role (default: CodeDeployInstanceRole)')
    .option('--instance-profile <name>', 'instance profile (default: CodeDeployInstanceProfile)')
    .option('--deployment-config <name>', 'OneAtATime (default), HalfAtATime or AllAtOnce')
    .option('--no-rollback', 'do not roll back automatically when a deployment fails')
    .option('--target-group <arn>', 'ALB/NLB target group (ARN or name): take instances out of traffic while deploying')
    .option('--ssm', 'also attach AmazonSSMManagedInstanceCore, to install the agent with Systems Manager')
    .option('--install-agent', 'last step: install the CodeDeploy agent through Systems Manager on the instances it manages')
    .option('--github-repo <owner/repo>', 'let GitHub Actions in this repository deploy with OIDC (identity provider + deploy role)')
    .option('--github-branch <branch>', 'the branch whose runs may deploy (default main)')
    .option('--github-environment <name>', 'instead of a branch: the GitHub environment the deploy job names')
    .option('--deploy-role <name>', 'the role GitHub Actions assumes (default cd-wizard-deploy-<app>)')
    .option('--replace-profile', "replace instances' existing, different instance profile (changes their permissions)")
    .option('--retag', 'change a tag value someone else set on an instance (it may leave another deployment group)')
    .option('--change-foreign', 'change roles, policies and a deployment group cd-wizard did not create (shown in the plan first)')
    .option('-y, --yes', 'apply the plan without asking')
    .option('--reconfigure', 'ask every question again, with the saved answers as defaults')
    .option('--dry-run', 'show the plan and stop; only read calls are made')
    .option('--verbose', 'show the plan in full: every policy statement and the AWS calls of each step')
    .addHelpText(
      'after',
      `
Setup looks first, then shows a plan (+ create, ~ repair, = reuse) and changes nothing until you confirm it
(--yes when there is no terminal). Running it again is safe: what exists is reused, drift is repaired, and a
second run reports "Nothing to change". Answers are saved to ./cd-wizard.json before any AWS call, together
with the ARNs of what was created, so a run can be replayed without questions.

Examples:
  $ cd-wizard setup                                   # asks what it needs (on a terminal)
  $ cd-wizard setup --app web --group prod --bucket my-revisions --instances i-0abc1234def567890 --dry-run
  $ cd-wizard setup --app web --group prod --bucket my-revisions --tag Env=prod --yes
  $ cd-wizard setup --app web --group prod --bucket my-revisions --tag-group Env=prod --tag-group Role=web,Role=api --yes
  $ cd-wizard setup --app web --group prod --bucket my-revisions --asg web-asg \\
      --target-group arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/0123456789abcdef --yes
  $ cd-wizard setup --answers cd-wizard.json --yes    # replay; no questions
  $ cd-wizard setup --github-repo my-org/shop --github-branch main --yes   # + OIDC deploy role for GitHub Actions
  $ cd-wizard setup --ssm --install-agent --yes       # + the agent, through Systems Manager
  $ cd-wizard setup --dry-run --verbose               # the plan with every policy statement and AWS call
  $ cd-wizard setup --answers cd-wizard.json --dry-run --json | jq '.plan.steps[].summary'

Whoever runs setup needs IAM, EC2 and CodeDeploy permissions, including iam:PassRole on both roles:
cd-wizard guide --show setup-permissions

Exit codes: 0 done (also "Nothing to change", a dry run or a declined plan), 1 a change failed (or --install-agent
left an instance without a running agent), 2 usage error, 130 Ctrl-C.`,
    )
    .action(async (options: SetupFlags, command: Command) => {
      await run(async (ctx) => {
        const { runSetup } = await import('../commands/setup/setup.js');
        const { rollback, ...rest } = options;
        return runSetup(ctx, { ...rest, ...(command.getOptionValueSource('rollback') === 'cli' ? { rollback } : {}) });
      }, command);
    });
}
