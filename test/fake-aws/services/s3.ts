/**
 * S3 over REST-XML, path-style (`/<bucket>/<key>`; `<bucket>.localhost` virtual hosts work too): the read
 * operations cd-wizard uses to check a revision bucket and bundle, and the uploads of s3-writes.ts. HEAD errors carry no body, so the SDK
 * names a missing bucket or key `NotFound` and a forbidden one `Forbidden`; GET errors carry S3's XML.
 */
import { createHash } from 'node:crypto';
import { AwsError, SIGNATURE_MISMATCH_MESSAGE } from '../errors.js';
import type { Params } from '../params.js';
import { defineService, paginate, type Codec, type FakeRequest, type HandlerContext, type ServiceDef } from '../service.js';
import type { BucketRecord, ObjectRecord } from '../state.js';
import { escapeXml, renderElement, renderFields, XML_DECLARATION, type XmlFields } from '../xml.js';
import { objectBytes, s3WriteOperations } from './s3-writes.js';

export const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

export interface S3Result {
  status?: number;
  headers?: Record<string, string>;
  /** An XML document (written with the declaration) or raw object content. */
  xml?: string;
  content?: string | Buffer;
}

function splitPath(request: FakeRequest): { bucket: string | undefined; key: string | undefined } {
  const host = typeof request.headers.host === 'string' ? request.headers.host : '';
  const virtual = /^([a-z0-9][a-z0-9.-]*)\.localhost(:\d+)?$/.exec(host);
  const segments = request.path.split('/').slice(1);
  if (virtual !== null) {
    const key = segments.map(decodeURIComponent).join('/');
    return { bucket: virtual[1], key: key === '' ? undefined : key };
  }
  const [first, ...rest] = segments;
  const key = rest.map(decodeURIComponent).join('/');
  return { bucket: first === undefined || first === '' ? undefined : decodeURIComponent(first), key: key === '' ? undefined : key };
}

function routeAction(method: string, bucket: string | undefined, key: string | undefined, query: URLSearchParams): string {
  if (bucket === undefined) return method === 'GET' ? 'ListBuckets' : `${method}Service`;
  if (key === undefined) {
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'GET' && query.has('location')) return 'GetBucketLocation';
    if (method === 'GET' && query.get('list-type') === '2') return 'ListObjectsV2';
    const bucketAction = BUCKET_SUBRESOURCES[method]?.find(([subresource]) => subresource === '' || query.has(subresource));
    if (bucketAction !== undefined) return bucketAction[1];
    return `${method}Bucket`;
  }
  if (method === 'HEAD') return 'HeadObject';
  if (method === 'GET') return 'GetObject';
  if (method === 'POST' && query.has('uploads')) return 'CreateMultipartUpload';
  if (method === 'POST' && query.has('uploadId')) return 'CompleteMultipartUpload';
  if (method === 'PUT' && query.has('uploadId')) return 'UploadPart';
  if (method === 'DELETE' && query.has('uploadId')) return 'AbortMultipartUpload';
  if (method === 'PUT') return 'PutObject';
  return `${method}Object`;
}

/** Bucket requests told apart by their subresource (`?tagging`, `?delete` …); '' is the bare request, checked last. */
const BUCKET_SUBRESOURCES: Record<string, Array<[string, string]>> = {
  PUT: [
    ['publicAccessBlock', 'PutPublicAccessBlock'],
    ['encryption', 'PutBucketEncryption'],
    ['tagging', 'PutBucketTagging'],
    ['', 'CreateBucket'],
  ],
  GET: [['tagging', 'GetBucketTagging']],
  DELETE: [['', 'DeleteBucket']],
  POST: [['delete', 'DeleteObjects']],
};

function s3Codec(): Codec<S3Result> {
  return {
    decode(request) {
      const { bucket, key } = splitPath(request);
      const action = routeAction(request.method, bucket, key, request.query);
      const params: Record<string, unknown> = Object.fromEntries(request.query.entries());
      if (bucket !== undefined) params['Bucket'] = bucket;
      if (key !== undefined) params['Key'] = key;
      return { action, params };
    },
    encode(_action, result, requestId) {
      const headers: Record<string, string> = { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId, ...result.headers };
      if (result.xml !== undefined) headers['content-type'] = 'application/xml';
      return { status: result.status ?? 200, headers, body: result.xml !== undefined ? `${XML_DECLARATION}${result.xml}` : (result.content ?? '') };
    },
    encodeError(error, requestId, request) {
      const headers: Record<string, string> = { 'x-amz-request-id': requestId, 'x-amz-id-2': requestId, ...error.headers };
      if (request.method === 'HEAD') return { status: error.status, headers, body: '' };
      headers['content-type'] = 'application/xml';
      const body = `${XML_DECLARATION}<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message><RequestId>${requestId}</RequestId><HostId>${requestId}</HostId></Error>`;
      return { status: error.status, headers, body };
    },
    unknownOperation: (action) => new AwsError('NotImplemented', `A header or query you provided implies functionality that is not implemented (${action}).`, 501),
  };
}

function findBucket(params: Params, ctx: HandlerContext, options: { anyRegion?: boolean } = {}): BucketRecord {
  const name = params.str('Bucket');
  const bucket = ctx.state.s3.buckets[name];
  if (bucket === undefined) throw new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404);
  if (bucket.accessDenied) throw new AwsError('AccessDenied', 'Access Denied', 403);
  if (!options.anyRegion && bucket.region !== ctx.region) {
    // S3 redirects a request signed for another region, naming the bucket's region in a header.
    const error = new AwsError(
      'PermanentRedirect',
      'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
      301,
      { 'x-amz-bucket-region': bucket.region },
    );
    throw error;
  }
  return bucket;
}

function findObject(params: Params, ctx: HandlerContext): ObjectRecord {
  const bucket = findBucket(params, ctx);
  const object = bucket.objects[params.str('Key')];
  if (object === undefined) throw new AwsError('NoSuchKey', 'The specified key does not exist.', 404);
  return object;
}

function objectHeaders(object: ObjectRecord): Record<string, string> {
  const headers: Record<string, string> = {
    'content-length': String(object.size),
    'content-type': object.contentType,
    etag: object.etag,
    'last-modified': new Date(object.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
  };
  if (object.versionId !== undefined) headers['x-amz-version-id'] = object.versionId;
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name.toLowerCase()}`] = value;
  return headers;
}

export function etagOf(body: string): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

function listObjectsV2(params: Params, ctx: HandlerContext): S3Result {
  const bucket = findBucket(params, ctx);
  const prefix = params.optStr('prefix') ?? '';
  const maxKeys = params.optInt('max-keys') ?? 1000;
  const keys = Object.values(bucket.objects)
    .filter((object) => object.key.startsWith(prefix))
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const { page, next } = paginate(keys, params.optStr('continuation-token'), maxKeys, () => new AwsError('InvalidArgument', 'The continuation token provided is incorrect', 400));
  const contents = page
    .map((object) =>
      renderElement('Contents', { Key: object.key, LastModified: new Date(object.lastModified), ETag: object.etag, Size: object.size, StorageClass: 'STANDARD' }, 'member'),
    )
    .join('');
  const fields: XmlFields = { Name: bucket.name, Prefix: prefix, KeyCount: page.length, MaxKeys: maxKeys, IsTruncated: next !== undefined, NextContinuationToken: next };
  return { xml: `<ListBucketResult xmlns="${S3_XMLNS}">${renderFields(fields, 'member')}${contents}</ListBucketResult>` };
}

/* ---------- creating, tagging and deleting buckets ---------- */

const unescapeXml = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

/** The text of every <name> element of a request body (S3's request bodies are small and flat). */
function rawElements(body: string, name: string): string[] {
  return [...body.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((match) => match[1] ?? '');
}

function elements(body: string, name: string): string[] {
  return rawElements(body, name).map(unescapeXml);
}

function createBucket(params: Params, ctx: HandlerContext): S3Result {
  const name = params.str('Bucket');
  const [constraint] = elements(ctx.request.body.toString('utf8'), 'LocationConstraint');
  const existing = ctx.state.s3.buckets[name];
  if (existing !== undefined) {
    // The S3 API reference (CreateBucket, BucketAlreadyOwnedByYou): North Virginia answers 200 OK to re-creating
    // a bucket you own there, for legacy compatibility; every other region answers 409.
    if (existing.region === 'us-east-1' && (constraint || 'us-east-1') === 'us-east-1' && ctx.region === 'us-east-1') return { headers: { location: `/${name}` } };
    throw new AwsError('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409);
  }
  ctx.state.s3.buckets[name] = { name, region: constraint || 'us-east-1', createdAt: ctx.now(), accessDenied: false, objects: {} };
  return { headers: { location: `/${name}` } };
}

function putBucketTagging(params: Params, ctx: HandlerContext): S3Result {
  const bucket = findBucket(params, ctx);
  const body = ctx.request.body.toString('utf8');
  bucket.tags = rawElements(body, 'Tag').map((tag) => ({ Key: elements(tag, 'Key')[0] ?? '', Value: elements(tag, 'Value')[0] ?? '' }));
  return { status: 204 };
}

function getBucketTagging(params: Params, ctx: HandlerContext): S3Result {
  const bucket = findBucket(params, ctx);
  if ((bucket.tags ?? []).length === 0) throw new AwsError('NoSuchTagSet', 'The TagSet does not exist', 404);
  const tags = (bucket.tags ?? []).map((tag) => `<Tag><Key>${escapeXml(tag.Key)}</Key><Value>${escapeXml(tag.Value)}</Value></Tag>`).join('');
  return { xml: `<Tagging xmlns="${S3_XMLNS}"><TagSet>${tags}</TagSet></Tagging>` };
}

function deleteBucket(params: Params, ctx: HandlerContext): S3Result {
  const bucket = findBucket(params, ctx);
  if (Object.keys(bucket.objects).length > 0) throw new AwsError('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409);
  delete ctx.state.s3.buckets[bucket.name];
  return { status: 204 };
}

/** DeleteObjects: keys that do not exist count as deleted, as S3 reports them. */
function deleteObjects(params: Params, ctx: HandlerContext): S3Result {
  const bucket = findBucket(params, ctx);
  const body = ctx.request.body.toString('utf8');
  const keys = elements(body, 'Key');
  if (keys.length > 1000) throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  for (const key of keys) delete bucket.objects[key];
  const quiet = elements(body, 'Quiet')[0] === 'true';
  const deleted = quiet ? '' : keys.map((key) => `<Deleted><Key>${escapeXml(key)}</Key></Deleted>`).join('');
  return { xml: `<DeleteResult xmlns="${S3_XMLNS}">${deleted}</DeleteResult>` };
}

/** Setup's bucket settings are accepted and not modelled. */
const accepted = (params: Params, ctx: HandlerContext): S3Result => {
  findBucket(params, ctx);
  return {};
};

export function s3Service(): ServiceDef {
  return defineService<S3Result>({
    name: 's3',
    codec: s3Codec(),
    errors: {
      missing: (name) => new AwsError('InvalidRequest', `Missing required parameter ${name}`, 400),
      invalid: (name, value) => new AwsError('InvalidArgument', `Invalid value ${value} for ${name}`, 400),
      throttling: () => new AwsError('SlowDown', 'Please reduce your request rate.', 503),
      missingAuthentication: () => new AwsError('AccessDenied', 'Access Denied', 403),
      unknownAccessKey: () => new AwsError('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403),
      signatureMismatch: () => new AwsError('SignatureDoesNotMatch', SIGNATURE_MISMATCH_MESSAGE, 403),
    },
    operations: {
      ListBuckets: (_params, ctx) => {
        const buckets = Object.values(ctx.state.s3.buckets).map((bucket) => ({ Name: bucket.name, CreationDate: new Date(bucket.createdAt), BucketRegion: bucket.region }));
        const owner = { ID: createHash('sha256').update(ctx.state.sts.account).digest('hex'), DisplayName: 'fake-owner' };
        return { xml: `<ListAllMyBucketsResult xmlns="${S3_XMLNS}">${renderFields({ Owner: owner }, 'member')}${renderElement('Buckets', buckets, 'Bucket')}</ListAllMyBucketsResult>` };
      },
      HeadBucket: (params, ctx) => {
        const bucket = findBucket(params, ctx);
        return { headers: { 'x-amz-bucket-region': bucket.region, 'x-amz-access-point-alias': 'false' } };
      },
      GetBucketLocation: (params, ctx) => {
        const bucket = findBucket(params, ctx, { anyRegion: true });
        // us-east-1 is reported as an empty LocationConstraint.
        const location = bucket.region === 'us-east-1' ? '' : escapeXml(bucket.region);
        return { xml: `<LocationConstraint xmlns="${S3_XMLNS}">${location}</LocationConstraint>` };
      },
      HeadObject: (params, ctx) => ({ headers: objectHeaders(findObject(params, ctx)) }),
      GetObject: (params, ctx) => {
        const object = findObject(params, ctx);
        if (object.contentDropped) throw new AwsError('NotImplemented', `The fake kept only the size and ETag of ${object.key} (over its keep limit).`, 501);
        return { headers: objectHeaders(object), content: objectBytes(object) };
      },
      ListObjectsV2: listObjectsV2,
      ...s3WriteOperations(findBucket),
      CreateBucket: createBucket,
      PutPublicAccessBlock: accepted,
      PutBucketEncryption: accepted,
      PutBucketTagging: putBucketTagging,
      GetBucketTagging: getBucketTagging,
      DeleteBucket: deleteBucket,
      DeleteObjects: deleteObjects,
    },
  });
}
