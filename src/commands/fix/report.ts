import type { Style } from '../../io/terminal.js';
import type { Diagnosis, Finding } from '../../diagnose/engine.js';

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

/** The documented --json shape: findings most specific first, plus `recognised`. */
export function toJson(report: FixReport): unknown {
  return {
    findings: report.findings.map((finding) => ({
      cause: finding.cause,
      title: finding.title,
      severity: finding.severity,
      evidence: finding.evidence.map((evidence) => evidence.text),
      explanation: finding.explain,
      fix: finding.fix.map((step) => (step.command ? { text: step.text, command: step.command } : { text: step.text })),
      guide: finding.guide,
      ...(finding.rollup ? { rollup: true } : {}),
    })),
    recognised: report.recognised,
    ...(report.recognised ? {} : { suggestions: report.suggestions }),
  };
}

/** Word-wraps `text`; the first line starts with `indent`, the others with `hanging` (for numbered steps). */
export function wrap(text: string, width: number, indent: string, hanging = indent): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const lines: string[] = [];
  let line = '';
  const prefix = () => (lines.length === 0 ? indent : hanging);
  for (const word of words) {
    if (line !== '' && prefix().length + line.length + 1 + word.length > width) {
      lines.push(prefix() + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  if (line !== '') lines.push(prefix() + line);
  return lines.join('\n');
}

function renderFinding(finding: Finding, specific: Finding | undefined, style: Style, width: number): string {
  const symbol = finding.severity === 'error' ? style.red(style.symbols.fail) : style.yellow(style.symbols.warn);
  const lines: string[] = [`${symbol} ${style.bold(finding.title)} ${style.dim(`[${finding.cause}]`)}`];
  for (const evidence of finding.evidence) lines.push(`    ${style.dim(`line ${evidence.line} │`)} ${evidence.text}`);
  if (finding.occurrences > finding.evidence.length) lines.push(style.dim(`    … seen on ${finding.occurrences} lines`));
  lines.push('');
  if (finding.rollup && specific) {
    lines.push(wrap(`This is a summary of failures on individual instances; the cause above (${specific.cause}) is the one to fix first.`, width, '    '));
  } else {
    lines.push(wrap(finding.explain, width, '    '));
  }
  lines.push('');
  finding.fix.forEach((step, index) => {
    const number = `${index + 1}. `;
    lines.push(wrap(`${number}${step.text}`, width, '    ', ' '.repeat(4 + number.length)));
    if (step.command) lines.push(`${' '.repeat(4 + number.length)}${style.cyan(step.command)}`);
  });
  lines.push('');
  lines.push(`    ${style.dim('Read more:')} cd-wizard guide --show ${finding.guide}`);
  return lines.join('\n');
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
