import { dnsSuffixOf, partitionOfRegion } from '../aws/regions.js';
import { resourceKitBucket } from './names.js';

/**
 * How the CodeDeploy agent gets onto an instance, the one source for setup's next steps and `cd-wizard agent`:
 * through Systems Manager (the AWS-ConfigureAWSPackage document with the AWSCodeDeployAgent Distributor package,
 * which picks the installer for the instance's OS, Linux and Windows alike), or by hand with the installer from the
 * region's resource-kit bucket aws-codedeploy-<region> (agent 1.x needs Ruby; 2.x, from latestv2/, does not and is
 * installed from the command line only).
 */

export type AgentOs = 'linux' | 'windows';

export interface AgentInstall {
  label: string;
  commands: string[];
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

/** The commands to install the agent by hand on an instance of this OS in this region. */
export function manualInstall(os: AgentOs, region: string): AgentInstall[] {
  return os === 'windows' ? [windowsAgentInstall(region)] : linuxAgentInstall(region, 1);
}

/** How to check by hand that the agent runs. */
export function manualCheck(os: AgentOs): string {
  return os === 'windows' ? 'powershell.exe -Command Get-Service -Name codedeployagent' : 'sudo service codedeploy-agent status';
}

/** Windows when EC2 (PlatformDetails) or Systems Manager (PlatformType) says so; Linux otherwise. */
export function osOf(...platforms: Array<string | undefined>): AgentOs {
  return platforms.some((platform) => platform !== undefined && /windows/i.test(platform)) ? 'windows' : 'linux';
}

/* ---------- through Systems Manager ---------- */

export type AgentAction = 'install' | 'update';

export const AGENT_PACKAGE = { document: 'AWS-ConfigureAWSPackage', name: 'AWSCodeDeployAgent' } as const;

/**
 * AWS-ConfigureAWSPackage's parameters: Install the latest AWSCodeDeployAgent. `install` uninstalls and reinstalls
 * (a clean agent, whatever was there); `update` updates in place (the agent's state and configuration stay).
 */
export function packageParameters(action: AgentAction): Record<string, string[]> {
  return {
    action: ['Install'],
    name: [AGENT_PACKAGE.name],
    installationType: [action === 'install' ? 'Uninstall and reinstall' : 'In-place update'],
  };
}

const quote = (value: string) => (/^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`);

/** The same as an AWS CLI command, for people who run it themselves. */
export function packageCommandLine(action: AgentAction, target: string, common: string): string {
  const parameters = JSON.stringify(packageParameters(action));
  return `aws ssm send-command --document-name ${AGENT_PACKAGE.document} ${target} --parameters ${quote(parameters)} ${common}`.trimEnd();
}
