import type { Style } from '../../io/terminal.js';
import { linuxAgentInstall, packageCommandLine, windowsAgentInstall, type AgentInstall } from '../../codedeploy/agent-install.js';
import { revisionPrefix } from '../../codedeploy/names.js';
import type { SetupPlan } from '../../codedeploy/plan.js';
import { githubSubjectOf } from '../../codedeploy/resources/github.js';
import { githubSubjectClaim } from '../../codedeploy/trust.js';
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

/** Where the agent stands after setup's last step: running on some instances, installable through SSM on others. */
export interface AgentState {
  running: string[];
  /** Managed by Systems Manager and online, the agent not installed by setup. */
  ssmReady: string[];
}

/** The GitHub Actions deploy role: who may use it and where it may upload. */
export interface GithubNext {
  roleArn: string;
  subject: string;
  upload: string;
  /** The job must name the environment (the environment form replaces the branch in the token). */
  environment?: string;
  workflow: string;
}

export interface NextSteps {
  resources: ResourceLine[];
  agent: { v1: AgentInstall[]; v2: AgentInstall[]; windows?: AgentInstall; ssm?: string; wizard?: string; verify: string; running: string[]; remaining: number };
  github?: GithubNext;
  /** cd-wizard's own way: scaffold the AppSpec if there is none, then deploy and watch. */
  deploy: string[];
  /** The same with the AWS CLI, for those who script it. */
  deployWithCli: string[];
  fix: string[];
  notes: string[];
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

export function nextSteps(input: { plan: SetupPlan; state: StatePatch; platforms?: readonly string[]; profile?: string; skippedReplacements?: readonly string[]; agent?: AgentState }): NextSteps {
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

  const key = `${revisionPrefix(a.app)}release.zip`;
  const deploy = [
    'cd-wizard init     # appspec.yml and hook scripts, when the folder has none yet',
    'cd-wizard deploy   # lint, bundle, upload, deploy and watch it; a failure is diagnosed',
  ];
  const deployWithCli = [
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
    ...(a.ssm ? { ssm: packageCommandLine('install', ssmTargets, common), wizard: 'cd-wizard agent install' } : {}),
    ...((input.agent?.ssmReady.length ?? 0) > 0 ? { wizard: `cd-wizard agent install   # Systems Manager manages ${input.agent?.ssmReady.join(', ')}` } : {}),
    verify: 'sudo service codedeploy-agent status   (or: cd-wizard agent status)',
    running: input.agent?.running ?? [],
    remaining: Math.max(0, plan.targets.instances.length - (input.agent?.running.length ?? 0)) + a.asg.length,
  };

  const subject = githubSubjectOf(a);
  const roleArn = state.deployRole?.arn ?? plan.arns.deployRole;
  const github: GithubNext | undefined =
    subject && roleArn
      ? {
          roleArn,
          subject: githubSubjectClaim(subject),
          upload: `s3://${a.bucket}/${revisionPrefix(a.app)}`,
          ...('environment' in subject ? { environment: subject.environment } : {}),
          workflow: 'cd-wizard init --github-actions',
        }
      : undefined;
  if (github) resources.push({ label: 'Deploy role', name: a.deployRole ?? '', arn: github.roleArn, ...(state.deployRole ? { status: state.deployRole.status } : {}) });

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
    ...(github ? { github } : {}),
    deploy,
    deployWithCli,
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
  if (next.agent.running.length > 0) lines.push('', `${style.green(style.symbols.ok)} The CodeDeploy agent runs on ${next.agent.running.join(', ')}.`);
  if (next.agent.remaining > 0 || next.agent.running.length === 0) renderAgent(next, lines, heading);
  else heading('1. The agent is installed everywhere; check it any time with: cd-wizard agent status');
  heading('2. Deploy (from the folder with your appspec.yml):');
  for (const command of next.deploy) lines.push(`  ${command}`);
  lines.push('  Or with the AWS CLI:');
  for (const command of next.deployWithCli) lines.push(`    ${command}`);
  if (next.github) {
    lines.push(
      `  From GitHub Actions (only ${next.github.subject}): ${next.github.workflow} writes a workflow that assumes`,
      `    ${next.github.roleArn}`,
      `    and uploads to ${next.github.upload}`,
    );
    if (next.github.environment) lines.push(`    Its deploy job must say environment: ${next.github.environment} (the token then names the environment, not the branch).`);
  }
  heading('3. If a deployment fails:');
  for (const command of next.fix) lines.push(`  ${command}`);
  if (next.notes.length > 0) {
    heading('Notes:');
    for (const note of next.notes) lines.push(`  ${style.symbols.warn} ${note}`);
  }
  return lines.join('\n').replace(/^\n/, '');
}

function renderAgent(next: NextSteps, lines: string[], heading: (text: string) => void): void {
  heading('1. Install the CodeDeploy agent on each instance (agent 1.x):');
  if (next.agent.wizard) lines.push(`  Through Systems Manager: ${next.agent.wizard}`);
  for (const install of next.agent.v1) {
    lines.push(`  ${install.label}:`);
    for (const command of install.commands) lines.push(`    ${command}`);
  }
  lines.push(`  Agent 2.x (no Ruby; where your region offers it): the same, with latestv2/ instead of latest/ and only wget installed.`);
  if (next.agent.windows) {
    lines.push(`  ${next.agent.windows.label}:`);
    for (const command of next.agent.windows.commands) lines.push(`    ${command}`);
  }
  if (next.agent.ssm) lines.push('  Or with the AWS CLI and Systems Manager:', `    ${next.agent.ssm}`);
  lines.push(`  Check it runs: ${next.agent.verify}`);
}
