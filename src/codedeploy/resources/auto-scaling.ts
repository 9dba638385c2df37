import type { AutoScalingGroupInfo, Ec2Instance, LaunchProfile, LifecycleHook } from '../../aws/ports/index.js';
import type { CheckVerdict } from '../verdict.js';
import type { Issue } from './instances.js';

/**
 * Auto Scaling groups as deployment targets: where their new instances get the instance profile from (the launch
 * template or configuration), and the launch hook CodeDeploy installs so a new instance gets the current revision.
 */

/** Where an Auto Scaling group's new instances get their instance profile from. */
export type AsgLaunch = { kind: 'launch-template'; name?: string } | { kind: 'launch-configuration'; name?: string } | { kind: 'unknown' };

export function asgLaunchOf(group: AutoScalingGroupInfo): AsgLaunch {
  if (group.usesLaunchTemplate) return { kind: 'launch-template', ...(group.launchTemplateName === undefined ? {} : { name: group.launchTemplateName }) };
  if (group.launchConfigurationName !== undefined) return { kind: 'launch-configuration', name: group.launchConfigurationName };
  return { kind: 'unknown' };
}

/**
 * Setup: warnings, before anything is applied, for groups whose new instances would start without an instance
 * profile (the agent then has no credentials), with the commands that fix the launch template; and for current
 * members without one (setup attaches its profile to those it was asked to prepare).
 */
export function launchWarnings(group: AutoScalingGroupInfo, launch: LaunchProfile, members: readonly Ec2Instance[], profileName: string, region: string): Issue[] {
  const warnings: Issue[] = [];
  const source = asgLaunchOf(group);
  if (launch.status === 'none') {
    const hint =
      source.kind === 'launch-template' && source.name
        ? `Add it to the template and use the new version: aws ec2 create-launch-template-version --launch-template-name ${source.name} --source-version '$Latest' --launch-template-data '{"IamInstanceProfile":{"Name":"${profileName}"}}' --region ${region} && aws autoscaling update-auto-scaling-group --auto-scaling-group-name ${group.name} --launch-template LaunchTemplateName=${source.name},Version='$Latest' --region ${region}`
        : `Give the group a launch template with IamInstanceProfile ${profileName} (launch configurations cannot be edited: create a new one).`;
    warnings.push({ message: `New instances of Auto Scaling group ${group.name} start without an instance profile (its ${source.kind === 'launch-configuration' ? 'launch configuration' : 'launch template'} sets none), so their agent will have no credentials.`, hint });
  } else if (launch.status === 'unknown') {
    warnings.push({ message: `Could not check the instance profile in the launch settings of Auto Scaling group ${group.name}: ${launch.reason}` });
  }
  const without = members.filter((instance) => instance.profileArn === undefined && instance.state !== 'terminated' && instance.state !== 'shutting-down');
  if (without.length > 0) {
    warnings.push({
      message: `${without.length} current instance${without.length === 1 ? '' : 's'} of ${group.name} ha${without.length === 1 ? 's' : 've'} no instance profile: ${without.map((instance) => instance.id).join(', ')}.`,
      hint: `Attach one: cd-wizard setup --instances ${without.map((instance) => instance.id).join(',')} (or replace the instances once the launch settings are fixed).`,
    });
  }
  return warnings;
}

export const LAUNCH_HOOK_PREFIX = 'CodeDeploy-managed-automatic-launch-deployment-hook-';

/** Fix: every Auto Scaling group of the deployment group has CodeDeploy's launch hook, and only one group deploys to it. */
export function hookVerdict(groupName: string, hooks: ReadonlyArray<{ asg: string; hooks: readonly LifecycleHook[] }>): CheckVerdict {
  const missing: string[] = [];
  const crowded: string[] = [];
  for (const { asg, hooks: list } of hooks) {
    const launch = list.filter((hook) => hook.name.startsWith(LAUNCH_HOOK_PREFIX) && hook.transition.endsWith('LAUNCHING'));
    if (!launch.some((hook) => hook.name.startsWith(`${LAUNCH_HOOK_PREFIX}${groupName}-`))) missing.push(asg);
    if (launch.length > 1) crowded.push(`${asg} (${launch.length}: ${launch.map((hook) => hook.name.slice(LAUNCH_HOOK_PREFIX.length)).join(', ')})`);
  }
  if (missing.length > 0) {
    return {
      status: 'problem',
      detail: `No CodeDeploy launch hook for ${groupName} on ${missing.join(', ')}: new instances start without the application. Re-add the Auto Scaling group to the deployment group to reinstall it.`,
      guide: 'auto-scaling-lifecycle-hook',
    };
  }
  if (crowded.length > 0) {
    return {
      status: 'problem',
      severity: 'warning',
      detail: `Several deployment groups deploy to each new instance of ${crowded.join('; ')}: their deployments collide.`,
      cause: 'concurrent-deployments',
      guide: 'concurrent-deployments',
    };
  }
  return { status: 'ok', detail: `${hooks.map((h) => h.asg).join(', ')} ${hooks.length === 1 ? 'has' : 'have'} the CodeDeploy launch hook for ${groupName}.` };
}
