import { processRuntime, type HostRuntime, type HostSetup } from './base-host.js';
import type { Host, HostMode } from './host.js';
import { JsonHost } from './json-host.js';
import { PlainHost } from './plain-host.js';
import { TerminalHost } from './terminal-host.js';
import { createStyle, detectTerminal, type Terminal } from './terminal.js';

/** What createHost needs: the streams, the environment and the global flags (GlobalOptions' names). */
export interface HostOptions {
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
  env?: NodeJS.ProcessEnv;
  /** --json */
  json?: boolean;
  /** false with --no-input */
  input?: boolean;
  /** false with --no-color */
  color?: boolean;
  /** --debug: debug messages (every AWS call) and stack traces. CD_WIZARD_DEBUG turns them on too. */
  debug?: boolean;
  /** SIGINT and process exit (tests pass their own). */
  runtime?: HostRuntime;
}

/**
 * json under --json; terminal when a person can be asked (detectTerminal's canPrompt: stdout and stdin are
 * terminals, no --no-input, no CI); plain otherwise.
 */
export function chooseHostMode(terminal: Terminal, json: boolean): HostMode {
  if (json) return 'json';
  return terminal.canPrompt ? 'terminal' : 'plain';
}

/**
 * The host for this run, chosen once (main.ts calls it before running a command). It listens for SIGINT from now
 * on, until close().
 */
export function createHost(options: HostOptions = {}): Host {
  const env = options.env ?? process.env;
  const terminal = detectTerminal({
    noInput: options.input === false,
    noColor: options.color === false,
    env,
    ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    ...(options.stdout === undefined ? {} : { stdout: options.stdout }),
    ...(options.stderr === undefined ? {} : { stderr: options.stderr }),
  });
  const mode = chooseHostMode(terminal, options.json ?? false);
  const setup: HostSetup = {
    terminal,
    style: createStyle(terminal.color && mode !== 'json'),
    debug: options.debug === true || Boolean(env.CD_WIZARD_DEBUG),
    runtime: options.runtime ?? processRuntime,
  };
  switch (mode) {
    case 'json':
      return new JsonHost(setup);
    case 'terminal':
      return new TerminalHost(setup);
    case 'plain':
      return new PlainHost(setup);
  }
}
