import { statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { AwsClients, ResolvedRegion } from './aws/clients.js';
import type { AwsPorts } from './aws/ports/index.js';
import { UsageError } from './errors.js';
import type { HostRuntime } from './io/base-host.js';
import { createHost } from './io/create-host.js';
import type { Host } from './io/host.js';
import { createStyle, detectTerminal, type Style, type Terminal } from './io/terminal.js';
import type { Kb } from './kb/kb.js';
import { ANSWERS_FILE, loadAnswersFile, saveAnswersFile, type AnswersFile } from './store/answers-file.js';

/** Flags every command accepts (declared once on the root program). */
export interface GlobalOptions {
  profile?: string;
  region?: string;
  endpointUrl?: string;
  /** The answers file every command reads and setup writes (default ./cd-wizard.json). */
  answers?: string;
  json: boolean;
  /** Commander turns --no-input into input=false. */
  input: boolean;
  color: boolean;
  /** Print every AWS call made (service, operation, status; never secrets) on stderr. */
  debug?: boolean;
}

/** The answers file, found once: where it is, how to name it to the user, and reading and writing it. */
export interface AnswersStore {
  readonly path: string;
  /** The path as the user gave it (or relative to the working folder). */
  readonly shown: string;
  /** --answers named it (a missing file is then an error for commands that only read it). */
  readonly named: boolean;
  /**
   * Where the answers were read from when that is not where they are saved: answers piped in (--answers /dev/stdin,
   * a FIFO) are read from the stream and saved to ./cd-wizard.json (`path`, `shown`).
   */
  readonly source?: string;
  /** The file's content; undefined when it does not exist. Read once. */
  load(): AnswersFile | undefined;
  save(file: AnswersFile): void;
}

/** AWS, resolved once per run: the region (and where it came from) and the ports. No call is made to build it. */
export interface AwsSession {
  readonly region: ResolvedRegion;
  readonly ports: AwsPorts;
  readonly clients: AwsClients;
}

/** What every command gets. Built once in main.ts; tests build their own. */
export interface Context {
  readonly globals: GlobalOptions;
  readonly term: Terminal;
  readonly style: Style;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly answers: AnswersStore;
  /** The AWS session (region resolved with the answers file's region as the last resort). */
  aws(): Promise<AwsSession>;
  /** The troubleshooting guide and its diagnosis rules (loaded on first use). */
  kb(): Promise<Kb>;
  /** The one I/O layer: messages, the result, questions, Ctrl-C (src/io/host.ts). */
  readonly io: Host;
  /** Write to stdout (results). */
  out(text: string): void;
  /** Write to stderr (progress, warnings, errors). */
  err(text: string): void;
}

/** --endpoint-url is checked as a flag, before anything is read or written. */
export function checkEndpointUrl(value: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') {
    throw new UsageError(`--endpoint-url "${value}" is not a URL.`, 'Give the endpoint as http(s)://host[:port], e.g. --endpoint-url http://127.0.0.1:4566.');
  }
}

/** Something that exists and is neither a file nor a folder: standard input, a FIFO, a device. */
function isStream(path: string): boolean {
  try {
    const stats = statSync(path);
    return !stats.isFile() && !stats.isDirectory();
  } catch {
    return false;
  }
}

export function createAnswersStore(cwd: string, named: string | undefined): AnswersStore {
  const given = resolve(cwd, named ?? ANSWERS_FILE);
  const givenShown = named ?? (relative(cwd, given) || given);
  // A stream cannot hold the answers, and writing a file in place of /dev/stdin would break the system for everyone.
  const streamed = named !== undefined && isStream(given);
  const path = streamed ? resolve(cwd, ANSWERS_FILE) : given;
  const shown = streamed ? ANSWERS_FILE : givenShown;
  let loaded: { file: AnswersFile | undefined } | undefined;
  return {
    path,
    shown,
    named: named !== undefined && !streamed,
    ...(streamed ? { source: givenShown } : {}),
    load() {
      loaded ??= { file: loadAnswersFile(given, false, givenShown) };
      return loaded.file;
    },
    save(file) {
      saveAnswersFile(path, file);
      loaded = { file };
    },
  };
}

export interface ContextDeps {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Tests hand in their own ports (the region is still resolved the real way). */
  ports?: (clients: AwsClients) => AwsPorts;
  kb?: () => Kb | Promise<Kb>;
  /** Tests hand in the terminal facts (streams, TTY or not). */
  term?: Terminal;
  /** Tests hand in where SIGINT comes from and how the process ends. */
  runtime?: HostRuntime;
}

export function createContext(globals: GlobalOptions, deps: ContextDeps = {}): Context {
  const env = deps.env ?? process.env;
  const cwd = deps.cwd ?? process.cwd();
  const term = deps.term ?? detectTerminal({ noInput: !globals.input, noColor: !globals.color, env });
  const style = createStyle(term.color && !globals.json);
  const answers = createAnswersStore(cwd, globals.answers);
  const io = createHost({
    stdin: term.stdin,
    stdout: term.stdout,
    stderr: term.stderr,
    env,
    json: globals.json,
    input: globals.input,
    color: globals.color,
    debug: globals.debug === true,
    ...(deps.runtime === undefined ? {} : { runtime: deps.runtime }),
  });
  let session: Promise<AwsSession> | undefined;
  let kb: Promise<Kb> | undefined;
  return {
    globals,
    term,
    style,
    env,
    cwd,
    answers,
    io,
    aws() {
      // --endpoint-url is checked as a flag here, before a command reads or writes anything that needs AWS.
      if (globals.endpointUrl !== undefined) checkEndpointUrl(globals.endpointUrl);
      session ??= (async () => {
        // The SDK and the ports load only for commands that call AWS.
        const [{ createAwsClients, resolveRegion }, { createAwsPorts }] = await Promise.all([import('./aws/clients.js'), import('./aws/ports/index.js')]);
        const saved = answers.load()?.answers.region;
        const region = await resolveRegion(
          {
            ...(globals.region === undefined ? {} : { region: globals.region }),
            ...(globals.profile === undefined ? {} : { profile: globals.profile }),
            ...(saved === undefined ? {} : { saved, savedIn: answers.shown }),
          },
          env,
        );
        const clients = createAwsClients({
          region: region.region,
          env,
          ...(globals.profile === undefined ? {} : { profile: globals.profile }),
          ...(globals.endpointUrl === undefined ? {} : { endpointUrl: globals.endpointUrl }),
          ...(globals.debug ? { debug: (line: string) => io.emit({ code: 'aws.call', level: 'debug', text: line }) } : {}),
        });
        return { region, clients, ports: (deps.ports ?? createAwsPorts)(clients) };
      })();
      return session;
    },
    kb() {
      kb ??= deps.kb ? Promise.resolve(deps.kb()) : import('./kb/kb.js').then((module) => module.loadBundledKb());
      return kb;
    },
    out: (text) => {
      term.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    err: (text) => {
      term.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
  };
}
