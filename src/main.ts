import { Command, CommanderError, Option } from 'commander';
import type { FixOptions as FixFlags } from './commands/fix/fix.js';
import type { SetupFlags } from './commands/setup/flags.js';
import type { ExportFlags } from './commands/export/export.js';
import type { TeardownFlags } from './commands/teardown/teardown.js';
import { createContext, type Context, type GlobalOptions } from './context.js';
import { ExitCode, UsageError, UserError } from './errors.js';
import { closest, orList } from './similar.js';
import { VERSION } from './version.js';

/**
 * The entry point. Only commander and this file load at start-up; every command, ink, marked and the
 * AWS SDK are imported inside the action that needs them, so `--help` and `--version` stay instant.
 */

const EXAMPLES_ROOT = `
Examples:
  $ cd-wizard                                  # home screen (on a terminal)
  $ cd-wizard guide "missing credentials"      # search the troubleshooting guide
  $ cd-wizard fix --log codedeploy-agent.log   # diagnose an agent log copied from an instance
  $ pbpaste | cd-wizard fix --log -            # diagnose a pasted error
  $ cd-wizard fix --app web --group prod       # diagnose the latest failed deployment in AWS

Exit codes: 0 done (also when a diagnosis found problems), 1 could not do it, 2 usage error.
Docs: every command has --help. The guide works offline.`;

type Runner = (action: (ctx: Context) => Promise<number | void>, command: Command) => Promise<void>;

function buildProgram(run: Runner): Command {
  const program = new Command('cd-wizard')
    .description('Set up and fix AWS CodeDeploy on EC2: a guided setup, a failure doctor and an offline troubleshooting guide.')
    .version(VERSION, '-v, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .addOption(new Option('--profile <name>', 'AWS profile from ~/.aws/config (default: AWS_PROFILE or "default")'))
    .addOption(new Option('--region <region>', 'AWS region (default: AWS_REGION, then the profile)'))
    .addOption(new Option('--endpoint-url <url>', 'send every AWS call to this endpoint (testing; AWS_ENDPOINT_URL* also work)'))
    .addOption(new Option('--answers <file>', 'the answers file setup writes and every command reads (default: ./cd-wizard.json)'))
    .option('--debug', 'print every AWS call made (service, operation, status, time; never secrets) on stderr')
    .option('--json', 'print machine-readable JSON on stdout', false)
    .option('--no-input', 'never prompt; fail with the missing flag instead')
    .option('--no-color', 'no colour (NO_COLOR is honoured too)')
    .showSuggestionAfterError(true)
    .allowExcessArguments(true)
    .helpCommand('help [command]', 'show help for a command')
    .addHelpText('after', EXAMPLES_ROOT)
    .configureHelp({ showGlobalOptions: true });

  program.action(async (_options: unknown, command: Command) => {
    // Operands on the root are a mistyped command (`help` is commander's own command).
    const [word] = command.args;
    if (word !== undefined) throw unknownCommand(program, word);
    await run(async (ctx) => {
      if (!ctx.term.canPrompt || ctx.globals.json) {
        ctx.out(program.helpInformation());
        return ExitCode.Ok;
      }
      const { runHome } = await import('./commands/home.js');
      return runHome(ctx);
    }, command);
  });

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
        const { runGuide } = await import('./commands/guide/guide.js');
        return runGuide(ctx, { query: query.join(' '), ...options });
      }, command);
    });

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
  $ cd-wizard fix --message "The specified key does not exist."
  $ ssh ec2-user@host sudo tail -n 500 /var/log/aws/codedeploy-agent/codedeploy-agent.log | cd-wizard fix --log -

Exit codes: 0 diagnosed (also when problems were found), 1 could not (or --wait saw the deployment fail), 2 usage.`,
    )
    .action(async (options: FixFlags, command: Command) => {
      await run(async (ctx) => {
        const { runFix } = await import('./commands/fix/fix.js');
        const { ssm, ...rest } = options;
        return runFix(ctx, { ...rest, ...(command.getOptionValueSource('ssm') === 'cli' ? { ssm } : {}) });
      }, command);
    });

  const collect = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];
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
    .option('--replace-profile', "replace instances' existing, different instance profile (changes their permissions)")
    .option('-y, --yes', 'apply the plan without asking')
    .option('--reconfigure', 'ask every question again, with the saved answers as defaults')
    .option('--dry-run', 'show the plan and stop; only read calls are made')
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
  $ cd-wizard setup --answers cd-wizard.json --dry-run --json | jq '.plan.steps[].summary'

Whoever runs setup needs IAM, EC2 and CodeDeploy permissions, including iam:PassRole on both roles:
cd-wizard guide --show setup-permissions`,
    )
    .action(async (options: SetupFlags, command: Command) => {
      await run(async (ctx) => {
        const { runSetup } = await import('./commands/setup/setup.js');
        const { rollback, ...rest } = options;
        return runSetup(ctx, { ...rest, ...(command.getOptionValueSource('rollback') === 'cli' ? { rollback } : {}) });
      }, command);
    });

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
  $ cd-wizard teardown --answers other/cd-wizard.json --dry-run --json | jq '.plan.kept'`,
    )
    .action(async (options: TeardownFlags, command: Command) => {
      await run(async (ctx) => {
        const { runTeardown } = await import('./commands/teardown/teardown.js');
        return runTeardown(ctx, options);
      }, command);
    });

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
  $ cd-wizard export --format terraform --answers other/cd-wizard.json | less`,
    )
    .action(async (options: ExportFlags, command: Command) => {
      await run(async (ctx) => {
        const { runExport } = await import('./commands/export/export.js');
        return runExport(ctx, options);
      }, command);
    });

  return program;
}

/** `cd-wizard setpu`: exit 2, naming the command and the closest real one. */
function unknownCommand(program: Command, word: string): UsageError {
  const names = program.commands.map((command) => command.name());
  const similar = closest(word, [...names, 'help']);
  return new UsageError(
    `Unknown command "${word.length > 40 ? `${word.slice(0, 40)}…` : word}".${similar.length > 0 ? ` Did you mean ${orList(similar)}?` : ''}`,
    `The commands are ${orList(names)}; cd-wizard --help describes them, cd-wizard help <command> one of them.`,
  );
}

function globalsOf(command: Command): GlobalOptions {
  const options = command.optsWithGlobals<Partial<GlobalOptions>>();
  return {
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.endpointUrl === undefined ? {} : { endpointUrl: options.endpointUrl }),
    ...(options.answers === undefined ? {} : { answers: options.answers }),
    ...(options.debug ? { debug: true } : {}),
    json: options.json ?? false,
    input: options.input ?? true,
    color: options.color ?? true,
  };
}

/** Errors before a context exists (an unknown command, a bad --endpoint-url): the plain shape on stderr. */
function report(error: unknown): number {
  const stderr = (text: string) => process.stderr.write(`${text}\n`);
  if (error instanceof UserError) {
    stderr(`✗ ${error.message}`);
    if (error.hint) stderr(`  ${error.hint}`);
    return error.exitCode;
  }
  stderr(`✗ cd-wizard hit an unexpected error: ${error instanceof Error ? error.message : String(error)}`);
  if (process.env.CD_WIZARD_DEBUG && error instanceof Error && error.stack) stderr(error.stack);
  else stderr('  Run again with --debug for the stack trace, and please report it.');
  return ExitCode.Failure;
}

export async function main(argv: string[]): Promise<number> {
  let exitCode: number = ExitCode.Ok;
  let ctx: Context | undefined;
  const program = buildProgram(async (action, command) => {
    // The context chooses the I/O host once (terminal, plain or JSON), which handles Ctrl-C from now on.
    ctx = createContext(globalsOf(command));
    const result = await action(ctx);
    exitCode = typeof result === 'number' ? result : ExitCode.Ok;
  });
  program.exitOverride();
  for (const sub of program.commands) sub.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successes; everything else commander rejects is a usage error.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return ExitCode.Ok;
      return ExitCode.Usage;
    }
    // One shape for every error, Ctrl-C in a question included (130).
    exitCode = ctx ? ctx.io.fail(error) : report(error);
  } finally {
    await ctx?.io.close();
  }
  return exitCode;
}

// Run when loaded as the program (bin/cd-wizard.js imports the bundle); not when a test imports main().
if (!process.env.CD_WIZARD_NO_AUTORUN) {
  // `cd-wizard guide --list | head` closes the pipe early: that is not an error, so stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(ExitCode.Ok);
    throw error;
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.exitCode = report(error);
    },
  );
}
