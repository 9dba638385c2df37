import { PassThrough, Writable } from 'node:stream';
import type { HostRuntime } from '../../../src/io/base-host.js';
import { createHost, type HostOptions } from '../../../src/io/create-host.js';
import type { Host } from '../../../src/io/host.js';

/** A stream that keeps what is written, as a terminal (isTTY) or a pipe would receive it. */
export interface Captured extends NodeJS.WriteStream {
  text(): string;
  /** The lines written so far (the last, unfinished one dropped). */
  lines(): string[];
}

export function captured(isTTY = false): Captured {
  let written = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      written += chunk.toString();
      callback();
    },
  });
  // Tests stand in for process.stdout/stderr: only write(), isTTY and the size are used.
  return Object.assign(stream, {
    isTTY,
    columns: 100,
    rows: 30,
    text: () => written,
    lines: () => written.split('\n').slice(0, -1),
  }) as unknown as Captured;
}

/** SIGINT on demand, exits recorded instead of done, a clock the test moves. */
export function fakeRuntime() {
  let listener: (() => void) | undefined;
  const exits: number[] = [];
  let now = 1_000_000;
  const runtime: HostRuntime = {
    onSigint(next) {
      listener = next;
      return () => {
        listener = undefined;
      };
    },
    exit: (code) => {
      exits.push(code);
    },
    now: () => now,
  };
  return {
    runtime,
    exits,
    sigint: () => listener?.(),
    listening: () => listener !== undefined,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** Lets the hard stop's flush callbacks run. */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export interface TestHost {
  host: Host;
  stdout: Captured;
  stderr: Captured;
  runtime: ReturnType<typeof fakeRuntime>;
}

/** A host on captured streams (pipes unless `tty`), with a fake runtime and an empty environment. */
export function testHost(options: Omit<HostOptions, 'stdout' | 'stderr' | 'runtime'> & { tty?: boolean } = {}): TestHost {
  const { tty = false, ...rest } = options;
  const stdout = captured(tty);
  const stderr = captured(tty);
  const stdin = Object.assign(new PassThrough(), { isTTY: tty }) as unknown as NodeJS.ReadStream;
  const runtime = fakeRuntime();
  const host = createHost({ stdin, env: {}, ...rest, stdout, stderr, runtime: runtime.runtime });
  return { host, stdout, stderr, runtime };
}
