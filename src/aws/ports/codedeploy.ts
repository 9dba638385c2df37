import type { CodeDeployHandle, CodeDeploySdk } from '../clients.js';
import { isAwsCode } from '../errors.js';
import type { TargetTag } from '../types.js';
import { call, createOrReuse, paginate } from './call.js';

export interface CodeDeployApplication {
  name: string;
  id: string;
  /** Server (EC2/on-premises), Lambda or ECS. */
  computePlatform: string;
}

/** What cd-wizard sets on a deployment group. Fields left undefined are not touched on update. */
export interface DeploymentGroupSpec {
  application: string;
  name: string;
  serviceRoleArn: string;
  /** [] none; one group → ec2TagFilters (OR); several → ec2TagSet (AND across groups, OR within one). */
  tagGroups?: TargetTag[][];
  autoScalingGroups?: string[];
  deploymentConfig: string;
  autoRollback: boolean;
  /** ALB/NLB target group name → in-place WITH_TRAFFIC_CONTROL. */
  targetGroupName?: string;
}

export interface CodeDeployDeploymentGroup {
  application: string;
  name: string;
  id: string;
  serviceRoleArn: string;
  tagGroups: TargetTag[][];
  /** Whether the tags are a flat filter list or a tag set (matters when switching between them). */
  tagForm: 'filters' | 'set' | 'none';
  autoScalingGroups: string[];
  deploymentConfig: string;
  autoRollback: { enabled: boolean; events: string[] };
  deploymentOption: string;
  targetGroupNames: string[];
}

export interface CodeDeployPort {
  getApplication(name: string): Promise<CodeDeployApplication | undefined>;
  createApplication(input: { name: string; tags: Record<string, string> }): Promise<{ application: CodeDeployApplication; created: boolean }>;
  listApplications(): Promise<string[]>;
  getDeploymentGroup(application: string, name: string): Promise<CodeDeployDeploymentGroup | undefined>;
  createDeploymentGroup(spec: DeploymentGroupSpec, tags: Record<string, string>): Promise<{ id: string; created: boolean }>;
  /** Sends only the fields the spec sets; `previous` says which tag form to clear when switching. */
  updateDeploymentGroup(spec: DeploymentGroupSpec, previous: CodeDeployDeploymentGroup): Promise<void>;
  listDeploymentGroups(application: string): Promise<string[]>;
  /** Whether a deployment configuration (predefined or the account's own) exists in the region. */
  deploymentConfigExists(name: string): Promise<boolean>;
}

type SdkTagFilter = CodeDeploySdk.EC2TagFilter;

export function toTagFilters(group: readonly TargetTag[]): SdkTagFilter[] {
  return group.map((tag) => (tag.value === undefined ? { Key: tag.key, Type: 'KEY_ONLY' } : { Key: tag.key, Value: tag.value, Type: 'KEY_AND_VALUE' }));
}

function fromTagFilters(filters: readonly SdkTagFilter[] | undefined): TargetTag[] {
  return (filters ?? []).map((filter) =>
    filter.Type === 'KEY_ONLY' ? { key: filter.Key ?? '' } : { key: filter.Type === 'VALUE_ONLY' ? '' : (filter.Key ?? ''), value: filter.Value ?? '' },
  );
}

const ROLLBACK_EVENTS = ['DEPLOYMENT_FAILURE'] as const;

/** The CreateDeploymentGroup / UpdateDeploymentGroup fields for a spec. */
export function deploymentGroupFields(spec: DeploymentGroupSpec, previous?: CodeDeployDeploymentGroup) {
  const groups = spec.tagGroups;
  const tags =
    groups === undefined
      ? {}
      : groups.length <= 1
        ? { ec2TagFilters: toTagFilters(groups[0] ?? []), ...(previous?.tagForm === 'set' ? { ec2TagSet: { ec2TagSetList: [] } } : {}) }
        : { ec2TagSet: { ec2TagSetList: groups.map(toTagFilters) }, ...(previous?.tagForm === 'filters' ? { ec2TagFilters: [] } : {}) };
  const rollbackEvents = spec.autoRollback ? [...new Set([...(previous?.autoRollback.events ?? []), ...ROLLBACK_EVENTS])] : (previous?.autoRollback.events ?? []);
  return {
    serviceRoleArn: spec.serviceRoleArn,
    deploymentConfigName: spec.deploymentConfig,
    ...tags,
    ...(spec.autoScalingGroups === undefined ? {} : { autoScalingGroups: spec.autoScalingGroups }),
    autoRollbackConfiguration: {
      enabled: spec.autoRollback,
      events: rollbackEvents as CodeDeploySdk.AutoRollbackEvent[],
    },
    ...(spec.targetGroupName === undefined
      ? previous
        ? {}
        : { deploymentStyle: { deploymentType: 'IN_PLACE' as const, deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' as const } }
      : {
          deploymentStyle: { deploymentType: 'IN_PLACE' as const, deploymentOption: 'WITH_TRAFFIC_CONTROL' as const },
          loadBalancerInfo: { targetGroupInfoList: [{ name: spec.targetGroupName }] },
        }),
  };
}

export function createCodeDeployPort(load: () => Promise<CodeDeployHandle>): CodeDeployPort {
  const run = async <T>(operation: string, send: (h: CodeDeployHandle) => Promise<T>): Promise<T> => {
    const h = await load();
    return call(h.target, { service: 'CodeDeploy', operation }, () => send(h));
  };
  const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

  const port: CodeDeployPort = {
    async getApplication(name) {
      try {
        const out = await run('GetApplication', (h) => h.client.send(new h.sdk.GetApplicationCommand({ applicationName: name })));
        const app = out.application;
        return { name: app?.applicationName ?? name, id: app?.applicationId ?? '', computePlatform: app?.computePlatform ?? 'Server' };
      } catch (error) {
        if (isAwsCode(error, 'ApplicationDoesNotExistException')) return undefined;
        throw error;
      }
    },

    async createApplication({ name, tags }) {
      const { value: application, created } = await createOrReuse(
        async () => {
          const out = await run('CreateApplication', (h) => h.client.send(new h.sdk.CreateApplicationCommand({ applicationName: name, computePlatform: 'Server', tags: tagList(tags) })));
          return { name, id: out.applicationId ?? '', computePlatform: 'Server' };
        },
        'ApplicationAlreadyExistsException',
        () => port.getApplication(name),
      );
      return { application, created };
    },

    listApplications: () =>
      paginate(
        (token) => run('ListApplications', (h) => h.client.send(new h.sdk.ListApplicationsCommand(token === undefined ? {} : { nextToken: token }))),
        (page) => page.applications ?? [],
        (page) => page.nextToken,
      ),

    async getDeploymentGroup(application, name) {
      try {
        const out = await run('GetDeploymentGroup', (h) =>
          h.client.send(new h.sdk.GetDeploymentGroupCommand({ applicationName: application, deploymentGroupName: name })),
        );
        const info = out.deploymentGroupInfo;
        if (!info) return undefined;
        const set = info.ec2TagSet?.ec2TagSetList ?? [];
        const filters = info.ec2TagFilters ?? [];
        return {
          application: info.applicationName ?? application,
          name: info.deploymentGroupName ?? name,
          id: info.deploymentGroupId ?? '',
          serviceRoleArn: info.serviceRoleArn ?? '',
          tagGroups: set.length > 0 ? set.map(fromTagFilters) : filters.length > 0 ? [fromTagFilters(filters)] : [],
          tagForm: set.length > 0 ? 'set' : filters.length > 0 ? 'filters' : 'none',
          autoScalingGroups: (info.autoScalingGroups ?? []).map((group) => group.name ?? '').filter((n) => n !== ''),
          deploymentConfig: info.deploymentConfigName ?? 'CodeDeployDefault.OneAtATime',
          autoRollback: { enabled: info.autoRollbackConfiguration?.enabled ?? false, events: info.autoRollbackConfiguration?.events ?? [] },
          deploymentOption: info.deploymentStyle?.deploymentOption ?? 'WITHOUT_TRAFFIC_CONTROL',
          targetGroupNames: (info.loadBalancerInfo?.targetGroupInfoList ?? []).map((group) => group.name ?? '').filter((n) => n !== ''),
        };
      } catch (error) {
        if (isAwsCode(error, 'DeploymentGroupDoesNotExistException', 'ApplicationDoesNotExistException')) return undefined;
        throw error;
      }
    },

    async createDeploymentGroup(spec, tags) {
      try {
        const out = await run('CreateDeploymentGroup', (h) =>
          h.client.send(
            new h.sdk.CreateDeploymentGroupCommand({
              applicationName: spec.application,
              deploymentGroupName: spec.name,
              ...deploymentGroupFields(spec),
              tags: tagList(tags),
            }),
          ),
        );
        return { id: out.deploymentGroupId ?? '', created: true };
      } catch (error) {
        if (!isAwsCode(error, 'DeploymentGroupAlreadyExistsException')) throw error;
        const existing = await port.getDeploymentGroup(spec.application, spec.name);
        if (!existing) throw error;
        await port.updateDeploymentGroup(spec, existing);
        return { id: existing.id, created: false };
      }
    },

    async updateDeploymentGroup(spec, previous) {
      await run('UpdateDeploymentGroup', (h) =>
        h.client.send(
          new h.sdk.UpdateDeploymentGroupCommand({
            applicationName: spec.application,
            currentDeploymentGroupName: spec.name,
            ...deploymentGroupFields(spec, previous),
          }),
        ),
      );
    },

    async deploymentConfigExists(name) {
      try {
        await run('GetDeploymentConfig', (h) => h.client.send(new h.sdk.GetDeploymentConfigCommand({ deploymentConfigName: name })));
        return true;
      } catch (error) {
        if (isAwsCode(error, 'DeploymentConfigDoesNotExistException')) return false;
        throw error;
      }
    },

    listDeploymentGroups: (application) =>
      paginate(
        (token) =>
          run('ListDeploymentGroups', (h) => h.client.send(new h.sdk.ListDeploymentGroupsCommand({ applicationName: application, ...(token === undefined ? {} : { nextToken: token }) }))),
        (page) => page.deploymentGroups ?? [],
        (page) => page.nextToken,
      ),
  };
  return port;
}
