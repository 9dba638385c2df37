/**
 * S3 writes, as `cd-wizard deploy` (through @aws-sdk/lib-storage) and `aws deploy push` upload a bundle: PutObject,
 * and the multipart upload (CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload). Objects
 * get the ETag S3 computes: the MD5 of the bytes for PutObject, the MD5 of the parts' binary MD5s followed by
 * "-<parts>" for a multipart upload. Bytes are kept (base64) up to UPLOAD_KEEP_LIMIT, so tests can open the zip;
 * larger objects keep their size and ETag only. User metadata (`x-amz-meta-*` headers on PutObject and
 * CreateMultipartUpload) is kept on the object, and HeadObject/GetObject answer it.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { AwsError } from '../errors.js';
import type { Params } from '../params.js';
import type { Handler, HandlerContext } from '../service.js';
import type { BucketRecord, MultipartUploadRecord, ObjectRecord } from '../state.js';
import { escapeXml } from '../xml.js';
import type { S3Result } from './s3.js';

export const UPLOAD_KEEP_LIMIT = 32 * 1024 * 1024;
/** S3's smallest part, except for the last one. */
export const MIN_PART_SIZE = 5 * 1024 * 1024;
const XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest();

function header(ctx: HandlerContext, name: string): string | undefined {
  const value = ctx.request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The bytes of the payload. A body sent with `Content-Encoding: aws-chunked` (streaming uploads) is unwrapped:
 * `<hex size>[;chunk-signature=…]\r\n<bytes>\r\n` chunks, a zero-size one, then optional trailers.
 */
export function payload(ctx: HandlerContext): Buffer {
  const body = ctx.request.body;
  if (!(header(ctx, 'content-encoding') ?? '').includes('aws-chunked')) return body;
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const end = body.indexOf('\r\n', at);
    if (end < 0) throw new AwsError('IncompleteBody', 'The request body terminated unexpectedly', 400);
    const size = Number.parseInt(body.subarray(at, end).toString('latin1').split(';')[0] ?? '', 16);
    if (!Number.isFinite(size)) throw new AwsError('InvalidRequest', 'Invalid chunk size in aws-chunked body', 400);
    if (size === 0) return Buffer.concat(parts);
    parts.push(body.subarray(end + 2, end + 2 + size));
    at = end + 2 + size + 2;
  }
}

/** Content-MD5 and x-amz-checksum-crc32, when the client sent them, must match the bytes (400 BadDigest). */
function checkDigests(ctx: HandlerContext, bytes: Buffer): void {
  const contentMd5 = header(ctx, 'content-md5');
  if (contentMd5 !== undefined && contentMd5 !== md5(bytes).toString('base64')) {
    throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
  }
  const crc = header(ctx, 'x-amz-checksum-crc32');
  if (crc !== undefined) {
    const expected = Buffer.alloc(4);
    expected.writeUInt32BE(crc32(bytes));
    if (crc !== expected.toString('base64')) throw new AwsError('BadDigest', 'The CRC32 you specified did not match the calculated checksum.', 400);
  }
}

/** The request's user metadata (`x-amz-meta-<name>` headers), names in lower case as S3 keeps them. */
function userMetadata(ctx: HandlerContext): Record<string, string> {
  const metadata: Record<string, string> = {};
  for (const name of Object.keys(ctx.request.headers)) {
    const lower = name.toLowerCase();
    if (lower.startsWith('x-amz-meta-')) metadata[lower.slice('x-amz-meta-'.length)] = header(ctx, name) ?? '';
  }
  return metadata;
}

function store(bucket: BucketRecord, ctx: HandlerContext, object: Omit<ObjectRecord, 'lastModified' | 'body'>): ObjectRecord {
  const record: ObjectRecord = { ...object, body: '', lastModified: ctx.now(), ...(bucket.versioned ? { versionId: ctx.ids.uuid().replaceAll('-', '') } : {}) };
  bucket.objects[object.key] = record;
  return record;
}

const versionHeader = (object: ObjectRecord): Record<string, string> => (object.versionId === undefined ? {} : { 'x-amz-version-id': object.versionId });

function findUpload(params: Params, ctx: HandlerContext): MultipartUploadRecord {
  const upload = ctx.state.s3.uploads[params.str('uploadId')];
  if (upload === undefined || upload.bucket !== params.str('Bucket') || upload.key !== params.str('Key')) {
    throw new AwsError('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404);
  }
  return upload;
}

/** The parts listed in a CompleteMultipartUpload body: number and ETag, in the order given. */
function listedParts(xml: string): Array<{ number: number; etag: string }> {
  return [...xml.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((match) => {
    const part = match[1] ?? '';
    const number = Number(/<PartNumber>\s*(\d+)\s*<\/PartNumber>/.exec(part)?.[1]);
    const etag = (/<ETag>([\s\S]*?)<\/ETag>/.exec(part)?.[1] ?? '').replaceAll('&quot;', '"').trim();
    return { number, etag: etag.startsWith('"') ? etag : `"${etag}"` };
  });
}

export function s3WriteOperations(findBucket: (params: Params, ctx: HandlerContext) => BucketRecord): Record<string, Handler<S3Result>> {
  return {
    PutObject: (params, ctx) => {
      const bucket = findBucket(params, ctx);
      const bytes = payload(ctx);
      checkDigests(ctx, bytes);
      const keep = bytes.length <= UPLOAD_KEEP_LIMIT;
      const object = store(bucket, ctx, {
        key: params.str('Key'),
        size: bytes.length,
        etag: `"${md5(bytes).toString('hex')}"`,
        contentType: header(ctx, 'content-type') ?? 'binary/octet-stream',
        metadata: userMetadata(ctx),
        ...(keep ? { content: bytes.toString('base64') } : { contentDropped: true }),
      });
      return { headers: { etag: object.etag, ...versionHeader(object) } };
    },

    CreateMultipartUpload: (params, ctx) => {
      const bucket = findBucket(params, ctx);
      const uploadId = ctx.ids.uuid().replaceAll('-', '');
      const key = params.str('Key');
      ctx.state.s3.uploads[uploadId] = { uploadId, bucket: bucket.name, key, contentType: header(ctx, 'content-type') ?? 'binary/octet-stream', metadata: userMetadata(ctx), initiatedAt: ctx.now(), parts: {} };
      return { xml: `<InitiateMultipartUploadResult xmlns="${XMLNS}"><Bucket>${escapeXml(bucket.name)}</Bucket><Key>${escapeXml(key)}</Key><UploadId>${uploadId}</UploadId></InitiateMultipartUploadResult>` };
    },

    UploadPart: (params, ctx) => {
      findBucket(params, ctx);
      const upload = findUpload(params, ctx);
      const number = params.optInt('partNumber') ?? 0;
      if (number < 1 || number > 10_000) throw new AwsError('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive', 400);
      const bytes = payload(ctx);
      checkDigests(ctx, bytes);
      const etag = `"${md5(bytes).toString('hex')}"`;
      const kept = Object.values(upload.parts).reduce((sum, part) => sum + part.size, 0) + bytes.length <= UPLOAD_KEEP_LIMIT;
      upload.parts[number] = { size: bytes.length, etag, ...(kept ? { content: bytes.toString('base64') } : {}) };
      if (!kept) for (const part of Object.values(upload.parts)) delete part.content;
      return { headers: { etag } };
    },

    CompleteMultipartUpload: (params, ctx) => {
      const bucket = findBucket(params, ctx);
      const upload = findUpload(params, ctx);
      const listed = listedParts(ctx.request.body.toString('utf8'));
      if (listed.length === 0) throw new AwsError('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
      listed.forEach((part, index) => {
        if (index > 0 && part.number <= (listed[index - 1]?.number ?? 0)) throw new AwsError('InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.', 400);
        const stored = upload.parts[part.number];
        if (stored === undefined || stored.etag !== part.etag) {
          throw new AwsError('InvalidPart', "One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", 400);
        }
        if (index < listed.length - 1 && stored.size < MIN_PART_SIZE) throw new AwsError('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed object size.', 400);
      });
      const parts = listed.map((part) => upload.parts[part.number] as NonNullable<(typeof upload.parts)[number]>);
      const digests = Buffer.concat(parts.map((part) => Buffer.from(part.etag.replaceAll('"', ''), 'hex')));
      const size = parts.reduce((sum, part) => sum + part.size, 0);
      const whole = parts.every((part) => part.content !== undefined) ? Buffer.concat(parts.map((part) => Buffer.from(part.content ?? '', 'base64'))) : undefined;
      const object = store(bucket, ctx, {
        key: upload.key,
        size,
        etag: `"${md5(digests).toString('hex')}-${parts.length}"`,
        contentType: upload.contentType,
        metadata: { ...upload.metadata },
        ...(whole === undefined ? { contentDropped: true } : { content: whole.toString('base64') }),
      });
      delete ctx.state.s3.uploads[upload.uploadId];
      const location = `http://${header(ctx, 'host') ?? 'localhost'}/${bucket.name}/${upload.key}`;
      return {
        headers: versionHeader(object),
        xml: `<CompleteMultipartUploadResult xmlns="${XMLNS}"><Location>${escapeXml(location)}</Location><Bucket>${escapeXml(bucket.name)}</Bucket><Key>${escapeXml(upload.key)}</Key><ETag>${escapeXml(object.etag)}</ETag></CompleteMultipartUploadResult>`,
      };
    },

    AbortMultipartUpload: (params, ctx) => {
      findBucket(params, ctx);
      const upload = findUpload(params, ctx);
      delete ctx.state.s3.uploads[upload.uploadId];
      return { status: 204 };
    },
  };
}

/** An object's bytes: uploaded content, or the seeded text. */
export function objectBytes(object: ObjectRecord): Buffer {
  return object.content === undefined ? Buffer.from(object.body, 'utf8') : Buffer.from(object.content, 'base64');
}
