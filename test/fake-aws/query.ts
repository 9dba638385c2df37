/**
 * The AWS query protocol (IAM, STS, Auto Scaling) and its EC2 variant: form-encoded `Action=…&Version=…`
 * requests, XML responses. Query responses wrap the result in `<XResponse><XResult>`; EC2 responses put the
 * fields straight under `<XResponse>` with a `<requestId>`, and lists use `<item>` instead of `<member>`.
 */
import { AwsError, SIGNATURE_MISMATCH_MESSAGE, validationMessage } from './errors.js';
import type { Codec, FakeRequest, FakeResponse, ServiceErrors } from './service.js';
import { renderFields, XML_DECLARATION, escapeXml, type XmlFields } from './xml.js';

type Tree = Map<string, Tree | string>;

function normalize(node: Tree | string): unknown {
  if (typeof node === 'string') return node;
  const keys = [...node.keys()];
  const only = keys.length === 1 ? keys[0] : undefined;
  if (only === 'member' || only === 'entry') return normalize(node.get(only) ?? '');
  if (keys.length > 0 && keys.every((key) => /^\d+$/.test(key))) {
    return keys
      .sort((a, b) => Number(a) - Number(b))
      .map((key) => normalize(node.get(key) ?? ''));
  }
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const child = node.get(key);
    if (child !== undefined) out[key] = normalize(child);
  }
  return out;
}

/**
 * Turns flattened query parameters into nested values: `Tags.member.1.Key=k` becomes `{Tags: [{Key: 'k'}]}`,
 * `Filter.1.Value.2=v` becomes `{Filter: [{Value: [_, 'v']}]}`, `IamInstanceProfile.Name=p` becomes
 * `{IamInstanceProfile: {Name: 'p'}}`. An empty list is sent as `Tags=` and stays ''.
 */
export function unflattenQuery(entries: Iterable<[string, string]>): Record<string, unknown> {
  const root: Tree = new Map();
  for (const [key, value] of entries) {
    const parts = key.split('.');
    let node = root;
    parts.forEach((part, index) => {
      const existing = node.get(part);
      if (index === parts.length - 1) {
        if (existing === undefined || typeof existing === 'string') node.set(part, value);
        return;
      }
      if (existing instanceof Map) {
        node = existing;
      } else {
        const child: Tree = new Map();
        node.set(part, child);
        node = child;
      }
    });
  }
  const normalized = normalize(root);
  return typeof normalized === 'object' && normalized !== null && !Array.isArray(normalized) ? (normalized as Record<string, unknown>) : {};
}

function decodeForm(request: FakeRequest, missingAction: () => AwsError): { action: string; params: unknown } {
  const form = new URLSearchParams(request.body.toString('utf8'));
  const action = form.get('Action');
  if (action === null || action === '') throw missingAction();
  const entries = [...form.entries()].filter(([key]) => key !== 'Action' && key !== 'Version');
  return { action, params: unflattenQuery(entries) };
}

function xmlResponse(status: number, body: string, requestId: string, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, ...headers }, body };
}

/** The codec for IAM, STS and Auto Scaling. */
export function awsQueryCodec(xmlns: string): Codec<XmlFields | undefined> {
  return {
    decode: (request) => decodeForm(request, () => new AwsError('MissingAction', 'Missing Action', 400)),
    encode(action, result, requestId) {
      const inner = result === undefined ? '' : `<${action}Result>${renderFields(result, 'member')}</${action}Result>`;
      const body = `<${action}Response xmlns="${xmlns}">${inner}<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;
      return xmlResponse(200, body, requestId);
    },
    encodeError(error, requestId) {
      const body =
        `<ErrorResponse xmlns="${xmlns}"><Error><Type>${error.fault}</Type><Code>${escapeXml(error.code)}</Code>` +
        `<Message>${escapeXml(error.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
      return xmlResponse(error.status, body, requestId, { ...error.headers });
    },
    unknownOperation: (action) => new AwsError('InvalidAction', `Could not find operation ${action} for version in this fake`, 400),
  };
}

export const EC2_XMLNS = 'http://ec2.amazonaws.com/doc/2016-11-15/';

/** The codec for EC2. Handlers return the response's fields (e.g. `{reservationSet: [...]}`). */
export function ec2QueryCodec(): Codec<XmlFields> {
  return {
    decode: (request) => decodeForm(request, () => new AwsError('MissingAction', 'The request must contain the parameter Action', 400)),
    encode(action, result, requestId) {
      const body = `${XML_DECLARATION}<${action}Response xmlns="${EC2_XMLNS}"><requestId>${requestId}</requestId>${renderFields(result, 'item')}</${action}Response>`;
      return xmlResponse(200, body, requestId);
    },
    encodeError(error, requestId) {
      const body =
        `${XML_DECLARATION}<Response><Errors><Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>` +
        `</Error></Errors><RequestID>${requestId}</RequestID></Response>`;
      return xmlResponse(error.status, body, requestId, { ...error.headers });
    },
    unknownOperation: (action) => new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`, 400),
  };
}


/** IAM, STS and Auto Scaling answer bad input with ValidationError and throttle with Throttling. */
export function awsQueryErrors(): ServiceErrors {
  return {
    missing: (name) => new AwsError('ValidationError', validationMessage(name, null, 'Member must not be null'), 400),
    invalid: (name, value, expected) => new AwsError('ValidationError', validationMessage(name, value, `Member must be ${expected}`), 400),
    throttling: () => new AwsError('Throttling', 'Rate exceeded', 400),
    missingAuthentication: () => new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403),
    unknownAccessKey: () => new AwsError('InvalidClientTokenId', 'The security token included in the request is invalid.', 403),
    signatureMismatch: () => new AwsError('SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE, 403),
  };
}

/** EC2 names missing parameters plainly, throttles with RequestLimitExceeded (503) and fails auth with AuthFailure. */
export function ec2Errors(): ServiceErrors {
  return {
    missing: (name) => new AwsError('MissingParameter', `The request must contain the parameter ${name}`, 400),
    invalid: (name, value) => new AwsError('InvalidParameterValue', `Value (${value}) for parameter ${name} is invalid.`, 400),
    throttling: () => new AwsError('RequestLimitExceeded', 'Request limit exceeded.', 503),
    missingAuthentication: () => new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 401),
    unknownAccessKey: () => new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401),
    signatureMismatch: () => new AwsError('AuthFailure', 'AWS was not able to validate the provided access credentials', 401),
  };
}
