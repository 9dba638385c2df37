import { PassThrough } from 'node:stream';
import type { AwsPorts } from '../../src/aws/ports/index.js';
import { createContext, type Context, type GlobalOptions } from '../../src/context.js';
import type { Terminal } from '../../src/io/terminal.js';
import type { Kb } from '../../src/kb/kb.js';

export interface CapturedContext extends Context {
  stdout(): string;
  stderr(): string;
}

export interface TestContextOptions {
  /** Text on standard input (closed after it). */
  stdin?: string;
  /** A terminal a person sits at (the command may ask). */
  canPrompt?: boolean;
  /** In-memory AWS ports (the region is still resolved the real way, from globals.region or env). */
  ports?: AwsPorts;
  kb?: () => Kb;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The real Context (createContext) over captured streams: what a command prints, as a user would see it in a pipe
 * (no colour), AWS through in-memory ports, the answers file in `cwd`.
 */
export function captureContext(globals: Partial<GlobalOptions> = {}, options: TestContextOptions | string = {}): CapturedContext {
  const opts: TestContextOptions = typeof options === 'string' ? { stdin: options } : options;
  let out = '';
  let err = '';
  const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
  if (opts.stdin !== undefined) (stdin as unknown as PassThrough).end(opts.stdin);
  const sink = () => new PassThrough() as unknown as NodeJS.WriteStream;
  const term: Terminal = { stdout: sink(), stderr: sink(), stdin, isTty: opts.canPrompt ?? false, canPrompt: opts.canPrompt ?? false, color: false, columns: 100, rows: 30 };
  const ctx = createContext(
    { json: false, input: opts.canPrompt ?? false, color: false, ...globals },
    {
      env: opts.env ?? {},
      cwd: opts.cwd ?? process.cwd(),
      term,
      ...(opts.ports === undefined ? {} : { ports: () => opts.ports as AwsPorts }),
      ...(opts.kb === undefined ? {} : { kb: opts.kb }),
    },
  );
  return {
    ...ctx,
    out: (text) => {
      out += text.endsWith('\n') ? text : `${text}\n`;
    },
    err: (text) => {
      err += text.endsWith('\n') ? text : `${text}\n`;
    },
    stdout: () => out,
    stderr: () => err,
  };
}
