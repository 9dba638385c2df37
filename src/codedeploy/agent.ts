import type { AwsPorts } from '../aws/ports/index.js';
import { TERMINAL_INVOCATION_STATUSES, type CommandInvocation, type ManagedInstance } from '../aws/ports/ssm.js';
import { step } from './steps.js';
import { guarded, toResult, type CheckResult, type CheckVerdict, type Remedy } from './verdict.js';

/**
 * On-instance checks through Systems Manager: one read-only AWS-RunShellScript command reports the agent
 * (installed, running, version), the last lines of its logs, stray root AWS credentials (the stale-keys trap) and
 * clock sync. The report is parsed here (pure); its log lines go through the matcher like everything else.
 * Without SSM, MANUAL_COMMANDS are what to run by hand.
 */

export const REPORT_MARKER = 'cdw-report';
export const AGENT_LOG = '/var/log/aws/codedeploy-agent/codedeploy-agent.log';
export const DEPLOYMENTS_LOG = '/opt/codedeploy-agent/deployment-root/deployment-logs/codedeploy-agent-deployments.log';
export const LOG_LINES = 40;

/** The script, one shell line per entry (AWS-RunShellScript's `commands`). Read-only: it changes nothing. */
export const AGENT_REPORT_SCRIPT: readonly string[] = [
  `echo "${REPORT_MARKER}:installed=$([ -d /opt/codedeploy-agent ] && echo yes || echo no)"`,
  `echo "${REPORT_MARKER}:version=$(grep -ho 'agent_version:.*' /opt/codedeploy-agent/.version 2>/dev/null | head -n 1 | cut -d: -f2- | tr -d ' ')"`,
  `echo "${REPORT_MARKER}:active=$(systemctl is-active codedeploy-agent 2>/dev/null || echo unknown)"`,
  `echo "${REPORT_MARKER}:status=$(service codedeploy-agent status 2>&1 | head -n 3 | tr '\\n' ' ')"`,
  `echo "${REPORT_MARKER}:root-aws=$(ls /root/.aws/credentials /root/.aws/config 2>/dev/null | tr '\\n' ' ')"`,
  `echo "${REPORT_MARKER}:ntp=$(timedatectl show -p NTPSynchronized --value 2>/dev/null || (chronyc tracking 2>/dev/null | grep -q 'Leap status *: Normal' && echo yes) || echo unknown)"`,
  `echo "${REPORT_MARKER}:agent-log"; tail -n ${LOG_LINES} ${AGENT_LOG} 2>&1`,
  `echo "${REPORT_MARKER}:deployments-log"; tail -n ${LOG_LINES} ${DEPLOYMENTS_LOG} 2>&1`,
  `echo "${REPORT_MARKER}:end"`,
];

/** The same, as commands to run by hand on an instance SSM does not manage. */
export const MANUAL_COMMANDS: readonly string[] = [
  'sudo service codedeploy-agent status',
  `sudo tail -n ${LOG_LINES} ${AGENT_LOG}`,
  `sudo tail -n ${LOG_LINES} ${DEPLOYMENTS_LOG}`,
  'sudo ls -l /root/.aws/credentials /root/.aws/config',
  'timedatectl status || chronyc tracking',
  `sudo tail -n 500 ${AGENT_LOG} | cd-wizard fix --log -`,
];

export const RESTART_AGENT_SCRIPT: readonly string[] = ['sudo systemctl restart codedeploy-agent || sudo service codedeploy-agent restart', 'sleep 2', 'sudo service codedeploy-agent status'];

export interface AgentReport {
  installed: boolean | undefined;
  version?: string;
  /** running | stopped | unknown */
  running: 'yes' | 'no' | 'unknown';
  status: string;
  rootAwsFiles: string[];
  clockSynced: boolean | undefined;
  agentLog: string;
  deploymentsLog: string;
}

export function parseAgentReport(stdout: string): AgentReport | undefined {
  if (!stdout.includes(`${REPORT_MARKER}:`)) return undefined;
  const fields = new Map<string, string>();
  const sections = new Map<string, string[]>();
  let section: string[] | undefined;
  for (const line of stdout.split(/\r?\n/)) {
    const field = new RegExp(`^${REPORT_MARKER}:([a-z-]+)(?:=(.*))?$`).exec(line);
    if (field?.[1] !== undefined) {
      if (field[2] === undefined) {
        section = [];
        sections.set(field[1], section);
      } else {
        fields.set(field[1], field[2].trim());
        section = undefined;
      }
      continue;
    }
    section?.push(line);
  }
  const status = fields.get('status') ?? '';
  const active = fields.get('active') ?? '';
  const running =
    active === 'active' || /running as PID|active \(running\)/i.test(status)
      ? 'yes'
      : /^(inactive|failed)$/.test(active) || /No AWS CodeDeploy agent running|not running|inactive|unrecognized service|could not be found/i.test(status)
        ? 'no'
        : 'unknown';
  const installed = fields.get('installed');
  const ntp = fields.get('ntp');
  const version = fields.get('version');
  return {
    installed: installed === 'yes' ? true : installed === 'no' ? false : undefined,
    ...(version ? { version } : {}),
    running,
    status,
    rootAwsFiles: (fields.get('root-aws') ?? '').split(/\s+/).filter((file) => file !== ''),
    clockSynced: ntp === 'yes' ? true : ntp === 'no' ? false : undefined,
    agentLog: (sections.get('agent-log') ?? []).join('\n').trim(),
    deploymentsLog: (sections.get('deployments-log') ?? []).join('\n').trim(),
  };
}

export function agentVerdict(instance: string, report: AgentReport): CheckVerdict {
  if (report.installed === false) {
    return { status: 'problem', detail: `The CodeDeploy agent is not installed on ${instance} (no /opt/codedeploy-agent).`, cause: 'agent-not-running', guide: 'agent-install', instances: [instance] };
  }
  if (report.running === 'no') {
    return {
      status: 'problem',
      detail: `The CodeDeploy agent is not running on ${instance}${report.status ? ` ("${report.status.trim()}")` : ''}.`,
      cause: 'agent-not-running',
      guide: 'agent-not-running',
      instances: [instance],
      remedies: [restartRemedy([instance])],
    };
  }
  if (report.running === 'unknown') return { status: 'could-not-check', reason: `the agent's state on ${instance} is unclear: ${report.status || 'no status'}` };
  return { status: 'ok', detail: `The CodeDeploy agent${report.version ? ` ${report.version}` : ''} is running on ${instance}.` };
}

export function credentialsFileVerdict(instance: string, report: AgentReport): CheckVerdict {
  if (report.rootAwsFiles.length === 0) return { status: 'ok', detail: `No /root/.aws/credentials or /root/.aws/config on ${instance}.` };
  return {
    status: 'problem',
    severity: 'warning',
    detail: `${report.rootAwsFiles.join(' and ')} exist on ${instance}: the agent runs as root and may sign with those keys instead of the instance role.`,
    cause: 'agent-access-denied',
    guide: 'agent-access-denied',
    instances: [instance],
  };
}

export function clockVerdict(instance: string, report: AgentReport): CheckVerdict {
  if (report.clockSynced === true) return { status: 'ok', detail: `The clock of ${instance} is synchronised.` };
  if (report.clockSynced === false) {
    return { status: 'problem', severity: 'warning', detail: `The clock of ${instance} is not synchronised (NTP): signed requests fail when it drifts.`, cause: 'agent-clock-skew', guide: 'agent-clock-skew', instances: [instance] };
  }
  return { status: 'could-not-check', reason: `neither timedatectl nor chronyc answered on ${instance}` };
}

/** A log read from an instance, for the matcher. */
export interface InstanceLog {
  instance: string;
  log: string;
  text: string;
}

export interface AgentCheckOutcome {
  checks: CheckResult[];
  logs: InstanceLog[];
}

/** Restarts the agent on the instances through SSM (one remedy for every instance where it is down). */
export function restartRemedy(instanceIds: readonly string[]): Remedy {
  return {
    title: `Restart the CodeDeploy agent on ${instanceIds.join(', ')} (SSM)`,
    steps: [
      step({
        id: 'restart-agent',
        kind: 'run',
        resource: 'agent',
        summary: `Restart the CodeDeploy agent on ${instanceIds.join(', ')}`,
        title: `Restarting the agent on ${instanceIds.join(', ')}`,
        doneTitle: `Restarted the agent on ${instanceIds.join(', ')}`,
        calls: ['ssm:SendCommand'],
        instances: [...instanceIds],
        op: { type: 'restart-agent', instanceIds: [...instanceIds] },
      }),
    ],
    recheck: ['agent'],
  };
}

/** The checks and log evidence of one instance's report (or could-not-check when the command failed). */
export function agentOutcome(instance: string, report: AgentReport | undefined, failure?: string): AgentCheckOutcome {
  const head = (id: 'agent' | 'agent-credentials-file' | 'clock', title: string, looked: string) => ({ id, title: `${title} (${instance})`, looked, instance });
  const heads = [
    head('agent', 'CodeDeploy agent is installed and running', 'service codedeploy-agent status (SSM Run Command)'),
    head('agent-credentials-file', 'No stray root AWS credentials', '/root/.aws/credentials, /root/.aws/config'),
    head('clock', 'Clock is synchronised', 'timedatectl / chronyc'),
  ] as const;
  if (!report) return { checks: heads.map((h) => toResult(h, { status: 'could-not-check', reason: failure ?? 'the command printed no report' })), logs: [] };
  const checks = [toResult(heads[0], agentVerdict(instance, report)), toResult(heads[1], credentialsFileVerdict(instance, report)), toResult(heads[2], clockVerdict(instance, report))];
  const logs: InstanceLog[] = [];
  if (report.agentLog) logs.push({ instance, log: 'codedeploy-agent.log', text: report.agentLog });
  if (report.deploymentsLog) logs.push({ instance, log: 'deployments log', text: report.deploymentsLog });
  return { checks, logs };
}

export interface SsmOptions {
  pollMs: number;
  timeoutMs: number;
  sleep: (ms: number) => Promise<void>;
}

/**
 * Polls every instance's invocation of a command until each has ended or the time is up; `onUpdate` hears each
 * instance's status when it changes (per-instance progress). Instances that never answered are left out.
 */
export async function followCommand(
  ports: AwsPorts,
  commandId: string,
  instances: readonly string[],
  options: SsmOptions,
  onUpdate?: (instance: string, invocation: CommandInvocation) => void,
): Promise<Map<string, CommandInvocation>> {
  const ended = new Map<string, CommandInvocation>();
  const last = new Map<string, string>();
  const deadline = Date.now() + options.timeoutMs;
  while (ended.size < instances.length && Date.now() < deadline) {
    await options.sleep(options.pollMs);
    const pending = instances.filter((id) => !ended.has(id));
    const answers = await Promise.all(pending.map((id) => ports.ssm.invocation(commandId, id)));
    pending.forEach((id, index) => {
      const answer = answers[index];
      if (!answer) return;
      if (last.get(id) !== answer.status) onUpdate?.(id, answer);
      last.set(id, answer.status);
      if (TERMINAL_INVOCATION_STATUSES.includes(answer.status)) ended.set(id, answer);
    });
  }
  return ended;
}

/** Sends one script to the instances and waits for each result (undefined output for those that never answered). */
export async function runScript(ports: AwsPorts, instances: readonly string[], script: readonly string[], comment: string, options: SsmOptions): Promise<Map<string, { stdout: string; status: string }>> {
  const commandId = await ports.ssm.runShellScript(instances, script, comment);
  const ended = await followCommand(ports, commandId, instances, options);
  return new Map([...ended].map(([id, answer]) => [id, { stdout: answer.stdout, status: answer.status }]));
}

/** Which of the instances SSM manages and can reach now. */
export function onlineInstances(managed: readonly ManagedInstance[]): string[] {
  return managed.filter((instance) => instance.pingStatus === 'Online' && instance.platformType !== 'Windows').map((instance) => instance.id);
}

/** Runs the report on the instances and turns each answer into checks and evidence. */
export async function runAgentChecks(ports: AwsPorts, instances: readonly string[], options: SsmOptions): Promise<AgentCheckOutcome> {
  const head = { id: 'agent' as const, title: 'CodeDeploy agent is installed and running', looked: 'SSM Run Command' };
  let results: Map<string, { stdout: string; status: string }>;
  try {
    results = await runScript(ports, instances, AGENT_REPORT_SCRIPT, 'cd-wizard: CodeDeploy agent report (read-only)', options);
  } catch (error) {
    const failed = await guarded(head, () => Promise.reject(error));
    return { checks: instances.map((instance) => ({ ...failed, title: `${head.title} (${instance})`, instance })), logs: [] };
  }
  const outcomes = instances.map((instance) => {
    const result = results.get(instance);
    return agentOutcome(instance, result ? parseAgentReport(result.stdout) : undefined, result ? `the command ended ${result.status} without a report` : 'SSM did not answer in time');
  });
  return { checks: outcomes.flatMap((o) => o.checks), logs: outcomes.flatMap((o) => o.logs) };
}
