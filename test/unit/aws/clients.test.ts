import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createAwsClients, resolveRegion } from '../../../src/aws/clients.js';
import { createAwsPorts } from '../../../src/aws/ports/index.js';
import { UserError } from '../../../src/errors.js';

/** A loopback STS/S3 that records requests; `replies` are served in order (the last one repeats). */
interface Seen {
  method: string;
  url: string;
  authorization: string;
  body: string;
}
let server: Server;
let endpoint: string;
const seen: Seen[] = [];
let replies: Array<{ status: number; body: string; headers?: Record<string, string> }> = [];

const IDENTITY = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/bob</Arn><UserId>AIDA</UserId><Account>123456789012</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>`;
const THROTTLED = `<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>2</RequestId></ErrorResponse>`;

async function bodyOf(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
}

beforeAll(async () => {
  server = createServer(async (request, response) => {
    seen.push({ method: request.method ?? '', url: request.url ?? '', authorization: String(request.headers.authorization ?? ''), body: await bodyOf(request) });
    const reply = replies.length > 1 ? replies.shift() : replies[0];
    response.writeHead(reply?.status ?? 500, { 'content-type': 'text/xml', ...reply?.headers });
    response.end(reply?.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const saved = { ...process.env };
beforeEach(() => {
  seen.length = 0;
  for (const key of Object.keys(process.env)) if (key.startsWith('AWS_')) delete process.env[key];
  process.env.AWS_ACCESS_KEY_ID = 'AKIDTEST';
  process.env.AWS_SECRET_ACCESS_KEY = 'secret';
  process.env.AWS_CONFIG_FILE = '/nonexistent/config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/credentials';
});
afterEach(() => {
  process.env = { ...saved };
});

describe('AWS clients', () => {
  it('send every call to --endpoint-url, signed for the region', async () => {
    replies = [{ status: 200, body: IDENTITY }];
    const ports = createAwsPorts(createAwsClients({ region: 'eu-west-1', endpointUrl: endpoint, env: process.env }));
    expect(await ports.identity.whoAmI()).toEqual({ account: '123456789012', arn: 'arn:aws:iam::123456789012:user/bob', partition: 'aws' });
    expect(seen[0]?.body).toContain('Action=GetCallerIdentity');
    expect(seen[0]?.authorization).toContain('/eu-west-1/sts/aws4_request');
  });

  it('honour AWS_ENDPOINT_URL when no flag is given', async () => {
    replies = [{ status: 200, body: IDENTITY }];
    process.env.AWS_ENDPOINT_URL = endpoint;
    const ports = createAwsPorts(createAwsClients({ region: 'eu-west-1', env: process.env }));
    await ports.identity.whoAmI();
    expect(seen).toHaveLength(1);
  });

  it('absorb throttling with retries', async () => {
    replies = [
      { status: 400, body: THROTTLED },
      { status: 400, body: THROTTLED },
      { status: 200, body: IDENTITY },
    ];
    const ports = createAwsPorts(createAwsClients({ region: 'eu-west-1', endpointUrl: endpoint, env: process.env }));
    expect((await ports.identity.whoAmI()).account).toBe('123456789012');
    expect(seen).toHaveLength(3);
  });

  it('use path-style S3 URLs when the endpoint is overridden', async () => {
    replies = [{ status: 200, body: '', headers: { 'x-amz-bucket-region': 'eu-west-1' } }];
    const clients = createAwsClients({ region: 'eu-west-1', endpointUrl: endpoint, env: process.env });
    expect(await createAwsPorts(clients).s3.bucketLocation('my-revisions')).toEqual({ status: 'found', region: 'eu-west-1' });
    expect(seen[0]).toMatchObject({ method: 'HEAD', url: '/my-revisions/' });
  });

  it('say which endpoint could not be reached', async () => {
    process.env.AWS_MAX_ATTEMPTS = '1';
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const ports = createAwsPorts(createAwsClients({ region: 'eu-west-1', endpointUrl: url, env: process.env }));
    const error = await ports.identity.whoAmI().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe(`Cannot reach STS at ${url} (from --endpoint-url): connection refused.`);
  });
});

describe('resolveRegion', () => {
  it('prefers the flag, then AWS_REGION, then AWS_DEFAULT_REGION', async () => {
    expect(await resolveRegion({ region: 'eu-west-2' }, { AWS_REGION: 'us-east-1' })).toEqual({ region: 'eu-west-2', source: '--region' });
    expect(await resolveRegion({}, { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' })).toEqual({ region: 'us-east-1', source: 'AWS_REGION' });
    expect(await resolveRegion({}, { AWS_DEFAULT_REGION: 'us-west-2' })).toEqual({ region: 'us-west-2', source: 'AWS_DEFAULT_REGION' });
  });

  it('reads the profile’s region through the SDK', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdw-config-'));
    writeFileSync(join(dir, 'config'), '[profile dev]\nregion = ap-south-1\n');
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    expect(await resolveRegion({ profile: 'dev' }, {})).toEqual({ region: 'ap-south-1', source: 'profile' });
  });

  it('fails with the next step when there is none, and with "did you mean" for a typo', async () => {
    const none = await resolveRegion({ profile: 'dev' }, {}).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(UserError);
    expect((none as UserError).message).toBe('No AWS region is set.');
    expect((none as UserError).hint).toContain('aws configure set region eu-west-1 --profile dev');
    const typo = await resolveRegion({}, { AWS_REGION: 'eu-wset-1' }).catch((e: unknown) => e);
    expect((typo as UserError).message).toBe('Region from AWS_REGION: "eu-wset-1" is not an AWS region cd-wizard knows; did you mean eu-west-1?');
  });
});
