/**
 * The only module that loads @aws-sdk/* at run time. Each client is imported with `await import()` on first
 * use, so `--help` never pays for the SDK and a command loads only the services it calls. What is imported is
 * sdk/<service>.ts, which names the client and the commands cd-wizard sends: the bundle then carries those
 * commands' code and schemas only (with scripts/sdk-schemas.mjs), not the whole service (the full EC2 module is
 * about 1 MB, compiled on every run that calls EC2). Ports (ports/*.ts) use `import type` only and receive the
 * loaded module through a Handle; a command missing from sdk/<service>.ts is a type error there.
 */
import type * as AutoScalingSdk from './sdk/auto-scaling.js';
import type * as CodeDeploySdk from './sdk/codedeploy.js';
import type * as Ec2Sdk from './sdk/ec2.js';
import type * as IamSdk from './sdk/iam.js';
import type * as S3Sdk from './sdk/s3.js';
import type * as SsmSdk from './sdk/ssm.js';
import type * as StsSdk from './sdk/sts.js';
import type * as StorageSdk from '@aws-sdk/lib-storage';
import { UserError } from '../errors.js';
import { regionHint, type CallTarget } from './errors.js';
import { unknownRegionProblem } from './regions.js';

export type { AutoScalingSdk, CodeDeploySdk, Ec2Sdk, IamSdk, S3Sdk, SsmSdk, StorageSdk, StsSdk };

/** What the global flags say about where to call AWS. */
export interface AwsTarget {
  region?: string;
  profile?: string;
  endpointUrl?: string;
}

/** A loaded SDK module, one client built from it, and where the client calls (for error messages). */
export interface Handle<Sdk, Client> {
  readonly sdk: Sdk;
  readonly client: Client;
  readonly target: CallTarget;
}

export type StsHandle = Handle<typeof StsSdk, StsSdk.STSClient>;
export type IamHandle = Handle<typeof IamSdk, IamSdk.IAMClient>;
export type Ec2Handle = Handle<typeof Ec2Sdk, Ec2Sdk.EC2Client>;
export type AutoScalingHandle = Handle<typeof AutoScalingSdk, AutoScalingSdk.AutoScalingClient>;
export type CodeDeployHandle = Handle<typeof CodeDeploySdk, CodeDeploySdk.CodeDeployClient>;
export type S3Handle = Handle<typeof S3Sdk, S3Sdk.S3Client>;
export type SsmHandle = Handle<typeof SsmSdk, SsmSdk.SSMClient>;

export interface AwsClients {
  readonly target: CallTarget;
  sts(): Promise<StsHandle>;
  iam(): Promise<IamHandle>;
  ec2(): Promise<Ec2Handle>;
  autoScaling(): Promise<AutoScalingHandle>;
  codeDeploy(): Promise<CodeDeployHandle>;
  s3(): Promise<S3Handle>;
  ssm(): Promise<SsmHandle>;
  /** @aws-sdk/lib-storage (multipart uploads on the S3 client), loaded on first use. */
  storage(): Promise<typeof StorageSdk>;
}

/** The SDK clients by name, as AwsClients builds them. */
export type ClientName = 'sts' | 'iam' | 'ec2' | 'autoScaling' | 'codeDeploy' | 's3' | 'ssm';

/**
 * Loads these clients now, one after the other in this order (compiling a client's module holds the one thread, so
 * loading them all at once would only delay the first), so each compiles while the calls of the ones before it are
 * out rather than on the critical path when first called. A
 * load that fails is left to the call that needs the client: it loads again and reports the error there.
 */
export function preloadClients(clients: AwsClients, names: readonly ClientName[]): void {
  void names.reduce<Promise<unknown>>((before, name) => before.then((): Promise<unknown> => clients[name]()).catch(() => undefined), Promise.resolve());
}

/**
 * The SDK's quick attempts per call (its default); adaptive mode also slows the client down when AWS starts
 * throttling. Throttling that outlasts them is waited out within a time budget by ports/call.ts (see throttle.ts).
 */
export const DEFAULT_MAX_ATTEMPTS = 3;

function quietSdk(): void {
  // The SDK warns on Node 20 through process.emitWarning (it reads process.env), which would garble prompts
  // and progress. Set before the first client is built.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
}

/** The configuration every client gets. AWS_ENDPOINT_URL* and AWS_RETRY_MODE/AWS_MAX_ATTEMPTS keep working. */
export function clientConfig(target: CallTarget) {
  const env = target.env;
  return {
    region: target.region,
    ...(target.profile === undefined ? {} : { profile: target.profile }),
    ...(target.endpointUrl === undefined ? {} : { endpoint: target.endpointUrl }),
    ...(env.AWS_RETRY_MODE ? {} : { retryMode: 'adaptive' }),
    ...(env.AWS_MAX_ATTEMPTS ? {} : { maxAttempts: DEFAULT_MAX_ATTEMPTS }),
    // Fail fast when nothing listens; a slow AWS response still has a minute.
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  };
}

/** Any endpoint override (flag or environment) means a local or custom S3: use path-style URLs. */
export function hasS3EndpointOverride(target: CallTarget): boolean {
  return target.endpointUrl !== undefined || Boolean(target.env.AWS_ENDPOINT_URL) || Boolean(target.env.AWS_ENDPOINT_URL_S3);
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let promise: Promise<T> | undefined;
  return () => {
    promise ??= load().catch((error: unknown) => {
      promise = undefined;
      throw error;
    });
    return promise;
  };
}

interface MiddlewareClient {
  middlewareStack: { add(middleware: unknown, options: { step: 'finalizeRequest'; name: string }): void };
}

/** --debug: logs each call's service, operation, status and time. Reads only the command's name and the response status. */
function addDebugLog(client: MiddlewareClient, service: string, debug: (line: string) => void): void {
  type Next = (args: unknown) => Promise<{ response?: { statusCode?: number } }>;
  const middleware = (next: Next, context: { commandName?: string }) => async (args: unknown) => {
    const started = Date.now();
    try {
      const out = await next(args);
      debug(`aws ${service} ${context.commandName?.replace(/Command$/, '') ?? '?'} ${out.response?.statusCode ?? ''} ${Date.now() - started} ms`);
      return out;
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      debug(`aws ${service} ${context.commandName?.replace(/Command$/, '') ?? '?'} ${status ?? 'failed'} ${(error as Error).name ?? ''} ${Date.now() - started} ms`);
      throw error;
    }
  };
  client.middlewareStack.add(middleware, { step: 'finalizeRequest', name: 'cdWizardDebugLog' });
}

/** Imports an SDK module and builds its client on first use, once. */
function lazy<Sdk, Client>(target: CallTarget, load: () => Promise<Sdk>, build: (sdk: Sdk) => Client, service: string): () => Promise<Handle<Sdk, Client>> {
  return once(async () => {
    const sdk = await load();
    const client = build(sdk);
    if (target.debug) addDebugLog(client as unknown as MiddlewareClient, service, target.debug);
    return { sdk, client, target };
  });
}

/** Builds the lazy client set for a target whose region is resolved (see resolveRegion). */
export function createAwsClients(target: CallTarget): AwsClients {
  quietSdk();
  const config = clientConfig(target);
  const s3Config = { ...config, followRegionRedirects: true, ...(hasS3EndpointOverride(target) ? { forcePathStyle: true } : {}) };
  return {
    target,
    sts: lazy(target, () => import('./sdk/sts.js'), (sdk) => new sdk.STSClient(config), 'STS'),
    iam: lazy(target, () => import('./sdk/iam.js'), (sdk) => new sdk.IAMClient(config), 'IAM'),
    ec2: lazy(target, () => import('./sdk/ec2.js'), (sdk) => new sdk.EC2Client(config), 'EC2'),
    autoScaling: lazy(target, () => import('./sdk/auto-scaling.js'), (sdk) => new sdk.AutoScalingClient(config), 'AutoScaling'),
    codeDeploy: lazy(target, () => import('./sdk/codedeploy.js'), (sdk) => new sdk.CodeDeployClient(config), 'CodeDeploy'),
    s3: lazy(target, () => import('./sdk/s3.js'), (sdk) => new sdk.S3Client(s3Config), 'S3'),
    ssm: lazy(target, () => import('./sdk/ssm.js'), (sdk) => new sdk.SSMClient(config), 'SSM'),
    storage: once(() => import('@aws-sdk/lib-storage')),
  };
}

export type RegionSource = '--region' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile' | 'answers file';

export interface ResolvedRegion {
  region: string;
  source: RegionSource;
  /** Said to the user when the answers file was saved for another region than the one used. */
  note?: string;
}

/**
 * The region to work in, with one documented precedence: --region, then the environment (AWS_REGION, then
 * AWS_DEFAULT_REGION as the AWS CLI reads it), then the profile's `region` as the SDK resolves it, then the region
 * the answers file was saved with. When the answers file says another region than the one used, `note` says so.
 * Fails with the next step when there is none, and with "did you mean" for an unknown code. Reads local config
 * only; makes no AWS call.
 */
export async function resolveRegion(target: AwsTarget & { saved?: string; savedIn?: string }, env: NodeJS.ProcessEnv = process.env): Promise<ResolvedRegion> {
  let found: { region: string; source: RegionSource } | undefined;
  if (target.region) found = { region: target.region, source: '--region' };
  else if (env.AWS_REGION) found = { region: env.AWS_REGION, source: 'AWS_REGION' };
  else if (env.AWS_DEFAULT_REGION) found = { region: env.AWS_DEFAULT_REGION, source: 'AWS_DEFAULT_REGION' };
  else {
    quietSdk();
    const sdk = await import('./sdk/sts.js');
    const client = new sdk.STSClient(target.profile === undefined ? {} : { profile: target.profile });
    try {
      const region = await client.config.region();
      if (region) found = { region, source: 'profile' };
    } catch {
      // "Region is missing": the answers file, or the next step below.
    } finally {
      client.destroy();
    }
  }
  if (!found && target.saved) found = { region: target.saved, source: 'answers file' };
  if (!found) throw new UserError('No AWS region is set.', { hint: regionHint(target.profile) });
  checkRegion(found.region, found.source);
  const note =
    target.saved && target.saved !== found.region
      ? `${target.savedIn ?? 'The answers file'} was saved for ${target.saved}; working in ${found.region} (from ${found.source}). Give --region ${target.saved} to work there.`
      : undefined;
  return { ...found, ...(note === undefined ? {} : { note }) };
}

export function checkRegion(region: string, source: string): void {
  const problem = unknownRegionProblem(region);
  // A mistyped region is a usage error wherever it was typed (flag, environment, profile or answers file).
  if (problem !== undefined) throw new UserError(`Region from ${source}: ${problem}`, { hint: 'aws ec2 describe-regions --all-regions lists the regions of your account; nothing was changed.', exitCode: 2 });
}
