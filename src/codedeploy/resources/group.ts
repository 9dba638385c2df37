import type { CodeDeployApplication, CodeDeployDeploymentGroup, DeploymentGroupSpec } from '../../aws/ports/index.js';
import type { TargetTag } from '../../aws/types.js';
import type { GroupSettings } from '../answers.js';
import { MANAGED_BY_TAG } from '../names.js';
import { namedStep, reuseStep, type Step } from '../steps.js';
import { describeTagGroups, sameTagGroups } from '../tags.js';
import type { Issue } from './instances.js';
import { reuseStatus } from '../state.js';

/**
 * The application and the deployment group. An existing group is adopted: the settings the user did not answer
 * (service role, configuration, rollback, load balancing; alarms and triggers are never touched) stay as they are,
 * and only what the answers change is a `~` line in the plan.
 */

/** `owned`: an existing application is cd-wizard's (isOurs), so a re-run keeps recording it as created. */
export function planApplication(app: string, observed: CodeDeployApplication | undefined, owned: boolean): { step: Step; problems: Issue[] } {
  if (observed) {
    const problems =
      observed.computePlatform !== 'Server'
        ? [{ message: `Application ${app} exists for ${observed.computePlatform}, not EC2 (Server).`, hint: 'Choose another application name with --app.' }]
        : [];
    return { step: reuseStep('application', 'application', 'application', app, { application: { name: app, id: observed.id, status: reuseStatus(owned) } }, owned ? 'created by cd-wizard' : undefined), problems };
  }
  return {
    step: namedStep('create', 'application', app, {
      id: 'application',
      resource: 'application',
      summary: `Create application ${app} (EC2/on-premises)`,
      calls: ['codedeploy:CreateApplication'],
      op: { type: 'create-application', name: app, tags: { ...MANAGED_BY_TAG } },
    }),
    problems: [],
  };
}

export interface GroupTargets {
  tagGroups: TargetTag[][];
  asg: string[];
}

/** The spec setup sends. A target group that was adopted is left out, so UpdateDeploymentGroup leaves load balancing alone. */
export function groupSpec(app: string, group: string, targets: GroupTargets, settings: GroupSettings, serviceRoleArn: string, targetGroupName: string | undefined): DeploymentGroupSpec {
  const keepLoadBalancer = settings.adopted.includes('targetGroup');
  return {
    application: app,
    name: group,
    serviceRoleArn,
    deploymentConfig: settings.deploymentConfig,
    autoRollback: settings.rollback,
    ...(targets.tagGroups.length > 0 ? { tagGroups: targets.tagGroups } : {}),
    ...(targets.asg.length > 0 ? { autoScalingGroups: targets.asg } : {}),
    ...(targetGroupName === undefined || keepLoadBalancer ? {} : { targetGroupName }),
  };
}

/** Differences between a deployment group and the spec, in words (empty: nothing to do). */
export function deploymentGroupDrift(observed: CodeDeployDeploymentGroup, spec: DeploymentGroupSpec): string[] {
  const drift: string[] = [];
  if (observed.serviceRoleArn !== spec.serviceRoleArn) drift.push(`service role is ${observed.serviceRoleArn || 'not set'}, wanted ${spec.serviceRoleArn}`);
  if (spec.tagGroups !== undefined && !sameTagGroups(observed.tagGroups, spec.tagGroups)) {
    drift.push(`instance tags are ${describeTagGroups(observed.tagGroups)}, wanted ${describeTagGroups(spec.tagGroups)}`);
  }
  if (spec.autoScalingGroups !== undefined && [...observed.autoScalingGroups].sort().join(',') !== [...spec.autoScalingGroups].sort().join(',')) {
    drift.push(`Auto Scaling groups are ${observed.autoScalingGroups.join(', ') || 'none'}, wanted ${spec.autoScalingGroups.join(', ')}`);
  }
  if (observed.deploymentConfig !== spec.deploymentConfig) drift.push(`deployment config is ${observed.deploymentConfig}, wanted ${spec.deploymentConfig}`);
  const rollbackOn = observed.autoRollback.enabled && observed.autoRollback.events.includes('DEPLOYMENT_FAILURE');
  if (spec.autoRollback !== rollbackOn) drift.push(spec.autoRollback ? 'automatic rollback on failure is off' : 'automatic rollback is on');
  if (spec.targetGroupName !== undefined && (observed.deploymentOption !== 'WITH_TRAFFIC_CONTROL' || observed.targetGroupNames.join(',') !== spec.targetGroupName)) {
    drift.push(`load balancing is ${observed.targetGroupNames.length > 0 ? `target group ${observed.targetGroupNames.join(', ')}` : 'off'}, wanted target group ${spec.targetGroupName}`);
  }
  return drift;
}

const ADOPTED_WORDS: Record<GroupSettings['adopted'][number], string> = {
  serviceRole: 'service role',
  deploymentConfig: 'deployment configuration',
  rollback: 'rollback setting',
  targetGroup: 'load balancing',
};

/** "keeps its service role, deployment configuration and rollback setting (alarms and triggers are never touched)". */
export function keptText(settings: GroupSettings): string {
  const kept = settings.adopted.map((key) => ADOPTED_WORDS[key]);
  const list = kept.length <= 1 ? (kept[0] ?? '') : `${kept.slice(0, -1).join(', ')} and ${kept[kept.length - 1]}`;
  return `${kept.length > 0 ? `keeps its ${list}; ` : ''}alarms and triggers are not touched`;
}

/** The group: created, reused, or updated where the answers differ; a group cd-wizard did not create is changed only with its own yes. */
export function planDeploymentGroup(spec: DeploymentGroupSpec, settings: GroupSettings, observed: CodeDeployDeploymentGroup | undefined, owned: boolean): Step {
  const selection = [
    spec.tagGroups === undefined ? undefined : `instances tagged ${describeTagGroups(spec.tagGroups)}`,
    spec.autoScalingGroups === undefined ? undefined : `Auto Scaling group${spec.autoScalingGroups.length === 1 ? '' : 's'} ${spec.autoScalingGroups.join(', ')}`,
  ]
    .filter((part) => part !== undefined)
    .join(' and ');
  const summaryOfSettings = `${spec.deploymentConfig.replace('CodeDeployDefault.', '')}, rollback on failure ${spec.autoRollback ? 'on' : 'off'}${spec.targetGroupName ? `, traffic through target group ${spec.targetGroupName}` : ''}`;
  if (!observed) {
    return namedStep('create', 'deployment group', spec.name, {
      id: 'deployment-group',
      resource: 'deploymentGroup',
      summary: `Create deployment group ${spec.name} for ${selection || 'no instances yet'} (${summaryOfSettings})`,
      calls: ['codedeploy:CreateDeploymentGroup'],
      op: { type: 'create-deployment-group', spec, tags: { ...MANAGED_BY_TAG } },
    });
  }
  const drift = deploymentGroupDrift(observed, spec);
  const record = { deploymentGroup: { name: spec.name, id: observed.id, status: reuseStatus(owned) } };
  if (drift.length === 0) return reuseStep('deployment-group', 'deploymentGroup', 'deployment group', spec.name, record, keptText(settings));
  return namedStep('update', 'deployment group', spec.name, {
    id: 'deployment-group',
    resource: 'deploymentGroup',
    reason: `${owned ? '' : 'cd-wizard did not create this group: '}${drift.join('; ')} (${keptText(settings)})`,
    calls: ['codedeploy:UpdateDeploymentGroup'],
    ...(owned ? {} : { confirm: 'foreign' as const }),
    op: { type: 'update-deployment-group', spec, previous: observed },
  });
}
