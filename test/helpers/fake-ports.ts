/**
 * An in-memory AwsPorts for setup's unit tests: state per service, a log of every call, and faults.
 * Errors are made by the real translateAwsError from SDK-shaped errors, so retries and messages are the
 * production ones. (The wire-level fake for end-to-end tests lives in test/fake-aws/.)
 */
import { translateAwsError, type AwsService } from '../../src/aws/errors.js';
import type {
  AutoScalingGroupInfo,
  AwsPorts,
  BucketLocation,
  CodeDeployApplication,
  CodeDeployDeploymentGroup,
  Ec2Instance,
  IamInstanceProfile,
  IamRole,
  LaunchProfile,
  OidcProvider,
  ProfileAssociation,
} from '../../src/aws/ports/index.js';
import type { PolicyDocument } from '../../src/aws/types.js';
import { ACCOUNT } from './fixtures.js';
import { TEARDOWN_MUTATING, createDeploymentsFake, createRevisionsFake, createTeardownFake } from './fake-teardown-port.js';

export { ACCOUNT };

export interface FakeRole {
  role: IamRole;
  attached: string[];
  inline: Record<string, PolicyDocument>;
}

export interface FakeState {
  partition: string;
  roles: Map<string, FakeRole>;
  profiles: Map<string, IamInstanceProfile>;
  instances: Map<string, Ec2Instance>;
  associations: Map<string, ProfileAssociation>;
  groups: Map<string, AutoScalingGroupInfo>;
  applications: Map<string, CodeDeployApplication>;
  deploymentGroups: Map<string, CodeDeployDeploymentGroup>;
  bucket: BucketLocation;
  /** Launch template or configuration name → the profile it sets. */
  launchProfiles: Map<string, LaunchProfile>;
  /** Custom deployment configurations of the account. */
  deploymentConfigs: string[];
  /** OIDC identity providers by host. */
  oidcProviders: Map<string, OidcProvider>;
  /** Teardown's view: CodeDeploy tags by ARN, the bucket's tags and objects (key → metadata), launch hooks per Auto Scaling group, running deployments per "app/group". */
  codeDeployTags: Map<string, Record<string, string>>;
  bucketTags: Record<string, string>;
  objects: Map<string, Record<string, string>>;
  hooks: Map<string, string[]>;
  activeDeployments: Map<string, string[]>;
}

export interface Call {
  service: AwsService;
  operation: string;
  args: unknown[];
}

export const MUTATING = new Set([
  'CreateRole',
  'UpdateAssumeRolePolicy',
  'AttachRolePolicy',
  'PutRolePolicy',
  'CreateInstanceProfile',
  'AddRoleToInstanceProfile',
  'RemoveRoleFromInstanceProfile',
  'TagRole',
  'AssociateIamInstanceProfile',
  'ReplaceIamInstanceProfileAssociation',
  'CreateTags',
  'CreateApplication',
  'CreateDeploymentGroup',
  'UpdateDeploymentGroup',
  'CreateOpenIDConnectProvider',
  'AddClientIDToOpenIDConnectProvider',
  'PutObject',
  'RegisterApplicationRevision',
  'CreateDeployment',
  ...TEARDOWN_MUTATING,
]);

export interface Fault {
  operation: string;
  /** SDK-shaped error (name + message), translated like a real one. */
  error: { name: string; message: string };
  /** How many calls fail (default: every one). */
  times?: number;
}

export interface FakeAws {
  ports: AwsPorts;
  state: FakeState;
  calls: Call[];
  faults: Fault[];
  mutations(): string[];
}

export function emptyState(partition = 'aws'): FakeState {
  return {
    partition,
    roles: new Map(),
    profiles: new Map(),
    instances: new Map(),
    associations: new Map(),
    groups: new Map(),
    applications: new Map(),
    deploymentGroups: new Map(),
    bucket: { status: 'found', region: 'eu-west-1' },
    launchProfiles: new Map(),
    deploymentConfigs: [],
    oidcProviders: new Map(),
    codeDeployTags: new Map(),
    bucketTags: {},
    objects: new Map(),
    hooks: new Map(),
    activeDeployments: new Map(),
  };
}

/** A port the in-memory fake does not model: any call fails the test, naming it. */
function unmodelled<T>(name: string): T {
  return new Proxy({}, { get: (_target, key) => () => Promise.reject(new Error(`fake-ports: ${name}.${String(key)} is not modelled`)) }) as T;
}

export function instance(id: string, extra: Partial<Ec2Instance> = {}): Ec2Instance {
  return { id, state: 'running', tags: {}, platform: 'Linux/UNIX', ...extra };
}

const clone = <T>(value: T): T => structuredClone(value);

export function createFakeAws(state: FakeState = emptyState(), region = 'eu-west-1'): FakeAws {
  const calls: Call[] = [];
  const faults: Fault[] = [];
  let counter = 0;
  const p = state.partition;

  const hit = (service: AwsService, operation: string, ...args: unknown[]) => {
    calls.push({ service, operation, args: clone(args) });
    const fault = faults.find((f) => f.operation === operation && (f.times === undefined || f.times > 0));
    if (fault) {
      if (fault.times !== undefined) fault.times -= 1;
      throw translateAwsError(Object.assign(new Error(fault.error.message), { name: fault.error.name }), { service, operation }, { region, env: {} });
    }
  };
  const fail = (service: AwsService, operation: string, name: string, message: string) =>
    translateAwsError(Object.assign(new Error(message), { name }), { service, operation }, { region, env: {} });

  const ports: AwsPorts = {
    identity: {
      async whoAmI() {
        hit('STS', 'GetCallerIdentity');
        return { account: ACCOUNT, arn: `arn:${p}:sts::${ACCOUNT}:assumed-role/Admin/alice`, partition: p };
      },
    },
    iam: {
      async getRole(name) {
        hit('IAM', 'GetRole', name);
        const found = state.roles.get(name);
        return found ? clone(found.role) : undefined;
      },
      async createRole({ name, trust, tags }) {
        hit('IAM', 'CreateRole', name, trust, tags);
        const existing = state.roles.get(name);
        if (existing) return { role: clone(existing.role), created: false };
        const role: IamRole = { name, arn: `arn:${p}:iam::${ACCOUNT}:role/${name}`, path: '/', trust: clone(trust), tags: { ...tags } };
        state.roles.set(name, { role, attached: [], inline: {} });
        return { role: clone(role), created: true };
      },
      async updateTrust(name, trust) {
        hit('IAM', 'UpdateAssumeRolePolicy', name, trust);
        const role = state.roles.get(name);
        if (!role) throw fail('IAM', 'UpdateAssumeRolePolicy', 'NoSuchEntityException', `The role with name ${name} cannot be found.`);
        role.role.trust = clone(trust);
      },
      async listAttachedPolicies(name) {
        hit('IAM', 'ListAttachedRolePolicies', name);
        return [...(state.roles.get(name)?.attached ?? [])];
      },
      async attachPolicy(name, arn) {
        hit('IAM', 'AttachRolePolicy', name, arn);
        const role = state.roles.get(name);
        if (!role) throw fail('IAM', 'AttachRolePolicy', 'NoSuchEntityException', `The role with name ${name} cannot be found.`);
        if (!role.attached.includes(arn)) role.attached.push(arn);
      },
      async getInlinePolicy(name, policy) {
        hit('IAM', 'GetRolePolicy', name, policy);
        const doc = state.roles.get(name)?.inline[policy];
        return doc ? clone(doc) : undefined;
      },
      async putInlinePolicy(name, policy, document) {
        hit('IAM', 'PutRolePolicy', name, policy, document);
        const role = state.roles.get(name);
        if (!role) throw fail('IAM', 'PutRolePolicy', 'NoSuchEntityException', `The role with name ${name} cannot be found.`);
        role.inline[policy] = clone(document);
      },
      async listRoles() {
        hit('IAM', 'ListRoles');
        return [...state.roles.values()].map((r) => clone(r.role));
      },
      async getInstanceProfile(name) {
        hit('IAM', 'GetInstanceProfile', name);
        const found = state.profiles.get(name);
        return found ? clone(found) : undefined;
      },
      async createInstanceProfile({ name, tags }) {
        hit('IAM', 'CreateInstanceProfile', name, tags);
        const existing = state.profiles.get(name);
        if (existing) return { profile: clone(existing), created: false };
        const profile: IamInstanceProfile = { name, arn: `arn:${p}:iam::${ACCOUNT}:instance-profile/${name}`, roles: [], tags: { ...tags } };
        state.profiles.set(name, profile);
        return { profile: clone(profile), created: true };
      },
      async addRoleToInstanceProfile(profileName, roleName) {
        hit('IAM', 'AddRoleToInstanceProfile', profileName, roleName);
        const profile = state.profiles.get(profileName);
        const role = state.roles.get(roleName);
        if (!profile || !role) throw fail('IAM', 'AddRoleToInstanceProfile', 'NoSuchEntityException', 'not found');
        if (profile.roles.some((r) => r.name === roleName)) return;
        if (profile.roles.length > 0) throw fail('IAM', 'AddRoleToInstanceProfile', 'LimitExceededException', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
        profile.roles.push({ name: roleName, arn: role.role.arn });
      },
      async removeRoleFromInstanceProfile(profileName, roleName) {
        hit('IAM', 'RemoveRoleFromInstanceProfile', profileName, roleName);
        const profile = state.profiles.get(profileName);
        if (profile) profile.roles = profile.roles.filter((r) => r.name !== roleName);
      },
      async tagRole(name, tags) {
        hit('IAM', 'TagRole', name, tags);
        const role = state.roles.get(name);
        if (role) Object.assign(role.role.tags, tags);
      },
      async findOidcProvider(host) {
        hit('IAM', 'ListOpenIDConnectProviders', host);
        const found = state.oidcProviders.get(host);
        return found ? clone(found) : undefined;
      },
      async createOidcProvider({ url, audiences, tags }) {
        hit('IAM', 'CreateOpenIDConnectProvider', url, audiences, tags);
        const host = url.replace(/^https:\/\//, '');
        const existing = state.oidcProviders.get(host);
        if (existing) return { arn: existing.arn, created: false };
        const provider: OidcProvider = { arn: `arn:${p}:iam::${ACCOUNT}:oidc-provider/${host}`, url: host, audiences: [...audiences], tags: { ...tags } };
        state.oidcProviders.set(host, provider);
        return { arn: provider.arn, created: true };
      },
      async addOidcAudience(arn, audience) {
        hit('IAM', 'AddClientIDToOpenIDConnectProvider', arn, audience);
        const provider = [...state.oidcProviders.values()].find((candidate) => candidate.arn === arn);
        if (!provider) throw fail('IAM', 'AddClientIDToOpenIDConnectProvider', 'NoSuchEntityException', `OpenIDConnect Provider not found for arn ${arn}`);
        if (!provider.audiences.includes(audience)) provider.audiences.push(audience);
      },
    },
    ec2: {
      async describeInstances(ids) {
        hit('EC2', 'DescribeInstances', ids);
        const found = ids.flatMap((id) => {
          const inst = state.instances.get(id);
          return inst ? [clone(inst)] : [];
        });
        return { found, missing: ids.filter((id) => !state.instances.has(id)) };
      },
      async listInstances() {
        hit('EC2', 'DescribeInstances');
        return [...state.instances.values()].map(clone);
      },
      async instancesWithTags(keys, values = []) {
        hit('EC2', 'DescribeInstances', keys, values);
        return [...state.instances.values()]
          .filter((i) => i.state !== 'terminated' && (keys.some((key) => key in i.tags) || values.some((value) => Object.values(i.tags).includes(value))))
          .map(clone);
      },
      async launchTemplateProfile(template) {
        hit('EC2', 'DescribeLaunchTemplateVersions', template);
        const profile = state.launchProfiles.get(template);
        return profile ? clone(profile) : { status: 'unknown', reason: `launch template ${template} does not exist` };
      },
      async getProfileAssociations(ids) {
        hit('EC2', 'DescribeIamInstanceProfileAssociations', ids);
        return ids.flatMap((id) => {
          const a = state.associations.get(id);
          return a ? [clone(a)] : [];
        });
      },
      async associateProfile(instanceId, profileName) {
        hit('EC2', 'AssociateIamInstanceProfile', instanceId, profileName);
        const profile = state.profiles.get(profileName);
        if (!profile) throw fail('EC2', 'AssociateIamInstanceProfile', 'InvalidParameterValue', `Value (${profileName}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`);
        const existing = state.associations.get(instanceId);
        if (existing) {
          if (existing.profileArn === profile.arn) return { associationId: existing.id };
          throw fail('EC2', 'AssociateIamInstanceProfile', 'IncorrectState', `There is an existing association for instance ${instanceId}`);
        }
        const association = { id: `iip-assoc-${++counter}`, instanceId, profileArn: profile.arn, state: 'associated' };
        state.associations.set(instanceId, association);
        const inst = state.instances.get(instanceId);
        if (inst) inst.profileArn = profile.arn;
        return { associationId: association.id };
      },
      async replaceProfile(associationId, profileName) {
        hit('EC2', 'ReplaceIamInstanceProfileAssociation', associationId, profileName);
        const profile = state.profiles.get(profileName);
        const entry = [...state.associations.values()].find((a) => a.id === associationId);
        if (!profile || !entry) throw fail('EC2', 'ReplaceIamInstanceProfileAssociation', 'InvalidParameterValue', 'Invalid IAM Instance Profile name');
        const association = { ...entry, id: `iip-assoc-${++counter}`, profileArn: profile.arn };
        state.associations.set(entry.instanceId, association);
        const inst = state.instances.get(entry.instanceId);
        if (inst) inst.profileArn = profile.arn;
        return { associationId: association.id };
      },
      async createTags(ids, tags) {
        hit('EC2', 'CreateTags', ids, tags);
        for (const id of ids) Object.assign(state.instances.get(id)?.tags ?? {}, tags);
      },
    },
    autoScaling: {
      async describeGroups(names) {
        hit('AutoScaling', 'DescribeAutoScalingGroups', names);
        const found = names.flatMap((n) => {
          const g = state.groups.get(n);
          return g ? [clone(g)] : [];
        });
        return { found, missing: names.filter((n) => !state.groups.has(n)) };
      },
      async listGroups() {
        hit('AutoScaling', 'DescribeAutoScalingGroups');
        return [...state.groups.values()].map(clone);
      },
      async launchConfigurationProfile(name) {
        hit('AutoScaling', 'DescribeLaunchConfigurations', name);
        const profile = state.launchProfiles.get(name);
        return profile ? clone(profile) : { status: 'unknown', reason: `launch configuration ${name} does not exist` };
      },
    },
    codeDeploy: {
      async getApplication(name) {
        hit('CodeDeploy', 'GetApplication', name);
        const app = state.applications.get(name);
        return app ? clone(app) : undefined;
      },
      async createApplication({ name, tags }) {
        hit('CodeDeploy', 'CreateApplication', name, tags);
        const existing = state.applications.get(name);
        if (existing) return { application: clone(existing), created: false };
        const app = { name, id: `app-${++counter}`, computePlatform: 'Server' };
        state.applications.set(name, app);
        state.codeDeployTags.set(`arn:${p}:codedeploy:${region}:${ACCOUNT}:application:${name}`, { ...tags });
        return { application: clone(app), created: true };
      },
      async listApplications() {
        hit('CodeDeploy', 'ListApplications');
        return [...state.applications.keys()];
      },
      async getDeploymentGroup(application, name) {
        hit('CodeDeploy', 'GetDeploymentGroup', application, name);
        const group = state.deploymentGroups.get(`${application}/${name}`);
        return group ? clone(group) : undefined;
      },
      async createDeploymentGroup(spec, tags) {
        hit('CodeDeploy', 'CreateDeploymentGroup', spec, tags);
        if (!state.roles.has(spec.serviceRoleArn.split('/').pop() ?? '')) {
          throw fail('CodeDeploy', 'CreateDeploymentGroup', 'InvalidRoleException', 'Cannot assume role provided.');
        }
        const key = `${spec.application}/${spec.name}`;
        const existing = state.deploymentGroups.get(key);
        if (existing) return { id: existing.id, created: false };
        const group: CodeDeployDeploymentGroup = {
          application: spec.application,
          name: spec.name,
          id: `dg-${++counter}`,
          serviceRoleArn: spec.serviceRoleArn,
          tagGroups: clone(spec.tagGroups ?? []),
          tagForm: (spec.tagGroups?.length ?? 0) > 1 ? 'set' : (spec.tagGroups?.length ?? 0) === 1 ? 'filters' : 'none',
          autoScalingGroups: [...(spec.autoScalingGroups ?? [])],
          deploymentConfig: spec.deploymentConfig,
          autoRollback: { enabled: spec.autoRollback, events: spec.autoRollback ? ['DEPLOYMENT_FAILURE'] : [] },
          deploymentOption: spec.targetGroupName ? 'WITH_TRAFFIC_CONTROL' : 'WITHOUT_TRAFFIC_CONTROL',
          targetGroupNames: spec.targetGroupName ? [spec.targetGroupName] : [],
        };
        state.deploymentGroups.set(key, group);
        state.codeDeployTags.set(`arn:${p}:codedeploy:${region}:${ACCOUNT}:deploymentgroup:${key}`, { ...tags });
        for (const asg of group.autoScalingGroups) state.hooks.set(asg, [...(state.hooks.get(asg) ?? []), `CodeDeploy-managed-automatic-launch-deployment-hook-${spec.name}-${++counter}`]);
        return { id: group.id, created: true };
      },
      async updateDeploymentGroup(spec, previous) {
        hit('CodeDeploy', 'UpdateDeploymentGroup', spec, previous);
        const key = `${spec.application}/${spec.name}`;
        const group = state.deploymentGroups.get(key);
        if (!group) throw fail('CodeDeploy', 'UpdateDeploymentGroup', 'DeploymentGroupDoesNotExistException', 'No such group');
        group.serviceRoleArn = spec.serviceRoleArn;
        if (spec.tagGroups) {
          group.tagGroups = clone(spec.tagGroups);
          group.tagForm = spec.tagGroups.length > 1 ? 'set' : 'filters';
        }
        if (spec.autoScalingGroups) group.autoScalingGroups = [...spec.autoScalingGroups];
        group.deploymentConfig = spec.deploymentConfig;
        group.autoRollback = { enabled: spec.autoRollback, events: spec.autoRollback ? ['DEPLOYMENT_FAILURE'] : previous.autoRollback.events };
        if (spec.targetGroupName) {
          group.deploymentOption = 'WITH_TRAFFIC_CONTROL';
          group.targetGroupNames = [spec.targetGroupName];
        }
      },
      async listDeploymentGroups(application) {
        hit('CodeDeploy', 'ListDeploymentGroups', application);
        return [...state.deploymentGroups.values()].filter((g) => g.application === application).map((g) => g.name);
      },
      async tagsOf(arn) {
        hit('CodeDeploy', 'ListTagsForResource', arn);
        return { ...(state.codeDeployTags.get(arn) ?? {}) };
      },
      async deploymentConfigExists(name) {
        hit('CodeDeploy', 'GetDeploymentConfig', name);
        return name.startsWith('CodeDeployDefault.') || state.deploymentConfigs.includes(name);
      },
    },
    s3: {
      async bucketLocation(bucket) {
        hit('S3', 'HeadBucket', bucket);
        return clone(state.bucket);
      },
      async createBucket({ name, region: bucketRegion, tags }) {
        hit('S3', 'CreateBucket', name, bucketRegion, tags);
        if (state.bucket.status === 'found') return { created: false };
        state.bucket = { status: 'found', region: bucketRegion };
        state.bucketTags = { ...tags };
        return { created: true };
      },
      async listBuckets() {
        hit('S3', 'ListBuckets');
        return state.bucket.status === 'found' ? ['my-revisions'] : [];
      },
    },
    deployments: createDeploymentsFake(state, hit),
    ssm: unmodelled('ssm'),
    revisions: createRevisionsFake(state, hit, fail),
    inspect: {
      async simulate(principal, actions) {
        hit('IAM', 'SimulatePrincipalPolicy', actions);
        // A coarse model: a role with any policy may do what is asked; a role with none may do nothing.
        const role = state.roles.get(principal.split('/').pop() ?? '');
        const allowed = role !== undefined && (role.attached.length > 0 || Object.keys(role.inline).length > 0);
        return actions.map((action) => ({ action, decision: allowed ? ('allowed' as const) : ('implicitDeny' as const) }));
      },
      async headObject() {
        hit('S3', 'HeadObject');
        return { status: 'found', size: 1 };
      },
      async lifecycleHooks(asg) {
        hit('AutoScaling', 'DescribeLifecycleHooks');
        return (state.hooks.get(asg) ?? []).map((name) => ({ name, transition: 'autoscaling:EC2_INSTANCE_LAUNCHING' }));
      },
    },
    teardown: createTeardownFake(state, hit, fail),
  };

  return {
    ports,
    state,
    calls,
    faults,
    mutations: () => calls.filter((call) => MUTATING.has(call.operation)).map((call) => call.operation),
  };
}

/** A port call's start or end, in the order they happened (traceCalls). */
export interface TracedCall {
  phase: 'start' | 'end';
  /** "iam.createRole": the port and its method. */
  call: string;
}

/**
 * Makes every port call of `aws` take `turns` event-loop turns (default 1; per "port.method" in `slow`) before it
 * runs, and logs its start and end: what the executor runs at once shows as starts before any of their ends.
 */
export function traceCalls(aws: FakeAws, slow: Readonly<Record<string, number>> = {}): TracedCall[] {
  const log: TracedCall[] = [];
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  for (const [portName, port] of Object.entries(aws.ports) as Array<[string, Record<string, unknown>]>) {
    for (const [method, original] of Object.entries(port)) {
      if (typeof original !== 'function') continue;
      const call = `${portName}.${method}`;
      port[method] = async (...args: unknown[]) => {
        log.push({ phase: 'start', call });
        for (let i = 0; i < (slow[call] ?? 1); i += 1) await turn();
        try {
          return await (original as (...a: unknown[]) => Promise<unknown>).apply(port, args);
        } finally {
          log.push({ phase: 'end', call });
        }
      };
    }
  }
  return log;
}
