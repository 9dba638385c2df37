/**
 * The world the setup end-to-end tests run in: a fake AWS seeded with two instances and a revision bucket, the
 * flags that set them up, fresh working folders, and the views of the fake's state and call log the tests
 * compare (a state without ids and times, the successful changes a run made).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isMutatingAction, startFakeAws, type CallRecord, type FakeAws, type FakeAwsOptions, type FakeState, type Seed } from '../../fake-aws/index.js';
import { runCli, type CliRun, type RunOptions } from './run-cli.js';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const INSTANCES = ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2'] as const;
export const BUCKET = 'my-revisions';

/** Two running, untagged Linux instances without a profile, and the revision bucket in the same region. */
export const SEED: Seed = {
  ec2: { instances: INSTANCES.map((id, i) => ({ id, name: `web-${i + 1}` })) },
  s3: { buckets: [{ name: BUCKET, region: REGION }] },
};

/** A complete non-interactive setup of both instances, with the default names. */
export const SETUP_FLAGS = ['setup', '--app', 'web', '--group', 'prod', '--bucket', BUCKET, '--instances', INSTANCES.join(',')] as const;

/** Starts a fake seeded with SEED (or `options.seed`), stopped when the test ends (pass the test's onTestFinished). */
export async function startSeededFake(onTestFinished: (fn: () => Promise<void>) => void, options: FakeAwsOptions = {}): Promise<FakeAws> {
  const aws = await startFakeAws({ seed: SEED, ...options });
  onTestFinished(() => aws.close());
  return aws;
}

/** A new, empty working folder (removed by cleanupDirs). */
const dirs: string[] = [];
export function tempDir(prefix = 'cdw-e2e-setup-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}
export function cleanupDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function writeJson(path: string, value: unknown): string {
  writeFileSync(path, typeof value === 'string' ? value : `${JSON.stringify(value, null, 2)}\n`);
  return path;
}

/** The environment for the CLI against `aws`: its endpoint and keys, standard retries (adaptive adds seconds per throttle). */
export function awsEnv(aws: FakeAws, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...aws.env(), AWS_RETRY_MODE: 'standard', ...extra };
}

export function runSetupCli(aws: FakeAws, args: readonly string[], options: RunOptions & { cwd: string }): Promise<CliRun> {
  return runCli(args, { timeoutMs: 30_000, ...options, env: awsEnv(aws, options.env) });
}

/* ---------- views of the fake ---------- */

type TagList = ReadonlyArray<{ Key: string; Value: string }>;
const tagMap = (tags: TagList) => Object.fromEntries([...tags].sort((a, b) => a.Key.localeCompare(b.Key)).map((tag) => [tag.Key, tag.Value]));
const parse = (text: string): unknown => JSON.parse(text);

/**
 * The fake's state as setup shapes it, without what differs between two equivalent runs (generated ids,
 * creation times, association ids): two runs that end in the same place give equal views.
 */
export function setupView(state: FakeState) {
  const roles = Object.values(state.iam.roles)
    .map((role) => ({
      name: role.name,
      path: role.path,
      description: role.description,
      trust: parse(role.trustPolicy),
      tags: tagMap(role.tags),
      attachedPolicies: role.attachedPolicies,
      inlinePolicies: Object.fromEntries(Object.entries(role.inlinePolicies).map(([name, text]) => [name, parse(text)])),
    }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const instanceProfiles = Object.values(state.iam.instanceProfiles).map((profile) => ({ name: profile.name, arn: profile.arn, roles: profile.roles, tags: tagMap(profile.tags) }));
  const instances = Object.values(state.ec2.instances).map((instance) => ({ id: instance.id, state: instance.state, tags: tagMap(instance.tags) }));
  const associations = Object.values(state.ec2.associations)
    .map((association) => ({ instanceId: association.instanceId, profileArn: association.profileArn, state: association.state }))
    .sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  const applications = Object.values(state.codedeploy.applications).map((app) => ({ name: app.name, computePlatform: app.computePlatform, tags: tagMap(app.tags) }));
  const deploymentGroups = Object.values(state.codedeploy.deploymentGroups).map(({ id: _id, tags, ...group }) => ({ ...group, tags: tagMap(tags) }));
  return { roles, instanceProfiles, instances, associations, applications, deploymentGroups };
}

/** Everything that would be a duplicate after an interrupted run, as readable complaints (empty: none). */
export function duplicatesIn(state: FakeState): string[] {
  const problems: string[] = [];
  const count = <T>(items: readonly T[], key: (item: T) => string) => {
    const seen = new Map<string, number>();
    for (const item of items) seen.set(key(item), (seen.get(key(item)) ?? 0) + 1);
    return [...seen].filter(([, n]) => n > 1);
  };
  const roles = Object.values(state.iam.roles);
  if (roles.length !== 2) problems.push(`${roles.length} roles: ${roles.map((role) => role.name).join(', ')}`);
  for (const role of roles) {
    for (const [arn, n] of count(role.attachedPolicies, (arn) => arn)) problems.push(`${role.name} has ${arn} attached ${n} times`);
    for (const [key, n] of count(role.tags, (tag) => tag.Key.toLowerCase())) problems.push(`role ${role.name} has tag ${key} ${n} times`);
  }
  const profiles = Object.values(state.iam.instanceProfiles);
  if (profiles.length !== 1) problems.push(`${profiles.length} instance profiles`);
  for (const profile of profiles) if (profile.roles.length !== 1) problems.push(`profile ${profile.name} holds ${profile.roles.length} roles`);
  const associations = Object.values(state.ec2.associations);
  for (const id of INSTANCES) {
    const n = associations.filter((association) => association.instanceId === id).length;
    if (n !== 1) problems.push(`${id} has ${n} profile associations`);
  }
  for (const instance of Object.values(state.ec2.instances)) {
    for (const [key, n] of count(instance.tags, (tag) => tag.Key)) problems.push(`${instance.id} has tag ${key} ${n} times`);
  }
  const apps = Object.keys(state.codedeploy.applications);
  if (apps.length !== 1) problems.push(`${apps.length} applications`);
  const groups = Object.keys(state.codedeploy.deploymentGroups);
  if (groups.length !== 1) problems.push(`${groups.length} deployment groups`);
  return problems;
}

/** A call as "service:Action", for readable lists. */
export const callName = (call: CallRecord) => `${call.service}:${call.action}`;

/** The changes that took effect (mutating calls AWS answered with 2xx), as "service:Action <main parameter>", sorted. */
export function effectiveChanges(calls: readonly CallRecord[]): string[] {
  return calls
    .filter((call) => isMutatingAction(call.action) && call.status >= 200 && call.status < 300)
    .map((call) => {
      const params = call.params as Record<string, unknown>;
      const subject = params.RoleName ?? params.InstanceProfileName ?? params.InstanceId ?? params.applicationName ?? params.ResourceId ?? '';
      const extra = params.deploymentGroupName ?? params.PolicyArn ?? params.PolicyName ?? '';
      return `${callName(call)} ${JSON.stringify(subject)}${extra ? ` ${JSON.stringify(extra)}` : ''}`;
    })
    .sort();
}

/** A printed stack frame ("    at fn (file.js:1:2)"): the CLI must never show one. */
export const STACK_FRAME = /^\s+at .+:\d+:\d+\)?$/m;

/** Kill points in a list of call positions: its first, middle or last (the end-to-end tests sample; the unit tests try every one). */
export const pick = (positions: readonly number[], which: ReadonlyArray<'first' | 'middle' | 'last'>): number[] =>
  which.map((one) => positions[one === 'first' ? 0 : one === 'last' ? positions.length - 1 : Math.floor(positions.length / 2)]).filter((n): n is number => n !== undefined);
