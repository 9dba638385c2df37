import { dnsSuffixOf, partitionOfRegion } from '../../aws/regions.js';
import type { Style } from '../../io/terminal.js';
import { resourceKitBucket } from '../../codedeploy/names.js';
import type { SetupPlan } from '../../codedeploy/plan.js';
import type { AsgLaunch } from '../../codedeploy/resources/auto-scaling.js';
import type { ResourceRecord, StatePatch } from '../../codedeploy/state.js';
import { describeTagGroups } from '../../codedeploy/tags.js';

/**
 * The "Done" summary: what exists now, how to install the agent in this region, how to deploy with the
 * user's own names, and where to go when a deployment fails. Pure; rendering is separate.
 */

export interface ResourceLine {
  label: string;
  name: string;
  arn?: string;
  id?: string;
  status?: ResourceRecord['status'];
}

export interface AgentInstall {
  label: string;
  commands: string[];
}

export interface NextSteps {
  resources: ResourceLine[];
  agent: { v1: AgentInstall[]; v2: AgentInstall[]; windows?: AgentInstall; ssm?: string; verify: string };
  deploy: string[];
  fix: string[];
  notes: string[];
}

/** https://aws-codedeploy-<region>.s3.<region>.<domain>/<key>; China uses amazonaws.com.cn. */
export function agentUrl(region: string, key: string): string {
  const partition = partitionOfRegion(region) ?? (region.startsWith('cn-') ? 'aws-cn' : 'aws');
  return `https://${resourceKitBucket(region)}.s3.${region}.${dnsSuffixOf(partition)}/${key}`;
}

export function linuxAgentInstall(region: string, version: 1 | 2): AgentInstall[] {
  const url = agentUrl(region, `${version === 1 ? 'latest' : 'latestv2'}/install`);
  const fetch = [`cd /tmp && wget ${url}`, 'chmod +x ./install && sudo ./install auto'];
  return [
    { label: 'Amazon Linux / RHEL', commands: [version === 1 ? 'sudo yum install -y ruby wget' : 'sudo yum install -y wget', ...fetch] },
    { label: 'Ubuntu / Debian', commands: [version === 1 ? 'sudo apt-get update && sudo apt-get install -y ruby-full wget' : 'sudo apt-get update && sudo apt-get install -y wget', ...fetch] },
  ];
}

export function windowsAgentInstall(region: string): AgentInstall {
  return {
    label: 'Windows (PowerShell as Administrator)',
    commands: [
      `Invoke-WebRequest -Uri ${agentUrl(region, 'latest/codedeploy-agent.msi')} -OutFile $env:TEMP\\codedeploy-agent.msi`,
      'Start-Process msiexec.exe -Wait -ArgumentList "/i $env:TEMP\\codedeploy-agent.msi /quiet /l $env:TEMP\\codedeploy-agent-install.log"',
    ],
  };
}

const quote = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

/** What to change so that an Auto Scaling group's new instances start with the profile (and the agent). */
export function launchNote(group: string, launch: AsgLaunch | undefined, profile: string): string {
  switch (launch?.kind) {
    case 'launch-configuration':
      return (
        `New instances of ${group} get their profile from launch configuration ${launch.name ?? '(unnamed)'}, which cannot be edited: ` +
        `copy it with IAM instance profile ${profile} and the agent in its user data, and switch ${group} to the copy (or move ${group} to a launch template).`
      );
    case 'launch-template':
      return `New instances of ${group} get their profile from ${launch.name ? `launch template ${launch.name}` : 'its launch template'}: set the template's IAM instance profile to ${profile}, and install the agent in its user data.`;
    default:
      return `New instances of ${group} get their profile from its launch template or configuration: give them IAM instance profile ${profile}, and install the agent in their user data.`;
  }
}

export function nextSteps(input: { plan: SetupPlan; state: StatePatch; platforms?: readonly string[]; profile?: string; skippedReplacements?: readonly string[] }): NextSteps {
  const { plan, state } = input;
  const a = plan.answers;
  const region = plan.region;
  const common = `--region ${region}${input.profile ? ` --profile ${quote(input.profile)}` : ''}`;
  const resources: ResourceLine[] = [
    { label: 'Service role', name: plan.settings.serviceRole, arn: state.serviceRole?.arn ?? plan.arns.serviceRole, ...(state.serviceRole ? { status: state.serviceRole.status } : {}) },
    { label: 'Instance role', name: a.instanceRole, arn: state.instanceRole?.arn ?? plan.arns.instanceRole, ...(state.instanceRole ? { status: state.instanceRole.status } : {}) },
    {
      label: 'Instance profile',
      name: a.instanceProfile,
      arn: state.instanceProfile?.arn ?? plan.arns.instanceProfile,
      ...(state.instanceProfile ? { status: state.instanceProfile.status } : {}),
    },
    { label: 'Application', name: a.app, ...(state.application?.id ? { id: state.application.id } : {}), ...(state.application ? { status: state.application.status } : {}) },
    {
      label: 'Deployment group',
      name: a.group,
      ...(state.deploymentGroup?.arn ? { arn: state.deploymentGroup.arn } : {}),
      ...(state.deploymentGroup?.id ? { id: state.deploymentGroup.id } : {}),
      ...(state.deploymentGroup ? { status: state.deploymentGroup.status } : {}),
    },
  ];

  const key = `${a.app}/release.zip`;
  const deploy = [
    `aws deploy push --application-name ${quote(a.app)} --s3-location s3://${a.bucket}/${key} --source . ${common}`,
    `aws deploy create-deployment --application-name ${quote(a.app)} --deployment-group-name ${quote(a.group)} --s3-location bucket=${a.bucket},key=${key},bundleType=zip ${common}`,
    `aws deploy wait deployment-successful --deployment-id <the id printed above> ${common}`,
  ];

  const windows = (input.platforms ?? []).some((platform) => /windows/i.test(platform));
  const ssmTargets =
    a.instances.length > 0
      ? `--instance-ids ${a.instances.join(' ')}`
      : (() => {
          const tag = a.tagGroups[0]?.[0];
          return tag ? `--targets Key=tag:${tag.key},Values=${quote(tag.value ?? '*')}` : '--targets Key=tag:Name,Values=<your instances>';
        })();
  const agent: NextSteps['agent'] = {
    v1: linuxAgentInstall(region, 1),
    v2: linuxAgentInstall(region, 2),
    ...(windows ? { windows: windowsAgentInstall(region) } : {}),
    ...(a.ssm
      ? { ssm: `aws ssm send-command --document-name AWS-ConfigureAWSPackage ${ssmTargets} --parameters '{"action":["Install"],"name":["AWSCodeDeployAgent"]}' ${common}` }
      : {}),
    verify: 'sudo service codedeploy-agent status',
  };

  const notes: string[] = [];
  for (const id of input.skippedReplacements ?? []) {
    notes.push(`${id} kept its own instance profile: its role must be able to read s3://${a.bucket}, or its deployments fail to download the revision.`);
  }
  for (const group of plan.targets.autoScalingGroups) notes.push(launchNote(group, plan.targets.launches[group], a.instanceProfile));
  if (plan.targets.instances.length === 0 && a.asg.length === 0) {
    notes.push(`No instance matches ${describeTagGroups(a.tagGroups)} yet: tag your instances before the first deployment.`);
  }

  return {
    resources,
    agent,
    deploy,
    fix: [`cd-wizard fix --message "<the error from the console or aws deploy>"`, 'cd-wizard fix --log codedeploy-agent.log   # the log copied from an instance'],
    notes,
  };
}

export function renderNextSteps(next: NextSteps, style: Style): string {
  const lines: string[] = [];
  const heading = (text: string) => lines.push('', style.bold(text));
  heading('Set up:');
  for (const resource of next.resources) {
    const id = resource.arn ?? resource.id;
    lines.push(`  ${`${resource.label}:`.padEnd(18)}${resource.name}${resource.status ? style.dim(` (${resource.status})`) : ''}${id ? `\n  ${''.padEnd(18)}${style.dim(id)}` : ''}`);
  }
  heading('1. Install the CodeDeploy agent on each instance (agent 1.x):');
  for (const install of next.agent.v1) {
    lines.push(`  ${install.label}:`);
    for (const command of install.commands) lines.push(`    ${command}`);
  }
  lines.push(`  Agent 2.x (no Ruby; where your region offers it): the same, with latestv2/ instead of latest/ and only wget installed.`);
  if (next.agent.windows) {
    lines.push(`  ${next.agent.windows.label}:`);
    for (const command of next.agent.windows.commands) lines.push(`    ${command}`);
  }
  if (next.agent.ssm) lines.push('  Or with Systems Manager, from here:', `    ${next.agent.ssm}`);
  lines.push(`  Check it runs: ${next.agent.verify}`);
  heading('2. Deploy (from the folder with your appspec.yml):');
  for (const command of next.deploy) lines.push(`  ${command}`);
  heading('3. If a deployment fails:');
  for (const command of next.fix) lines.push(`  ${command}`);
  if (next.notes.length > 0) {
    heading('Notes:');
    for (const note of next.notes) lines.push(`  ${style.symbols.warn} ${note}`);
  }
  return lines.join('\n').replace(/^\n/, '');
}
