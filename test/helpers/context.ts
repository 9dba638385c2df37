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
  // Everything the command prints — through the I/O host or ctx.out/err — lands in these two, in order.
  const sink = (append: (text: string) => void) => {
    const stream = new PassThrough();
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => append(chunk));
    return stream as unknown as NodeJS.WriteStream;
  };
  const term: Terminal = {
    stdout: sink((text) => (out += text)),
    stderr: sink((text) => (err += text)),
    stdin,
    isTty: opts.canPrompt ?? false,
    canPrompt: opts.canPrompt ?? false,
    color: false,
    columns: 100,
    rows: 30,
  };
  const ctx = createContext(
    { json: false, input: opts.canPrompt ?? false, color: false, ...globals },
    {
      env: opts.env ?? {},
      cwd: opts.cwd ?? process.cwd(),
      term,
      // No SIGINT listener on the test process, and an exit that fails the test instead of ending the worker.
      runtime: { onSigint: () => () => undefined, exit: (code) => {
        throw new Error(`the command asked to exit ${code}`);
      }, now: () => Date.now() },
      ...(opts.ports === undefined ? {} : { ports: () => opts.ports as AwsPorts }),
      ...(opts.kb === undefined ? {} : { kb: opts.kb }),
    },
  );
  return { ...ctx, stdout: () => out, stderr: () => err };
}
