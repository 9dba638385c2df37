/**
 * Auto Scaling over the AWS query protocol (version 2011-01-01): groups (launch template, launch
 * configuration or mixed instances policy; instances; tags) and lifecycle hooks, including the launch hook
 * CodeDeploy installs when a deployment group names the group.
 */
import { AwsError } from '../errors.js';
import type { Params } from '../params.js';
import { awsQueryCodec, awsQueryErrors } from '../query.js';
import { defineService, paginate, wildcardMatch, type HandlerContext, type ServiceDef } from '../service.js';
import type { AsgRecord, LaunchTemplateRef } from '../state.js';
import type { XmlFields } from '../xml.js';

export const AUTOSCALING_XMLNS = 'http://autoscaling.amazonaws.com/doc/2011-01-01/';

const validation = (message: string): AwsError => new AwsError('ValidationError', message, 400);

function launchTemplateXml(template: LaunchTemplateRef | undefined): XmlFields | undefined {
  return template === undefined ? undefined : { LaunchTemplateId: template.id, LaunchTemplateName: template.name, Version: template.version };
}

function groupXml(group: AsgRecord, account: string): XmlFields {
  return {
    AutoScalingGroupName: group.name,
    AutoScalingGroupARN: group.arn,
    LaunchConfigurationName: group.launchConfigurationName,
    LaunchTemplate: launchTemplateXml(group.launchTemplate),
    MixedInstancesPolicy:
      group.mixedInstancesLaunchTemplate === undefined
        ? undefined
        : { LaunchTemplate: { LaunchTemplateSpecification: launchTemplateXml(group.mixedInstancesLaunchTemplate), Overrides: [] } },
    MinSize: group.minSize,
    MaxSize: group.maxSize,
    DesiredCapacity: group.desiredCapacity,
    DefaultCooldown: 300,
    AvailabilityZones: group.availabilityZones,
    LoadBalancerNames: group.loadBalancerNames,
    TargetGroupARNs: group.targetGroupArns,
    HealthCheckType: group.healthCheckType,
    HealthCheckGracePeriod: 300,
    Instances: group.instances.map((instance) => ({
      InstanceId: instance.instanceId,
      InstanceType: instance.instanceType,
      AvailabilityZone: instance.availabilityZone,
      LifecycleState: instance.lifecycleState,
      HealthStatus: instance.healthStatus,
      LaunchConfigurationName: group.launchConfigurationName,
      LaunchTemplate: launchTemplateXml(group.launchTemplate ?? group.mixedInstancesLaunchTemplate),
      ProtectedFromScaleIn: instance.protectedFromScaleIn,
    })),
    CreatedTime: new Date(group.createdAt),
    SuspendedProcesses: [],
    VPCZoneIdentifier: group.vpcZoneIdentifier,
    EnabledMetrics: [],
    Tags: group.tags.map((tag) => ({ ResourceId: group.name, ResourceType: 'auto-scaling-group', Key: tag.Key, Value: tag.Value, PropagateAtLaunch: tag.PropagateAtLaunch })),
    TerminationPolicies: ['Default'],
    NewInstancesProtectedFromScaleIn: false,
    ServiceLinkedRoleARN: `arn:aws:iam::${account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`,
    CapacityRebalance: false,
  };
}

function matchesFilters(group: AsgRecord, params: Params): boolean {
  return params.list('Filters').every((filter) => {
    const name = filter.str('Name');
    const values = filter.strList('Values');
    const candidates =
      name === 'tag-key' ? group.tags.map((tag) => tag.Key)
        : name === 'tag-value' ? group.tags.map((tag) => tag.Value)
          : name.startsWith('tag:') ? group.tags.filter((tag) => tag.Key === name.slice(4)).map((tag) => tag.Value)
            : undefined;
    if (candidates === undefined) throw validation(`Filter type ${name} is not correct. Allowed Filter types are: auto-scaling-group key value propagate-at-launch tag-key tag-value`);
    return candidates.some((candidate) => values.some((value) => wildcardMatch(value, candidate)));
  });
}

function describeGroups(params: Params, ctx: HandlerContext): XmlFields {
  const names = params.strList('AutoScalingGroupNames');
  const maxRecords = params.optInt('MaxRecords') ?? 50;
  if (maxRecords < 1 || maxRecords > 100) throw validation('MaxRecords must be between 1 and 100');
  // Unknown names are left out of the answer rather than reported, as Auto Scaling does.
  const groups = Object.values(ctx.state.autoscaling.groups).filter((group) => (names.length === 0 || names.includes(group.name)) && matchesFilters(group, params));
  const { page, next } = paginate(groups, params.optStr('NextToken'), maxRecords, () => new AwsError('InvalidNextToken', 'The token is invalid.', 400));
  return { AutoScalingGroups: page.map((group) => groupXml(group, ctx.state.sts.account)), NextToken: next };
}

export function autoScalingService(): ServiceDef {
  return defineService<XmlFields | undefined>({
    name: 'autoscaling',
    codec: awsQueryCodec(AUTOSCALING_XMLNS),
    errors: awsQueryErrors(),
    operations: {
      DescribeAutoScalingGroups: describeGroups,
      DeleteLifecycleHook: (params, ctx) => {
        const name = params.str('AutoScalingGroupName');
        const group = ctx.state.autoscaling.groups[name];
        if (group === undefined) throw validation(`AutoScalingGroup name not found - ${name}`);
        const hook = params.str('LifecycleHookName');
        if (!group.lifecycleHooks.some((one) => one.name === hook)) throw validation(`No Lifecycle Hook found with name: ${hook} for group: ${name}`);
        group.lifecycleHooks = group.lifecycleHooks.filter((one) => one.name !== hook);
        return undefined;
      },
      DescribeLifecycleHooks: (params, ctx) => {
        const name = params.str('AutoScalingGroupName');
        const group = ctx.state.autoscaling.groups[name];
        if (group === undefined) throw validation(`AutoScalingGroup name not found - ${name}`);
        const wanted = params.strList('LifecycleHookNames');
        return {
          LifecycleHooks: group.lifecycleHooks
            .filter((hook) => wanted.length === 0 || wanted.includes(hook.name))
            .map((hook) => ({
              LifecycleHookName: hook.name,
              AutoScalingGroupName: group.name,
              LifecycleTransition: hook.transition,
              NotificationTargetARN: hook.notificationTargetArn,
              RoleARN: hook.roleArn,
              HeartbeatTimeout: hook.heartbeatTimeout,
              GlobalTimeout: hook.globalTimeout,
              DefaultResult: hook.defaultResult,
            })),
        };
      },
    },
  });
}
