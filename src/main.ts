import { CommanderError } from 'commander';
import { buildProgram, globalsOf } from './cli/program.js';
import type { Context } from './context.js';
import { ExitCode, UserError } from './errors.js';

/**
 * The entry point. Only commander and the command-line definitions (src/cli/) load at start-up; every command,
 * ink, marked and the AWS SDK are imported inside the action that needs them, so `--help` and `--version` stay
 * instant.
 */


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
    // Imported here: the hosts and the answers file are not needed for --help or a usage error.
    const { createContext } = await import('./context.js');
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
