import { PassThrough } from 'node:stream';
import type { Context, GlobalOptions } from '../../../../src/context.js';
import { createStyle } from '../../../../src/io/terminal.js';

/** A Context that records stdout and stderr, not a terminal unless asked. */
export function testContext(globals: Partial<GlobalOptions> = {}, options: { canPrompt?: boolean } = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const stream = () => new PassThrough() as unknown as NodeJS.WriteStream;
  const ctx: Context = {
    globals: { json: false, input: true, color: false, region: 'eu-west-1', ...globals },
    term: {
      stdout: stream(),
      stderr: stream(),
      stdin: new PassThrough() as unknown as NodeJS.ReadStream,
      isTty: options.canPrompt ?? false,
      canPrompt: options.canPrompt ?? false,
      color: false,
      columns: 100,
      rows: 30,
    },
    style: createStyle(false),
    env: {},
    out: (text) => stdout.push(text),
    err: (text) => stderr.push(text),
  };
  return { ctx, stdout: () => stdout.join('\n'), stderr: () => stderr.join('\n') };
}
