import type { Readable } from 'node:stream';
import type { CodeDeployHandle, S3Handle, StorageSdk } from '../clients.js';
import { call } from './call.js';
import type { S3Revision } from './deployments.js';

/**
 * Revisions as `deploy` pushes them (what `aws deploy push` does): the bundle streamed to S3 (one PutObject, or a
 * multipart upload above one part) and RegisterApplicationRevision with the object's ETag and version.
 */

export interface UploadInput {
  bucket: string;
  key: string;
  /** The bundle, read once; its length need not be known. */
  body: Readable;
  contentType?: string;
  /** User metadata put on the object (sent as `x-amz-meta-<name>`; on a multipart upload, with CreateMultipartUpload). */
  metadata?: Readonly<Record<string, string>>;
  /** Bytes per part; a body shorter than one part is a single PutObject. */
  partSize: number;
  /** Parts uploaded at once (at most partSize × queueSize bytes are held in memory). */
  queueSize: number;
  /** Bytes sent so far. */
  onProgress?: (sent: number) => void;
  /** Aborts the upload (a multipart upload is aborted in S3 too). */
  signal?: AbortSignal;
}

export interface UploadedObject {
  bucket: string;
  key: string;
  /** The ETag without its quotes: an MD5 for one part, "<md5 of the parts' MD5s>-<parts>" for multipart. */
  eTag: string;
  versionId?: string;
}

export interface RegisterInput {
  application: string;
  revision: S3Revision;
  description?: string;
}

export interface RevisionsPort {
  upload(input: UploadInput): Promise<UploadedObject>;
  register(input: RegisterInput): Promise<void>;
}

/** S3 answers ETags in quotes; CodeDeploy's eTag field takes the bare value. */
export function bareETag(eTag: string | undefined): string {
  return (eTag ?? '').replaceAll('"', '');
}

export function createRevisionsPort(loaders: { s3: () => Promise<S3Handle>; codeDeploy: () => Promise<CodeDeployHandle>; storage: () => Promise<typeof StorageSdk> }): RevisionsPort {
  return {
    async upload(input) {
      const [h, storage] = await Promise.all([loaders.s3(), loaders.storage()]);
      const upload = new storage.Upload({
        client: h.client,
        params: { Bucket: input.bucket, Key: input.key, Body: input.body, ContentType: input.contentType ?? 'application/zip', ...(input.metadata ? { Metadata: { ...input.metadata } } : {}) },
        partSize: input.partSize,
        queueSize: input.queueSize,
        // A failed multipart upload is aborted, so no parts are left behind to pay for.
        leavePartsOnError: false,
      });
      if (input.onProgress) {
        const report = input.onProgress;
        upload.on('httpUploadProgress', (progress) => {
          if (progress.loaded !== undefined) report(progress.loaded);
        });
      }
      const abort = () => void upload.abort().catch(() => undefined);
      input.signal?.addEventListener('abort', abort, { once: true });
      try {
        const out = await call(h.target, { service: 'S3', operation: 'PutObject' }, () => upload.done(), { replayable: false });
        const versionId = 'VersionId' in out ? out.VersionId : undefined;
        return { bucket: input.bucket, key: input.key, eTag: bareETag(out.ETag), ...(versionId ? { versionId } : {}) };
      } finally {
        input.signal?.removeEventListener('abort', abort);
      }
    },

    async register(input) {
      const h = await loaders.codeDeploy();
      const s3 = input.revision;
      await call(h.target, { service: 'CodeDeploy', operation: 'RegisterApplicationRevision' }, () =>
        h.client.send(
          new h.sdk.RegisterApplicationRevisionCommand({
            applicationName: input.application,
            revision: {
              revisionType: 'S3',
              s3Location: {
                bucket: s3.bucket,
                key: s3.key,
                bundleType: (s3.bundleType ?? 'zip') as 'zip',
                ...(s3.eTag ? { eTag: s3.eTag } : {}),
                ...(s3.version ? { version: s3.version } : {}),
              },
            },
            ...(input.description === undefined ? {} : { description: input.description }),
          }),
        ),
      );
    },
  };
}
