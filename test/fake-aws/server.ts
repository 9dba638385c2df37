/**
 * The loopback HTTP server: routes each request by its SigV4 credential scope to a service, applies faults,
 * runs the operation against the in-memory state, logs the call, and serves the `/__fake/` control API.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsError } from './errors.js';
import { FaultController, type Faults, type FaultsInput } from './faults.js';
import { Clock, Ids, requestId as newRequestId } from './random.js';
import { applySeed, type Seed } from './seed.js';
import { isServiceName, type FakeRequest, type FakeResponse, type HandlerContext, type ServiceDef, type ServiceName } from './service.js';
import { autoScalingService } from './services/autoscaling.js';
import { codeDeployService } from './services/codedeploy.js';
import { ec2Service } from './services/ec2.js';
import { iamService } from './services/iam.js';
import { s3Service } from './services/s3.js';
import { ssmService } from './services/ssm.js';
import { stsService } from './services/sts.js';
import { checkSignature, parseAuthorization } from './sigv4.js';
import { DEFAULT_ACCOUNT, DEFAULT_CALLER_ARN, emptyState, type FakeState } from './state.js';

export interface FakeAwsOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  /** The region seeded resources live in (instances' zones, buckets). Default us-east-1. */
  region?: string;
  account?: string;
  /** The caller GetCallerIdentity reports; `<account>` is replaced. Default a user, cd-wizard-tester. */
  callerArn?: string;
  /** What exists at start, and again after reset(). */
  seed?: Seed;
  /** Faults at start, and again after reset(). */
  faults?: FaultsInput;
  /**
   * Access key ID → secret key the fake verifies SigV4 signatures with (default `{test: 'test'}`); an unknown
   * key gets the service's invalid-token error. `'any'` accepts any well-formed signature unchecked.
   */
  credentials?: Record<string, string> | 'any';
  /** Seeds the ID generator, so resource IDs repeat between runs. Default 1. */
  idSeed?: number;
  /** Print one line per call (`true`: to stderr). */
  log?: boolean | ((line: string) => void);
}

export interface CallRecord {
  /** Position in the log, from 0. */
  seq: number;
  service: string;
  action: string;
  /** The request's parameters, parsed (nested for query protocols, the JSON body for JSON ones). */
  params: unknown;
  /** The HTTP status answered; 0 while in flight and for a dropped connection. */
  status: number;
  errorCode?: string;
  errorMessage?: string;
  /** The fake clock when the call arrived (epoch ms). */
  at: number;
  durationMs?: number;
  region?: string;
  requestId: string;
  /** The connection was destroyed without an answer (dropConnectionAfter). */
  dropped?: boolean;
}

export interface FakeAws {
  /** The endpoint URL to give clients and the CLI (`--endpoint-url`, `AWS_ENDPOINT_URL`). */
  readonly url: string;
  /** The live state (replaced by reset()). */
  readonly state: FakeState;
  /** Every AWS call, in arrival order. The control API is not logged. */
  readonly calls: readonly CallRecord[];
  readonly faults: Readonly<Faults>;
  /** Calls whose action is not Get/List/Describe/Head/BatchGet/Simulate. */
  mutatingCalls(): CallRecord[];
  callsTo(service: ServiceName, action?: string): CallRecord[];
  clearCalls(): void;
  /** Merges into the current faults. */
  setFaults(faults: FaultsInput): void;
  /** Adds to the current state. */
  seed(seed: Seed): void;
  /** Back to the start: state from the start seed, start faults, empty call log, clock offset 0. */
  reset(): void;
  /** The fake clock (epoch ms). */
  now(): number;
  /** Moves the fake clock forward (IAM propagation, deployment and command durations follow it). */
  advanceClock(ms: number): number;
  /** Environment for a child process (the CLI) to talk to this fake with matching credentials. */
  env(): Record<string, string>;
  /** Config for an SDK client in this process (add `forcePathStyle: true` for S3). */
  clientConfig(): { endpoint: string; region: string; credentials: { accessKeyId: string; secretAccessKey: string } };
  close(): Promise<void>;
}

const READ_ONLY = /^(Get|List|Describe|Head|BatchGet|Simulate)/;

export function isMutatingAction(action: string): boolean {
  return !READ_ONLY.test(action);
}

function allServices(): Map<string, ServiceDef> {
  const services = [stsService(), iamService(), ec2Service(), autoScalingService(), codeDeployService(), s3Service(), ssmService()];
  return new Map(services.map((service) => [service.name, service]));
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function send(response: ServerResponse, answer: FakeResponse): void {
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body, 'utf8') : answer.body;
  const headers: Record<string, string> = { ...answer.headers };
  headers['content-length'] ??= String(body.length);
  response.writeHead(answer.status, headers);
  response.end(body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value, null, 2) });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** An answer for a request no service claims (no or unknown credential scope), shaped by what it looks like. */
function unroutable(request: FakeRequest, error: AwsError, requestId: string): FakeResponse {
  if (String(request.headers['content-type'] ?? '').includes('json')) {
    return { status: error.status, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ __type: error.code, message: error.message }) };
  }
  const body = `<ErrorResponse><Error><Type>Sender</Type><Code>${error.code}</Code><Message>${error.message}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
  return { status: error.status, headers: { 'content-type': 'text/xml' }, body };
}

export async function startFakeAws(options: FakeAwsOptions = {}): Promise<FakeAws> {
  const region = options.region ?? 'us-east-1';
  const credentials = options.credentials ?? { test: 'test' };
  const services = allServices();
  const clock = new Clock();
  const faults = new FaultController();
  const calls: CallRecord[] = [];
  let ids = new Ids(options.idSeed ?? 1);
  let state = emptyState(options.account ?? DEFAULT_ACCOUNT, options.callerArn ?? DEFAULT_CALLER_ARN);
  const log = options.log === true ? (line: string) => process.stderr.write(`${line}\n`) : options.log === false ? undefined : options.log;

  const firstCredentials = (): [string, string] => (credentials === 'any' ? ['test', 'test'] : (Object.entries(credentials)[0] ?? ['test', 'test']));

  const resetAll = (): void => {
    clock.reset();
    ids = new Ids(options.idSeed ?? 1);
    state = emptyState(options.account ?? DEFAULT_ACCOUNT, options.callerArn ?? DEFAULT_CALLER_ARN);
    if (options.seed !== undefined) applySeed(state, options.seed, ids, clock.now(), region);
    faults.reset(options.faults ?? {});
    calls.length = 0;
  };
  resetAll();

  async function handleAws(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const started = Date.now();
    const requestId = newRequestId();
    const fake: FakeRequest = { method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: request.headers, body: await readBody(request) };
    const auth = parseAuthorization(typeof request.headers.authorization === 'string' ? request.headers.authorization : undefined);
    const service = auth !== undefined && isServiceName(auth.service) ? services.get(auth.service) : undefined;
    const record: CallRecord = { seq: calls.length, service: auth?.service ?? 'unknown', action: 'unknown', params: {}, status: 0, at: clock.now(), requestId };
    if (auth !== undefined) record.region = auth.region;
    calls.push(record);

    const finish = async (answer: FakeResponse, error?: AwsError): Promise<void> => {
      record.status = answer.status;
      if (error !== undefined) {
        record.errorCode = error.code;
        record.errorMessage = error.message;
      }
      const delay = service === undefined ? faults.faults.latencyMs : faults.latencyFor(service.name);
      if (delay > 0) await sleep(delay);
      record.durationMs = Date.now() - started;
      log?.(`${record.service} ${record.action} ${record.status}${error === undefined ? '' : ` ${error.code}`}`);
      send(response, answer);
    };

    if (service === undefined || auth === undefined) {
      const error = auth === undefined
        ? new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403)
        : new AwsError('UnknownService', `The fake does not implement the service "${auth.service}".`, 400);
      await finish(unroutable(fake, error, requestId), error);
      return;
    }
    let action = 'unknown';
    try {
      const decoded = service.decode(fake);
      action = decoded.action;
      record.action = action;
      record.params = decoded.params.raw;
      if (faults.takeDrop(record.seq)) {
        record.dropped = true;
        log?.(`${service.name} ${action} dropped`);
        request.socket.destroy();
        return;
      }
      if (credentials !== 'any') {
        const secret = Object.hasOwn(credentials, auth.accessKeyId) ? credentials[auth.accessKeyId] : undefined;
        if (secret === undefined) throw service.errors.unknownAccessKey();
        if (checkSignature(fake, auth, secret) !== 'ok') throw service.errors.signatureMismatch();
      }
      if (faults.shouldThrottle(service.name)) throw service.errors.throttling();
      const injected = faults.takeInjectedError(service.name, action);
      if (injected !== undefined) throw new AwsError(injected.code, injected.message ?? `Injected ${injected.code}`, injected.status ?? 400);
      const ctx: HandlerContext = { state, now: () => clock.now(), region: auth.region, requestId, ids, faults: faults.faults, request: fake };
      await finish(service.run(action, decoded.params, ctx));
    } catch (caught) {
      const error = caught instanceof AwsError ? caught : internalError(caught, service.name, action);
      await finish(service.encodeError(error, requestId, fake), error);
    }
  }

  function internalError(caught: unknown, service: string, action: string): AwsError {
    const message = caught instanceof Error ? (caught.stack ?? caught.message) : String(caught);
    process.stderr.write(`fake-aws: ${service} ${action} crashed: ${message}\n`);
    // S3 and EC2 call it InternalError; the query and JSON services InternalFailure.
    const code = service === 's3' || service === 'ec2' ? 'InternalError' : 'InternalFailure';
    return new AwsError(code, `The fake crashed handling ${action}: ${caught instanceof Error ? caught.message : String(caught)}`, 500);
  }

  async function handleControl(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const route = `${request.method ?? 'GET'} ${url.pathname.replace(/\/$/, '')}`;
    const bodyText = (await readBody(request)).toString('utf8');
    const body: unknown = bodyText.trim() === '' ? {} : JSON.parse(bodyText);
    switch (route) {
      case 'GET /__fake':
        return sendJson(response, 200, { url: fakeAws.url, endpoints: ['GET /__fake/calls', 'DELETE /__fake/calls', 'GET /__fake/state', 'POST /__fake/seed', 'GET /__fake/faults', 'POST /__fake/faults', 'POST /__fake/reset', 'POST /__fake/clock'] });
      case 'GET /__fake/calls': {
        const service = url.searchParams.get('service');
        const action = url.searchParams.get('action');
        const mutating = url.searchParams.get('mutating');
        return sendJson(
          response,
          200,
          calls.filter((c) => (service === null || c.service === service) && (action === null || c.action === action) && (mutating === null || isMutatingAction(c.action) === (mutating !== '0' && mutating !== 'false'))),
        );
      }
      case 'DELETE /__fake/calls':
        calls.length = 0;
        return sendJson(response, 200, { ok: true });
      case 'GET /__fake/state':
        return sendJson(response, 200, state);
      case 'POST /__fake/seed':
        fakeAws.seed(body as Seed);
        return sendJson(response, 200, { ok: true });
      case 'GET /__fake/faults':
        return sendJson(response, 200, faults.faults);
      case 'POST /__fake/faults':
        fakeAws.setFaults(body as FaultsInput);
        return sendJson(response, 200, faults.faults);
      case 'POST /__fake/reset':
        resetAll();
        return sendJson(response, 200, { ok: true });
      case 'POST /__fake/clock': {
        const advanceMs = (body as { advanceMs?: unknown }).advanceMs;
        if (typeof advanceMs !== 'number' || advanceMs < 0) return sendJson(response, 400, { error: 'Send {"advanceMs": <milliseconds, 0 or more>}.' });
        return sendJson(response, 200, { now: clock.advance(advanceMs) });
      }
      default:
        return sendJson(response, 404, { error: `No control endpoint ${route}. GET /__fake lists them.` });
    }
  }

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://fake-aws.invalid');
    const handler = url.pathname === '/__fake' || url.pathname.startsWith('/__fake/') ? handleControl : handleAws;
    handler(request, response, url).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 400, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  // Keep-alive sockets from SDK clients would otherwise hold close() open.
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const fakeAws: FakeAws = {
    url: `http://${host}:${address.port}`,
    get state() {
      return state;
    },
    calls,
    get faults() {
      return faults.faults;
    },
    mutatingCalls: () => calls.filter((call) => isMutatingAction(call.action)),
    callsTo: (service, action) => calls.filter((call) => call.service === service && (action === undefined || call.action === action)),
    clearCalls: () => {
      calls.length = 0;
    },
    setFaults: (input) => faults.set(input, calls.length),
    seed: (seed) => applySeed(state, seed, ids, clock.now(), region),
    reset: resetAll,
    now: () => clock.now(),
    advanceClock: (ms) => clock.advance(ms),
    clientConfig: () => {
      const [accessKeyId, secretAccessKey] = firstCredentials();
      return { endpoint: fakeAws.url, region, credentials: { accessKeyId, secretAccessKey } };
    },
    env: () => {
      const [accessKeyId, secretAccessKey] = firstCredentials();
      const nowhere = join(tmpdir(), 'fake-aws-no-such-aws-config');
      return {
        AWS_ENDPOINT_URL: fakeAws.url,
        AWS_ACCESS_KEY_ID: accessKeyId,
        AWS_SECRET_ACCESS_KEY: secretAccessKey,
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
        AWS_CONFIG_FILE: nowhere,
        AWS_SHARED_CREDENTIALS_FILE: nowhere,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      };
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error === undefined ? resolve() : reject(error)));
        server.closeAllConnections();
      }),
  };
  return fakeAws;
}
