import type { S3Handle, S3Sdk } from '../clients.js';
import { AwsError, isAwsCode } from '../errors.js';
import { call } from './call.js';

/** Where a bucket is: found in a region, missing, or unknown (the reason in words). */
export type BucketLocation = { status: 'found'; region: string } | { status: 'missing' } | { status: 'unknown'; reason: string };

export interface S3Port {
  bucketLocation(bucket: string): Promise<BucketLocation>;
  /**
   * Creates a private bucket in `region` (public access blocked, SSE-S3 default encryption) with tags. When it
   * turns out to exist already (made since setup looked), returns created=false and leaves it as it is.
   */
  createBucket(input: { name: string; region: string; tags: Record<string, string> }): Promise<{ created: boolean }>;
  /** The account's bucket names, for pick lists. */
  listBuckets(): Promise<string[]>;
}

/** GetBucketLocation's legacy answers: empty means us-east-1, EU means eu-west-1. */
export function normaliseLocation(constraint: string | undefined): string {
  if (constraint === undefined || constraint === '' || constraint === 'null') return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

export function createS3Port(load: () => Promise<S3Handle>): S3Port {
  const run = async <T>(operation: string, send: (h: S3Handle) => Promise<T>): Promise<T> => {
    const h = await load();
    return call(h.target, { service: 'S3', operation }, () => send(h));
  };
  const port: S3Port = {
    async createBucket({ name, region, tags }) {
      // Setup plans a bucket only when it found none, but one can appear before the plan is applied. Everywhere but
      // us-east-1, S3 answers BucketAlreadyOwnedByYou then; us-east-1 answers 200 OK (legacy), so look there first,
      // or setup would take your bucket for its own, tag it and later offer to delete it. A bucket it may not look at
      // (someone else's) is left to CreateBucket to report.
      if (region === 'us-east-1' && (await port.bucketLocation(name)).status === 'found') return { created: false };
      try {
        await run('CreateBucket', (h) =>
          h.client.send(new h.sdk.CreateBucketCommand({ Bucket: name, ...(region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: region as S3Sdk.BucketLocationConstraint } }) })),
        );
      } catch (error) {
        // Not ours to change: it is reused as it is. A bucket someone else owns is a real error (BucketAlreadyExists).
        if (isAwsCode(error, 'BucketAlreadyOwnedByYou')) return { created: false };
        throw error;
      }
      await run('PutPublicAccessBlock', (h) =>
        h.client.send(
          new h.sdk.PutPublicAccessBlockCommand({
            Bucket: name,
            PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
          }),
        ),
      );
      await run('PutBucketEncryption', (h) =>
        h.client.send(
          new h.sdk.PutBucketEncryptionCommand({
            Bucket: name,
            ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          }),
        ),
      );
      if (Object.keys(tags).length > 0) {
        await run('PutBucketTagging', (h) => h.client.send(new h.sdk.PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) } })));
      }
      return { created: true };
    },

    async listBuckets() {
      const out = await run('ListBuckets', (h) => h.client.send(new h.sdk.ListBucketsCommand({})));
      return (out.Buckets ?? []).flatMap((bucket) => (bucket.Name ? [bucket.Name] : []));
    },

    async bucketLocation(bucket) {
      let h: S3Handle;
      try {
        h = await load();
      } catch (error) {
        return { status: 'unknown', reason: error instanceof Error ? error.message : String(error) };
      }
      try {
        const head = await call(h.target, { service: 'S3', operation: 'HeadBucket' }, () => h.client.send(new h.sdk.HeadBucketCommand({ Bucket: bucket })));
        if (head.BucketRegion) return { status: 'found', region: head.BucketRegion };
        const location = await call(h.target, { service: 'S3', operation: 'GetBucketLocation' }, () =>
          h.client.send(new h.sdk.GetBucketLocationCommand({ Bucket: bucket })),
        );
        return { status: 'found', region: normaliseLocation(location.LocationConstraint) };
      } catch (error) {
        if (isAwsCode(error, 'NotFound', 'NoSuchBucket')) return { status: 'missing' };
        if (error instanceof AwsError && error.kind === 'credentials') throw error;
        return { status: 'unknown', reason: error instanceof AwsError ? error.message : String(error) };
      }
    },
  };
  return port;
}
