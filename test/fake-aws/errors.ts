/**
 * An error the fake returns to the client the way the real service would: the service's error code, an
 * HTTP status, and a message. Each protocol codec turns it into that protocol's error body.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  /** Query protocols report who is at fault in `<Type>`; 5xx errors are the service's own. */
  readonly fault: 'Sender' | 'Receiver';
  /** Extra response headers (S3 puts facts such as the bucket's region there). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(code: string, message: string, status = 400, headers: Record<string, string> = {}) {
    super(message);
    this.name = 'AwsError';
    this.code = code;
    this.status = status;
    this.fault = status >= 500 ? 'Receiver' : 'Sender';
    this.headers = headers;
  }
}

/** A short way to build an AwsError inside handlers: `throw awsError('NoSuchEntity', 404, '...')`. */
export function awsError(code: string, status: number, message: string): AwsError {
  return new AwsError(code, message, status);
}

/**
 * The wording AWS's generated validators use, e.g.
 * `1 validation error detected: Value 'x!' at 'roleName' failed to satisfy constraint: Member must satisfy
 * regular expression pattern: [\w+=,.@-]+`.
 */
export function validationMessage(field: string, value: string | null, constraint: string): string {
  const shown = value === null ? 'null' : `'${value}'`;
  const member = field.charAt(0).toLowerCase() + field.slice(1);
  return `1 validation error detected: Value ${shown} at '${member}' failed to satisfy constraint: ${constraint}`;
}

export const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
