import type { S3Handle } from '../clients.js';
import { AwsError, isAwsCode } from '../errors.js';
import { call } from './call.js';

/** Where the revision bucket is. Only advisory: setup does not create buckets and goes on when it cannot tell. */
export type BucketLocation = { status: 'found'; region: string } | { status: 'missing' } | { status: 'unknown'; reason: string };

export interface S3Port {
  bucketLocation(bucket: string): Promise<BucketLocation>;
}

/** GetBucketLocation's legacy answers: empty means us-east-1, EU means eu-west-1. */
export function normaliseLocation(constraint: string | undefined): string {
  if (constraint === undefined || constraint === '' || constraint === 'null') return 'us-east-1';
  if (constraint === 'EU') return 'eu-west-1';
  return constraint;
}

export function createS3Port(load: () => Promise<S3Handle>): S3Port {
  return {
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
}
