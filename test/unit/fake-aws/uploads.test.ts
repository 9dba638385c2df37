// The fake AWS's operations for `deploy`: S3 uploads (single and multipart) and RegisterApplicationRevision, driven
// through cd-wizard's own revisions port (the real SDK and lib-storage), and CreateDeployment's seeded traps.
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { CodeDeployClient, CreateDeploymentCommand, GetDeploymentCommand, BatchGetDeploymentTargetsCommand } from '@aws-sdk/client-codedeploy';
import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClients } from '../../../src/aws/clients.js';
import { createAwsPorts, type AwsPorts } from '../../../src/aws/ports/index.js';
import { UPLOAD_METADATA, isUploadedByCdWizard } from '../../../src/codedeploy/revisions.js';
import { startFakeAws, type FakeAws } from '../../fake-aws/index.js';
import { APP, BUCKET, GROUP, INSTANCES, baseSeed, trapOutcome } from '../../fake-aws/scenarios.js';
import { rejection } from '../../fake-aws/testing.js';

let aws: FakeAws;
let ports: AwsPorts;
const saved = { ...process.env };

beforeAll(async () => {
  aws = await startFakeAws({ seed: baseSeed({ deployment: null }) });
  // The ports read credentials the SDK's way (the environment); the endpoint comes from the flag.
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  ports = createAwsPorts(createAwsClients({ region: 'us-east-1', endpointUrl: aws.url, env: process.env }));
});
afterAll(async () => {
  process.env = saved;
  await aws.close();
});
afterEach(() => {
  aws.reset();
});

const MIB = 1024 * 1024;
const md5 = (bytes: Buffer) => createHash('md5').update(bytes).digest();
/** Bytes without a pattern (a linear congruential sequence): a multipart ETag then depends on every byte. */
function bytes(size: number): Buffer {
  const out = Buffer.alloc(size + 4);
  for (let at = 0, x = size; at < size; at += 4) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out.writeUInt32LE(x, at);
  }
  return out.subarray(0, size);
}
/** A stream of unknown length, as a zip being written is. */
const streamOf = (data: Buffer) => Readable.from([data.subarray(0, data.length >> 1), data.subarray(data.length >> 1)]);
const stored = (key: string) => aws.state.s3.buckets[BUCKET]?.objects[key];

describe('uploading a bundle', () => {
  it('a body shorter than a part is one PutObject; the ETag is its MD5 and the bytes are kept', async () => {
    const data = bytes(100_000);
    const sent: number[] = [];
    const object = await ports.revisions.upload({ bucket: BUCKET, key: 'shop/small.zip', body: streamOf(data), partSize: 5 * MIB, queueSize: 2, onProgress: (n) => sent.push(n) });
    expect(object).toEqual({ bucket: BUCKET, key: 'shop/small.zip', eTag: md5(data).toString('hex') });
    expect(aws.mutatingCalls().map((call) => call.action)).toEqual(['PutObject']);
    expect(Buffer.from(stored('shop/small.zip')?.content ?? '', 'base64').equals(data)).toBe(true);
    expect(sent.at(-1)).toBe(data.length);
  });

  it('keeps the user metadata of a PutObject and of a multipart upload; HeadObject answers it as teardown reads it', async () => {
    const metadata = { ...UPLOAD_METADATA, 'Build-Id': '42' };
    await ports.revisions.upload({ bucket: BUCKET, key: 'shop/small.zip', body: streamOf(bytes(1000)), metadata, partSize: 5 * MIB, queueSize: 2 });
    await ports.revisions.upload({ bucket: BUCKET, key: 'shop/big.zip', body: streamOf(bytes(6 * MIB)), metadata, partSize: 5 * MIB, queueSize: 2 });
    await ports.revisions.upload({ bucket: BUCKET, key: 'shop/plain.zip', body: streamOf(bytes(1000)), partSize: 5 * MIB, queueSize: 2 });
    expect(aws.mutatingCalls().map((call) => call.action)).toContain('CompleteMultipartUpload');
    for (const key of ['shop/small.zip', 'shop/big.zip']) {
      expect(stored(key)?.metadata, key).toEqual({ 'managed-by': 'cd-wizard', 'build-id': '42' });
      const head = await ports.teardown.objectMetadata(BUCKET, key);
      expect(isUploadedByCdWizard({ key, metadata: head ?? {} }, 'shop'), key).toBe(true);
    }
    expect(stored('shop/plain.zip')?.metadata).toEqual({});
    expect(isUploadedByCdWizard({ key: 'shop/plain.zip', metadata: (await ports.teardown.objectMetadata(BUCKET, 'shop/plain.zip')) ?? {} }, 'shop')).toBe(false);
  });

  it('a longer one is a multipart upload; the ETag is S3\'s "MD5 of the part MD5s - parts", and no upload is left open', async () => {
    const data = bytes(11 * MIB);
    const object = await ports.revisions.upload({ bucket: BUCKET, key: 'shop/big.zip', body: streamOf(data), partSize: 5 * MIB, queueSize: 2 });
    const parts = [data.subarray(0, 5 * MIB), data.subarray(5 * MIB, 10 * MIB), data.subarray(10 * MIB)];
    expect(object.eTag).toBe(`${md5(Buffer.concat(parts.map(md5))).toString('hex')}-3`);
    expect(aws.mutatingCalls().map((call) => call.action).sort()).toEqual(['CompleteMultipartUpload', 'CreateMultipartUpload', 'UploadPart', 'UploadPart', 'UploadPart']);
    expect(stored('shop/big.zip')).toMatchObject({ size: data.length, etag: `"${object.eTag}"` });
    expect(Buffer.from(stored('shop/big.zip')?.content ?? '', 'base64').equals(data)).toBe(true);
    expect(aws.state.s3.uploads).toEqual({});
  });

  it('a stream that fails mid-way aborts the multipart upload in S3 and says what failed', async () => {
    async function* failing() {
      yield bytes(6 * MIB);
      throw new Error('Cannot read dist/app.jar while bundling');
    }
    const error = await ports.revisions.upload({ bucket: BUCKET, key: 'shop/broken.zip', body: Readable.from(failing()), partSize: 5 * MIB, queueSize: 1 }).catch((e: unknown) => e);
    expect(String(error)).toContain('dist/app.jar');
    expect(stored('shop/broken.zip')).toBeUndefined();
    expect(aws.state.s3.uploads).toEqual({});
  });

  it('a missing bucket is NoSuchBucket, translated', async () => {
    const error = await ports.revisions.upload({ bucket: 'nope-revisions', key: 'k.zip', body: streamOf(bytes(10)), partSize: 5 * MIB, queueSize: 1 }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/nope-revisions|bucket/i);
  });

  it('S3 refuses a part list with a wrong ETag or a small middle part', async () => {
    const s3 = new S3Client({ ...aws.clientConfig(), forcePathStyle: true, maxAttempts: 1 });
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: 'k.zip' }));
    const one = await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'k.zip', UploadId, PartNumber: 1, Body: bytes(1000) }));
    await s3.send(new UploadPartCommand({ Bucket: BUCKET, Key: 'k.zip', UploadId, PartNumber: 2, Body: bytes(10) }));
    const wrong = await rejection(s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'k.zip', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: '"0000"' }] } })));
    expect(wrong.name).toBe('InvalidPart');
    const small = await rejection(
      s3.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: 'k.zip', UploadId, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: one.ETag }, { PartNumber: 2, ETag: `"${md5(bytes(10)).toString('hex')}"` }] } })),
    );
    expect(small.name).toBe('EntityTooSmall');
    s3.destroy();
  });
});

describe('registering and deploying it', () => {
  it('RegisterApplicationRevision records the revision with its eTag; an unknown application is refused', async () => {
    await ports.revisions.register({ application: APP, revision: { bucket: BUCKET, key: 'shop/a.zip', bundleType: 'zip', eTag: 'abc' }, description: 'build 7' });
    expect(aws.state.codedeploy.revisions).toMatchObject([{ application: APP, description: 'build 7', revision: { revisionType: 'S3', s3Location: { bucket: BUCKET, key: 'shop/a.zip', bundleType: 'zip', eTag: 'abc' } } }]);
    const error = await ports.revisions.register({ application: 'nope', revision: { bucket: BUCKET, key: 'a.zip' } }).catch((e: unknown) => e);
    expect(String(error)).toMatch(/nope/);
  });

  it('a seeded trap fails the run as its scenario did; ApplicationStop failures are ignored when asked', async () => {
    const client = new CodeDeployClient({ ...aws.clientConfig(), maxAttempts: 1 });
    const revision = { revisionType: 'S3' as const, s3Location: { bucket: BUCKET, key: 'shop/a.zip', bundleType: 'zip' as const } };
    const run = async (ignoreApplicationStopFailures: boolean) => {
      const { deploymentId } = await client.send(new CreateDeploymentCommand({ applicationName: APP, deploymentGroupName: GROUP, revision, ignoreApplicationStopFailures }));
      const info = (await client.send(new GetDeploymentCommand({ deploymentId }))).deploymentInfo;
      const target = (await client.send(new BatchGetDeploymentTargetsCommand({ deploymentId, targetIds: [INSTANCES[0]] }))).deploymentTargets?.[0]?.instanceTarget;
      return { status: info?.status, failed: target?.lifecycleEvents?.find((event) => event.status === 'Failed') };
    };
    aws.seed({ codedeploy: { outcomes: [trapOutcome('script-failed')] } });
    const failed = await run(false);
    expect(failed.status).toBe('Failed');
    expect(failed.failed).toMatchObject({ lifecycleEventName: 'AfterInstall', diagnostics: { errorCode: 'ScriptFailed', scriptName: 'scripts/install_dependencies.sh', logTail: expect.stringContaining('npm ERR!') } });
    aws.reset();
    aws.seed({ codedeploy: { outcomes: [trapOutcome('application-stop-failing')] } });
    expect((await run(true)).status).toBe('Succeeded');
    client.destroy();
  });
});
