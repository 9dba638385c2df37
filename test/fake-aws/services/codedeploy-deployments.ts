/**
 * CodeDeploy deployments: seeded ones (with errorInformation, targets, lifecycle events and diagnostics) and
 * ones created through CreateDeployment, which run a simulated in-place deployment on the group's instances:
 * InProgress for `deploymentDurationMs` of fake-clock time, then an outcome decided by `outcomes` rules.
 */
import type { JsonObject } from '../json.js';
import { epochSeconds } from '../json.js';
import type { Params } from '../params.js';
import { paginate, type Handler, type HandlerContext } from '../service.js';
import {
  tagValue,
  type DeploymentGroupRecord,
  type DeploymentOutcomeRule,
  type DeploymentRecord,
  type DeploymentTargetRecord,
  type FakeState,
  type Json,
  type LifecycleEventRecord,
  type TagFilter,
} from '../state.js';
import { readDescription, readRevision } from './codedeploy-revisions.js';
import { cdError, findDeploymentConfig, findGroup, readApplicationName, readDeploymentConfigName, readGroupName } from './codedeploy-common.js';

export const IN_PLACE_EVENTS = ['ApplicationStop', 'DownloadBundle', 'BeforeInstall', 'Install', 'AfterInstall', 'ApplicationStart', 'ValidateService'] as const;
const TRAFFIC_BEFORE = ['BeforeBlockTraffic', 'BlockTraffic', 'AfterBlockTraffic'];
const TRAFFIC_AFTER = ['BeforeAllowTraffic', 'AllowTraffic', 'AfterAllowTraffic'];
const FINAL_STATUSES = ['Succeeded', 'Failed', 'Stopped'];
const DEPLOYMENT_STATUSES = ['Created', 'Queued', 'InProgress', 'Baking', 'Succeeded', 'Failed', 'Stopped', 'Ready'];
const TARGET_STATUSES = ['Pending', 'InProgress', 'Succeeded', 'Failed', 'Skipped', 'Unknown', 'Ready'];
const DEPLOYMENT_ID = /^d-[A-Z0-9]{9}$/;

export function lifecycleEventNames(withTrafficControl: boolean): string[] {
  return withTrafficControl ? [...TRAFFIC_BEFORE, ...IN_PLACE_EVENTS, ...TRAFFIC_AFTER] : [...IN_PLACE_EVENTS];
}

/**
 * The lifecycle events of a target that failed at `failAt` (or succeeded when it is undefined): events before
 * it Succeeded, the failing one Failed with diagnostics, the rest Skipped.
 */
export function expandLifecycleEvents(names: readonly string[], at: number, failure?: Omit<DeploymentOutcomeRule, 'instanceId' | 'deploymentGroup'>): LifecycleEventRecord[] {
  const failIndex = failure === undefined ? -1 : names.indexOf(failure.failAt);
  return names.map((name, index) => {
    if (failIndex < 0 || index < failIndex) {
      return { name, status: 'Succeeded', startTime: at, endTime: at, diagnostics: { errorCode: 'Success', scriptName: '', message: 'Succeeded', logTail: '' } };
    }
    if (index > failIndex || failure === undefined) return { name, status: 'Skipped' };
    return {
      name,
      status: 'Failed',
      startTime: at,
      endTime: at,
      diagnostics: {
        errorCode: failure.errorCode ?? 'ScriptFailed',
        scriptName: failure.scriptName ?? `scripts/${name.charAt(0).toLowerCase()}${name.slice(1)}.sh`,
        message: failure.message ?? 'Script at specified location: scripts failed with exit code 1',
        logTail: failure.logTail ?? '',
      },
    };
  });
}

// ---- target selection -----------------------------------------------------------------------------------

function filterMatches(filter: TagFilter, tags: ReadonlyArray<{ Key: string; Value: string }>): boolean {
  if (filter.Type === 'KEY_ONLY') return tags.some((tag) => tag.Key === filter.Key);
  if (filter.Type === 'VALUE_ONLY') return tags.some((tag) => tag.Value === filter.Value);
  return filter.Key !== undefined && tagValue(tags, filter.Key) === filter.Value;
}

/** The instances a group targets: tag filters (OR), or a tag set (AND across groups, OR within), plus its ASGs' instances. */
export function groupInstanceIds(state: FakeState, group: DeploymentGroupRecord): string[] {
  const live = Object.values(state.ec2.instances).filter((instance) => instance.state !== 'terminated' && instance.state !== 'shutting-down');
  const tagged = live.filter((instance) => {
    if (group.ec2TagSet !== undefined) return group.ec2TagSet.every((set) => set.some((filter) => filterMatches(filter, instance.tags)));
    return group.ec2TagFilters.some((filter) => filterMatches(filter, instance.tags));
  });
  const ids = new Set(tagged.map((instance) => instance.id));
  for (const ref of group.autoScalingGroups) {
    for (const member of state.autoscaling.groups[ref.name]?.instances ?? []) {
      if (member.lifecycleState === 'InService' || member.lifecycleState.startsWith('Pending')) ids.add(member.instanceId);
    }
  }
  return [...ids];
}

// ---- simulation -----------------------------------------------------------------------------------------

/** The events whose failures `ignoreApplicationStopFailures` tells CodeDeploy to ignore. */
const STOP_EVENTS = ['ApplicationStop', 'BeforeBlockTraffic', 'AfterBlockTraffic'];

/** The first outcome rule for this instance; a rule failing a stop event does not apply when the deployment ignores those failures. */
function findRule(state: FakeState, deployment: DeploymentRecord, instanceId: string): DeploymentOutcomeRule | undefined {
  const rule = state.codedeploy.outcomes.find(
    (candidate) => (candidate.instanceId === undefined || candidate.instanceId === instanceId) && (candidate.deploymentGroup === undefined || candidate.deploymentGroup === deployment.deploymentGroup),
  );
  return rule !== undefined && deployment.ignoreApplicationStopFailures && STOP_EVENTS.includes(rule.failAt) ? undefined : rule;
}

function requiredSuccesses(configName: string, state: FakeState, targets: number): number {
  const config = PREDEFINED_MINIMUMS[configName] ?? state.codedeploy.deploymentConfigs[configName]?.minimumHealthyHosts;
  if (config === undefined) return targets;
  if (config.type === 'HOST_COUNT') return Math.max(1, Math.min(targets, config.value));
  return Math.max(1, Math.ceil((targets * config.value) / 100));
}

// OneAtATime needs every instance but the last to succeed; the rules are simplified to "how many must succeed".
const PREDEFINED_MINIMUMS: Record<string, { type: string; value: number }> = {
  'CodeDeployDefault.OneAtATime': { type: 'FLEET_PERCENT', value: 100 },
  'CodeDeployDefault.HalfAtATime': { type: 'FLEET_PERCENT', value: 50 },
  'CodeDeployDefault.AllAtOnce': { type: 'HOST_COUNT', value: 1 },
};

const NO_INSTANCES_MESSAGE =
  'The deployment failed because no instances were found for your deployment group. Check your deployment group settings to make sure the tags for your Amazon EC2 instances or Auto Scaling groups correctly identify the instances you want to deploy to, and then try again.';
const HEALTH_CONSTRAINTS_MESSAGE =
  'The overall deployment failed because too many individual instances failed deployment, too few healthy instances are available for deployment, or some instances in your deployment group are experiencing problems.';

/** Moves a simulated deployment along the fake clock; seeded deployments (no finishesAt) stay as seeded. */
export function settle(state: FakeState, deployment: DeploymentRecord, now: number): DeploymentRecord {
  if (deployment.finishesAt === undefined || FINAL_STATUSES.includes(deployment.status)) return deployment;
  if (deployment.targets.length === 0) {
    Object.assign(deployment, { status: 'Failed', completedAt: now, errorInformation: { code: 'NO_INSTANCES', message: NO_INSTANCES_MESSAGE } });
    return deployment;
  }
  const group = state.codedeploy.deploymentGroups[`${deployment.application}/${deployment.deploymentGroup}`];
  const names = lifecycleEventNames(group?.deploymentStyle.deploymentOption === 'WITH_TRAFFIC_CONTROL');
  if (now < deployment.finishesAt) {
    deployment.status = 'InProgress';
    deployment.startedAt ??= deployment.createdAt;
    // The events advance with the clock: the share of the run that has passed is the share of events done.
    const duration = Math.max(1, deployment.finishesAt - deployment.createdAt);
    const done = Math.floor(((now - deployment.createdAt) / duration) * names.length);
    for (const target of deployment.targets) {
      const rule = findRule(state, deployment, target.instanceId);
      const failIndex = rule === undefined ? names.length : names.indexOf(rule.failAt);
      const upTo = Math.min(done, failIndex === -1 ? names.length : failIndex);
      target.lifecycleEvents = names.map((name, index) =>
        index < upTo
          ? { name, status: 'Succeeded', startTime: deployment.createdAt, endTime: now, diagnostics: { errorCode: 'Success', scriptName: '', message: 'Succeeded', logTail: '' } }
          : index === upTo
            ? { name, status: 'InProgress', startTime: now }
            : { name, status: 'Pending' },
      );
      Object.assign(target, { status: 'InProgress', lastUpdatedAt: now });
    }
    return deployment;
  }
  for (const target of deployment.targets) {
    const rule = findRule(state, deployment, target.instanceId);
    target.lifecycleEvents = expandLifecycleEvents(names, deployment.finishesAt, rule);
    target.status = rule === undefined ? 'Succeeded' : 'Failed';
    target.lastUpdatedAt = deployment.finishesAt;
  }
  const succeeded = deployment.targets.filter((target) => target.status === 'Succeeded').length;
  const ok = succeeded >= requiredSuccesses(deployment.deploymentConfigName, state, deployment.targets.length);
  deployment.status = ok ? 'Succeeded' : 'Failed';
  deployment.startedAt ??= deployment.createdAt;
  deployment.completedAt = deployment.finishesAt;
  if (!ok) deployment.errorInformation = { code: 'HEALTH_CONSTRAINTS', message: HEALTH_CONSTRAINTS_MESSAGE };
  return deployment;
}

// ---- reading --------------------------------------------------------------------------------------------

function readDeploymentId(params: Params): string {
  const id = params.optStr('deploymentId');
  if (id === undefined || id === '') throw cdError('DeploymentIdRequiredException', 'At least one deployment ID must be specified.');
  if (!DEPLOYMENT_ID.test(id)) throw cdError('InvalidDeploymentIdException', `Specified DeploymentId is not in the valid format: ${id}`);
  return id;
}

function findDeployment(ctx: HandlerContext, id: string): DeploymentRecord {
  const deployment = ctx.state.codedeploy.deployments[id];
  if (deployment === undefined) throw cdError('DeploymentDoesNotExistException', `The deployment ${id} could not be found.`);
  return settle(ctx.state, deployment, ctx.now());
}

function overview(deployment: DeploymentRecord): JsonObject {
  const count = (status: string): number => deployment.targets.filter((target) => target.status === status).length;
  return { Pending: count('Pending'), InProgress: count('InProgress'), Succeeded: count('Succeeded'), Failed: count('Failed'), Skipped: count('Skipped'), Ready: count('Ready') };
}

export function deploymentInfo(ctx: HandlerContext, deployment: DeploymentRecord): JsonObject {
  const group = ctx.state.codedeploy.deploymentGroups[`${deployment.application}/${deployment.deploymentGroup}`];
  const time = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : epochSeconds(ms));
  return {
    applicationName: deployment.application,
    deploymentGroupName: deployment.deploymentGroup,
    deploymentConfigName: deployment.deploymentConfigName,
    deploymentId: deployment.id,
    revision: deployment.revision,
    status: deployment.status,
    errorInformation: deployment.errorInformation,
    createTime: time(deployment.createdAt),
    startTime: time(deployment.startedAt),
    completeTime: time(deployment.completedAt),
    deploymentOverview: overview(deployment),
    description: deployment.description,
    creator: deployment.creator,
    ignoreApplicationStopFailures: deployment.ignoreApplicationStopFailures,
    updateOutdatedInstancesOnly: false,
    rollbackInfo: deployment.rollbackInfo,
    deploymentStyle: group?.deploymentStyle ?? { deploymentType: 'IN_PLACE', deploymentOption: 'WITHOUT_TRAFFIC_CONTROL' },
    instanceTerminationWaitTimeStarted: false,
    fileExistsBehavior: deployment.fileExistsBehavior,
    deploymentStatusMessages: deployment.deploymentStatusMessages,
    computePlatform: 'Server',
  };
}

function targetJson(ctx: HandlerContext, deployment: DeploymentRecord, target: DeploymentTargetRecord): JsonObject {
  return {
    deploymentTargetType: 'InstanceTarget',
    instanceTarget: {
      deploymentId: deployment.id,
      targetId: target.instanceId,
      targetArn: `arn:aws:ec2:${ctx.region}:${ctx.state.sts.account}:instance/${target.instanceId}`,
      status: target.status,
      lastUpdatedAt: epochSeconds(target.lastUpdatedAt),
      lifecycleEvents: target.lifecycleEvents.map((event) => ({
        lifecycleEventName: event.name,
        diagnostics: event.diagnostics === undefined ? undefined : { ...event.diagnostics },
        startTime: event.startTime === undefined ? undefined : epochSeconds(event.startTime),
        endTime: event.endTime === undefined ? undefined : epochSeconds(event.endTime),
        status: event.status,
      })),
      instanceLabel: target.instanceLabel,
    },
  };
}

/** The newest deployment of a group, and its newest successful one, for GetDeploymentGroup. */
export function lastDeployments(ctx: HandlerContext, group: DeploymentGroupRecord): { attempted?: DeploymentRecord; succeeded?: DeploymentRecord } {
  const mine = Object.values(ctx.state.codedeploy.deployments)
    .filter((d) => d.application === group.application && d.deploymentGroup === group.name)
    .map((d) => settle(ctx.state, d, ctx.now()))
    .sort((a, b) => b.createdAt - a.createdAt);
  const result: { attempted?: DeploymentRecord; succeeded?: DeploymentRecord } = {};
  const [attempted] = mine;
  const succeeded = mine.find((d) => d.status === 'Succeeded');
  if (attempted !== undefined) result.attempted = attempted;
  if (succeeded !== undefined) result.succeeded = succeeded;
  return result;
}

// ---- operations -----------------------------------------------------------------------------------------

const listDeployments: Handler<JsonObject> = (params, ctx) => {
  const application = params.optStr('applicationName');
  const groupName = params.optStr('deploymentGroupName');
  if (application !== undefined && groupName === undefined) throw cdError('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.');
  if (groupName !== undefined && application === undefined) throw cdError('ApplicationNameRequiredException', 'The minimum number of required application names was not specified.');
  if (application !== undefined && groupName !== undefined) findGroup(ctx.state, readApplicationName(params), readGroupName(params));
  const statuses = params.strList('includeOnlyStatuses');
  for (const status of statuses) {
    if (!DEPLOYMENT_STATUSES.includes(status)) throw cdError('InvalidDeploymentStatusException', "The specified deployment status doesn't exist or cannot be determined.");
  }
  const range = params.optObj('createTimeRange');
  const start = range?.optTime('start');
  const end = range?.optTime('end');
  if (start !== undefined && end !== undefined && start > end) throw cdError('InvalidTimeRangeException', 'The specified time range was specified in an invalid format.');
  const ids = Object.values(ctx.state.codedeploy.deployments)
    .map((d) => settle(ctx.state, d, ctx.now()))
    .filter(
      (d) =>
        (application === undefined || (d.application === application && d.deploymentGroup === groupName)) &&
        (statuses.length === 0 || statuses.includes(d.status)) &&
        (start === undefined || d.createdAt >= start) &&
        (end === undefined || d.createdAt <= end),
    )
    .sort((a, b) => b.createdAt - a.createdAt)
    .map((d) => d.id);
  const { page, next } = paginate(ids, params.optStr('nextToken'), 100, invalidNextToken);
  return { deployments: page, nextToken: next };
};

const invalidNextToken = () => cdError('InvalidNextTokenException', 'The next token was specified in an invalid format.');

const listDeploymentTargets: Handler<JsonObject> = (params, ctx) => {
  const deployment = findDeployment(ctx, readDeploymentId(params));
  if (deployment.status === 'Created' || deployment.status === 'Queued') throw cdError('DeploymentNotStartedException', 'The specified deployment has not started.');
  const filters = params.optObj('targetFilters');
  const names = params.mapKeys('targetFilters');
  for (const name of names) {
    if (name !== 'TargetStatus' && name !== 'ServerInstanceLabel') throw cdError('InvalidTargetFilterNameException', 'The target filter name is invalid.');
  }
  const statuses = filters?.strList('TargetStatus') ?? [];
  for (const status of statuses) if (!TARGET_STATUSES.includes(status)) throw cdError('InvalidInstanceStatusException', 'The specified instance status does not exist.');
  const labels = filters?.strList('ServerInstanceLabel') ?? [];
  const ids = deployment.targets
    .filter((t) => (statuses.length === 0 || statuses.includes(t.status)) && (labels.length === 0 || labels.includes(t.instanceLabel ?? 'Blue')))
    .map((t) => t.instanceId);
  const { page, next } = paginate(ids, params.optStr('nextToken'), 100, invalidNextToken);
  return { targetIds: page, nextToken: next };
};

const batchGetDeploymentTargets: Handler<JsonObject> = (params, ctx) => {
  const deployment = findDeployment(ctx, readDeploymentId(params));
  const ids = params.strList('targetIds');
  if (ids.length === 0) throw cdError('DeploymentTargetIdRequiredException', 'A deployment target ID was not provided.');
  if (ids.length > 25) throw cdError('DeploymentTargetListSizeExceededException', 'The maximum number of targets that can be requested in one call (25) was exceeded.');
  if (deployment.status === 'Created' || deployment.status === 'Queued') throw cdError('DeploymentNotStartedException', 'The specified deployment has not started.');
  const targets = ids.map((id) => {
    const target = deployment.targets.find((t) => t.instanceId === id);
    if (target === undefined) throw cdError('DeploymentTargetDoesNotExistException', 'The provided target ID does not belong to the attempted deployment.');
    return targetJson(ctx, deployment, target);
  });
  return { deploymentTargets: targets };
};

const createDeployment: Handler<JsonObject> = (params, ctx) => {
  const { state } = ctx;
  const group = findGroup(state, readApplicationName(params), readGroupName(params));
  const application = state.codedeploy.applications[group.application];
  if (application === undefined) throw cdError('ApplicationDoesNotExistException', `No application found for name: ${group.application}`);
  const configName = readDeploymentConfigName(params, state, application, group.deploymentConfigName) ?? 'CodeDeployDefault.OneAtATime';
  findDeploymentConfig(state, configName);
  const revision = readRevision(params);
  const description = readDescription(params);
  const fileExistsBehavior = params.optStr('fileExistsBehavior') ?? 'DISALLOW';
  if (!['DISALLOW', 'OVERWRITE', 'RETAIN'].includes(fileExistsBehavior)) throw cdError('InvalidFileExistsBehaviorException', 'An invalid fileExistsBehavior option was specified.');
  const active = Object.values(state.codedeploy.deployments)
    .filter((d) => d.application === group.application && d.deploymentGroup === group.name)
    .map((d) => settle(state, d, ctx.now()))
    .find((d) => !FINAL_STATUSES.includes(d.status));
  if (active !== undefined) {
    throw cdError('DeploymentLimitExceededException', `The deployment group ${group.name} already has an active deployment (${active.id}).`);
  }
  const now = ctx.now();
  const deployment: DeploymentRecord = {
    id: ctx.ids.deployment(),
    application: group.application,
    deploymentGroup: group.name,
    deploymentConfigName: configName,
    status: 'Created',
    createdAt: now,
    creator: 'user',
    revision: revision.raw as Json,
    ignoreApplicationStopFailures: params.optBool('ignoreApplicationStopFailures') ?? false,
    fileExistsBehavior,
    deploymentStatusMessages: [],
    targets: groupInstanceIds(state, group).map((instanceId) => ({ instanceId, status: 'Pending', lastUpdatedAt: now, lifecycleEvents: [] })),
    finishesAt: now + state.codedeploy.deploymentDurationMs,
  };
  if (description !== undefined) deployment.description = description;
  state.codedeploy.deployments[deployment.id] = deployment;
  return { deploymentId: deployment.id };
};

export const deploymentOperations: Record<string, Handler<JsonObject>> = {
  ListDeployments: listDeployments,
  GetDeployment: (params, ctx) => ({ deploymentInfo: deploymentInfo(ctx, findDeployment(ctx, readDeploymentId(params))) }),
  BatchGetDeployments: (params, ctx) => {
    const ids = params.strList('deploymentIds');
    if (ids.length > 25) throw cdError('BatchLimitExceededException', 'The maximum number of names or IDs allowed for this request (25) was exceeded.');
    const found = ids.flatMap((id) => {
      if (!DEPLOYMENT_ID.test(id)) throw cdError('InvalidDeploymentIdException', `Specified DeploymentId is not in the valid format: ${id}`);
      const deployment = ctx.state.codedeploy.deployments[id];
      return deployment === undefined ? [] : [deploymentInfo(ctx, settle(ctx.state, deployment, ctx.now()))];
    });
    return { deploymentsInfo: found };
  },
  ListDeploymentTargets: listDeploymentTargets,
  BatchGetDeploymentTargets: batchGetDeploymentTargets,
  CreateDeployment: createDeployment,
};
