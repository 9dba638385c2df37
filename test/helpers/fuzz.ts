/**
 * Generators for the diagnosis fuzz tests (test/unit/diagnose-fuzz.test.ts) and the fuzz figures of
 * `npm run bench -- fuzz`: hostile text for the engine, and texts with a secret planted in them.
 */
import fc from 'fast-check';

/** Messages that make the engine quote the line they are on (so the secret next to them reaches the output). */
export const QUOTED_MESSAGES = [
  'Missing credentials - please check if this instance was started with an IAM instance profile',
  'The specified key does not exist',
  'Script at specified location: scripts/start.sh failed with exit code 1',
  'The deployment failed because a specified file already exists at this location: /var/www/app/index.js',
  'Cannot reach InstanceService: Aws::CodeDeployCommand::Errors::AccessDeniedException',
];

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const fromAlphabet = (alphabet: string, minLength: number, maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet.split('')), { minLength, maxLength }).map((chars) => chars.join(''));

/** A base64 run of exactly `length` characters with both letter cases (the shape of a secret or a token). */
const mixedRun = (length: number) =>
  fc.tuple(fromAlphabet(BASE64, length - 2, length - 2), fc.constantFrom(...UPPER.split('')), fc.constantFrom(...LOWER.split('')), fc.nat()).map(([body, up, low, at]) => {
    const chars = body.split('');
    chars.splice(at % (chars.length + 1), 0, up, low);
    return chars.join('');
  });

export interface PlantedSecret {
  /** The text to diagnose. */
  text: string;
  /** The secret characters that must never appear in any output (checked by slices, see `leaked`). */
  secret: string;
  kind: string;
}

const separator = fc.constantFrom(' ', '=', ': ', '"', "'", ' (', '\t');
const noise = fc.string({ maxLength: 300 }).map((text) => text.replace(/[A-Za-z0-9/+=]$/, '$& '));

/** A secret of one of the formats AWS documents, planted next to a message the engine quotes. */
export const plantedSecret: fc.Arbitrary<PlantedSecret> = fc
  .tuple(
    fc.oneof(
      mixedRun(40).map((secret) => ({ kind: 'secret key', secret, written: secret })),
      mixedRun(40).chain((secret) => fc.integer({ min: 1, max: 39 }).map((at) => ({ kind: 'secret key split over two lines', secret, written: `${secret.slice(0, at)}\n${secret.slice(at)}` }))),
      fc.integer({ min: 100, max: 600 }).chain(mixedRun).map((secret) => ({ kind: 'session token', secret, written: secret })),
      fromAlphabet(UPPER + '234567', 16, 16).map((rest) => ({ kind: 'access key id', secret: rest.slice(0, 12), written: `AKIA${rest}` })),
      fromAlphabet(BASE64, 1, 60).map((value) => ({ kind: 'named secret', secret: value, written: `aws_secret_access_key=${value}` })),
      fromAlphabet(BASE64, 1, 60).map((value) => ({ kind: 'lowercase token header', secret: value, written: `x-amz-security-token: ${value}` })),
      fromAlphabet(`${BASE64}@!$-`, 4, 30).map((password) => ({ kind: 'URL password', secret: password, written: `https://deployer:${password}@proxy.internal:3128/` })),
    ),
    noise,
    separator,
    fc.constantFrom(...QUOTED_MESSAGES),
    separator,
    noise,
    fc.boolean(),
  )
  .map(([planted, before, sepA, message, sepB, after, secretFirst]) => ({
    kind: planted.kind,
    secret: planted.secret,
    text: secretFirst ? `${before}${sepA}${planted.written}${sepB}${message} ${after}` : `${before} ${message}${sepA}${planted.written}${sepB}${after}`,
  }));

/** Whether `output` shows enough of `secret` to matter: any 8 characters in a row (all of it when shorter). */
export function leaked(secret: string, output: string): boolean {
  const window = Math.min(8, secret.length);
  if (secret.length < 6) return false; // a few characters of a value cannot be told from surrounding text
  for (let i = 0; i + window <= secret.length; i += 1) if (output.includes(secret.slice(i, i + window))) return true;
  return false;
}

/** Text built to stress the line cleaner and the patterns: escapes of any depth, long runs, no newlines. */
export const hostileText: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 2000 }),
  fc.string({ unit: 'binary', maxLength: 2000 }),
  fc.array(fc.constantFrom('\\', '"', '\\"', '\\\\', 'n', '/', '\\n', '\u001b[', '\u001b]0;', '\u0007', ' ', '\r', '\n', 'Script at specified location: ', 'failed with exit code ', '[stderr]', 'LifecycleEvent - ApplicationStop'), { maxLength: 3000 }).map((parts) => parts.join('')),
  fc.tuple(fc.constantFrom('\\', 'a', ' ', '"', '\\"', '\u001b['), fc.integer({ min: 1000, max: 20_000 })).map(([unit, count]) => unit.repeat(count)),
  fc.integer({ min: 10, max: 400 }).map((count) => `${"x".repeat(79)}\n`.repeat(count)),
);
