import { redact } from '../diagnose/redact.js';
import { UserError } from '../errors.js';
import type { RetryClock } from './throttle.js';
import { credentialsNextStep, describeCredentialSetup, type ReadText } from './credentials.js';

/**
 * Maps whatever the AWS SDK throws into an AwsError: a UserError whose message says what failed in words and
 * whose hint is the next step. Ports call translateAwsError in one place (ports/send.ts); everything above
 * the ports sees only AwsError.
 */

export type AwsService = 'STS' | 'IAM' | 'EC2' | 'AutoScaling' | 'CodeDeploy' | 'S3' | 'SSM';

export type AwsErrorKind =
  | 'access-denied'
  | 'credentials'
  | 'unreachable'
  | 'throttled'
  | 'not-found'
  | 'already-exists'
  | 'iam-propagation'
  | 'region'
  | 'other';

/** Where a call went and as whom; enough to name the endpoint and the profile in a message. */
export interface CallTarget {
  region: string;
  profile?: string;
  endpointUrl?: string;
  env: NodeJS.ProcessEnv;
  /** For tests: how the shared config files are read. */
  readText?: ReadText;
  /** --debug: one line per AWS call (service, operation, HTTP status, time); never parameters or secrets. */
  debug?: (line: string) => void;
  /** For tests: the clock the throttling retries wait on (see throttle.ts). */
  clock?: RetryClock;
}

export interface CallInfo {
  service: AwsService;
  operation: string;
}

export class AwsError extends UserError {
  readonly service: AwsService;
  readonly operation: string;
  /** The AWS error code (NoSuchEntityException, UnauthorizedOperation, ECONNREFUSED …). */
  readonly code: string;
  readonly kind: AwsErrorKind;
  /** AWS's own message, redacted. */
  readonly awsMessage: string;

  constructor(
    message: string,
    details: { service: AwsService; operation: string; code: string; kind: AwsErrorKind; awsMessage: string; hint?: string; guide?: string; cause?: unknown },
  ) {
    super(message, {
      ...(details.hint === undefined ? {} : { hint: details.hint }),
      ...(details.guide === undefined ? {} : { guide: details.guide }),
      cause: details.cause,
    });
    this.name = 'AwsError';
    this.service = details.service;
    this.operation = details.operation;
    this.code = details.code;
    this.kind = details.kind;
    this.awsMessage = details.awsMessage;
  }
}

/** Per service: the IAM action prefix, the endpoint variable the SDK reads, the endpoint host prefix. */
const SERVICES: Record<AwsService, { action: string; endpointEnv: string; host: string }> = {
  STS: { action: 'sts', endpointEnv: 'STS', host: 'sts' },
  IAM: { action: 'iam', endpointEnv: 'IAM', host: 'iam' },
  EC2: { action: 'ec2', endpointEnv: 'EC2', host: 'ec2' },
  AutoScaling: { action: 'autoscaling', endpointEnv: 'AUTO_SCALING', host: 'autoscaling' },
  CodeDeploy: { action: 'codedeploy', endpointEnv: 'CODEDEPLOY', host: 'codedeploy' },
  S3: { action: 's3', endpointEnv: 'S3', host: 's3' },
  SSM: { action: 'ssm', endpointEnv: 'SSM', host: 'ssm' },
};

/** Operations whose IAM action is not the operation name. */
const ACTION_OF_OPERATION: Record<string, string> = {
  'S3:HeadBucket': 's3:ListBucket',
};

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'timed out',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  ECONNABORTED: 'connection aborted',
  TimeoutError: 'timed out',
  RequestTimeout: 'timed out',
};

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'SlowDown', 'RequestThrottled', 'ProvisionedThroughputExceededException']);
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'UnauthorizedAccess', 'Forbidden']);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired']);
const INVALID_CREDENTIALS = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'AuthFailure', 'InvalidAccessKeyId', 'IncompleteSignature', 'InvalidToken']);

interface SdkErrorShape {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  hostname?: unknown;
  address?: unknown;
  port?: unknown;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

/** The error code of an SDK or network error: `name` for service errors, `code` for Node network errors. */
export function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return 'Unknown';
  const shape = error as SdkErrorShape;
  if (typeof shape.code === 'string' && /^E[A-Z_]+$/.test(shape.code)) return shape.code;
  if (typeof shape.Code === 'string' && shape.Code !== '') return shape.Code;
  if (typeof shape.name === 'string' && shape.name !== '' && shape.name !== 'Error') return shape.name;
  if (typeof shape.code === 'string') return shape.code;
  const cause = shape.cause;
  if (cause !== undefined && cause !== error) return errorCode(cause);
  return 'Unknown';
}

/** True when the error is AWS error `code`, with or without the SDK's "Exception" suffix. */
export function isAwsCode(error: unknown, ...codes: string[]): boolean {
  const code = error instanceof AwsError ? error.code : errorCode(error);
  return codes.some((wanted) => code === wanted || code === `${wanted}Exception` || `${code}Exception` === wanted);
}

/** The SDK appends advice about its own internals to deserialization errors; a user never needs it. */
const SDK_ADVICE = /\s*Deserialization error: to see the raw response, inspect the hidden field \{error\}\.\$response on this object\.?/g;

function messageOf(error: unknown): string {
  const text = typeof error === 'object' && error !== null && typeof (error as SdkErrorShape).message === 'string' ? ((error as SdkErrorShape).message as string) : String(error);
  return text.replace(SDK_ADVICE, '').trim();
}

interface RawResponse {
  statusCode?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/**
 * Whether the answer came from something that is not AWS (a wrong --endpoint-url, a proxy's error page, a captive
 * portal): the SDK could not read it, or it is an HTML page. Returns what it was, in words, or undefined.
 */
export function foreignAnswer(error: unknown, service: AwsService): { status: number | undefined; what: string } | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const shape = error as SdkErrorShape & { $response?: RawResponse };
  const raw = typeof shape.message === 'string' ? shape.message : '';
  const response = shape.$response;
  const status = shape.$metadata?.httpStatusCode ?? response?.statusCode;
  const type = Object.entries(response?.headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1]?.toLowerCase() ?? '';
  const body = typeof response?.body === 'string' ? response.body.trimStart().slice(0, 100).toLowerCase() : '';
  const html = type.includes('html') || body.startsWith('<!doctype') || body.startsWith('<html');
  const unreadable = SDK_ADVICE.test(raw);
  SDK_ADVICE.lastIndex = 0;
  // An error without a code or a message: the body was not an AWS error document. (S3 answers a HEAD of a missing
  // bucket or key with a bare 404 NotFound: that one is AWS speaking.)
  const code = errorCode(error);
  const bare = /^(Unknown|UnknownError|)$/.test(raw.trim()) && (/^(Unknown|UnknownError)$/.test(code) || (code === 'NotFound' && status === 404 && service !== 'S3'));
  if (!html && !unreadable && !bare) return undefined;
  const what = html ? 'an HTML page' : type.includes('xml') ? 'XML it cannot read' : type.includes('json') ? 'JSON it cannot read' : body === '' ? 'an answer it cannot read' : 'plain text';
  return { status, what };
}

function networkCode(error: unknown, depth = 0): string | undefined {
  if (typeof error !== 'object' || error === null || depth > 3) return undefined;
  const shape = error as SdkErrorShape;
  for (const candidate of [shape.code, shape.name]) {
    if (typeof candidate === 'string' && candidate in NETWORK_CODES) return candidate;
  }
  return networkCode(shape.cause, depth + 1);
}

export interface DeniedDetails {
  principal?: string;
  action?: string;
  resource?: string;
  /** "no identity-based policy allows …", "an explicit deny in a service control policy" … */
  reason?: string;
}

/** Parses "User: <arn> is not authorized to perform: <action> on resource: <res> because …". */
export function parseAccessDenied(message: string): DeniedDetails {
  const match = /User: (\S+) is not authorized to perform: ([\w-]+:[\w*-]+)(?: on resource: (.+?))?(?:(?:,| because| with an explicit deny)\s*(.*?))?(?:\. Encoded authorization failure message:.*)?\.?$/s.exec(
    message.trim(),
  );
  if (!match) return {};
  const details: DeniedDetails = {};
  if (match[1] !== undefined) details.principal = match[1];
  if (match[2] !== undefined) details.action = match[2];
  if (match[3] !== undefined) details.resource = match[3].replace(/\.$/, '');
  const tail = match[4]?.trim();
  if (tail) details.reason = /explicit deny/.test(message) && !tail.startsWith('explicit') ? `an explicit deny ${tail}` : tail;
  return details;
}

/** "arn:aws:sts::123:assumed-role/Dev/alice" → "assumed-role/Dev/alice" for a short mention. */
function shortPrincipal(arn: string): string {
  const colon = arn.split(':');
  return colon.length >= 6 ? colon.slice(5).join(':') : arn;
}

export function endpointOf(service: AwsService, target: CallTarget): { url: string; source: string } {
  if (target.endpointUrl !== undefined) return { url: target.endpointUrl, source: '--endpoint-url' };
  const specific = `AWS_ENDPOINT_URL_${SERVICES[service].endpointEnv}`;
  const specificValue = target.env[specific];
  if (specificValue) return { url: specificValue, source: specific };
  if (target.env.AWS_ENDPOINT_URL) return { url: target.env.AWS_ENDPOINT_URL, source: 'AWS_ENDPOINT_URL' };
  const suffix = target.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
  const host = service === 'IAM' && !target.region.startsWith('cn-') && !target.region.startsWith('us-gov-') ? `iam.${suffix}` : `${SERVICES[service].host}.${target.region}.${suffix}`;
  return { url: `https://${host}`, source: 'default' };
}

function isIamPropagation(info: CallInfo, code: string, message: string): boolean {
  if (info.service === 'CodeDeploy' && /InvalidRole/.test(code)) {
    // CodeDeploy words a role it cannot use yet in two ways ("Cannot assume role provided." and "AWS CodeDeploy
    // does not have the permissions required to assume the role <arn>"); both also mean a wrong trust policy, so
    // the caller's retries are bounded and the last hint says what to check.
    return /cannot assume role|permissions required to assume the role|does not give you permission to perform operations/i.test(message);
  }
  if (info.service === 'EC2' && /InvalidParameterValue|InvalidParameter/.test(code)) {
    return /invalid iam instance profile/i.test(message);
  }
  return false;
}

/** Turns anything an AWS call threw into an AwsError (already-AwsErrors pass through). */
export function translateAwsError(error: unknown, info: CallInfo, target: CallTarget): AwsError {
  if (error instanceof AwsError) return error;
  const code = errorCode(error);
  const awsMessage = redact(messageOf(error));
  const base = { service: info.service, operation: info.operation, code, awsMessage, cause: error };
  const what = `${info.service} ${info.operation}`;

  const network = networkCode(error);
  if (network !== undefined) {
    const endpoint = endpointOf(info.service, target);
    const where = endpoint.source === 'default' ? endpoint.url : `${endpoint.url} (from ${endpoint.source})`;
    return new AwsError(`Cannot reach ${info.service} at ${where}: ${NETWORK_CODES[network] ?? network}.`, {
      ...base,
      code: network,
      kind: 'unreachable',
      hint:
        endpoint.source === 'default'
          ? `Check your internet connection and any proxy (HTTPS_PROXY), and that region ${target.region} is enabled for your account.`
          : `Is the server at ${endpoint.url} running? Check ${endpoint.source}.`,
    });
  }

  const foreign = foreignAnswer(error, info.service);
  if (foreign !== undefined) {
    const endpoint = endpointOf(info.service, target);
    const where = endpoint.source === 'default' ? endpoint.url : `${endpoint.url} (from ${endpoint.source})`;
    return new AwsError(`${what} got an answer that is not from AWS${foreign.status === undefined ? '' : ` (HTTP ${foreign.status}, ${foreign.what})`} at ${where}.`, {
      ...base,
      kind: 'unreachable',
      hint:
        endpoint.source === 'default'
          ? 'Something between you and AWS answered instead (a proxy or a captive portal): check HTTPS_PROXY and your network, then run the same command again; nothing was changed.'
          : `Check ${endpoint.source}: it must point at AWS or at an emulator that serves ${info.service} (for example http://127.0.0.1:4566); nothing was changed.`,
    });
  }

  if (/region is missing/i.test(awsMessage)) {
    return new AwsError('No AWS region is set.', { ...base, kind: 'region', hint: regionHint(target.profile) });
  }

  const expired = EXPIRED.has(code) || code === 'TokenProviderError' || /token (has )?expired|token is expired|session .*(has )?expired|sso session|sso token/i.test(awsMessage);
  const credentialProblem: 'missing' | 'expired' | 'invalid' | undefined = expired
    ? 'expired'
    : code === 'CredentialsProviderError' || /could not load credentials/i.test(awsMessage)
      ? 'missing'
      : INVALID_CREDENTIALS.has(code)
        ? 'invalid'
        : undefined;
  if (credentialProblem !== undefined) {
    const setup = describeCredentialSetup(target.profile, target.env, target.readText);
    const who = setup.kind === 'sso' || setup.kind === 'keys' || setup.kind === 'other' || setup.kind === 'missing-profile' ? ` (profile ${setup.profile})` : '';
    const headline = {
      missing: `AWS credentials are missing${who}, so cd-wizard cannot call ${what}.`,
      expired: `Your AWS credentials${who} have expired.`,
      invalid: `AWS rejected your credentials${who} (${code}).`,
    }[credentialProblem];
    return new AwsError(headline, {
      ...base,
      kind: 'credentials',
      hint: credentialsNextStep(setup, credentialProblem),
    });
  }

  if (ACCESS_DENIED.has(code) || /not authorized to perform|access denied/i.test(awsMessage)) {
    const details = parseAccessDenied(awsMessage);
    const action = details.action ?? ACTION_OF_OPERATION[`${info.service}:${info.operation}`] ?? `${SERVICES[info.service].action}:${info.operation}`;
    const who = details.principal ? shortPrincipal(details.principal) : target.profile ? `profile ${target.profile}` : 'your AWS identity';
    const on = details.resource ? ` on ${details.resource}` : '';
    const byPolicy = details.reason && /explicit deny/.test(details.reason) ? ` (${details.reason})` : '';
    if (action === 'iam:PassRole') {
      return new AwsError(`${who} may not pass the role${details.resource ? ` ${details.resource}` : ''} to AWS (iam:PassRole), so ${what} was refused${byPolicy}.`, {
        ...base,
        kind: 'access-denied',
        hint:
          `Whoever runs setup needs iam:PassRole on the service role (passed to codedeploy.amazonaws.com) and on the instance role (passed to ec2.amazonaws.com). ` +
          'Ask an administrator to add it; the exact policy is in: cd-wizard guide --show setup-permissions',
      });
    }
    const explicitDeny = /explicit deny/.test(details.reason ?? '');
    return new AwsError(`${who} is not allowed to call ${action}${on}${byPolicy}.`, {
      ...base,
      kind: 'access-denied',
      hint: explicitDeny
        ? `An explicit deny wins over any allow: ask your AWS administrator which policy denies ${action}, or use another --profile. Permissions setup needs: cd-wizard guide --show setup-permissions`
        : `Ask an administrator to allow ${action}${on} for ${details.principal ?? who}, or run with a --profile that has it. Permissions setup needs: cd-wizard guide --show setup-permissions`,
    });
  }

  if (THROTTLING.has(code)) {
    return new AwsError(`AWS kept throttling ${what}, even after retries.`, {
      ...base,
      kind: 'throttled',
      hint: 'Wait a minute and run the same command again.',
    });
  }

  if (isIamPropagation(info, code, awsMessage)) {
    return new AwsError(`${what} failed because IAM changes have not reached ${info.service} yet: ${awsMessage}`, {
      ...base,
      kind: 'iam-propagation',
      hint: 'IAM changes take a minute to spread. Wait a little, then run the same command again.',
    });
  }

  const kind: AwsErrorKind = /NotFound|NoSuch|DoesNotExist/.test(code) ? 'not-found' : /AlreadyExists|EntityAlreadyExists|Duplicate/.test(code) ? 'already-exists' : 'other';
  const status = (error as SdkErrorShape | undefined)?.$metadata?.httpStatusCode;
  const serverSide = status !== undefined && status >= 500;
  return new AwsError(`${what} failed: ${code}: ${awsMessage}`, {
    ...base,
    kind,
    ...(serverSide ? { hint: `AWS had an internal error (HTTP ${status}). Run the same command again in a minute.` } : {}),
  });
}

export function regionHint(profile: string | undefined): string {
  const example = 'eu-west-1';
  return profile !== undefined
    ? `Give --region (e.g. --region ${example}), set AWS_REGION, or save one in the profile: aws configure set region ${example} --profile ${profile}`
    : `Give --region (e.g. --region ${example}), set AWS_REGION, or save one: aws configure set region ${example}`;
}
