// The part of @aws-sdk/client-s3 cd-wizard calls (see ../clients.ts for why it is not the whole package).
export {
  S3Client,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketEncryptionCommand,
  PutBucketTaggingCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
// Its types all stay available; only the values above are bundled.
export type * from '@aws-sdk/client-s3';
