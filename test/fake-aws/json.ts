/**
 * The AWS JSON 1.1 protocol (CodeDeploy, SSM): `POST /` with `X-Amz-Target: <Prefix>.<Action>` and a JSON
 * body; errors are `{"__type": "<Code>", "message": "…"}` with a 4xx/5xx status. Timestamps are epoch seconds.
 */
import { AwsError, SIGNATURE_MISMATCH_MESSAGE } from './errors.js';
import type { Codec, ServiceErrors } from './service.js';
/** A JSON response body; members that are undefined are left out when it is written. */
export type JsonObject = { [key: string]: unknown };

export function epochSeconds(ms: number): number {
  return ms / 1000;
}

/** Drops undefined members so optional fields are absent from the response, as AWS leaves them out. */
function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, member]) => member !== undefined)
        .map(([key, member]) => [key, compact(member)]),
    );
  }
  return value;
}

export function jsonCodec(options: {
  targetPrefix: string;
  /** CodeDeploy's exceptions carry `message`, SSM's `Message`. */
  messageField: 'message' | 'Message';
  /** SSM is "awsQueryCompatible": it also names the error in an `x-amzn-query-error` header. */
  queryCompatible?: boolean;
}): Codec<JsonObject> {
  const { targetPrefix, messageField, queryCompatible = false } = options;
  return {
    decode(request) {
      const target = request.headers['x-amz-target'];
      const [prefix, action] = typeof target === 'string' ? target.split('.', 2) : [];
      if (prefix !== targetPrefix || action === undefined || action === '') {
        throw new AwsError('UnknownOperationException', `Unknown operation ${String(target)}`, 400);
      }
      const text = request.body.toString('utf8').trim();
      let params: unknown = {};
      if (text !== '') {
        try {
          params = JSON.parse(text);
        } catch {
          throw new AwsError('SerializationException', 'Start of structure or map found where not expected.', 400);
        }
      }
      return { action, params };
    },
    encode(_action, result, requestId) {
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId },
        body: JSON.stringify(compact(result)),
      };
    },
    encodeError(error, requestId) {
      const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': requestId, ...error.headers };
      if (queryCompatible) headers['x-amzn-query-error'] = `${error.code};${error.fault}`;
      return { status: error.status, headers, body: JSON.stringify({ __type: error.code, [messageField]: error.message }) };
    },
    unknownOperation: (action) => new AwsError('UnknownOperationException', `Unknown operation ${targetPrefix}.${action}`, 400),
  };
}


/** The JSON services' answers to auth problems and throttling; `missing`/`invalid` are the service's own. */
export function jsonErrors(validation: Pick<ServiceErrors, 'missing' | 'invalid'>): ServiceErrors {
  return {
    ...validation,
    throttling: () => new AwsError('ThrottlingException', 'Rate exceeded', 400),
    missingAuthentication: () => new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 400),
    unknownAccessKey: () => new AwsError('UnrecognizedClientException', 'The security token included in the request is invalid.', 400),
    signatureMismatch: () => new AwsError('InvalidSignatureException', SIGNATURE_MISMATCH_MESSAGE, 400),
  };
}
