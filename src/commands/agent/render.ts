import { manualCheck, manualInstall, type AgentAction, type AgentOs } from '../../codedeploy/agent-install.js';
import type { AgentTarget } from '../../codedeploy/agent-reach.js';
import { installResultText, targetLabel, type InstallResult, type ReportOutcome } from '../../codedeploy/agent-run.js';
import type { Style } from '../../io/terminal.js';

/** What `cd-wizard agent` found and did, per instance, as text for people and as the JSON document. */

export type AgentCommand = 'status' | AgentAction;

export interface InstanceOutcome {
  target: AgentTarget;
  /** status: the read-only report (undefined when it was not run). */
  report?: ReportOutcome;
  /** install/update: what happened. */
  install?: InstallResult;
}

export interface AgentOutcome {
  command: AgentCommand;
  region: string;
  source: string;
  instances: InstanceOutcome[];
  /** Why nothing ran on the managed instances (declined, not allowed without --yes), when so. */
  notRun?: string;
  commandId?: string;
}

export const label = targetLabel;

type Mark = 'ok' | 'fail' | 'warn' | 'none';

/** One instance's state in words, with its mark. */
export function describeInstance(outcome: InstanceOutcome, command: AgentCommand): { mark: Mark; text: string } {
  const { target, report, install } = outcome;
  if (target.reach.via === 'manual') {
    return { mark: command === 'status' ? 'warn' : 'fail', text: target.reach.detail };
  }
  if (install) return { mark: install.status === 'installed' ? 'ok' : install.status === 'no-answer' ? 'warn' : 'fail', text: installResultText(install, command === 'update' ? 'update' : 'install') };
  if (!report) return { mark: 'none', text: 'managed by Systems Manager; not checked' };
  if (!report.report) return { mark: 'warn', text: `could not check: ${report.failure ?? 'no report'}` };
  const r = report.report;
  if (r.installed === false) return { mark: 'fail', text: 'the agent is not installed (cd-wizard agent install)' };
  if (r.running === 'yes') return { mark: 'ok', text: `the agent${r.version ? ` ${r.version}` : ''} is running` };
  if (r.running === 'no') return { mark: 'fail', text: `the agent${r.version ? ` ${r.version}` : ''} is installed but not running (${r.status.trim() || 'no status'}); cd-wizard agent install reinstalls and starts it` };
  return { mark: 'warn', text: `the agent's state is unclear: ${r.status.trim() || 'no status'}` };
}

function markOf(mark: Mark, style: Style): string {
  switch (mark) {
    case 'ok':
      return style.green(style.symbols.ok);
    case 'fail':
      return style.red(style.symbols.fail);
    case 'warn':
      return style.yellow(style.symbols.warn);
    case 'none':
      return style.dim('·');
  }
}

const OS_WORD: Record<AgentOs, string> = { linux: 'Linux', windows: 'Windows' };

export function renderAgent(outcome: AgentOutcome, style: Style): string {
  const lines = [style.bold(`The CodeDeploy agent on ${outcome.instances.length} instance${outcome.instances.length === 1 ? '' : 's'} in ${outcome.region}`) + style.dim(` (${outcome.source})`)];
  for (const one of outcome.instances) {
    const { mark, text } = describeInstance(one, outcome.command);
    lines.push(`  ${markOf(mark, style)} ${label(one.target)}  ${text}`);
  }
  if (outcome.notRun) lines.push('', outcome.notRun);
  const manual = outcome.instances.filter((one) => one.target.reach.via === 'manual' && one.target.reach.why !== 'missing');
  for (const os of ['linux', 'windows'] as const) {
    const here = manual.filter((one) => one.target.os === os);
    if (here.length === 0) continue;
    const ids = here.map((one) => one.target.id).join(', ');
    if (outcome.command === 'status') {
      lines.push('', `On ${ids} (${OS_WORD[os]}), check by hand: ${manualCheck(os)}`);
      continue;
    }
    lines.push('', `On ${ids} (${OS_WORD[os]}), install the agent by hand${os === 'linux' ? ' (agent 1.x, as root)' : ''}:`);
    for (const install of manualInstall(os, outcome.region)) {
      lines.push(`  ${install.label}:`);
      for (const command of install.commands) lines.push(`    ${command}`);
    }
    lines.push(`  Then check that it runs: ${manualCheck(os)}`);
  }
  if (outcome.commandId) lines.push('', style.dim(`Systems Manager command ${outcome.commandId}`));
  return lines.join('\n');
}

export function agentToJson(outcome: AgentOutcome) {
  return {
    command: outcome.command,
    region: outcome.region,
    source: outcome.source,
    ...(outcome.commandId === undefined ? {} : { commandId: outcome.commandId }),
    ...(outcome.notRun === undefined ? {} : { notRun: outcome.notRun }),
    instances: outcome.instances.map((one) => {
      const { mark, text } = describeInstance(one, outcome.command);
      const reach = one.target.reach;
      return {
        id: one.target.id,
        ...(one.target.name === undefined ? {} : { name: one.target.name }),
        os: one.target.os,
        ssm: reach.via === 'ssm',
        ...(reach.via === 'manual' ? { unreachable: reach.why, reason: reach.detail } : {}),
        ok: mark === 'ok',
        summary: text,
        ...(one.report?.report
          ? { agent: { installed: one.report.report.installed ?? null, running: one.report.report.running, version: one.report.report.version ?? null, status: one.report.report.status } }
          : one.report?.failure
            ? { checkFailed: one.report.failure }
            : {}),
        ...(one.install ? { install: { status: one.install.status, detail: one.install.detail, version: one.install.version ?? null } } : {}),
        ...(reach.via === 'manual' && reach.why !== 'missing'
          ? { byHand: { ...(outcome.command === 'status' ? {} : { install: manualInstall(one.target.os, outcome.region) }), check: manualCheck(one.target.os) } }
          : {}),
      };
    }),
  };
}
