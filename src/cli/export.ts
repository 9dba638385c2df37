import { Option, type Command } from 'commander';
import type { ExportFlags } from '../commands/export/export.js';
import type { Runner } from './runner.js';

/** `cd-wizard export`: CloudFormation or Terraform for what setup manages. The command itself loads only when it runs. */
export function defineExport(program: Command, run: Runner): void {
  program
    .command('export')
    .description('write CloudFormation or Terraform for exactly what setup manages, from the answers file')
    .addOption(new Option('--format <format>', 'cloudformation (YAML) or terraform (HCL)').choices(['cloudformation', 'terraform']).makeOptionMandatory())
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .option('--force', 'overwrite --out if it exists')
    .addHelpText(
      'after',
      `
The template is setup's own plan for an account where nothing exists yet: the same trust conditions
(aws:SourceAccount, aws:SourceArn), least-privilege policies with a comment saying why each exists, tags and
deployment group settings. Names are parameters (variables) with your answers as defaults; the account, partition
and region come from the stack or provider. What setup reused (cd-wizard.json says so) is a parameter or a data
source, not a resource. Instances are not exported: setup's attachments and tags are listed as a note.

Examples:
  $ cd-wizard export --format cloudformation --out codedeploy.yaml
  $ aws cloudformation deploy --template-file codedeploy.yaml --stack-name web-codedeploy --capabilities CAPABILITY_NAMED_IAM
  $ cd-wizard export --format terraform --out infra/codedeploy.tf
  $ cd-wizard export --format terraform --answers other/cd-wizard.json | less

Exit codes: 0 written, 1 no answers file or a named resource is missing, 2 usage error (no --format, --out exists).`,
    )
    .action(async (options: ExportFlags, command: Command) => {
      await run(async (ctx) => {
        const { runExport } = await import('../commands/export/export.js');
        return runExport(ctx, options);
      }, command);
    });
}
