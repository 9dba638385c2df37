import type { IncomingHttpHeaders } from 'node:http';
import type { AwsError } from './errors.js';
import type { Faults } from './faults.js';
import { Params, type ParamErrors } from './params.js';
import type { Ids } from './random.js';
import type { FakeState } from './state.js';

/** The SigV4 signing names of the services the fake speaks; requests are routed by their credential scope. */
export const SERVICE_NAMES = ['sts', 'iam', 'ec2', 'autoscaling', 'codedeploy', 's3', 'ssm'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(name: string): name is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(name);
}

export interface FakeRequest {
  method: string;
  /** The path as sent (still percent-encoded), without the query string. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}

export interface HandlerContext {
  state: FakeState;
  /** The fake clock, in epoch milliseconds. */
  now(): number;
  /** The region from the request's credential scope. */
  region: string;
  requestId: string;
  ids: Ids;
  faults: Readonly<Faults>;
  request: FakeRequest;
}

export type Handler<R> = (params: Params, ctx: HandlerContext) => R;

/** How one wire protocol reads a request and writes a result or an error. */
export interface Codec<R> {
  decode(request: FakeRequest): { action: string; params: unknown };
  encode(action: string, result: R, requestId: string): FakeResponse;
  encodeError(error: AwsError, requestId: string, request: FakeRequest): FakeResponse;
  unknownOperation(action: string): AwsError;
}

/** The errors a service answers with for problems found before an operation runs. */
export interface ServiceErrors extends ParamErrors {
  throttling(): AwsError;
  missingAuthentication(): AwsError;
  unknownAccessKey(): AwsError;
  signatureMismatch(): AwsError;
}

export interface ServiceDef {
  readonly name: ServiceName;
  readonly actions: readonly string[];
  readonly errors: ServiceErrors;
  decode(request: FakeRequest): { action: string; params: Params };
  /** Runs an operation; throws AwsError for the service's own errors. */
  run(action: string, params: Params, ctx: HandlerContext): FakeResponse;
  encodeError(error: AwsError, requestId: string, request: FakeRequest): FakeResponse;
}

export function defineService<R>(spec: {
  name: ServiceName;
  codec: Codec<R>;
  errors: ServiceErrors;
  operations: Record<string, Handler<R>>;
}): ServiceDef {
  const { name, codec, errors, operations } = spec;
  return {
    name,
    actions: Object.keys(operations),
    errors,
    decode(request) {
      const { action, params } = codec.decode(request);
      return { action, params: new Params(params, errors) };
    },
    run(action, params, ctx) {
      const handler = Object.hasOwn(operations, action) ? operations[action] : undefined;
      if (handler === undefined) throw codec.unknownOperation(action);
      return codec.encode(action, handler(params, ctx), ctx.requestId);
    },
    encodeError: (error, requestId, request) => codec.encodeError(error, requestId, request),
  };
}

/** Pages through `items` with an opaque token (the next index, base64), the way AWS list calls do. */
export function paginate<T>(
  items: readonly T[],
  token: string | undefined,
  pageSize: number,
  invalidToken: () => AwsError,
): { page: T[]; next: string | undefined } {
  let start = 0;
  if (token !== undefined && token !== '') {
    const decoded = /^fake-page:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
    if (decoded === null) throw invalidToken();
    start = Number(decoded[1]);
  }
  const end = start + pageSize;
  const next = end < items.length ? Buffer.from(`fake-page:${end}`).toString('base64') : undefined;
  return { page: items.slice(start, end), next };
}

/** Matches AWS-style wildcards: `*` any run of characters, `?` one character. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${source}$`, ignoreCase ? 'is' : 's').test(value);
}
