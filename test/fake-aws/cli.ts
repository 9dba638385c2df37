/**
 * The fake as a standalone process, for manual tries and for tests that drive it over HTTP. Run it with
 * `node scripts/fake-aws.mjs [options]`, which bundles this file with esbuild first. It prints its URL on the
 * first line of stdout (`fake-aws listening on http://127.0.0.1:PORT`) and stops on SIGINT/SIGTERM.
 */
import { readFileSync } from 'node:fs';
import type { FaultsInput } from './faults.js';
import { scenario } from './scenarios.js';
import type { Seed } from './seed.js';
import { startFakeAws, type FakeAwsOptions } from './server.js';

export const USAGE = `Usage: node scripts/fake-aws.mjs [options]

Options:
  --port N              listen on port N (default: any free port)
  --host ADDRESS        listen address (default 127.0.0.1)
  --seed FILE           JSON seed of what exists (see test/fake-aws/README.md)
  --scenario NAME       seed a failed-deployment scenario (test/fake-aws/scenarios.ts), e.g. s3-key-not-found;
                        its cd-wizard.json is printed to stderr
  --faults JSON|FILE    initial faults, e.g. '{"iamPropagationSeconds": 5}'
  --region REGION       region seeded resources live in (default us-east-1)
  --account ID          account ID (default 123456789012)
  --credentials KEY:SECRET
                        verify SigV4 signatures with this key pair (repeatable);
                        without it any well-formed signature is accepted
  --quiet               do not print a line per call
  --help                show this help`;

function readJsonArgument(value: string): unknown {
  const text = value.trim().startsWith('{') ? value : readFileSync(value, 'utf8');
  return JSON.parse(text);
}

export function parseArguments(argv: readonly string[]): FakeAwsOptions | 'help' {
  const options: FakeAwsOptions = { log: true };
  const credentials: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = (): string => {
      const next = argv[i + 1];
      if (next === undefined) throw new Error(`${String(flag)} needs a value`);
      i += 1;
      return next;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--port':
        options.port = Number(value());
        break;
      case '--host':
        options.host = value();
        break;
      case '--seed':
        options.seed = readJsonArgument(value()) as Seed;
        break;
      case '--scenario': {
        const chosen = scenario(value());
        options.seed = chosen.seed;
        process.stderr.write(`scenario ${chosen.name}: ${chosen.description}\ncd-wizard.json:\n${JSON.stringify(chosen.answers, null, 2)}\n`);
        break;
      }
      case '--faults':
        options.faults = readJsonArgument(value()) as FaultsInput;
        break;
      case '--region':
        options.region = value();
        break;
      case '--account':
        options.account = value();
        break;
      case '--credentials': {
        const [key, ...secret] = value().split(':');
        if (key === undefined || key === '' || secret.length === 0) throw new Error('--credentials takes KEY:SECRET');
        credentials[key] = secret.join(':');
        break;
      }
      case '--quiet':
        options.log = false;
        break;
      default:
        throw new Error(`Unknown option ${String(flag)}\n\n${USAGE}`);
    }
  }
  options.credentials = Object.keys(credentials).length > 0 ? credentials : 'any';
  return options;
}

export async function main(argv: readonly string[]): Promise<void> {
  const options = parseArguments(argv);
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const aws = await startFakeAws(options);
  const env = aws.env();
  process.stdout.write(
    `fake-aws listening on ${aws.url}\n` +
      `Point cd-wizard at it:\n` +
      `  export AWS_ENDPOINT_URL=${aws.url} AWS_ACCESS_KEY_ID=${env['AWS_ACCESS_KEY_ID'] ?? 'test'} AWS_SECRET_ACCESS_KEY=${env['AWS_SECRET_ACCESS_KEY'] ?? 'test'} AWS_REGION=${env['AWS_REGION'] ?? 'us-east-1'}\n` +
      `Control it: curl ${aws.url}/__fake (calls, state, seed, faults, reset, clock)\n`,
  );
  const stop = (): void => {
    void aws.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
