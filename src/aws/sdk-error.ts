/**
 * Reading what the AWS SDK (or Node's network layer) threw: its code, its message without the SDK's advice, an
 * answer that did not come from AWS, a network failure in words, and the parts of an AccessDenied message. errors.ts
 * turns these into the sentence and the next step a user sees.
 */

export const NETWORK_CODES: Record<string, string> = {
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

export interface SdkErrorShape {
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

/** The SDK appends advice about its own internals to deserialization errors; a user never needs it. */
export const SDK_ADVICE = /\s*Deserialization error: to see the raw response, inspect the hidden field \{error\}\.\$response on this object\.?/g;

export function messageOf(error: unknown): string {
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
export function foreignAnswer(error: unknown, service: string): { status: number | undefined; what: string } | undefined {
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

export function networkCode(error: unknown, depth = 0): string | undefined {
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
export function shortPrincipal(arn: string): string {
  const colon = arn.split(':');
  return colon.length >= 6 ? colon.slice(5).join(':') : arn;
}
