import { applyRedirects, parseScript, type ParsedScript, type SimpleCommand, type Streams } from './shell-parse.js';

/**
 * What the hook checks look for in a shell script. The agent runs a hook script with pipes on its stdout and
 * stderr and waits for both to close: a program left running in the background with either stream still on
 * those pipes holds the hook open until it times out; a server started in the foreground never returns; and a
 * stop command that fails when nothing is running fails ApplicationStop.
 */

export interface ShellIssue {
  line: number;
  column: number;
  /** The command as written (words joined), for the message. */
  command: string;
}

/** The checks accept a script's text or, to parse a script once for several checks, its parse. */
const parsed = (script: string | ParsedScript): ParsedScript => (typeof script === 'string' ? parseScript(script) : script);

/** Wrappers that run the command after them (and their options that take a value). */
const WRAPPERS: Record<string, { valueOptions: string[] }> = {
  sudo: { valueOptions: ['-u', '-g', '-C', '-D', '-h', '-p', '-r', '-t', '-U'] },
  nohup: { valueOptions: [] },
  exec: { valueOptions: ['-a'] },
  env: { valueOptions: ['-u', '-C', '-S'] },
  nice: { valueOptions: ['-n'] },
  setsid: { valueOptions: [] },
  runuser: { valueOptions: ['-u', '-g', '-G', '-s'] },
  stdbuf: { valueOptions: ['-i', '-o', '-e'] },
  command: { valueOptions: [] },
};

/** The words that name the program and its arguments, without leading VAR=value, sudo, nohup, env …. */
export function programWords(command: SimpleCommand): string[] {
  const words = command.words.map((word) => word.text);
  let k = 0;
  for (;;) {
    while (k < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[k] ?? '')) k++;
    const wrapper = WRAPPERS[words[k] ?? ''];
    if (wrapper === undefined) break;
    k++;
    while (k < words.length && (words[k] ?? '').startsWith('-')) {
      const option = words[k] ?? '';
      k += wrapper.valueOptions.includes(option) ? 2 : 1;
      if (option === '--') break;
    }
  }
  return words.slice(k);
}

const shown = (command: SimpleCommand) => command.words.map((word) => (/\s/.test(word.text) ? `'${word.text}'` : word.text)).join(' ');

/** `exec > log 2>&1` on its own redirects everything after it. */
function isExecRedirect(command: SimpleCommand): boolean {
  return command.words.length === 1 && command.words[0]?.text === 'exec' && command.redirects.length > 0;
}

/** Background programs whose stdout or stderr still goes to the hook's pipes. */
export function backgroundWithoutRedirect(script: string | ParsedScript): ShellIssue[] {
  const { commands } = parsed(script);
  let base: Streams = { stdout: 'hook', stderr: 'hook' };
  const issues: ShellIssue[] = [];
  for (const command of commands) {
    if (isExecRedirect(command) && !command.inFunction) {
      base = applyRedirects(base, command.redirects);
      continue;
    }
    const detached = command.background || isForkingSetsid(command);
    if (!detached) continue;
    const start: Streams = { ...base, ...(command.pipedOut ? { stdout: 'pipe' as const } : {}) };
    const streams = applyRedirects(applyRedirects(start, command.outer), command.redirects);
    if (streams.stdout === 'hook' || streams.stderr === 'hook') issues.push({ line: command.line, column: command.column, command: shown(command) });
  }
  return issues;
}

/** `setsid -f cmd` forks into the background by itself. */
function isForkingSetsid(command: SimpleCommand): boolean {
  const words = command.words.map((word) => word.text);
  const at = words.indexOf('setsid');
  return at >= 0 && words.slice(at + 1).some((word) => word === '-f' || word === '--fork');
}

/** Programs that serve until stopped, so they never return when started in the foreground. */
function isServer(words: string[]): boolean {
  const [program = '', ...args] = words;
  const name = program.split('/').pop() ?? '';
  const sub = args.filter((arg) => !arg.startsWith('-'));
  switch (name) {
    case 'docker':
    case 'docker-compose': {
      const rest = name === 'docker' ? args.slice(args.indexOf('compose') + 1) : args;
      if (name === 'docker' && !args.includes('compose')) return false;
      const up = rest.indexOf('up');
      if (up < 0) return false;
      const options = rest.slice(up + 1);
      return !options.some((option) => option === '--detach' || option === '--wait' || /^-[a-zA-Z]*d[a-zA-Z]*$/.test(option));
    }
    case 'java':
      return args.includes('-jar') && !args.some((arg) => arg === '-version' || arg === '--version');
    case 'npm':
    case 'pnpm':
    case 'yarn': {
      const script = sub[0] === 'run' || sub[0] === 'run-script' ? sub[1] : sub[0];
      return script === 'start' || script === 'serve' || script === 'dev';
    }
    case 'node':
    case 'nodejs':
      return sub.length > 0 && /(?:^|\/)(?:server|app|index|main)\.[cm]?js$/.test(sub[0] ?? '');
    case 'python':
    case 'python3': {
      if (args[0] === '-m') return ['http.server', 'uvicorn', 'gunicorn', 'flask'].includes(args[1] ?? '') && (args[1] !== 'flask' || args.includes('run'));
      return /(?:^|\/)manage\.py$/.test(sub[0] ?? '') ? sub[1] === 'runserver' : /(?:^|\/)(?:app|server)\.py$/.test(sub[0] ?? '');
    }
    case 'flask':
      return sub[0] === 'run';
    case 'gunicorn':
      return !args.some((arg) => arg === '-D' || arg === '--daemon');
    case 'uvicorn':
    case 'serve':
    case 'http-server':
      return true;
    case 'rails':
      return sub[0] === 's' || sub[0] === 'server';
    case 'php':
      return args.includes('-S');
    case 'gradle':
    case 'gradlew':
      return sub.includes('bootRun') || sub.includes('run');
    case 'mvn':
    case 'mvnw':
      return sub.includes('spring-boot:run');
    default:
      return false;
  }
}

/** Servers started in the foreground (not with `&`, not bounded by `timeout`). */
export function foregroundServers(script: string | ParsedScript): ShellIssue[] {
  const { commands } = parsed(script);
  return commands
    .filter((command) => !command.background && !isForkingSetsid(command))
    .filter((command) => {
      const words = programWords(command);
      return words[0] !== 'timeout' && isServer(words);
    })
    .map((command) => ({ line: command.line, column: command.column, command: shown(command) }));
}

/** Commands that stop something and fail when there is nothing to stop. */
function isStopCommand(words: string[]): boolean {
  const [program = '', ...args] = words;
  const name = program.split('/').pop() ?? '';
  const sub = args.filter((arg) => !arg.startsWith('-'));
  switch (name) {
    case 'kill':
    case 'pkill':
    case 'killall':
      return !args.includes('-0') && !args.includes('-l');
    case 'fuser':
      return args.some((arg) => /^-[a-zA-Z]*k/.test(arg));
    case 'docker': {
      const verb = sub[0] === 'container' ? sub[1] : sub[0];
      return verb === 'stop' || verb === 'kill' || (verb === 'rm' && !args.some((arg) => arg === '-f' || arg === '--force'));
    }
    case 'systemctl':
      return sub[0] === 'stop' || sub[0] === 'kill';
    case 'service':
      return sub[1] === 'stop';
    case 'pm2':
      return sub[0] === 'stop' || sub[0] === 'delete';
    case 'supervisorctl':
      return sub[0] === 'stop';
    default:
      return false;
  }
}

function errexitFlag(command: SimpleCommand): boolean | undefined {
  const words = command.words.map((word) => word.text);
  if (words[0] !== 'set') return undefined;
  let result: boolean | undefined;
  for (let k = 1; k < words.length; k++) {
    const word = words[k] ?? '';
    if (/^-[a-zA-Z]*e/.test(word) && !word.startsWith('--')) result = true;
    else if (/^\+[a-zA-Z]*e/.test(word)) result = false;
    else if ((word === '-o' || word === '+o') && words[k + 1] === 'errexit') result = word === '-o';
  }
  return result;
}

/**
 * Stop commands whose failure fails the script: under `set -e` anywhere unguarded, and otherwise as (part of)
 * the script's last command, whose status is the script's (`[ -f app.pid ] && kill …` as the last line fails
 * when the test is false, too). `cmd || true`, an if, or a later command such as `exit 0` guard them.
 */
export function stopCommandsThatMayFail(script: string | ParsedScript): ShellIssue[] {
  const { commands, topLists, source } = parsed(script);
  const shebang = /^#!\S+(?:\s+(-\S+))?/.exec(source)?.[1];
  let errexit = shebang !== undefined && /e/.test(shebang);
  const issues: ShellIssue[] = [];
  const lastList = topLists - 1;
  for (const command of commands) {
    const flag = command.inFunction ? undefined : errexitFlag(command);
    if (flag !== undefined) errexit = flag;
    if (command.conditional || command.orElse || command.background || !isStopCommand(programWords(command))) continue;
    const decidesExit = command.topList === lastList && !command.inFunction;
    if (errexit || decidesExit) issues.push({ line: command.line, column: command.column, command: shown(command) });
  }
  return issues;
}
