/**
 * The fake's in-memory state. Plain JSON-compatible records (no Maps, no classes) so `GET /__fake/state`
 * can return it as it is. Times are epoch milliseconds of the fake clock.
 */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A type alias (not an interface) so it fits the XML and JSON writers' index signatures. */
export type Tag = {
  Key: string;
  Value: string;
};

// ---- STS ----------------------------------------------------------------------------------------------

export interface StsState {
  account: string;
  /** What GetCallerIdentity returns as Arn; `<account>` in it is replaced by the account. */
  callerArn: string;
  callerUserId: string;
}

// ---- IAM ----------------------------------------------------------------------------------------------

export interface RoleRecord {
  name: string;
  path: string;
  id: string;
  arn: string;
  createdAt: number;
  /** The trust policy as JSON text, exactly as given (IAM returns it URL-encoded). */
  trustPolicy: string;
  /** When the trust policy last changed: the IAM propagation delay counts from here. */
  trustChangedAt: number;
  description?: string;
  maxSessionDuration: number;
  tags: Tag[];
  attachedPolicies: string[];
  inlinePolicies: Record<string, string>;
}

export interface InstanceProfileRecord {
  name: string;
  path: string;
  id: string;
  arn: string;
  createdAt: number;
  /** Role names (at most one, IAM's quota). */
  roles: string[];
  tags: Tag[];
}

export interface UserRecord {
  name: string;
  path: string;
  id: string;
  arn: string;
  createdAt: number;
  attachedPolicies: string[];
  inlinePolicies: Record<string, string>;
  tags: Tag[];
}

/** A customer managed policy (AWS managed policies live in managed-policies.ts). */
export interface ManagedPolicyRecord {
  name: string;
  path: string;
  id: string;
  arn: string;
  createdAt: number;
  document: string;
  description?: string;
}

/** An OpenID Connect identity provider (IAM keeps the URL without https://). */
export interface OidcProviderRecord {
  arn: string;
  url: string;
  clientIds: string[];
  thumbprints: string[];
  createdAt: number;
  tags: Tag[];
}

export interface IamState {
  roles: Record<string, RoleRecord>;
  /** Keyed by ARN. */
  oidcProviders: Record<string, OidcProviderRecord>;
  instanceProfiles: Record<string, InstanceProfileRecord>;
  users: Record<string, UserRecord>;
  /** Keyed by ARN. */
  policies: Record<string, ManagedPolicyRecord>;
}

// ---- EC2 ----------------------------------------------------------------------------------------------

export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export interface InstanceRecord {
  id: string;
  state: InstanceStateName;
  instanceType: string;
  imageId: string;
  /** EC2 reports `platform` only for Windows. */
  platform?: 'windows';
  platformDetails: string;
  availabilityZone: string;
  privateIpAddress: string;
  subnetId: string;
  vpcId: string;
  launchTime: number;
  tags: Tag[];
}

export type AssociationState = 'associating' | 'associated' | 'disassociating' | 'disassociated';

export interface ProfileAssociationRecord {
  id: string;
  instanceId: string;
  profileArn: string;
  profileId: string;
  state: AssociationState;
  at: number;
}

export interface Ec2State {
  instances: Record<string, InstanceRecord>;
  associations: Record<string, ProfileAssociationRecord>;
}

// ---- Auto Scaling -------------------------------------------------------------------------------------

export interface LaunchTemplateRef {
  id: string;
  name: string;
  version: string;
}

export interface AsgInstanceRecord {
  instanceId: string;
  lifecycleState: string;
  healthStatus: string;
  availabilityZone: string;
  instanceType: string;
  protectedFromScaleIn: boolean;
}

export interface LifecycleHookRecord {
  name: string;
  transition: string;
  heartbeatTimeout: number;
  globalTimeout: number;
  defaultResult: string;
  notificationTargetArn?: string;
  roleArn?: string;
}

export interface AsgRecord {
  name: string;
  arn: string;
  createdAt: number;
  minSize: number;
  maxSize: number;
  desiredCapacity: number;
  availabilityZones: string[];
  healthCheckType: string;
  launchTemplate?: LaunchTemplateRef;
  launchConfigurationName?: string;
  /** A mixed instances policy's launch template (the group then has neither of the two above). */
  mixedInstancesLaunchTemplate?: LaunchTemplateRef;
  instances: AsgInstanceRecord[];
  tags: Array<Tag & { PropagateAtLaunch: boolean }>;
  lifecycleHooks: LifecycleHookRecord[];
  targetGroupArns: string[];
  loadBalancerNames: string[];
  vpcZoneIdentifier: string;
}

export interface AutoScalingState {
  groups: Record<string, AsgRecord>;
}

// ---- CodeDeploy ---------------------------------------------------------------------------------------

export interface ApplicationRecord {
  name: string;
  id: string;
  createdAt: number;
  computePlatform: string;
  tags: Tag[];
}

export interface TagFilter {
  Key?: string;
  Value?: string;
  Type: string;
}

export interface AsgHookRef {
  name: string;
  hook?: string;
  terminationHook?: string;
}

export interface DeploymentGroupRecord {
  application: string;
  name: string;
  id: string;
  serviceRoleArn: string;
  deploymentConfigName: string;
  ec2TagFilters: TagFilter[];
  ec2TagSet?: TagFilter[][];
  onPremisesInstanceTagFilters: TagFilter[];
  autoScalingGroups: AsgHookRef[];
  deploymentStyle: { deploymentType: string; deploymentOption: string };
  outdatedInstancesStrategy: string;
  terminationHookEnabled: boolean;
  /** Options the fake stores and echoes back without interpreting them. */
  passthrough: Record<string, Json>;
  tags: Tag[];
}

export interface DeploymentConfigRecord {
  name: string;
  id: string;
  createdAt: number;
  computePlatform: string;
  minimumHealthyHosts?: { type: string; value: number };
}

export interface Diagnostics {
  errorCode: string;
  scriptName: string;
  message: string;
  logTail: string;
}

export interface LifecycleEventRecord {
  name: string;
  status: string;
  startTime?: number;
  endTime?: number;
  diagnostics?: Diagnostics;
}

export interface DeploymentTargetRecord {
  instanceId: string;
  status: string;
  lastUpdatedAt: number;
  lifecycleEvents: LifecycleEventRecord[];
  instanceLabel?: string;
}

export interface DeploymentRecord {
  id: string;
  application: string;
  deploymentGroup: string;
  deploymentConfigName: string;
  status: string;
  errorInformation?: { code: string; message: string };
  createdAt: number;
  startedAt?: number;
  completedAt?: number;
  creator: string;
  description?: string;
  revision?: Json;
  ignoreApplicationStopFailures: boolean;
  fileExistsBehavior: string;
  rollbackInfo?: { rollbackDeploymentId?: string; rollbackTriggeringDeploymentId?: string; rollbackMessage?: string };
  deploymentStatusMessages: string[];
  targets: DeploymentTargetRecord[];
  /** For deployments created through the API: when the simulated run finishes (see `settle`). */
  finishesAt?: number;
}

/**
 * What a deployment created through CreateDeployment does to a matching instance: the first rule that
 * matches (by instance and/or deployment group) decides; with no match every lifecycle event succeeds.
 */
export interface DeploymentOutcomeRule {
  instanceId?: string;
  deploymentGroup?: string;
  /** The lifecycle event that fails; the ones before it succeed and the ones after it are Skipped. */
  failAt: string;
  errorCode?: string;
  scriptName?: string;
  message?: string;
  logTail?: string;
}

export interface CodeDeployState {
  applications: Record<string, ApplicationRecord>;
  /** Keyed by `<application>/<group>`. */
  deploymentGroups: Record<string, DeploymentGroupRecord>;
  deploymentConfigs: Record<string, DeploymentConfigRecord>;
  deployments: Record<string, DeploymentRecord>;
  /** How long a deployment created through the API stays InProgress (fake-clock milliseconds). */
  deploymentDurationMs: number;
  outcomes: DeploymentOutcomeRule[];
  /** RegisterApplicationRevision calls, oldest first. */
  revisions: RevisionRecord[];
}

export interface RevisionRecord {
  application: string;
  /** The RevisionLocation as sent. */
  revision: Json;
  description?: string;
  registeredAt: number;
}

// ---- S3 -----------------------------------------------------------------------------------------------

export interface ObjectRecord {
  key: string;
  /** Seeded text. Uploaded objects keep their bytes in `content` instead. */
  body: string;
  /** Uploaded bytes, base64; left out (contentDropped) above UPLOAD_KEEP_LIMIT so a benchmark's 200 MB stay out of memory. */
  content?: string;
  contentDropped?: boolean;
  size: number;
  etag: string;
  lastModified: number;
  contentType: string;
  versionId?: string;
  metadata: Record<string, string>;
}

export interface BucketRecord {
  name: string;
  region: string;
  createdAt: number;
  /** Every request for this bucket gets 403 AccessDenied, as for a bucket owned by another account. */
  accessDenied: boolean;
  versioned?: boolean;
  objects: Record<string, ObjectRecord>;
  /** PutBucketTagging's tags (GetBucketTagging answers NoSuchTagSet without any). */
  tags?: Tag[];
}

export interface UploadPartRecord {
  size: number;
  /** The part's ETag, quoted: the MD5 of its bytes. */
  etag: string;
  /** base64, while the upload is small enough to keep (see ObjectRecord.content). */
  content?: string;
}

export interface MultipartUploadRecord {
  uploadId: string;
  bucket: string;
  key: string;
  contentType: string;
  /** CreateMultipartUpload's user metadata; the completed object carries it. */
  metadata: Record<string, string>;
  initiatedAt: number;
  parts: Record<number, UploadPartRecord>;
}

export interface S3State {
  buckets: Record<string, BucketRecord>;
  /** Multipart uploads begun and neither completed nor aborted, by upload ID. */
  uploads: Record<string, MultipartUploadRecord>;
}

// ---- SSM ----------------------------------------------------------------------------------------------

export interface ManagedInstanceRecord {
  instanceId: string;
  pingStatus: string;
  lastPingAt: number;
  agentVersion: string;
  isLatestVersion: boolean;
  platformType: string;
  platformName: string;
  platformVersion: string;
  computerName: string;
  ipAddress: string;
  iamRole?: string;
}

export interface InvocationRecord {
  instanceId: string;
  status: string;
  responseCode: number;
  stdout: string;
  stderr: string;
  startedAt: number;
  endsAt: number;
}

export interface CommandRecord {
  id: string;
  documentName: string;
  comment?: string;
  parameters: Record<string, string[]>;
  instanceIds: string[];
  requestedAt: number;
  timeoutSeconds: number;
  invocations: Record<string, InvocationRecord>;
}

/** What a command sent with SendCommand prints: the first matching rule decides; default Success, no output. */
export interface CommandRule {
  instanceId?: string;
  /** Matches only commands of this document (AWS-RunShellScript, AWS-ConfigureAWSPackage …). */
  document?: string;
  /** Matches when any value of any parameter (a line of `commands`, a package `name` …) contains this text. */
  commandContains?: string;
  /** Matches only once an earlier command on the same instance contained this text (a restart, say). */
  after?: string;
  /** Matches only while no earlier command on the same instance contained this text. */
  notAfter?: string;
  status?: 'Success' | 'Failed' | 'TimedOut' | 'Cancelled';
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  durationMs?: number;
}

export interface SsmState {
  instances: Record<string, ManagedInstanceRecord>;
  commands: Record<string, CommandRecord>;
  commandRules: CommandRule[];
}

// ---- All ----------------------------------------------------------------------------------------------

export interface FakeState {
  sts: StsState;
  iam: IamState;
  ec2: Ec2State;
  autoscaling: AutoScalingState;
  codedeploy: CodeDeployState;
  s3: S3State;
  ssm: SsmState;
}

export const DEFAULT_ACCOUNT = '123456789012';
export const DEFAULT_CALLER_ARN = 'arn:aws:iam::<account>:user/cd-wizard-tester';

const CALLER_USER_ID = 'AIDAFAKECALLER000001';

/**
 * A fresh account. When the caller is an IAM user of this account, that user exists, with
 * AdministratorAccess, so SimulatePrincipalPolicy on the caller works out of the box.
 */
export function emptyState(account: string = DEFAULT_ACCOUNT, callerArn: string = DEFAULT_CALLER_ARN): FakeState {
  const arn = callerArn.replaceAll('<account>', account);
  const users: Record<string, UserRecord> = {};
  const user = new RegExp(`^arn:aws:iam::${account}:user(/(?:.*/)?)([\\w+=,.@-]+)$`).exec(arn);
  if (user !== null) {
    const [, path = '/', name = ''] = user;
    users[name] = { name, path, id: CALLER_USER_ID, arn, createdAt: 0, attachedPolicies: ['arn:aws:iam::aws:policy/AdministratorAccess'], inlinePolicies: {}, tags: [] };
  }
  return {
    sts: { account, callerArn: arn, callerUserId: user !== null ? CALLER_USER_ID : 'AROAFAKECALLER000001:cd-wizard' },
    iam: { roles: {}, oidcProviders: {}, instanceProfiles: {}, users, policies: {} },
    ec2: { instances: {}, associations: {} },
    autoscaling: { groups: {} },
    codedeploy: { applications: {}, deploymentGroups: {}, deploymentConfigs: {}, deployments: {}, deploymentDurationMs: 0, outcomes: [], revisions: [] },
    s3: { buckets: {}, uploads: {} },
    ssm: { instances: {}, commands: {}, commandRules: [] },
  };
}

/** Tags given as a list or as a plain `{key: value}` object (the shorter form seeds use). */
export type TagsInput = Tag[] | Record<string, string>;

export function toTags(tags: TagsInput | undefined): Tag[] {
  if (tags === undefined) return [];
  if (Array.isArray(tags)) return tags.map((tag) => ({ Key: tag.Key, Value: tag.Value }));
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function tagValue(tags: readonly Tag[], key: string): string | undefined {
  return tags.find((tag) => tag.Key === key)?.Value;
}

/** Adds or overwrites tags by key, as every AWS tagging API does. */
export function mergeTags(existing: Tag[], added: readonly Tag[]): Tag[] {
  const merged = existing.filter((tag) => !added.some((other) => other.Key === tag.Key));
  return [...merged, ...added.map((tag) => ({ Key: tag.Key, Value: tag.Value }))];
}
