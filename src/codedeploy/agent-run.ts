import type { AwsPorts, CommandInvocation } from '../aws/ports/index.js';
import { AGENT_REPORT_SCRIPT, REPORT_MARKER, followCommand, parseAgentReport, type AgentReport, type SsmOptions } from './agent.js';
import { AGENT_PACKAGE, packageParameters, type AgentAction, type AgentOs } from './agent-install.js';
import { reasonOf } from './verdict.js';

/**
 * The agent through Systems Manager, per instance: the read-only report (installed, running, version) on Linux
 * (AWS-RunShellScript) and Windows (AWS-RunPowerShellScript), and install/update with AWS-ConfigureAWSPackage, whose
 * AWSCodeDeployAgent package picks the right installer for each OS. An install counts only once the report says the
 * agent runs: SSM's "Success" alone has been seen with no agent on the instance.
 */

const WINDOWS_ROOT = 'C:\\ProgramData\\Amazon\\CodeDeploy';

/** The Windows report: the same fields as AGENT_REPORT_SCRIPT (service codedeployagent; no root credentials or NTP check). */
export const WINDOWS_AGENT_REPORT_SCRIPT: readonly string[] = [
  `$svc = Get-Service -Name codedeployagent -ErrorAction SilentlyContinue`,
  `"${REPORT_MARKER}:installed=$(if ($svc -or (Test-Path '${WINDOWS_ROOT}\\bin')) { 'yes' } else { 'no' })"`,
  `"${REPORT_MARKER}:version=$((Get-Content '${WINDOWS_ROOT}\\.version' -ErrorAction SilentlyContinue | Where-Object { $_ -match 'agent_version:' } | Select-Object -First 1) -replace '.*agent_version:\\s*', '')"`,
  `"${REPORT_MARKER}:active=$(if ($svc -and $svc.Status -eq 'Running') { 'active' } elseif ($svc) { 'inactive' } else { 'unknown' })"`,
  `"${REPORT_MARKER}:status=$(if ($svc) { "codedeployagent is $($svc.Status)" } else { 'service codedeployagent could not be found' })"`,
  `"${REPORT_MARKER}:agent-log"; Get-Content '${WINDOWS_ROOT}\\log\\codedeploy-agent-log.txt' -Tail 40 -ErrorAction SilentlyContinue`,
  `"${REPORT_MARKER}:end"`,
];

export interface ReportOutcome {
  report?: AgentReport;
  /** Why there is no report (the command failed, SSM did not answer). */
  failure?: string;
}

const REPORT_COMMENT = 'cd-wizard: CodeDeploy agent report (read-only)';

/** Runs the report on each instance (Linux and Windows commands at once). */
export async function agentReports(ports: AwsPorts, targets: ReadonlyArray<{ id: string; os: AgentOs }>, options: SsmOptions): Promise<Map<string, ReportOutcome>> {
  const out = new Map<string, ReportOutcome>();
  const byOs = (os: AgentOs) => targets.filter((target) => target.os === os).map((target) => target.id);
  const run = async (ids: string[], send: () => Promise<string>) => {
    if (ids.length === 0) return;
    try {
      const ended = await followCommand(ports, await send(), ids, options);
      for (const id of ids) {
        const answer = ended.get(id);
        const report = answer ? parseAgentReport(answer.stdout) : undefined;
        out.set(id, report ? { report } : { failure: answer ? `the report command ended ${answer.status}${tail(answer) ? `: ${tail(answer)}` : ''}` : 'Systems Manager did not answer in time' });
      }
    } catch (error) {
      for (const id of ids) out.set(id, { failure: reasonOf(error) });
    }
  };
  const linux = byOs('linux');
  const windows = byOs('windows');
  await Promise.all([
    run(linux, () => ports.ssm.runShellScript(linux, AGENT_REPORT_SCRIPT, REPORT_COMMENT)),
    run(windows, () => ports.ssm.sendCommand({ document: 'AWS-RunPowerShellScript', instanceIds: windows, parameters: { commands: [...WINDOWS_AGENT_REPORT_SCRIPT] }, comment: REPORT_COMMENT })),
  ]);
  return out;
}

/** The last lines a command printed (stderr first), short enough for one line of a report. */
export function tail(invocation: Pick<CommandInvocation, 'stdout' | 'stderr'>, lines = 4): string {
  const text = [invocation.stderr, invocation.stdout].filter((part) => part.trim() !== '').join('\n');
  const last = text.trim().split(/\r?\n/).slice(-lines).join(' | ');
  return last.length > 400 ? `…${last.slice(-400)}` : last;
}

export type InstallStatus = 'installed' | 'failed' | 'not-running' | 'no-answer';

export interface InstallResult {
  id: string;
  status: InstallStatus;
  /** The agent version the report found after the install. */
  version?: string;
  detail: string;
}

export interface InstallOptions extends SsmOptions {
  /** The command id, as soon as SSM has it (what keeps running on Ctrl-C). */
  onSent?: (commandId: string) => void;
  /** Each instance's SSM status as it changes (Pending, InProgress, Success, Failed …), then the check. */
  onProgress?: (id: string, status: string) => void;
}

/** An instance as people read it: "i-0abc (web-1)". */
export const targetLabel = (target: { id: string; name?: string }): string => (target.name ? `${target.id} (${target.name})` : target.id);

/** What an SSM status means while the package installs ("Checking": the report after it). */
export function installPhase(status: string): string {
  switch (status) {
    case 'Checking':
      return 'checking that the agent runs';
    case 'Pending':
      return 'waiting for the instance to pick the command up';
    case 'InProgress':
      return 'installing';
    case 'Delayed':
      return 'delayed: the instance is busy or its SSM Agent is reconnecting';
    default:
      return status;
  }
}

/** One instance's install, in words: "installed; the agent 1.7.1 is running", or what went wrong. */
export function installResultText(result: InstallResult, action: AgentAction): string {
  if (result.status !== 'installed') return result.detail;
  return `${action === 'update' ? 'updated' : 'installed'}; the agent${result.version ? ` ${result.version}` : ''} is running`;
}

/** Installs (or updates) the agent on the instances with AWS-ConfigureAWSPackage, then checks that it runs. */
export async function installAgent(ports: AwsPorts, targets: ReadonlyArray<{ id: string; os: AgentOs }>, action: AgentAction, options: InstallOptions): Promise<{ commandId: string; results: InstallResult[] }> {
  const ids = targets.map((target) => target.id);
  const commandId = await ports.ssm.sendCommand({
    document: AGENT_PACKAGE.document,
    instanceIds: ids,
    parameters: packageParameters(action),
    comment: `cd-wizard: ${action} the CodeDeploy agent`,
    // Instances may take a while to pick a command up; the install itself then runs on its own.
    deliveryTimeoutSeconds: 600,
  });
  options.onSent?.(commandId);
  const ended = await followCommand(ports, commandId, ids, options, (id, invocation) => options.onProgress?.(id, invocation.status));
  const succeeded = targets.filter((target) => ended.get(target.id)?.status === 'Success');
  for (const target of succeeded) options.onProgress?.(target.id, 'Checking');
  const reports = await agentReports(ports, succeeded, options);
  return {
    commandId,
    results: targets.map((target): InstallResult => {
      const answer = ended.get(target.id);
      if (!answer) return { id: target.id, status: 'no-answer', detail: `Systems Manager did not finish in ${Math.round(options.timeoutMs / 1000)} s; the command may still be running (${commandId}).` };
      if (answer.status !== 'Success') return { id: target.id, status: 'failed', detail: `${AGENT_PACKAGE.document} ended ${answer.status}${tail(answer) ? `: ${tail(answer)}` : ''}` };
      const report = reports.get(target.id);
      if (report?.report?.installed && report.report.running === 'yes') {
        return { id: target.id, status: 'installed', ...(report.report.version ? { version: report.report.version } : {}), detail: `The agent${report.report.version ? ` ${report.report.version}` : ''} is running.` };
      }
      const why = report?.report ? (report.report.installed === false ? 'the agent is not installed' : `the agent is not running (${report.report.status.trim() || 'no status'})`) : `the check could not run: ${report?.failure ?? 'no report'}`;
      return { id: target.id, status: 'not-running', detail: `Systems Manager reported success, but ${why}.` };
    }),
  };
}
