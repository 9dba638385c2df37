import { PassThrough } from 'node:stream';
import type { Context, GlobalOptions } from '../../src/context.js';
import { createStyle, type Terminal } from '../../src/io/terminal.js';

export interface CapturedContext extends Context {
  stdout(): string;
  stderr(): string;
}

/** A Context that captures what a command prints, as a user would see it in a pipe (no colour). */
export function captureContext(globals: Partial<GlobalOptions> = {}, stdinText?: string): CapturedContext {
  let out = '';
  let err = '';
  const stdin = new PassThrough() as unknown as NodeJS.ReadStream;
  if (stdinText !== undefined) {
    (stdin as unknown as PassThrough).end(stdinText);
  }
  const term: Terminal = {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin,
    isTty: false,
    canPrompt: false,
    color: false,
    columns: 100,
    rows: 30,
  };
  return {
    globals: { json: false, input: false, color: false, ...globals },
    term,
    style: createStyle(false),
    env: {},
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
