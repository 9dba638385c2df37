/**
 * moto (a Python re-implementation of the AWS APIs) as a loopback server for contract tests: found on PATH,
 * started on a free 127.0.0.1 port, stopped by the test that started it.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { Readable } from 'node:stream';
import type { CodeDeployClient } from '@aws-sdk/client-codedeploy';

export const MOTO_COMMAND = 'moto_server';

/** The moto_server executable on PATH, or undefined when there is none (nothing is run to find it). */
export function findMotoServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, MOTO_COMMAND);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

export interface MotoServer {
  /** http://127.0.0.1:PORT */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts moto_server on a free loopback port (-p 0) and waits for the "Running on http://…" line it prints on
 * stderr. AWS managed policies are loaded (MOTO_IAM_LOAD_MANAGED_POLICIES), as setup attaches AWSCodeDeployRole.
 */
export function startMotoServer(command: string, timeoutMs = 20_000): Promise<MotoServer> {
  const child = spawn(command, ['-H', '127.0.0.1', '-p', '0'], {
    env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: 'true' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  return new Promise<MotoServer>((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${command} did not report its port within ${timeoutMs} ms; it printed:\n${output}`));
    }, timeoutMs);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      // Keep only the start: moto logs one line per request afterwards.
      if (output.length < 10_000) output += chunk;
      const match = /Running on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ url: match[1], stop });
      }
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited (${signal ?? `code ${code}`}) before listening:\n${output}`));
    });
  });
}

interface RawResult {
  response: { body?: unknown; headers: Record<string, string> };
}
/** The part of the SDK's middleware stack used here, typed for a raw-response middleware. */
interface RawStack {
    addRelativeTo(
      middleware: (next: (args: unknown) => Promise<RawResult>) => (args: unknown) => Promise<RawResult>,
      options: { relation: 'after'; toMiddleware: string; name: string },
    ): void;
}

/**
 * moto 5's CodeDeploy sends times (createTime, …) as ISO 8601 text. The CodeDeploy API reference types them as
 * Timestamp, which the JSON 1.1 protocol sends as epoch seconds (as AWS and the fake do), so the SDK fails to
 * read moto's. This rewrites them to epoch seconds before the SDK parses the answer (a moto gap, not a fake's).
 */
export function epochTimesFromMoto(client: CodeDeployClient): void {
  // The SDK types a middleware by step; placed right after the deserializer, this one sees the raw HTTP answer.
  (client.middlewareStack as unknown as RawStack).addRelativeTo(
    (next) => async (args) => {
      const result = await next(args);
      const body = result.response.body;
      if (!(body instanceof Readable)) return result;
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(Buffer.from(chunk as Uint8Array));
      const text = Buffer.concat(chunks).toString('utf8');
      const fixed = text.replace(/"(\w*[tT]ime)"\s*:\s*"(\d{4}-\d\d-\d\dT[^"]*)"/g, (_match, key: string, iso: string) => `"${key}": ${Date.parse(iso) / 1000}`);
      result.response.body = Readable.from([Buffer.from(fixed)]);
      delete result.response.headers['content-length'];
      return result;
    },
    { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'motoEpochTimes' },
  );
}
