import type { Command } from 'commander';
import { collect, type Runner } from './runner.js';

/** `cd-wizard agent`: the CodeDeploy agent through Systems Manager. The command itself loads only when it runs. */
export function defineAgent(program: Command, run: Runner): void {
  program
    .command('agent')
    .description('the CodeDeploy agent on your instances: status, install or update it through Systems Manager')
    .argument('[action]', 'status (default), install or update')
    .option('--instances <ids>', 'these instances, i-…,i-… (default: the ones the answers file\'s deployment group selects)', collect)
    .option('-y, --yes', 'run on the instances without asking (needed without a terminal)')
    .addHelpText(
      'after',
      `
For each instance: is Systems Manager able to reach it (and if not, why: stopped, no instance profile, no
AmazonSSMManagedInstanceCore on its role, SSM Agent offline or not registered)? status runs a read-only check
(installed, running, version); install and update run AWS-ConfigureAWSPackage with the AWSCodeDeployAgent package
(Linux and Windows), show each instance's progress, then check that the agent runs. Nothing runs on an instance
before you say yes (default No; --yes without a terminal). Instances SSM cannot reach get the commands for their OS
and region (the installer from aws-codedeploy-<region>).

Examples:
  $ cd-wizard agent                                  # status of the instances in cd-wizard.json
  $ cd-wizard agent install --yes                    # install everywhere SSM reaches; exit 1 if one is left without
  $ cd-wizard agent update --instances i-0abc1234def567890
  $ cd-wizard agent status --yes --json | jq '.instances[] | {id, summary}'

Exit codes: 0 done (status: always, as a report), 1 an instance is left without a running agent, 2 usage.`,
    )
    .action(async (action: string | undefined, options: { instances?: string[]; yes?: boolean }, command: Command) => {
      await run(async (ctx) => {
        const { runAgent } = await import('../commands/agent/agent.js');
        return runAgent(ctx, action, options);
      }, command);
    });
}
