import { Command, Option } from 'commander';
import type { GlobalOptions } from '../context.js';
import { ExitCode, UsageError } from '../errors.js';
import { closest, orList } from '../similar.js';
import { VERSION } from '../version.js';
import { defineGuide } from './guide.js';
import { defineFix } from './fix.js';
import { defineSetup } from './setup.js';
import { defineInit } from './init.js';
import { defineLint } from './lint.js';
import { defineDeploy } from './deploy.js';
import { defineAgent } from './agent.js';
import { defineTeardown } from './teardown.js';
import { defineExport } from './export.js';
import type { Runner } from './runner.js';

const EXAMPLES_ROOT = `
Examples:
  $ cd-wizard                                  # home screen (on a terminal)
  $ cd-wizard guide "missing credentials"      # search the troubleshooting guide
  $ cd-wizard fix --log codedeploy-agent.log   # diagnose an agent log copied from an instance
  $ pbpaste | cd-wizard fix --log -            # diagnose a pasted error
  $ cd-wizard fix --app web --group prod       # diagnose the latest failed deployment in AWS
  $ cd-wizard agent install --yes              # install the CodeDeploy agent through Systems Manager

Exit codes: 0 done (also when a diagnosis found problems), 1 could not do it, 2 usage error.
Throttled by AWS, a call retries with backoff for up to 60 s (CD_WIZARD_RETRY_BUDGET_SECONDS sets another budget).
Docs: every command has --help. The guide works offline.`;

/** The whole command line: the global flags, the home screen on a bare `cd-wizard`, and every command. */
export function buildProgram(run: Runner): Command {
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
      const { runHome } = await import('../commands/home.js');
      return runHome(ctx);
    }, command);
  });


  defineGuide(program, run);
  defineFix(program, run);
  defineSetup(program, run);
  defineInit(program, run);
  defineLint(program, run);
  defineDeploy(program, run);
  defineAgent(program, run);
  defineTeardown(program, run);
  defineExport(program, run);
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

export function globalsOf(command: Command): GlobalOptions {
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
