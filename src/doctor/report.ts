import type { Style } from '../io/terminal.js';
import type { Diagnosis, Finding } from '../diagnose/engine.js';
import { wrap, wrapCommand } from '../wrap.js';

/**
 * Renders a diagnosis. Pure: returns strings, so the same output is tested without a terminal.
 */

export interface Suggestion {
  id: string;
  title: string;
}

export interface FixReport extends Diagnosis {
  /** Guide articles to read when nothing was recognised. */
  suggestions: Suggestion[];
}

/** Fix steps as --json prints them (no `command` key when there is none). */
export function fixJson(steps: Finding['fix']): Array<{ text: string; command?: string }> {
  return steps.map((step) => (step.command ? { text: step.text, command: step.command } : { text: step.text }));
}

/** The documented --json shape: findings most specific first, plus `recognised`. */
export function toJson(report: FixReport): unknown {
  return {
    findings: report.findings.map((finding) => ({
      cause: finding.cause,
      title: finding.title,
      severity: finding.severity,
      evidence: finding.evidence.map((evidence) => evidence.text),
      explanation: finding.explain,
      fix: fixJson(finding.fix),
      guide: finding.guide,
      ...(finding.event ? { event: finding.event } : {}),
      ...(finding.over.length > 0 ? { chosenOver: finding.over } : {}),
      ...(finding.rollup ? { rollup: true } : {}),
    })),
    recognised: report.recognised,
    ...(report.recognised ? {} : { suggestions: report.suggestions }),
  };
}


/** What a finding shows, offline or against AWS: the same layout for both. */
export interface FindingBlock {
  severity: Finding['severity'];
  title: string;
  cause: string;
  /** Dim lines under the title (where it was seen, which check confirmed it). */
  meta?: string[];
  evidence: Array<{ label: string; text: string }>;
  /** Evidence from one place (an instance's failed lifecycle event): a heading, then its lines under it. */
  groups?: Array<{ heading: string; lines: Array<{ label: string; text: string }> }>;
  /** A dim line after the evidence ("… seen on 12 lines"). */
  more?: string;
  explain: string;
  fix: Finding['fix'];
  guide: string;
}

export function renderFindingBlock(block: FindingBlock, style: Style, width: number): string {
  const symbol = block.severity === 'error' ? style.red(style.symbols.fail) : style.yellow(style.symbols.warn);
  const lines: string[] = [`${symbol} ${style.bold(block.title)} ${style.dim(`[${block.cause}]`)}`];
  for (const meta of block.meta ?? []) lines.push(wrap(meta, width, '    ').split('\n').map((line) => style.dim(line)).join('\n'));
  for (const evidence of block.evidence) lines.push(`    ${style.dim(`${evidence.label} │`)} ${evidence.text}`);
  for (const group of block.groups ?? []) {
    lines.push(`    ${style.dim(group.heading)}`);
    const width = Math.max(...group.lines.map((line) => line.label.length));
    for (const line of group.lines) lines.push(`      ${style.dim(`${line.label.padEnd(width)} │`)} ${line.text}`);
  }
  if (block.more) lines.push(style.dim(`    ${block.more}`));
  lines.push('');
  lines.push(wrap(block.explain, width, '    '));
  lines.push('');
  block.fix.forEach((step, index) => {
    const number = `${index + 1}. `;
    lines.push(wrap(`${number}${step.text}`, width, '    ', ' '.repeat(4 + number.length)));
    if (step.command) for (const line of wrapCommand(step.command, width, ' '.repeat(4 + number.length))) lines.push(style.cyan(line));
  });
  lines.push('');
  lines.push(`    ${style.dim('Read more:')} cd-wizard guide --show ${block.guide}`);
  return lines.join('\n');
}

function renderFinding(finding: Finding, specific: Finding | undefined, style: Style, width: number): string {
  return renderFindingBlock(
    {
      severity: finding.severity,
      title: finding.title,
      cause: finding.cause,
      meta: finding.over.map((over) => `rather than ${over.cause}: ${over.because}`),
      evidence: finding.evidence.map((evidence) => ({ label: `line ${evidence.line}`, text: evidence.text })),
      ...(finding.occurrences > finding.evidence.length ? { more: `… seen on ${finding.occurrences} lines` } : {}),
      explain:
        finding.rollup && specific
          ? `This is a summary of failures on individual instances; the cause above (${specific.cause}) is the one to fix first.`
          : finding.explain,
      fix: finding.fix,
      guide: finding.guide,
    },
    style,
    width,
  );
}

export function renderText(report: FixReport, style: Style, width = 80): string {
  const lines: string[] = [];
  if (!report.recognised) {
    lines.push(`${style.yellow(style.symbols.warn)} No known CodeDeploy failure was recognised in ${report.linesRead} line${report.linesRead === 1 ? '' : 's'}.`);
    if (report.suggestions.length > 0) {
      lines.push('', '  These guide articles may still help:');
      for (const suggestion of report.suggestions) lines.push(`    ${style.symbols.bullet} ${suggestion.title}  ${style.dim(`cd-wizard guide --show ${suggestion.id}`)}`);
    }
    lines.push('', `  Search the guide yourself: cd-wizard guide "<words from the error>"`);
    return lines.join('\n');
  }
  const count = report.findings.length;
  lines.push(style.bold(`cd-wizard found ${count} problem${count === 1 ? '' : 's'} (most specific first):`), '');
  const specific = report.findings.find((finding) => !finding.rollup);
  for (const finding of report.findings) lines.push(renderFinding(finding, specific, style, Math.min(width, 100)), '');
  return lines.join('\n').trimEnd();
}

/** One line of `cd-wizard fix --list-causes`: a cause, its guide article's title, and what can detect it. */
export interface CauseEntry {
  id: string;
  title: string;
  /** "text": rules read pasted text and logs (--message/--log, and evidence online); "check": a setup check against AWS proves it. */
  detectedBy: Array<'text' | 'check'>;
}

export function renderCauseList(causes: readonly CauseEntry[], style: Style, width = 100): string {
  const idWidth = Math.max(...causes.map((cause) => cause.id.length), 2);
  const by = (cause: CauseEntry) => cause.detectedBy.join('+') || '-';
  const lines = [style.bold(`${'cause'.padEnd(idWidth)}  ${'found by'.padEnd(10)}  title`)];
  for (const cause of causes) {
    const head = `${cause.id.padEnd(idWidth)}  ${by(cause).padEnd(10)}  `;
    const room = Math.max(20, width - head.length);
    lines.push(`${head}${cause.title.length > room ? `${cause.title.slice(0, room - 1)}…` : cause.title}`);
  }
  const counts = (kind: 'text' | 'check') => causes.filter((cause) => cause.detectedBy.includes(kind)).length;
  lines.push('', style.dim(`${causes.length} causes: ${counts('text')} found in text (--message, --log), ${counts('check')} by a setup check against AWS. Read one: cd-wizard guide --show <cause>`));
  return lines.join('\n');
}
