/**
 * CodeDeploy over JSON 1.1 (`X-Amz-Target: CodeDeploy_20141006.<Action>`): applications, deployment groups,
 * deployment configs and tags here; deployments in codedeploy-deployments.ts. CreateDeploymentGroup checks the
 * service role the way CodeDeploy does: it must exist, trust codedeploy.amazonaws.com and have propagated,
 * or the answer is InvalidRoleException "Cannot assume role provided." (or, with the invalidRoleWording fault, "AWS
 * CodeDeploy does not have the permissions required to assume the role <arn>").
 */
import { jsonCodec, jsonErrors, epochSeconds, type JsonObject } from '../json.js';
import type { Params } from '../params.js';
import { evaluate, trustsService } from '../policy.js';
import { defineService, paginate, type Handler, type HandlerContext, type ServiceDef } from '../service.js';
import { mergeTags, type ApplicationRecord, type AsgHookRef, type DeploymentGroupRecord, type FakeState, type Json, type Tag, type TagFilter } from '../state.js';
import {
  cdError,
  findApplication,
  findDeploymentConfig,
  findGroup,
  groupKey,
  readApplicationName,
  readDeploymentConfigName,
  readGroupName,
} from './codedeploy-common.js';
import { deploymentOperations, lastDeployments } from './codedeploy-deployments.js';
import { revisionOperations } from './codedeploy-revisions.js';
import { hasPropagated, identityPolicies, roleByArn } from './iam.js';

const COMPUTE_PLATFORMS = ['Server', 'Lambda', 'ECS'];
const APPLICATIONS_PER_ACCOUNT = 1000;
const GROUPS_PER_APPLICATION = 1000;
/** What CodeDeploy does with an Auto Scaling group: these must be allowed by the service role. */
const ASG_ACTIONS = ['autoscaling:PutLifecycleHook', 'autoscaling:DescribeAutoScalingGroups', 'autoscaling:DescribeLifecycleHooks'];

// ---- validation -----------------------------------------------------------------------------------------

function readTags(params: Params, field: string): Tag[] {
  return params.list(field).map((tag) => {
    const key = tag.optStr('Key');
    const value = tag.optStr('Value') ?? '';
    if (key === undefined || key === '' || key.length > 128 || value.length > 256 || key.startsWith('aws:')) {
      throw cdError('InvalidTagsToAddException', 'The specified tags are not valid.');
    }
    return { Key: key, Value: value };
  });
}

function readTagFilter(filter: Params, invalid: () => Error): TagFilter {
  const key = filter.optStr('Key');
  const value = filter.optStr('Value');
  const type = filter.optStr('Type') ?? (key !== undefined && value !== undefined ? 'KEY_AND_VALUE' : key !== undefined ? 'KEY_ONLY' : 'VALUE_ONLY');
  const ok =
    (type === 'KEY_ONLY' && key !== undefined) ||
    (type === 'VALUE_ONLY' && value !== undefined) ||
    (type === 'KEY_AND_VALUE' && key !== undefined && value !== undefined);
  if (!ok) throw invalid();
  const result: TagFilter = { Type: type };
  if (key !== undefined) result.Key = key;
  if (value !== undefined) result.Value = value;
  return result;
}

const invalidEc2Tag = () => cdError('InvalidEC2TagException', 'The tag was specified in an invalid format.');
const invalidOnPremTag = () => cdError('InvalidTagException', 'The tag was specified in an invalid format.');

const TAG_COMBINATION_MESSAGE = 'A call was submitted that specified both Ec2TagFilters and Ec2TagSet, but only one of these data types can be used in a single call.';

/**
 * Reads `ec2TagFilters` and `ec2TagSet`. Each is undefined when not sent; an empty list or set counts as "none",
 * which is how an update clears the form it no longer uses.
 */
function readEc2Targets(params: Params): { filters: TagFilter[] | undefined; set: TagFilter[][] | undefined } {
  const filters = params.hasList('ec2TagFilters') ? params.list('ec2TagFilters').map((filter) => readTagFilter(filter, invalidEc2Tag)) : undefined;
  const setParams = params.optObj('ec2TagSet');
  const groups = setParams?.listOfLists('ec2TagSetList');
  if (groups !== undefined && groups.length > 3) throw cdError('TagSetListLimitExceededException', 'The number of tag groups included in the tag set list exceeded the maximum allowed limit of 3.');
  const set = groups?.map((group) => group.map((filter) => readTagFilter(filter, invalidEc2Tag)));
  return { filters, set };
}

/** A group may select instances by tag filters or by a tag set, not both. */
function checkTagCombination(filters: readonly TagFilter[], set: readonly TagFilter[][] | undefined): void {
  if (filters.length > 0 && set !== undefined && set.length > 0) throw cdError('InvalidEC2TagCombinationException', TAG_COMBINATION_MESSAGE);
}

/**
 * The service-role check CodeDeploy makes on CreateDeploymentGroup / UpdateDeploymentGroup. A role that does
 * not exist, does not trust codedeploy.amazonaws.com, or was created (or re-trusted) within the IAM
 * propagation delay cannot be assumed.
 */
function checkServiceRole(ctx: HandlerContext, arn: string, autoScalingGroups: readonly string[]): void {
  if (!/^arn:aws:iam::\d{12}:role\/[\w+=,.@/-]+$/.test(arn)) throw cdError('InvalidRoleException', 'The service role ARN was specified in an invalid format.');
  const role = roleByArn(ctx.state, arn);
  const trusted =
    role !== undefined &&
    (trustsService(role.trustPolicy, 'codedeploy.amazonaws.com') || trustsService(role.trustPolicy, `codedeploy.${ctx.region}.amazonaws.com`));
  if (role === undefined || !trusted || !hasPropagated(role.trustChangedAt, ctx)) {
    const message = ctx.faults.invalidRoleWording === 'permissions-required' ? `AWS CodeDeploy does not have the permissions required to assume the role ${arn}` : 'Cannot assume role provided.';
    throw cdError('InvalidRoleException', message);
  }
  if (autoScalingGroups.length === 0) return;
  const policies = identityPolicies(ctx.state, role, 'role');
  if (ASG_ACTIONS.some((action) => evaluate(policies, action, '*').decision !== 'allowed')) {
    throw cdError('InvalidRoleException', 'The service role does not grant the appropriate permissions to Amazon EC2 Auto Scaling.');
  }
}

function readAutoScalingGroups(params: Params, state: FakeState): string[] {
  const names = params.strList('autoScalingGroups');
  if (names.length > 10) throw cdError('InvalidAutoScalingGroupException', 'A deployment group can have at most 10 Auto Scaling groups.');
  const missing = names.filter((name) => state.autoscaling.groups[name] === undefined);
  if (missing.length > 0) throw cdError('InvalidAutoScalingGroupException', `Auto Scaling group(s) not found: ${missing.join(', ')}`);
  return names;
}

function readDeploymentStyle(params: Params, current: DeploymentGroupRecord['deploymentStyle'] | undefined): DeploymentGroupRecord['deploymentStyle'] {
  const style = params.optObj('deploymentStyle');
  const deploymentType = style?.optStr('deploymentType') ?? current?.deploymentType ?? 'IN_PLACE';
  const deploymentOption = style?.optStr('deploymentOption') ?? current?.deploymentOption ?? 'WITHOUT_TRAFFIC_CONTROL';
  if (!['IN_PLACE', 'BLUE_GREEN'].includes(deploymentType) || !['WITH_TRAFFIC_CONTROL', 'WITHOUT_TRAFFIC_CONTROL'].includes(deploymentOption)) {
    throw cdError(
      'InvalidDeploymentStyleException',
      'An invalid deployment style was specified. Valid deployment types include "IN_PLACE" and "BLUE_GREEN." Valid deployment options include "WITH_TRAFFIC_CONTROL" and "WITHOUT_TRAFFIC_CONTROL."',
    );
  }
  return { deploymentType, deploymentOption };
}

const PASSTHROUGH = ['triggerConfigurations', 'alarmConfiguration', 'autoRollbackConfiguration', 'loadBalancerInfo', 'blueGreenDeploymentConfiguration', 'onPremisesTagSet', 'ecsServices'];

function readPassthrough(params: Params, current: Record<string, Json>): Record<string, Json> {
  const next = { ...current };
  for (const field of PASSTHROUGH) {
    const raw = (params.raw as Record<string, unknown>)[field];
    if (raw !== undefined) next[field] = raw as Json;
  }
  const alarms = params.optObj('alarmConfiguration')?.list('alarms') ?? [];
  if (alarms.length > 10) throw cdError('AlarmsLimitExceededException', 'The maximum number of alarms for a deployment group (10) was exceeded.');
  const rollback = params.optObj('autoRollbackConfiguration');
  for (const event of rollback?.strList('events') ?? []) {
    if (!['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM', 'DEPLOYMENT_STOP_ON_REQUEST'].includes(event)) {
      throw cdError('InvalidAutoRollbackConfigException', 'The automatic rollback configuration was specified in an invalid format.');
    }
  }
  return next;
}

// ---- Auto Scaling hooks ---------------------------------------------------------------------------------

function installHooks(ctx: HandlerContext, groupName: string, asgNames: readonly string[], terminationHook: boolean): AsgHookRef[] {
  return asgNames.map((name) => {
    const asg = ctx.state.autoscaling.groups[name];
    const ref: AsgHookRef = { name, hook: `CodeDeploy-managed-automatic-launch-deployment-hook-${groupName}-${ctx.ids.uuid()}` };
    const hooks = [{ name: ref.hook ?? '', transition: 'autoscaling:EC2_INSTANCE_LAUNCHING' }];
    if (terminationHook) {
      ref.terminationHook = `CodeDeploy-managed-automatic-termination-deployment-hook-${groupName}-${ctx.ids.uuid()}`;
      hooks.push({ name: ref.terminationHook, transition: 'autoscaling:EC2_INSTANCE_TERMINATING' });
    }
    for (const hook of hooks) {
      asg?.lifecycleHooks.push({
        name: hook.name,
        transition: hook.transition,
        heartbeatTimeout: 600,
        globalTimeout: 60000,
        defaultResult: 'ABANDON',
        notificationTargetArn: `arn:aws:sqs:${ctx.region}:000000000000:razorbill-${ctx.region}-prod-default-autoscaling-lifecycle-hook`,
      });
    }
    return ref;
  });
}

function removeHooks(ctx: HandlerContext, refs: readonly AsgHookRef[]): void {
  for (const ref of refs) {
    const asg = ctx.state.autoscaling.groups[ref.name];
    if (asg !== undefined) asg.lifecycleHooks = asg.lifecycleHooks.filter((hook) => hook.name !== ref.hook && hook.name !== ref.terminationHook);
  }
}

// ---- JSON shapes ----------------------------------------------------------------------------------------

function applicationJson(application: ApplicationRecord): JsonObject {
  return {
    applicationId: application.id,
    applicationName: application.name,
    createTime: epochSeconds(application.createdAt),
    linkedToGitHub: false,
    computePlatform: application.computePlatform,
  };
}

function groupJson(ctx: HandlerContext, group: DeploymentGroupRecord): JsonObject {
  const application = ctx.state.codedeploy.applications[group.application];
  const { attempted, succeeded } = lastDeployments(ctx, group);
  const last = (d: typeof attempted): JsonObject | undefined =>
    d === undefined
      ? undefined
      : { deploymentId: d.id, status: d.status, createTime: epochSeconds(d.createdAt), endTime: d.completedAt === undefined ? undefined : epochSeconds(d.completedAt) };
  return {
    applicationName: group.application,
    deploymentGroupId: group.id,
    deploymentGroupName: group.name,
    deploymentConfigName: group.deploymentConfigName,
    ec2TagFilters: group.ec2TagFilters,
    ec2TagSet: group.ec2TagSet === undefined ? undefined : { ec2TagSetList: group.ec2TagSet },
    onPremisesInstanceTagFilters: group.onPremisesInstanceTagFilters,
    autoScalingGroups: group.autoScalingGroups,
    serviceRoleArn: group.serviceRoleArn,
    targetRevision: succeeded?.revision,
    deploymentStyle: group.deploymentStyle,
    outdatedInstancesStrategy: group.outdatedInstancesStrategy,
    lastSuccessfulDeployment: last(succeeded),
    lastAttemptedDeployment: last(attempted),
    computePlatform: application?.computePlatform ?? 'Server',
    terminationHookEnabled: group.terminationHookEnabled,
    ...group.passthrough,
  };
}

// ---- operations -----------------------------------------------------------------------------------------

const createApplication: Handler<JsonObject> = (params, ctx) => {
  const { state } = ctx;
  const name = readApplicationName(params);
  const computePlatform = params.optStr('computePlatform') ?? 'Server';
  if (!COMPUTE_PLATFORMS.includes(computePlatform)) throw cdError('InvalidComputePlatformException', 'The computePlatform is invalid. The computePlatform should be Lambda, Server, or ECS.');
  const tags = readTags(params, 'tags');
  if (state.codedeploy.applications[name] !== undefined) {
    throw cdError('ApplicationAlreadyExistsException', `The application ${name} already exists with the user or AWS account.`);
  }
  if (Object.keys(state.codedeploy.applications).length >= APPLICATIONS_PER_ACCOUNT) {
    throw cdError('ApplicationLimitExceededException', 'More applications were attempted to be created than are allowed.');
  }
  const application: ApplicationRecord = { name, id: ctx.ids.uuid(), createdAt: ctx.now(), computePlatform, tags };
  state.codedeploy.applications[name] = application;
  return { applicationId: application.id };
};

const createDeploymentGroup: Handler<JsonObject> = (params, ctx) => {
  const { state } = ctx;
  const application = findApplication(state, readApplicationName(params));
  const name = readGroupName(params);
  const roleArn = params.optStr('serviceRoleArn');
  if (roleArn === undefined || roleArn === '') throw cdError('RoleRequiredException', 'The role ID was not specified.');
  const configName = readDeploymentConfigName(params, state, application, 'CodeDeployDefault.OneAtATime') ?? 'CodeDeployDefault.OneAtATime';
  const targets = readEc2Targets(params);
  const filters = targets.filters ?? [];
  const set = targets.set !== undefined && targets.set.length > 0 ? targets.set : undefined;
  checkTagCombination(filters, set);
  const onPremFilters = params.list('onPremisesInstanceTagFilters').map((filter) => readTagFilter(filter, invalidOnPremTag));
  if (onPremFilters.length > 0 && params.has('onPremisesTagSet')) {
    throw cdError('InvalidOnPremisesTagCombinationException', 'A call was submitted that specified both OnPremisesTagFilters and OnPremisesTagSet, but only one of these data types can be used in a single call.');
  }
  const asgNames = readAutoScalingGroups(params, state);
  const deploymentStyle = readDeploymentStyle(params, undefined);
  if (deploymentStyle.deploymentOption === 'WITH_TRAFFIC_CONTROL' && !params.has('loadBalancerInfo')) {
    throw cdError('InvalidLoadBalancerInfoException', 'An invalid load balancer name, or no load balancer name, was specified.');
  }
  const passthrough = readPassthrough(params, {});
  const tags = readTags(params, 'tags');
  const outdatedInstancesStrategy = params.optStr('outdatedInstancesStrategy') ?? 'UPDATE';
  if (state.codedeploy.deploymentGroups[groupKey(application.name, name)] !== undefined) {
    throw cdError('DeploymentGroupAlreadyExistsException', `A deployment group with the name ${name} already exists for application ${application.name}.`);
  }
  if (Object.values(state.codedeploy.deploymentGroups).filter((g) => g.application === application.name).length >= GROUPS_PER_APPLICATION) {
    throw cdError('DeploymentGroupLimitExceededException', 'The deployment groups limit was exceeded.');
  }
  checkServiceRole(ctx, roleArn, asgNames);
  const terminationHookEnabled = params.optBool('terminationHookEnabled') ?? false;
  const group: DeploymentGroupRecord = {
    application: application.name,
    name,
    id: ctx.ids.uuid(),
    serviceRoleArn: roleArn,
    deploymentConfigName: configName,
    ec2TagFilters: filters,
    onPremisesInstanceTagFilters: onPremFilters,
    autoScalingGroups: installHooks(ctx, name, asgNames, terminationHookEnabled),
    deploymentStyle,
    outdatedInstancesStrategy,
    terminationHookEnabled,
    passthrough,
    tags,
  };
  if (set !== undefined) group.ec2TagSet = set;
  state.codedeploy.deploymentGroups[groupKey(application.name, name)] = group;
  return { deploymentGroupId: group.id };
};

const updateDeploymentGroup: Handler<JsonObject> = (params, ctx) => {
  const { state } = ctx;
  const application = findApplication(state, readApplicationName(params));
  const group = findGroup(state, application.name, readGroupName(params, 'currentDeploymentGroupName'));
  const newName = params.has('newDeploymentGroupName') ? readGroupName(params, 'newDeploymentGroupName') : group.name;
  if (newName !== group.name && state.codedeploy.deploymentGroups[groupKey(application.name, newName)] !== undefined) {
    throw cdError('DeploymentGroupAlreadyExistsException', `A deployment group with the name ${newName} already exists for application ${application.name}.`);
  }
  const configName = readDeploymentConfigName(params, state, application, undefined);
  const targets = readEc2Targets(params);
  const nextFilters = targets.filters ?? group.ec2TagFilters;
  const nextSet = targets.set !== undefined ? (targets.set.length > 0 ? targets.set : undefined) : group.ec2TagSet;
  checkTagCombination(nextFilters, nextSet);
  const asgNames = params.hasList('autoScalingGroups') ? readAutoScalingGroups(params, state) : undefined;
  const roleArn = params.optStr('serviceRoleArn');
  const deploymentStyle = readDeploymentStyle(params, group.deploymentStyle);
  const passthrough = readPassthrough(params, group.passthrough);
  if (roleArn !== undefined || (asgNames !== undefined && asgNames.length > 0)) checkServiceRole(ctx, roleArn ?? group.serviceRoleArn, asgNames ?? []);
  const terminationHookEnabled = params.optBool('terminationHookEnabled') ?? group.terminationHookEnabled;

  if (configName !== undefined) group.deploymentConfigName = configName;
  group.ec2TagFilters = nextFilters;
  if (nextSet === undefined) delete group.ec2TagSet;
  else group.ec2TagSet = nextSet;
  if (params.hasList('onPremisesInstanceTagFilters')) group.onPremisesInstanceTagFilters = params.list('onPremisesInstanceTagFilters').map((f) => readTagFilter(f, invalidOnPremTag));
  if (roleArn !== undefined) group.serviceRoleArn = roleArn;
  if (asgNames !== undefined || terminationHookEnabled !== group.terminationHookEnabled) {
    removeHooks(ctx, group.autoScalingGroups);
    group.autoScalingGroups = installHooks(ctx, newName, asgNames ?? group.autoScalingGroups.map((ref) => ref.name), terminationHookEnabled);
  }
  group.deploymentStyle = deploymentStyle;
  group.passthrough = passthrough;
  group.terminationHookEnabled = terminationHookEnabled;
  group.outdatedInstancesStrategy = params.optStr('outdatedInstancesStrategy') ?? group.outdatedInstancesStrategy;
  if (newName !== group.name) {
    delete state.codedeploy.deploymentGroups[groupKey(application.name, group.name)];
    group.name = newName;
    state.codedeploy.deploymentGroups[groupKey(application.name, newName)] = group;
  }
  return { hooksNotCleanedUp: [] };
};

/**
 * DeleteDeploymentGroup removes the group and the lifecycle hooks it installed, and answers `hooksNotCleanedUp: []`.
 * Neither delete lists a "does not exist" error in the API reference: a missing group or application is a success.
 */
const deleteDeploymentGroup: Handler<JsonObject> = (params, ctx) => {
  const application = readApplicationName(params);
  const key = groupKey(application, readGroupName(params));
  const group = ctx.state.codedeploy.deploymentGroups[key];
  if (group !== undefined) {
    removeHooks(ctx, group.autoScalingGroups);
    delete ctx.state.codedeploy.deploymentGroups[key];
  }
  return { hooksNotCleanedUp: [] };
};

/** DeleteApplication takes the application's deployment groups (and their hooks) with it. */
const deleteApplication: Handler<JsonObject> = (params, ctx) => {
  const name = readApplicationName(params);
  for (const [key, group] of Object.entries(ctx.state.codedeploy.deploymentGroups)) {
    if (group.application !== name) continue;
    removeHooks(ctx, group.autoScalingGroups);
    delete ctx.state.codedeploy.deploymentGroups[key];
  }
  delete ctx.state.codedeploy.applications[name];
  return {};
};

const batchGetDeploymentGroups: Handler<JsonObject> = (params, ctx) => {
  const application = findApplication(ctx.state, readApplicationName(params));
  const names = params.strList('deploymentGroupNames');
  if (names.length === 0) throw cdError('DeploymentGroupNameRequiredException', 'The deployment group name was not specified.');
  if (names.length > 100) throw cdError('BatchLimitExceededException', 'The maximum number of names or IDs allowed for this request (100) was exceeded.');
  const found = names.flatMap((name) => {
    const group = ctx.state.codedeploy.deploymentGroups[groupKey(application.name, name)];
    return group === undefined ? [] : [groupJson(ctx, group)];
  });
  const missing = names.filter((name) => ctx.state.codedeploy.deploymentGroups[groupKey(application.name, name)] === undefined);
  return { deploymentGroupsInfo: found, ...(missing.length > 0 ? { errorMessage: `Deployment groups not found: ${missing.join(', ')}` } : {}) };
};

/** Finds the tagged resource an ARN names: an application, a deployment group or a custom deployment config. */
function taggable(ctx: HandlerContext, params: Params, mustExist: boolean): { tags: Tag[]; set(tags: Tag[]): void } | undefined {
  const arn = params.optStr('ResourceArn');
  if (arn === undefined || arn === '') throw cdError('ResourceArnRequiredException', 'The ARN of a resource is required, but was not found.');
  const match = /^arn:aws[\w-]*:codedeploy:[^:]*:(\d{12}):([a-z]+):(.+)$/.exec(arn);
  if (match === null) throw cdError('InvalidArnException', 'The specified ARN is not in a valid format.');
  const [, , type = '', rest = ''] = match;
  const { state } = ctx;
  if (type === 'application') {
    const application = mustExist ? findApplication(state, rest) : state.codedeploy.applications[rest];
    return application === undefined ? undefined : { tags: application.tags, set: (tags) => (application.tags = tags) };
  }
  if (type === 'deploymentgroup') {
    const [appName = '', groupName = ''] = rest.split('/');
    const group = mustExist ? findGroup(state, appName, groupName) : state.codedeploy.deploymentGroups[groupKey(appName, groupName)];
    return group === undefined ? undefined : { tags: group.tags, set: (tags) => (group.tags = tags) };
  }
  if (type === 'deploymentconfig') {
    findDeploymentConfig(state, rest);
    return undefined;
  }
  throw cdError('ArnNotSupportedException', 'The specified ARN is not supported. For example, it might be an ARN for a resource that is not expected.');
}

export function codeDeployService(): ServiceDef {
  return defineService<JsonObject>({
    name: 'codedeploy',
    codec: jsonCodec({ targetPrefix: 'CodeDeploy_20141006', messageField: 'message' }),
    errors: jsonErrors({
      missing: (name) => cdError('InvalidInputException', `The input parameter ${name} is required.`),
      invalid: (name) => cdError('InvalidInputException', `The input parameter ${name} was specified in an invalid format.`),
    }),
    operations: {
      GetApplication: (params, ctx) => ({ application: applicationJson(findApplication(ctx.state, readApplicationName(params))) }),
      CreateApplication: createApplication,
      ListApplications: (params, ctx) => {
        const names = Object.keys(ctx.state.codedeploy.applications).sort();
        const { page, next } = paginate(names, params.optStr('nextToken'), 100, () => cdError('InvalidNextTokenException', 'The next token was specified in an invalid format.'));
        return { applications: page, nextToken: next };
      },
      BatchGetApplications: (params, ctx) => {
        const names = params.strList('applicationNames');
        if (names.length === 0) throw cdError('ApplicationNameRequiredException', 'The minimum number of required application names was not specified.');
        if (names.length > 100) throw cdError('BatchLimitExceededException', 'The maximum number of names or IDs allowed for this request (100) was exceeded.');
        return { applicationsInfo: names.map((name) => applicationJson(findApplication(ctx.state, name))) };
      },
      GetDeploymentGroup: (params, ctx) => {
        const group = findGroup(ctx.state, readApplicationName(params), readGroupName(params));
        return { deploymentGroupInfo: groupJson(ctx, group) };
      },
      CreateDeploymentGroup: createDeploymentGroup,
      UpdateDeploymentGroup: updateDeploymentGroup,
      DeleteDeploymentGroup: deleteDeploymentGroup,
      DeleteApplication: deleteApplication,
      BatchGetDeploymentGroups: batchGetDeploymentGroups,
      ListDeploymentGroups: (params, ctx) => {
        const application = findApplication(ctx.state, readApplicationName(params));
        const names = Object.values(ctx.state.codedeploy.deploymentGroups)
          .filter((group) => group.application === application.name)
          .map((group) => group.name)
          .sort();
        const { page, next } = paginate(names, params.optStr('nextToken'), 100, () => cdError('InvalidNextTokenException', 'The next token was specified in an invalid format.'));
        return { applicationName: application.name, deploymentGroups: page, nextToken: next };
      },
      GetDeploymentConfig: (params, ctx) => {
        const name = params.optStr('deploymentConfigName');
        if (name === undefined || name === '') throw cdError('DeploymentConfigNameRequiredException', 'The deployment configuration name was not specified.');
        const config = findDeploymentConfig(ctx.state, name);
        return {
          deploymentConfigInfo: {
            deploymentConfigId: config.id,
            deploymentConfigName: config.name,
            minimumHealthyHosts: config.minimumHealthyHosts,
            createTime: epochSeconds(config.createdAt),
            computePlatform: config.computePlatform,
          },
        };
      },
      ListTagsForResource: (params, ctx) => ({ Tags: taggable(ctx, params, false)?.tags ?? [] }),
      TagResource: (params, ctx) => {
        const target = taggable(ctx, params, true);
        const tags = readTags(params, 'Tags');
        if (tags.length === 0) throw cdError('TagRequiredException', 'A tag was not specified.');
        target?.set(mergeTags(target.tags, tags));
        return {};
      },
      ...deploymentOperations,
      ...revisionOperations,
    },
  });
}
