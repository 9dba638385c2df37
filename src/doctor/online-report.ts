import type { Deployment } from '../aws/ports/deployments.js';
import { redact } from '../diagnose/redact.js';
import type { Style } from '../io/terminal.js';
import { MANUAL_COMMANDS } from '../codedeploy/agent.js';
import type { CheckResult, Remedy } from '../codedeploy/verdict.js';
import type { OnlineFinding } from './findings.js';
import { wrap } from '../wrap.js';
import { fixJson, renderFindingBlock, type FindingBlock } from './report.js';
import { seenFlat, seenHeading, seenJson, whereText } from './seen.js';
import { overviewText } from '../watch/deployment.js';

/**
 * Renders `fix` against AWS: plain text for the terminal, the --json shape (the offline one plus `deployment`,
 * `checks` and `remedies`), and the markdown report of --out. Pure: strings in, strings out.
 */

export type SsmState =
  | { status: 'ran'; instances: string[] }
  | { status: 'declined' | 'not-allowed'; instances: string[]; note: string }
  | { status: 'disabled' | 'unmanaged' | 'no-instances'; note: string }
  | { status: 'could-not-check'; note: string };

export type RemedyStatus = 'offered' | 'declined' | 'applied' | 'unchanged' | 'failed';

export interface RemedyRecord {
  remedy: Remedy;
  /** Exactly what it changes, one line each (shown before the confirmation). */
  changes: string[];
  status: RemedyStatus;
  /** What it did, in words. */
  result?: string;
  /** A deployment it started. */
  deploymentId?: string;
  error?: string;
  /** The checks re-run after it was applied. */
  recheck: CheckResult[];
}

export interface OnlineReport {
  region: string;
  application: string;
  group: string;
  deployment?: Deployment;
  /** Targets whose lifecycle events were read (the failed ones). */
  targetsRead: number;
  findings: OnlineFinding[];
  checks: CheckResult[];
  ssm: SsmState;
  remedies: RemedyRecord[];
}

function revisionText(deployment: Deployment): string {
  const revision = deployment.revision;
  if (!revision) return 'no revision';
  return 's3' in revision ? `s3://${revision.s3.bucket}/${revision.s3.key}${revision.s3.bundleType ? ` (${revision.s3.bundleType})` : ''}` : revision.description;
}

export function deploymentLines(deployment: Deployment): string[] {
  const lines = [`Deployment ${deployment.id} (${deployment.application}/${deployment.group}) ${deployment.status}${deployment.errorCode ? `: ${deployment.errorCode}` : ''}`];
  if (deployment.errorMessage) lines.push(deployment.errorMessage);
  const facts = [overviewText(deployment), `revision ${revisionText(deployment)}`, deployment.config].filter((fact) => fact !== '');
  lines.push(facts.join(' · '));
  const rollback = deployment.rollback;
  if (rollback?.deploymentId) lines.push(`Rolled back by ${rollback.deploymentId}${rollback.message ? `: ${rollback.message}` : ''}`);
  else if (rollback?.triggeringDeploymentId) lines.push(`This is the rollback of ${rollback.triggeringDeploymentId}${rollback.message ? `: ${rollback.message}` : ''}`);
  return lines;
}

/** A finding's evidence for the terminal: one line each from the deployment and checks, a group per failed event. */
function evidenceOf(finding: OnlineFinding): Pick<FindingBlock, 'evidence' | 'groups'> {
  const flat = finding.evidence.filter((seen) => seen.source.kind !== 'event');
  const events = finding.evidence.filter((seen) => seen.source.kind === 'event');
  return {
    evidence: flat.flatMap((seen) => seen.lines.map((line) => ({ label: whereText(seen.source), text: line.text }))),
    groups: events.map((seen) => ({ heading: seenHeading(seen), lines: seen.lines.map((line) => ({ label: line.part, text: line.text })) })),
  };
}

/** The same for a markdown report: plain lines for a fenced block. */
function evidenceLines(finding: OnlineFinding): string[] {
  const { evidence, groups = [] } = evidenceOf(finding);
  return [...evidence.map((line) => `${line.label}: ${line.text}`), ...groups.flatMap((group) => [group.heading, ...group.lines.map((line) => `  ${line.label}: ${line.text}`)])];
}

function findingMeta(finding: OnlineFinding): string[] {
  const meta: string[] = [];
  if (finding.instances.length > 0) {
    const shown = finding.instances.slice(0, 5).join(', ');
    meta.push(`on ${finding.instances.length} instance${finding.instances.length === 1 ? '' : 's'}: ${shown}${finding.instances.length > 5 ? ', …' : ''}`);
  }
  if (finding.events.length > 0) meta.push(`events: ${[...new Set(finding.events.map((event) => event.split(' ')[1] ?? event))].join(', ')}`);
  if (finding.confirmedBy.length > 0) meta.push(`confirmed by check ${finding.confirmedBy.join(', ')}`);
  for (const over of finding.over) meta.push(`rather than ${over.cause}: ${over.because}`);
  return meta;
}

function rollupExplain(finding: OnlineFinding, findings: readonly OnlineFinding[]): string {
  const causes = (finding.causes ?? []).map((cause) => {
    const other = findings.find((f) => f.cause === cause);
    return other && other.instances.length > 0 ? `${cause} (${other.instances.length} instance${other.instances.length === 1 ? '' : 's'})` : cause;
  });
  return causes.length > 0
    ? `This is a summary of failures on individual instances; the causes above (${causes.join(', ')}) are the ones to fix.`
    : `${finding.explain} No per-instance cause was recognised: read the failed events below and the agent log on the instances.`;
}

/** The one-line verdict when no finding names a cause: never "no problems" while a check failed or could not run. */
export function verdictLine(checks: readonly CheckResult[], style: Style): string {
  const failed = checks.filter((check) => check.status === 'problem').length;
  const unknown = checks.filter((check) => check.status === 'could-not-check').length;
  const plural = (n: number) => `${n} check${n === 1 ? '' : 's'}`;
  if (failed > 0) return `${style.red(style.symbols.fail)} ${plural(failed)} of the setup failed (below).`;
  if (unknown > 0) return `${style.yellow(style.symbols.warn)} No problem found in what could be checked, but ${plural(unknown)} could not run (below).`;
  return `${style.green(style.symbols.ok)} No problems found.`;
}

export function checkLine(check: CheckResult, style: Style): string {
  switch (check.status) {
    case 'ok':
      return `  ${style.green(style.symbols.ok)} ${check.title}: ${check.detail} ${style.dim(`(${check.looked})`)}`;
    case 'problem':
      return `  ${check.severity === 'error' ? style.red(style.symbols.fail) : style.yellow(style.symbols.warn)} ${check.title}: ${check.detail} ${style.dim(`(${check.looked})`)}`;
    case 'could-not-check':
      return `  ${style.yellow(style.symbols.warn)} ${check.title}: could not check: ${check.reason} ${style.dim(`(${check.looked})`)}`;
  }
}

export function renderChecks(checks: readonly CheckResult[], style: Style, all: boolean): string[] {
  const shown = all ? checks : checks.filter((check) => check.status !== 'ok');
  const passed = checks.filter((check) => check.status === 'ok').length;
  const lines = [style.bold('Setup checks:')];
  for (const check of shown) lines.push(checkLine(check, style));
  if (!all && passed > 0) lines.push(style.dim(`  ${style.symbols.ok} ${passed} check${passed === 1 ? '' : 's'} passed${shown.length === 0 ? ' (all of them)' : ''}; --all lists them.`));
  return lines;
}

function ssmLines(ssm: SsmState, style: Style): string[] {
  if (ssm.status === 'ran') return [];
  const lines = [style.bold('On the instances:'), `  ${ssm.note}`];
  if (ssm.status !== 'no-instances') {
    lines.push('  Run these on an instance (as root) to check the agent by hand:');
    for (const command of MANUAL_COMMANDS) lines.push(`    ${style.cyan(command)}`);
  }
  return lines;
}

export function remedyLines(record: Pick<RemedyRecord, 'remedy' | 'changes'>, style: Style): string[] {
  return [`  ${style.bold(record.remedy.title)}`, ...record.changes.map((change) => `    ${style.dim('will change:')} ${change}`)];
}

export interface TextOptions {
  all: boolean;
  width: number;
}

/** The report before remedies: deployment, findings (most specific first), checks, on-instance notes. */
export function renderOnlineText(report: OnlineReport, style: Style, options: TextOptions): string {
  const width = Math.min(options.width, 100);
  const lines: string[] = [];
  if (report.deployment) {
    const [first, ...rest] = deploymentLines(report.deployment);
    lines.push(style.bold(first ?? ''), ...rest.map((line) => wrap(line, width, '  ')), '');
  } else {
    lines.push(style.bold(`No failed deployment in ${report.application}/${report.group}; checking the setup only.`), '');
  }
  const count = report.findings.length;
  if (count > 0) {
    lines.push(style.bold(`cd-wizard found ${count} problem${count === 1 ? '' : 's'} (most specific first):`), '');
    for (const finding of report.findings) {
      lines.push(
        renderFindingBlock(
          {
            severity: finding.severity,
            title: finding.title,
            cause: finding.cause,
            meta: findingMeta(finding),
            ...evidenceOf(finding),
            explain: finding.rollup ? rollupExplain(finding, report.findings) : finding.explain,
            fix: finding.fix,
            guide: finding.guide,
          },
          style,
          width,
        ),
        '',
      );
    }
  } else if (report.deployment && report.deployment.status !== 'Succeeded') {
    lines.push(`${style.yellow(style.symbols.warn)} No known cause was recognised in ${report.targetsRead} failed target${report.targetsRead === 1 ? '' : 's'} of ${report.deployment.id}.`, '');
  } else {
    lines.push(verdictLine(report.checks, style), '');
  }
  lines.push(...renderChecks(report.checks, style, options.all), '');
  const onInstance = ssmLines(report.ssm, style);
  if (onInstance.length > 0) lines.push(...onInstance, '');
  return lines.join('\n').trimEnd();
}

/* ---------- JSON ---------- */

function checkJson(check: CheckResult) {
  const base = { id: check.id, title: check.title, status: check.status, looked: check.looked, ...(check.instance ? { instance: check.instance } : {}) };
  switch (check.status) {
    case 'ok':
      return { ...base, detail: check.detail };
    case 'problem':
      return { ...base, detail: check.detail, severity: check.severity, ...(check.cause ? { cause: check.cause } : {}), guide: check.guide, instances: check.instances, remedies: check.remedies.map((remedy) => remedy.title) };
    case 'could-not-check':
      return { ...base, reason: check.reason };
  }
}

function deploymentJson(deployment: Deployment, targetsRead: number) {
  return {
    id: deployment.id,
    application: deployment.application,
    deploymentGroup: deployment.group,
    status: deployment.status,
    ...(deployment.errorCode ? { errorCode: deployment.errorCode } : {}),
    ...(deployment.errorMessage ? { errorMessage: deployment.errorMessage } : {}),
    overview: deployment.overview,
    revision: deployment.revision ?? null,
    ...(deployment.rollback ? { rollback: deployment.rollback } : {}),
    deploymentConfig: deployment.config,
    targetsRead,
  };
}

/** Masks secrets (always) and account ids (--redact-account) in every string of a JSON value. */
export function redactJson(value: unknown, accountIds: boolean): unknown {
  if (typeof value === 'string') return redact(value, { accountIds });
  if (Array.isArray(value)) return value.map((item) => redactJson(item, accountIds));
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redactJson(item, accountIds)]));
  return value;
}

export function onlineJson(report: OnlineReport): unknown {
  return {
    findings: report.findings.map((finding) => ({
      cause: finding.cause,
      title: finding.title,
      severity: finding.severity,
      evidence: seenFlat(finding.evidence),
      seen: finding.evidence.map(seenJson),
      explanation: finding.explain,
      fix: fixJson(finding.fix),
      guide: finding.guide,
      instances: finding.instances,
      events: finding.events,
      confirmedBy: finding.confirmedBy,
      ...(finding.over.length > 0 ? { chosenOver: finding.over } : {}),
      ...(finding.rollup ? { rollup: true, causes: finding.causes ?? [] } : {}),
    })),
    recognised: report.findings.length > 0,
    region: report.region,
    application: report.application,
    deploymentGroup: report.group,
    deployment: report.deployment ? deploymentJson(report.deployment, report.targetsRead) : null,
    checks: report.checks.map(checkJson),
    ssm: report.ssm,
    remedies: report.remedies.map((record) => ({
      kind: record.remedy.steps[0]?.op.type ?? 'none',
      title: record.remedy.title,
      changes: record.changes,
      status: record.status,
      ...(record.result ? { result: record.result } : {}),
      ...(record.deploymentId ? { deploymentId: record.deploymentId } : {}),
      ...(record.error ? { error: record.error } : {}),
      ...(record.recheck.length > 0 ? { recheck: record.recheck.map(checkJson) } : {}),
    })),
  };
}

/* ---------- markdown (--out) ---------- */

const MD_STATUS = { ok: '✅', problem: '❌', 'could-not-check': '⚠️' } as const;

function fence(text: string): string {
  const ticks = text.includes('```') ? '````' : '```';
  return `${ticks}\n${text}\n${ticks}`;
}

/** A report to paste into an issue. Secrets are masked; account ids too with --redact-account. */
export function renderMarkdown(report: OnlineReport, meta: { version: string; generatedAt: Date; accountIds: boolean }): string {
  const out: string[] = [];
  const title = report.deployment ? `${report.application}/${report.group} ${report.deployment.id}` : `${report.application}/${report.group}`;
  out.push(`# CodeDeploy diagnosis: ${title}`, '', `Generated by cd-wizard ${meta.version} (\`cd-wizard fix\`) on ${meta.generatedAt.toISOString()} in ${report.region}. Secrets are masked.`, '');
  if (report.deployment) {
    out.push('## Deployment', '', ...deploymentLines(report.deployment).map((line) => `- ${line}`), '');
  }
  out.push(`## Findings (${report.findings.length})`, '');
  if (report.findings.length === 0) out.push('No known cause was recognised.', '');
  for (const finding of report.findings) {
    out.push(`### ${finding.severity === 'error' ? '❌' : '⚠️'} ${finding.title} (\`${finding.cause}\`)`, '');
    for (const line of findingMeta(finding)) out.push(`- ${line}`);
    if (finding.evidence.length > 0) out.push('', fence(evidenceLines(finding).join('\n')));
    out.push('', finding.rollup ? rollupExplain(finding, report.findings) : finding.explain, '');
    finding.fix.forEach((step, index) => {
      out.push(`${index + 1}. ${step.text}`);
      if (step.command) out.push(`   \`${step.command.replaceAll('`', "'")}\``);
    });
    out.push('', `Guide: \`cd-wizard guide --show ${finding.guide}\``, '');
  }
  out.push('## Setup checks', '', '| | check | result | looked at |', '|---|---|---|---|');
  for (const check of report.checks) {
    const result = check.status === 'could-not-check' ? `could not check: ${check.reason}` : check.detail;
    out.push(`| ${MD_STATUS[check.status]} | ${check.title} | ${result.replaceAll('|', '\\|')} | ${check.looked.replaceAll('|', '\\|')} |`);
  }
  out.push('');
  const changed = report.remedies.filter((record) => record.status === 'applied' || record.status === 'unchanged');
  if (changed.length > 0) {
    out.push('## Changes made by cd-wizard', '');
    for (const record of changed) out.push(`- ${record.remedy.title}: ${record.result ?? record.status}`);
    out.push('');
  }
  return redact(out.join('\n'), { accountIds: meta.accountIds });
}
