import { redact } from '../diagnose/redact.js';
import { UserError } from '../errors.js';
import type { RetryClock } from './throttle.js';
import { credentialsNextStep, describeCredentialSetup, type ReadText } from './credentials.js';
import { NETWORK_CODES, errorCode, foreignAnswer, messageOf, networkCode, parseAccessDenied, shortPrincipal, type SdkErrorShape } from './sdk-error.js';

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

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'RequestLimitExceeded', 'TooManyRequestsException', 'SlowDown', 'RequestThrottled', 'ProvisionedThroughputExceededException']);
const ACCESS_DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'AuthorizationError', 'UnauthorizedAccess', 'Forbidden']);
const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired']);
const INVALID_CREDENTIALS = new Set(['InvalidClientTokenId', 'UnrecognizedClientException', 'SignatureDoesNotMatch', 'AuthFailure', 'InvalidAccessKeyId', 'IncompleteSignature', 'InvalidToken']);

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

/** True when the error is AWS error `code`, with or without the SDK's "Exception" suffix. */
export function isAwsCode(error: unknown, ...codes: string[]): boolean {
  const code = error instanceof AwsError ? error.code : errorCode(error);
  return codes.some((wanted) => code === wanted || code === `${wanted}Exception` || `${code}Exception` === wanted);
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
