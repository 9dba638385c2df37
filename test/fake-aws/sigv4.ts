/**
 * Reads and checks AWS Signature Version 4 `Authorization` headers. The credential scope names the service,
 * which is how the fake routes a request; the signature is recomputed from the request and the secret key
 * the fake knows for the access key, so a client that signs wrongly fails here as it would against AWS.
 */
import { createHash, createHmac } from 'node:crypto';
import type { FakeRequest } from './service.js';

export interface SigV4Authorization {
  accessKeyId: string;
  /** YYYYMMDD from the credential scope. */
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

export function parseAuthorization(header: string | undefined): SigV4Authorization | undefined {
  const match = header === undefined ? null : AUTHORIZATION.exec(header.trim());
  if (match === null) return undefined;
  const [, accessKeyId = '', date = '', region = '', service = '', signedHeaders = '', signature = ''] = match;
  return { accessKeyId, date, region, service, signedHeaders: signedHeaders.split(';'), signature };
}

/** RFC 3986 encoding as SigV4 wants it: everything but unreserved characters. */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function canonicalPath(path: string, service: string): string {
  // S3 signs the path as sent; every other service normalizes it and encodes it a second time.
  if (service === 's3') return path;
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return escapeUri(`/${segments.join('/')}${trailing}`).replaceAll('%2F', '/');
}

function canonicalQuery(query: URLSearchParams): string {
  return [...query.entries()]
    .filter(([key]) => key !== 'X-Amz-Signature')
    .map(([key, value]) => [escapeUri(key), escapeUri(value)] as const)
    .sort(([a, av], [b, bv]) => (a < b ? -1 : a > b ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function headerValue(request: FakeRequest, name: string): string {
  const value = request.headers[name];
  const text = Array.isArray(value) ? value.join(',') : (value ?? '');
  return text.trim().replace(/\s+/g, ' ');
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

export type SignatureCheck = 'ok' | 'signature-mismatch' | 'payload-hash-mismatch';

export function checkSignature(request: FakeRequest, auth: SigV4Authorization, secretAccessKey: string): SignatureCheck {
  const declaredHash = headerValue(request, 'x-amz-content-sha256');
  const bodyHash = sha256Hex(request.body);
  const unsigned = declaredHash === 'UNSIGNED-PAYLOAD' || declaredHash.startsWith('STREAMING-');
  if (declaredHash !== '' && !unsigned && declaredHash !== bodyHash) return 'payload-hash-mismatch';
  const payloadHash = declaredHash === '' ? bodyHash : declaredHash;

  const signed = [...auth.signedHeaders].sort();
  const canonicalRequest = [
    request.method,
    canonicalPath(request.path, auth.service),
    canonicalQuery(request.query),
    signed.map((name) => `${name}:${headerValue(request, name)}\n`).join(''),
    signed.join(';'),
    payloadHash,
  ].join('\n');
  const scope = `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
  const amzDate = headerValue(request, 'x-amz-date');
  if (!amzDate.startsWith(auth.date)) return 'signature-mismatch';
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256Hex(canonicalRequest)].join('\n');

  let key: Buffer = hmac(`AWS4${secretAccessKey}`, auth.date);
  for (const part of [auth.region, auth.service, 'aws4_request']) key = hmac(key, part);
  const expected = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  return expected === auth.signature ? 'ok' : 'signature-mismatch';
}
