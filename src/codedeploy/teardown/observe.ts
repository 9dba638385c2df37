import type { AwsPorts, CallerIdentity, CodeDeployDeploymentGroup, Ec2Instance, IamInstanceProfile, IamRole, OidcProvider, ProfileAssociation } from '../../aws/ports/index.js';
import type { DeploymentStatus } from '../../aws/ports/deployments.js';
import type { DraftAnswers } from '../answers.js';
import { asList } from '../documents.js';
import { applicationArn, deploymentGroupArn } from '../names.js';
import { LAUNCH_HOOK_PREFIX } from '../resources/auto-scaling.js';
import { isUploadedByCdWizard } from '../revisions.js';
import { madeByUs, type RecordKey, type SetupState } from '../state.js';

/**
 * Teardown looks first, concurrently and read-only, at exactly what the answers file records: the deployment group
 * (and deployments still running in it), the application and its other groups, the roles with every policy and
 * instance profile that holds them, the instance profile and every instance that carries it, the recorded instances
 * with their current profile and tags, leftover launch hooks, the revision bucket with its objects, and GitHub's OIDC
 * provider with the roles that trust it. Only records setup marked "created" (or "pending") are looked at closely:
 * nothing else can be deleted.
 */

/** The records of roles teardown can remove; a role added to the answers file's state is one more entry here. */
export const ROLE_RECORDS = ['serviceRole', 'instanceRole', 'deployRole'] as const satisfies readonly RecordKey[];
export type RoleRecordKey = (typeof ROLE_RECORDS)[number];

/** Statuses of a deployment that has not finished: deleting its group (or its instances' profile) breaks it. */
export const ACTIVE_DEPLOYMENT_STATUSES: readonly DeploymentStatus[] = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'];

/** The prefixes of the Auto Scaling lifecycle hooks CodeDeploy installs for a deployment group. */
export function hookPrefixes(group: string): string[] {
  return [`${LAUNCH_HOOK_PREFIX}${group}-`, `CodeDeploy-managed-automatic-termination-deployment-hook-${group}-`];
}

export interface ObservedRoleForTeardown {
  role: IamRole;
  attached: string[];
  inline: string[];
  /** Instance profiles that hold it. */
  profiles: string[];
  /** Service role: deployment groups of the region that use it ("app/group"). */
  usedBy: string[];
}

export interface ObservedObject {
  key: string;
  /** cd-wizard uploaded it (see revisions.ts). */
  ours: boolean;
}

export interface TeardownObservation {
  identity: CallerIdentity;
  group?: { info: CodeDeployDeploymentGroup; tags: Record<string, string>; active: string[] };
  application?: { tags: Record<string, string>; groups: string[] };
  roles: Partial<Record<RoleRecordKey, ObservedRoleForTeardown>>;
  profile?: { profile: IamInstanceProfile; users: Ec2Instance[] };
  /** Recorded instances that still exist (terminated ones are left out). */
  instances: Ec2Instance[];
  associations: ProfileAssociation[];
  /** Lifecycle hooks still named for the group, per Auto Scaling group (only looked for when the group is gone). */
  hooks: Array<{ asg: string; hooks: string[] }>;
  bucket?: { tags: Record<string, string>; objects: ObservedObject[] };
  /** The OIDC provider and the roles of the account whose trust names it (the deploy role among them). */
  oidcProvider?: { provider: OidcProvider; trustedBy: string[] };
}

/** What teardown works on: the answers and what setup recorded. */
export interface TeardownInput {
  answers: DraftAnswers;
  state: SetupState;
}

const created = (state: SetupState, key: RecordKey) => madeByUs(state[key]);

async function observeRole(ports: AwsPorts, name: string, service: boolean): Promise<ObservedRoleForTeardown | undefined> {
  const role = await ports.iam.getRole(name);
  if (!role) return undefined;
  const [attached, inline, profiles, usedBy] = await Promise.all([
    ports.iam.listAttachedPolicies(name),
    ports.teardown.listInlinePolicies(name),
    ports.teardown.profilesOfRole(name),
    service && role.arn !== '' ? ports.teardown.groupsUsingRole(role.arn) : Promise.resolve([]),
  ]);
  return { role, attached, inline, profiles, usedBy };
}

async function observeGroup(ports: AwsPorts, app: string, group: string, where: { partition: string; region: string; account: string }): Promise<TeardownObservation['group']> {
  const info = await ports.codeDeploy.getDeploymentGroup(app, group);
  if (!info) return undefined;
  const [tags, active] = await Promise.all([
    ports.codeDeploy.tagsOf(deploymentGroupArn(where, app, group)),
    ports.deployments.listDeployments(app, group, { statuses: ACTIVE_DEPLOYMENT_STATUSES }),
  ]);
  return { info, tags, active };
}

async function observeApplication(ports: AwsPorts, app: string, where: { partition: string; region: string; account: string }): Promise<TeardownObservation['application']> {
  const found = await ports.codeDeploy.getApplication(app);
  if (!found) return undefined;
  const [tags, groups] = await Promise.all([ports.codeDeploy.tagsOf(applicationArn(where, app)), ports.codeDeploy.listDeploymentGroups(app)]);
  return { tags, groups };
}

async function observeProfile(ports: AwsPorts, name: string): Promise<TeardownObservation['profile']> {
  const profile = await ports.iam.getInstanceProfile(name);
  if (!profile) return undefined;
  return { profile, users: profile.arn === '' ? [] : await ports.teardown.instancesUsingProfile(profile.arn) };
}

/** Names of the roles whose trust policy lets the OIDC provider `arn` in (a Federated principal), read from ListRoles. */
export async function rolesTrusting(ports: AwsPorts, arn: string): Promise<string[]> {
  const roles = await ports.iam.listRoles();
  const trusts = (role: IamRole) =>
    (role.trust?.Statement ?? []).some((statement) => statement.Principal !== undefined && statement.Principal !== '*' && asList(statement.Principal.Federated).includes(arn));
  return roles.filter(trusts).map((role) => role.name);
}

async function observeOidcProvider(ports: AwsPorts, host: string): Promise<TeardownObservation['oidcProvider']> {
  const provider = await ports.iam.findOidcProvider(host);
  if (!provider) return undefined;
  return { provider, trustedBy: await rolesTrusting(ports, provider.arn) };
}

/** Objects are checked for cd-wizard's upload mark 16 at a time. */
const HEAD_CONCURRENCY = 16;

async function observeBucket(ports: AwsPorts, bucket: string, app: string | undefined): Promise<TeardownObservation['bucket']> {
  const tags = await ports.teardown.bucketTags(bucket);
  if (tags === undefined) return undefined;
  const listed = await ports.teardown.listObjects(bucket);
  const objects: ObservedObject[] = [];
  for (let i = 0; i < listed.length; i += HEAD_CONCURRENCY) {
    const part = listed.slice(i, i + HEAD_CONCURRENCY);
    const heads = await Promise.all(part.map((object) => ports.teardown.objectMetadata(bucket, object.key)));
    part.forEach((object, n) => objects.push({ key: object.key, ours: app !== undefined && isUploadedByCdWizard({ key: object.key, metadata: heads[n] ?? {} }, app) }));
  }
  return { tags, objects };
}

async function leftoverHooks(ports: AwsPorts, asgs: readonly string[], group: string): Promise<TeardownObservation['hooks']> {
  const prefixes = hookPrefixes(group);
  const found = await Promise.all(
    asgs.map(async (asg) => {
      const hooks = await ports.inspect.lifecycleHooks(asg).catch(() => []);
      return { asg, hooks: hooks.map((hook) => hook.name).filter((name) => prefixes.some((prefix) => name.startsWith(prefix))) };
    }),
  );
  return found.filter((entry) => entry.hooks.length > 0);
}

export async function observeTeardown(input: TeardownInput, ports: AwsPorts, region: string): Promise<TeardownObservation> {
  const { answers, state } = input;
  const identity = await ports.identity.whoAmI();
  const where = { partition: identity.partition, region, account: identity.account };
  const app = state.application?.name ?? answers.app;
  const groupName = state.deploymentGroup?.name ?? answers.group;
  const ids = Object.keys(state.instances ?? {});

  const [group, application, profile, described, associations, bucket, oidcProvider, ...roles] = await Promise.all([
    app !== undefined && groupName !== undefined && state.deploymentGroup ? observeGroup(ports, app, groupName, where) : Promise.resolve(undefined),
    app !== undefined && created(state, 'application') ? observeApplication(ports, app, where) : Promise.resolve(undefined),
    state.instanceProfile && created(state, 'instanceProfile') ? observeProfile(ports, state.instanceProfile.name) : Promise.resolve(undefined),
    ports.ec2.describeInstances(ids),
    ports.ec2.getProfileAssociations(ids),
    state.bucket && created(state, 'bucket') ? observeBucket(ports, state.bucket.name, app) : Promise.resolve(undefined),
    state.oidcProvider && created(state, 'oidcProvider') ? observeOidcProvider(ports, state.oidcProvider.name) : Promise.resolve(undefined),
    ...ROLE_RECORDS.map((key) => {
      const record = state[key];
      return madeByUs(record) ? observeRole(ports, record.name, key === 'serviceRole') : Promise.resolve(undefined);
    }),
  ]);
  // The launch hooks are CodeDeploy's to remove with the group; only a group already gone can have left some behind.
  const hooks = !group && groupName !== undefined && created(state, 'deploymentGroup') ? await leftoverHooks(ports, answers.asg ?? [], groupName) : [];
  return {
    identity,
    ...(group ? { group } : {}),
    ...(application ? { application } : {}),
    roles: Object.fromEntries(ROLE_RECORDS.flatMap((key, i) => (roles[i] ? [[key, roles[i]]] : []))),
    ...(profile ? { profile } : {}),
    instances: described.found.filter((instance) => instance.state !== 'terminated' && instance.state !== 'shutting-down'),
    associations,
    hooks,
    ...(bucket ? { bucket } : {}),
    ...(oidcProvider ? { oidcProvider } : {}),
  };
}
