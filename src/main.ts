import { Command, CommanderError, Option } from 'commander';
import type { DeployFlags } from './commands/deploy/target.js';
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
  $ cd-wizard agent install --yes              # install the CodeDeploy agent through Systems Manager

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
  $ cd-wizard setup --answers cd-wizard.json --dry-run --json | jq '.plan.steps[].summary'

Whoever runs setup needs IAM, EC2 and CodeDeploy permissions, including iam:PassRole on both roles:
cd-wizard guide --show setup-permissions

Exit codes: 0 done (also "Nothing to change", a dry run or a declined plan), 1 a change failed (or --install-agent
left an instance without a running agent), 2 usage error, 130 Ctrl-C.`,
    )
    .action(async (options: SetupFlags, command: Command) => {
      await run(async (ctx) => {
        const { runSetup } = await import('./commands/setup/setup.js');
        const { rollback, ...rest } = options;
        return runSetup(ctx, { ...rest, ...(command.getOptionValueSource('rollback') === 'cli' ? { rollback } : {}) });
      }, command);
    });

  // cd-wizard init: appspec.yml and hook scripts for a kind of app (src/scaffold/, src/commands/init/).
  program
    .command('init')
    .description('write appspec.yml and hook scripts for your kind of app (and optionally a GitHub Actions workflow)')
    .option('--kind <kind>', 'static, node, java, python or docker-compose')
    .option('--name <name>', 'the app\'s name: its systemd service, user and folder (default: package.json or the folder)')
    .option('--port <port>', 'the port it answers on, on the instance (default: 80, 3000, 8080, 8000 by kind)')
    .option('--destination <path>', 'where the files go on the instance (default: /var/www/html, or /opt/<name>)')
    .option('--user <user>', 'services: the Linux user it runs as (default: the name)')
    .option('--start-command <command>', 'services: how it starts, run by systemd in the destination (default: detected)')
    .option('--health-path <path>', 'the path ValidateService requests (default: /)')
    .option('--source <folder>', 'static: the folder with the built site (default: public, dist or build when present)')
    .option('--compose-file <file>', 'docker-compose: the compose file (default: the one present, or compose.yaml)')
    .option('--github-actions', 'also write .github/workflows/codedeploy.yml (OIDC, no access keys)')
    .option('--no-github-actions', 'do not write the workflow (and do not ask)')
    .option('--app <name>', 'workflow: CodeDeploy application (default: cd-wizard.json)')
    .option('--group <name>', 'workflow: deployment group (default: cd-wizard.json)')
    .option('--bucket <name>', 'workflow: revision bucket (default: cd-wizard.json)')
    .option('--role-arn <arn>', 'workflow: the IAM role GitHub assumes through OIDC')
    .option('--branch <branch>', 'workflow: the branch that deploys (default: the current one)')
    .option('-f, --force', 'overwrite hook scripts that differ (other files are only overwritten after a yes)')
    .option('--dry-run', 'list what would be written, and write nothing')
    .addHelpText(
      'after',
      `
On a terminal it asks what the flags leave open (kind, name, port, folder, user, start command, workflow).
Without one, --kind is required and the rest has defaults. An existing file that differs is never replaced
without a yes (default No); without a terminal init then stops before writing anything (--force replaces
hook scripts). The scripts are LF, mode 0755, with timeouts; services run under systemd or docker compose
up -d, the stop script succeeds when nothing runs, and ValidateService checks the app answers.

Examples:
  $ cd-wizard init                                   # asks
  $ cd-wizard init --kind node --port 3000 --dry-run
  $ cd-wizard init --kind java --start-command "java -jar app.jar" --user shop
  $ cd-wizard init --kind static --source dist
  $ cd-wizard init --kind docker-compose --port 8080 --github-actions \\
      --role-arn arn:aws:iam::123456789012:role/GitHubDeploy   # app, group, bucket from cd-wizard.json
  $ cd-wizard init --kind node --force && cd-wizard lint

Exit codes: 0 written (or nothing to do), 1 a file is in the way, 2 usage error, 130 cancelled.`,
    )
    .action(async (options: Record<string, unknown>, command: Command) => {
      await run(async (ctx) => {
        const { runInit } = await import('./commands/init/init.js');
        const { githubActions, ...rest } = options;
        return runInit(ctx, { ...rest, ...(command.getOptionValueSource('githubActions') === 'cli' ? { githubActions: githubActions === true } : {}) });
      }, command);
    });

  // cd-wizard lint: offline AppSpec and hook-script checks (src/appspec/, src/commands/lint/).
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
        const { runLint } = await import('./commands/lint/lint.js');
        const { loadBalancer, ...rest } = options;
        return runLint(ctx, dir, { ...rest, ...(command.getOptionValueSource('loadBalancer') === 'cli' ? { loadBalancer } : {}) });
      }, command);
    });

  // cd-wizard deploy: lint, bundle, upload, register, CreateDeployment, watch (src/commands/deploy/, src/revision/, src/watch/).
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
        const { runDeploy } = await import('./commands/deploy/deploy.js');
        return runDeploy(ctx, dir, options);
      }, command);
    });

  // cd-wizard agent: the CodeDeploy agent through Systems Manager (src/commands/agent/).
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
        const { runAgent } = await import('./commands/agent/agent.js');
        return runAgent(ctx, action, options);
      }, command);
    });

  // cd-wizard teardown and export: what setup made, removed or handed over (src/commands/teardown/, src/commands/export/).
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
  $ cd-wizard export --format terraform --answers other/cd-wizard.json | less

Exit codes: 0 written, 1 no answers file or a named resource is missing, 2 usage error (no --format, --out exists).`,
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
