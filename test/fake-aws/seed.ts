/**
 * Seeds: the short, JSON-friendly description of what already exists in the fake account, turned into
 * state records. Everything seeded counts as old (created a day before the fake clock's now), so it has
 * long since propagated through IAM. Seeding adds to or replaces records by name/ID; it never deletes.
 */
import type { Ids } from './random.js';
import { expandLifecycleEvents, IN_PLACE_EVENTS } from './services/codedeploy-deployments.js';
import { groupKey } from './services/codedeploy-common.js';
import { etagOf } from './services/s3.js';
import {
  toTags,
  type CommandRule,
  type DeploymentGroupRecord,
  type DeploymentOutcomeRule,
  type DeploymentRecord,
  type DeploymentTargetRecord,
  type Diagnostics,
  type FakeState,
  type InstanceStateName,
  type Json,
  type LifecycleHookRecord,
  type TagFilter,
  type TagsInput,
} from './state.js';

/** A time given as epoch milliseconds or an ISO 8601 string. */
export type TimeInput = number | string;
/** A policy document given as JSON text or as an object. */
export type PolicyInput = string | Record<string, unknown>;

export interface SeedRole {
  name: string;
  path?: string;
  /** Defaults to a policy trusting codedeploy.amazonaws.com. */
  trustPolicy?: PolicyInput;
  description?: string;
  tags?: TagsInput;
  attachedPolicies?: string[];
  inlinePolicies?: Record<string, PolicyInput>;
  createdAt?: TimeInput;
}

export interface SeedInstanceProfile {
  name: string;
  path?: string;
  /** The role in the profile (name). */
  role?: string;
  tags?: TagsInput;
  createdAt?: TimeInput;
}

export interface SeedOidcProvider {
  /** https://host (or the host alone). */
  url: string;
  clientIds?: string[];
  tags?: TagsInput;
}

export interface SeedUser {
  name: string;
  path?: string;
  attachedPolicies?: string[];
  inlinePolicies?: Record<string, PolicyInput>;
  tags?: TagsInput;
}

export interface SeedPolicy {
  name: string;
  path?: string;
  document: PolicyInput;
  description?: string;
}

export interface SeedInstance {
  id?: string;
  /** The Name tag. */
  name?: string;
  state?: InstanceStateName;
  tags?: TagsInput;
  platform?: 'linux' | 'windows';
  instanceType?: string;
  imageId?: string;
  availabilityZone?: string;
  privateIpAddress?: string;
  subnetId?: string;
  vpcId?: string;
  /** An instance profile name or ARN to associate; it need not exist in IAM (a deleted profile). */
  instanceProfile?: string;
  launchTime?: TimeInput;
}

export interface SeedLaunchTemplate {
  id?: string;
  name?: string;
  version?: string;
}

export interface SeedAsg {
  name: string;
  /** Instance IDs (created in EC2 when missing) or full entries. */
  instances?: Array<string | { instanceId: string; lifecycleState?: string; healthStatus?: string }>;
  launchTemplate?: SeedLaunchTemplate | string;
  launchConfigurationName?: string;
  mixedInstancesLaunchTemplate?: SeedLaunchTemplate | string;
  minSize?: number;
  maxSize?: number;
  desiredCapacity?: number;
  availabilityZones?: string[];
  tags?: TagsInput;
  lifecycleHooks?: Array<Partial<LifecycleHookRecord> & { name: string }>;
  targetGroupArns?: string[];
  loadBalancerNames?: string[];
}

export interface SeedApplication {
  name: string;
  computePlatform?: string;
  tags?: TagsInput;
  createdAt?: TimeInput;
}

export interface SeedDeploymentGroup {
  application: string;
  name: string;
  /** A role name or ARN. */
  serviceRole: string;
  deploymentConfigName?: string;
  ec2TagFilters?: TagFilter[];
  ec2TagSet?: TagFilter[][];
  autoScalingGroups?: Array<string | { name: string; hook?: string }>;
  deploymentStyle?: { deploymentType: string; deploymentOption: string };
  outdatedInstancesStrategy?: string;
  tags?: TagsInput;
  /** Other DeploymentGroupInfo members (alarmConfiguration, loadBalancerInfo, …) to echo back. */
  extra?: Record<string, Json>;
}

export interface SeedDeploymentConfig {
  name: string;
  computePlatform?: string;
  minimumHealthyHosts?: { type: string; value: number };
}

export interface SeedTarget {
  instanceId: string;
  status?: string;
  instanceLabel?: string;
  /** Full lifecycle events; without them the standard in-place list is generated from status/failAt. */
  lifecycleEvents?: Array<{ name: string; status: string; diagnostics?: Diagnostics; startTime?: TimeInput; endTime?: TimeInput }>;
  failAt?: string;
  errorCode?: string;
  scriptName?: string;
  message?: string;
  logTail?: string;
}

export interface SeedDeployment {
  id?: string;
  application: string;
  deploymentGroup: string;
  status: string;
  errorInformation?: { code: string; message: string };
  createTime?: TimeInput;
  startTime?: TimeInput;
  completeTime?: TimeInput;
  creator?: string;
  description?: string;
  revision?: Json;
  deploymentConfigName?: string;
  rollbackInfo?: { rollbackDeploymentId?: string; rollbackTriggeringDeploymentId?: string; rollbackMessage?: string };
  deploymentStatusMessages?: string[];
  fileExistsBehavior?: string;
  targets?: SeedTarget[];
}

export interface SeedBucket {
  name: string;
  region?: string;
  accessDenied?: boolean;
  /** Versioning on: every PutObject and completed multipart upload gets a version ID. */
  versioned?: boolean;
  tags?: TagsInput;
  objects?: Array<{ key: string; body?: string; contentType?: string; versionId?: string; metadata?: Record<string, string>; lastModified?: TimeInput }>;
}

export interface SeedManagedInstance {
  instanceId: string;
  pingStatus?: string;
  agentVersion?: string;
  isLatestVersion?: boolean;
  platformType?: string;
  platformName?: string;
  platformVersion?: string;
  computerName?: string;
  ipAddress?: string;
  iamRole?: string;
  lastPingAt?: TimeInput;
}

export interface Seed {
  /** Applies to resources seeded after it; set it when the fake starts. */
  account?: string;
  callerArn?: string;
  iam?: { roles?: SeedRole[]; instanceProfiles?: SeedInstanceProfile[]; users?: SeedUser[]; policies?: SeedPolicy[]; oidcProviders?: SeedOidcProvider[] };
  ec2?: { instances?: SeedInstance[] };
  autoscaling?: { groups?: SeedAsg[] };
  codedeploy?: {
    applications?: SeedApplication[];
    deploymentGroups?: SeedDeploymentGroup[];
    deploymentConfigs?: SeedDeploymentConfig[];
    deployments?: SeedDeployment[];
    deploymentDurationMs?: number;
    outcomes?: DeploymentOutcomeRule[];
  };
  s3?: { buckets?: SeedBucket[] };
  ssm?: { instances?: SeedManagedInstance[]; commandRules?: CommandRule[] };
}

const DAY = 86_400_000;

export const CODEDEPLOY_TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

function time(input: TimeInput | undefined, fallback: number): number {
  if (input === undefined) return fallback;
  return typeof input === 'number' ? input : Date.parse(input);
}

function policyText(input: PolicyInput): string {
  return typeof input === 'string' ? input : JSON.stringify(input);
}

function policies(inline: Record<string, PolicyInput> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(inline ?? {}).map(([name, doc]) => [name, policyText(doc)]));
}

function launchTemplate(input: SeedLaunchTemplate | string | undefined, ids: Ids): { id: string; name: string; version: string } | undefined {
  if (input === undefined) return undefined;
  const spec = typeof input === 'string' ? { name: input } : input;
  return { id: spec.id ?? ids.ec2('lt'), name: spec.name ?? 'fake-template', version: spec.version ?? '$Default' };
}

interface SeedContext {
  state: FakeState;
  ids: Ids;
  now: number;
  region: string;
}

function seedIam(seed: NonNullable<Seed['iam']>, { state, ids, now }: SeedContext): void {
  const account = state.sts.account;
  for (const o of seed.oidcProviders ?? []) {
    const url = o.url.replace(/^https:\/\//, '');
    const arn = `arn:aws:iam::${account}:oidc-provider/${url}`;
    state.iam.oidcProviders[arn] = { arn, url, clientIds: o.clientIds ?? [], thumbprints: [], createdAt: now - DAY, tags: toTags(o.tags) };
  }
  for (const p of seed.policies ?? []) {
    const path = p.path ?? '/';
    const arn = `arn:aws:iam::${account}:policy${path}${p.name}`;
    state.iam.policies[arn] = { name: p.name, path, id: ids.iam('ANPA'), arn, createdAt: now - DAY, document: policyText(p.document), ...(p.description === undefined ? {} : { description: p.description }) };
  }
  for (const r of seed.roles ?? []) {
    const path = r.path ?? '/';
    const createdAt = time(r.createdAt, now - DAY);
    state.iam.roles[r.name] = {
      name: r.name,
      path,
      id: state.iam.roles[r.name]?.id ?? ids.iam('AROA'),
      arn: `arn:aws:iam::${account}:role${path}${r.name}`,
      createdAt,
      trustPolicy: r.trustPolicy === undefined ? CODEDEPLOY_TRUST_POLICY : policyText(r.trustPolicy),
      trustChangedAt: createdAt,
      maxSessionDuration: 3600,
      tags: toTags(r.tags),
      attachedPolicies: [...(r.attachedPolicies ?? [])],
      inlinePolicies: policies(r.inlinePolicies),
      ...(r.description === undefined ? {} : { description: r.description }),
    };
  }
  for (const p of seed.instanceProfiles ?? []) {
    const path = p.path ?? '/';
    state.iam.instanceProfiles[p.name] = {
      name: p.name,
      path,
      id: state.iam.instanceProfiles[p.name]?.id ?? ids.iam('AIPA'),
      arn: `arn:aws:iam::${account}:instance-profile${path}${p.name}`,
      createdAt: time(p.createdAt, now - DAY),
      roles: p.role === undefined ? [] : [p.role],
      tags: toTags(p.tags),
    };
  }
  for (const u of seed.users ?? []) {
    const path = u.path ?? '/';
    state.iam.users[u.name] = {
      name: u.name,
      path,
      id: ids.iam('AIDA'),
      arn: `arn:aws:iam::${account}:user${path}${u.name}`,
      createdAt: now - DAY,
      attachedPolicies: [...(u.attachedPolicies ?? [])],
      inlinePolicies: policies(u.inlinePolicies),
      tags: toTags(u.tags),
    };
  }
}

function seedInstance(input: SeedInstance, { state, ids, now, region }: SeedContext): string {
  const count = Object.keys(state.ec2.instances).length;
  const id = input.id ?? ids.ec2('i');
  const tags = toTags(input.tags);
  if (input.name !== undefined && !tags.some((tag) => tag.Key === 'Name')) tags.unshift({ Key: 'Name', Value: input.name });
  const windows = input.platform === 'windows';
  state.ec2.instances[id] = {
    id,
    state: input.state ?? 'running',
    instanceType: input.instanceType ?? 't3.micro',
    imageId: input.imageId ?? (windows ? 'ami-0windows000000001' : 'ami-0linux0000000001'),
    ...(windows ? { platform: 'windows' as const } : {}),
    platformDetails: windows ? 'Windows' : 'Linux/UNIX',
    availabilityZone: input.availabilityZone ?? `${region}a`,
    privateIpAddress: input.privateIpAddress ?? `10.0.${Math.floor(count / 250)}.${(count % 250) + 4}`,
    subnetId: input.subnetId ?? 'subnet-0fake0000000000001',
    vpcId: input.vpcId ?? 'vpc-0fake0000000000001',
    launchTime: time(input.launchTime, now - DAY),
    tags,
  };
  if (input.instanceProfile !== undefined) {
    const ref = input.instanceProfile;
    const profile = ref.startsWith('arn:') ? Object.values(state.iam.instanceProfiles).find((p) => p.arn === ref) : state.iam.instanceProfiles[ref];
    for (const association of Object.values(state.ec2.associations)) if (association.instanceId === id) delete state.ec2.associations[association.id];
    const associationId = ids.ec2('iip-assoc');
    state.ec2.associations[associationId] = {
      id: associationId,
      instanceId: id,
      profileArn: profile?.arn ?? (ref.startsWith('arn:') ? ref : `arn:aws:iam::${state.sts.account}:instance-profile/${ref}`),
      profileId: profile?.id ?? ids.iam('AIPA'),
      state: 'associated',
      at: now - DAY,
    };
  }
  return id;
}

function seedAutoScaling(groups: readonly SeedAsg[], context: SeedContext): void {
  const { state, ids, now, region } = context;
  for (const g of groups) {
    const members = (g.instances ?? []).map((entry) => (typeof entry === 'string' ? { instanceId: entry } : entry));
    for (const member of members) {
      if (state.ec2.instances[member.instanceId] === undefined) seedInstance({ id: member.instanceId, tags: { 'aws:autoscaling:groupName': g.name } }, context);
    }
    const template = launchTemplate(g.launchTemplate, ids);
    const mixed = launchTemplate(g.mixedInstancesLaunchTemplate, ids);
    state.autoscaling.groups[g.name] = {
      name: g.name,
      arn: `arn:aws:autoscaling:${region}:${state.sts.account}:autoScalingGroup:${ids.uuid()}:autoScalingGroupName/${g.name}`,
      createdAt: now - DAY,
      minSize: g.minSize ?? 0,
      maxSize: g.maxSize ?? Math.max(1, members.length),
      desiredCapacity: g.desiredCapacity ?? members.length,
      availabilityZones: g.availabilityZones ?? [`${region}a`],
      healthCheckType: 'EC2',
      ...(template === undefined ? {} : { launchTemplate: template }),
      ...(g.launchConfigurationName === undefined ? {} : { launchConfigurationName: g.launchConfigurationName }),
      ...(mixed === undefined ? {} : { mixedInstancesLaunchTemplate: mixed }),
      instances: members.map((member) => ({
        instanceId: member.instanceId,
        lifecycleState: member.lifecycleState ?? 'InService',
        healthStatus: member.healthStatus ?? 'Healthy',
        availabilityZone: state.ec2.instances[member.instanceId]?.availabilityZone ?? `${region}a`,
        instanceType: state.ec2.instances[member.instanceId]?.instanceType ?? 't3.micro',
        protectedFromScaleIn: false,
      })),
      tags: toTags(g.tags).map((tag) => ({ ...tag, PropagateAtLaunch: true })),
      lifecycleHooks: (g.lifecycleHooks ?? []).map((hook) => ({
        transition: 'autoscaling:EC2_INSTANCE_LAUNCHING',
        heartbeatTimeout: 600,
        globalTimeout: 60000,
        defaultResult: 'ABANDON',
        ...hook,
      })),
      targetGroupArns: g.targetGroupArns ?? [],
      loadBalancerNames: g.loadBalancerNames ?? [],
      vpcZoneIdentifier: 'subnet-0fake0000000000001',
    };
  }
}

function seedTarget(target: SeedTarget, at: number): DeploymentTargetRecord {
  const status = target.status ?? (target.failAt !== undefined ? 'Failed' : 'Succeeded');
  const events =
    target.lifecycleEvents?.map((event) => ({
      name: event.name,
      status: event.status,
      ...(event.diagnostics === undefined ? {} : { diagnostics: event.diagnostics }),
      ...(event.startTime === undefined ? {} : { startTime: time(event.startTime, at) }),
      ...(event.endTime === undefined ? {} : { endTime: time(event.endTime, at) }),
    })) ??
    (status === 'Succeeded' || target.failAt !== undefined
      ? expandLifecycleEvents(IN_PLACE_EVENTS, at, target.failAt === undefined ? undefined : { ...target, failAt: target.failAt })
      : IN_PLACE_EVENTS.map((name) => ({ name, status: 'Pending' })));
  return { instanceId: target.instanceId, status, lastUpdatedAt: at, lifecycleEvents: events, ...(target.instanceLabel === undefined ? {} : { instanceLabel: target.instanceLabel }) };
}

function seedCodeDeploy(seed: NonNullable<Seed['codedeploy']>, { state, ids, now }: SeedContext): void {
  const cd = state.codedeploy;
  if (seed.deploymentDurationMs !== undefined) cd.deploymentDurationMs = seed.deploymentDurationMs;
  if (seed.outcomes !== undefined) cd.outcomes = seed.outcomes.map((rule) => ({ ...rule }));
  for (const a of seed.applications ?? []) {
    cd.applications[a.name] = { name: a.name, id: ids.uuid(), createdAt: time(a.createdAt, now - DAY), computePlatform: a.computePlatform ?? 'Server', tags: toTags(a.tags) };
  }
  for (const c of seed.deploymentConfigs ?? []) {
    cd.deploymentConfigs[c.name] = {
      name: c.name,
      id: ids.uuid(),
      createdAt: now - DAY,
      computePlatform: c.computePlatform ?? 'Server',
      ...(c.minimumHealthyHosts === undefined ? {} : { minimumHealthyHosts: c.minimumHealthyHosts }),
    };
  }
  for (const g of seed.deploymentGroups ?? []) {
    const roleArn = g.serviceRole.startsWith('arn:') ? g.serviceRole : (state.iam.roles[g.serviceRole]?.arn ?? `arn:aws:iam::${state.sts.account}:role/${g.serviceRole}`);
    const group: DeploymentGroupRecord = {
      application: g.application,
      name: g.name,
      id: ids.uuid(),
      serviceRoleArn: roleArn,
      deploymentConfigName: g.deploymentConfigName ?? 'CodeDeployDefault.OneAtATime',
      ec2TagFilters: g.ec2TagFilters ?? [],
      onPremisesInstanceTagFilters: [],
      autoScalingGroups: (g.autoScalingGroups ?? []).map((ref) => (typeof ref === 'string' ? { name: ref } : ref)),
      deploymentStyle: g.deploymentStyle ?? { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
      outdatedInstancesStrategy: g.outdatedInstancesStrategy ?? 'UPDATE',
      terminationHookEnabled: false,
      passthrough: { ...g.extra },
      tags: toTags(g.tags),
    };
    if (g.ec2TagSet !== undefined) group.ec2TagSet = g.ec2TagSet;
    cd.deploymentGroups[groupKey(g.application, g.name)] = group;
  }
  for (const d of seed.deployments ?? []) {
    const createdAt = time(d.createTime, now - 3_600_000);
    const id = d.id ?? ids.deployment();
    const deployment: DeploymentRecord = {
      id,
      application: d.application,
      deploymentGroup: d.deploymentGroup,
      deploymentConfigName: d.deploymentConfigName ?? 'CodeDeployDefault.OneAtATime',
      status: d.status,
      createdAt,
      creator: d.creator ?? 'user',
      ignoreApplicationStopFailures: false,
      fileExistsBehavior: d.fileExistsBehavior ?? 'DISALLOW',
      deploymentStatusMessages: d.deploymentStatusMessages ?? [],
      targets: (d.targets ?? []).map((target) => seedTarget(target, time(d.completeTime, createdAt + 60_000))),
    };
    if (d.errorInformation !== undefined) deployment.errorInformation = d.errorInformation;
    if (d.startTime !== undefined || d.status !== 'Created') deployment.startedAt = time(d.startTime, createdAt);
    if (d.completeTime !== undefined || ['Succeeded', 'Failed', 'Stopped'].includes(d.status)) deployment.completedAt = time(d.completeTime, createdAt + 60_000);
    if (d.description !== undefined) deployment.description = d.description;
    if (d.revision !== undefined) deployment.revision = d.revision;
    if (d.rollbackInfo !== undefined) deployment.rollbackInfo = d.rollbackInfo;
    cd.deployments[id] = deployment;
  }
}

const SEED_KEYS: Record<string, readonly string[]> = {
  iam: ['roles', 'instanceProfiles', 'users', 'policies', 'oidcProviders'],
  ec2: ['instances'],
  autoscaling: ['groups'],
  codedeploy: ['applications', 'deploymentGroups', 'deploymentConfigs', 'deployments', 'deploymentDurationMs', 'outcomes'],
  s3: ['buckets'],
  ssm: ['instances', 'commandRules'],
};

/** Seeds often come from JSON files: a misspelt section would otherwise be ignored without a word. */
function checkSeedKeys(seed: Seed): void {
  for (const [key, value] of Object.entries(seed)) {
    if (key === 'account' || key === 'callerArn') continue;
    const known = SEED_KEYS[key];
    if (known === undefined) throw new Error(`Unknown seed section "${key}" (known: account, callerArn, ${Object.keys(SEED_KEYS).join(', ')})`);
    for (const inner of Object.keys((value ?? {}) as object)) {
      if (!known.includes(inner)) throw new Error(`Unknown seed key "${key}.${inner}" (known: ${known.join(', ')})`);
    }
  }
}

/** Adds a seed to the state. `now` is the fake clock; `region` names the region seeded resources live in. */
export function applySeed(state: FakeState, seed: Seed, ids: Ids, now: number, region: string): void {
  checkSeedKeys(seed);
  if (seed.account !== undefined) state.sts.account = seed.account;
  if (seed.callerArn !== undefined) state.sts.callerArn = seed.callerArn.replaceAll('<account>', state.sts.account);
  const context: SeedContext = { state, ids, now, region };
  if (seed.iam !== undefined) seedIam(seed.iam, context);
  for (const instance of seed.ec2?.instances ?? []) seedInstance(instance, context);
  seedAutoScaling(seed.autoscaling?.groups ?? [], context);
  if (seed.codedeploy !== undefined) seedCodeDeploy(seed.codedeploy, context);
  for (const b of seed.s3?.buckets ?? []) {
    const existing = state.s3.buckets[b.name];
    const bucket = existing ?? { name: b.name, region: b.region ?? region, createdAt: now - DAY, accessDenied: false, objects: {} };
    if (b.region !== undefined) bucket.region = b.region;
    bucket.accessDenied = b.accessDenied ?? bucket.accessDenied;
    if (b.versioned !== undefined) bucket.versioned = b.versioned;
    if (b.tags !== undefined) bucket.tags = toTags(b.tags);
    for (const o of b.objects ?? []) {
      const body = o.body ?? '';
      bucket.objects[o.key] = {
        key: o.key,
        body,
        size: Buffer.byteLength(body),
        etag: etagOf(body),
        lastModified: time(o.lastModified, now - DAY),
        contentType: o.contentType ?? (o.key.endsWith('.zip') ? 'application/zip' : 'application/octet-stream'),
        metadata: o.metadata ?? {},
        ...(o.versionId === undefined ? {} : { versionId: o.versionId }),
      };
    }
    state.s3.buckets[b.name] = bucket;
  }
  for (const m of seed.ssm?.instances ?? []) {
    const instance = state.ec2.instances[m.instanceId];
    const windows = instance?.platform === 'windows';
    state.ssm.instances[m.instanceId] = {
      instanceId: m.instanceId,
      pingStatus: m.pingStatus ?? 'Online',
      lastPingAt: time(m.lastPingAt, now - 60_000),
      agentVersion: m.agentVersion ?? '3.3.0.0',
      isLatestVersion: m.isLatestVersion ?? false,
      platformType: m.platformType ?? (windows ? 'Windows' : 'Linux'),
      platformName: m.platformName ?? (windows ? 'Microsoft Windows Server 2022 Datacenter' : 'Amazon Linux'),
      platformVersion: m.platformVersion ?? (windows ? '10.0.20348' : '2023'),
      computerName: m.computerName ?? `ip-${(instance?.privateIpAddress ?? '10.0.0.4').replaceAll('.', '-')}.ec2.internal`,
      ipAddress: m.ipAddress ?? instance?.privateIpAddress ?? '10.0.0.4',
      ...(m.iamRole === undefined ? {} : { iamRole: m.iamRole }),
    };
  }
  if (seed.ssm?.commandRules !== undefined) state.ssm.commandRules = seed.ssm.commandRules.map((rule) => ({ ...rule }));
}
