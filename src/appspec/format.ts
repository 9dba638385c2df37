import { join, relative } from 'node:path';
import type { Style } from '../io/terminal.js';
import { ruleInfo, type Severity } from './rules.js';
import type { Finding, LintReport } from './types.js';
import { wrap } from '../wrap.js';

/**
 * The report for people (eslint-like: `path:line:col  severity  message  rule-id`, grouped per file, a summary
 * and which guide article explains each rule) and for programs (--json, a stable document). Pure: strings in,
 * strings out.
 */

export const JSON_SCHEMA_VERSION = 1;

export interface TextOptions {
  style: Style;
  /** Columns to fit (80 in pipes). */
  width: number;
  /** Paths are shown relative to this folder, so they can be clicked or pasted. */
  cwd: string;
}

const LABEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'note' };
const CONTINUATION = '    ';

function colour(style: Style, severity: Severity, text: string): string {
  return severity === 'error' ? style.red(text) : severity === 'warning' ? style.yellow(text) : style.cyan(text);
}

/** The path of a finding as the user should see it: relative to where they are. */
export function shownPath(report: Pick<LintReport, 'root'>, file: string, cwd: string): string {
  return relative(cwd, file === '.' ? report.root : join(report.root, file)) || '.';
}

/** One finding: the first line carries the place and severity, the message wraps under it, the rule id ends it. */
function renderFinding(finding: Finding, path: string, options: TextOptions): string {
  const { style, width } = options;
  const place = finding.line === undefined ? path : `${path}:${finding.line}:${finding.column ?? 1}`;
  const head = `${place}  ${LABEL[finding.severity]}  `;
  const lines: Array<{ plain: string; styled: string }> = [{ plain: head, styled: `${place}  ${colour(style, finding.severity, LABEL[finding.severity])}  ` }];
  const append = (word: string) => {
    const current = lines[lines.length - 1] ?? { plain: '', styled: '' };
    const fresh = current.plain === head || current.plain === CONTINUATION;
    if (!fresh && current.plain.length + 1 + word.length > width) {
      lines.push({ plain: `${CONTINUATION}${word}`, styled: `${CONTINUATION}${word}` });
    } else {
      current.plain += fresh ? word : ` ${word}`;
      current.styled += fresh ? word : ` ${word}`;
    }
  };
  for (const word of finding.message.split(/\s+/).filter(Boolean)) append(word);
  const last = lines[lines.length - 1] ?? { plain: '', styled: '' };
  if (last.plain.length + 2 + finding.rule.length > width) lines.push({ plain: `${CONTINUATION}${finding.rule}`, styled: `${CONTINUATION}${style.dim(finding.rule)}` });
  else last.styled += `  ${style.dim(finding.rule)}`;
  const fix = finding.fix === undefined ? [] : wrapWords(finding.fix, width, `${CONTINUATION}→ `, `${CONTINUATION}  `).map((line) => style.dim(line));
  return [...lines.map((line) => line.styled), ...fix].join('\n');
}

/** Word-wraps text: the first line starts with `first`, the others with `rest`. */
const wrapWords = (text: string, width: number, first: string, rest: string): string[] => wrap(text, width, first, rest).split('\n');

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The whole report as text: findings grouped per file, then a summary line and the guide articles. */
export function formatText(report: LintReport, options: TextOptions, only?: (finding: Finding) => boolean): string {
  const { style } = options;
  const findings = only ? report.findings.filter(only) : report.findings;
  const blocks: string[] = [];
  let group: string[] = [];
  let groupFile: string | undefined;
  for (const finding of findings) {
    if (finding.file !== groupFile && group.length > 0) {
      blocks.push(group.join('\n'));
      group = [];
    }
    groupFile = finding.file;
    group.push(renderFinding(finding, shownPath(report, finding.file, options.cwd), options));
  }
  if (group.length > 0) blocks.push(group.join('\n'));

  const where = shownPath(report, '.', options.cwd);
  const checked = report.appspec === undefined ? where : `${report.appspec} and ${plural(report.scripts.length, 'hook script')}${where === '.' ? '' : ` in ${where}`}`;
  const count = (severity: Severity) => findings.filter((finding) => finding.severity === severity).length;
  const [errors, warnings, notes] = [count('error'), count('warning'), count('info')];
  let summary: string;
  if (errors + warnings + notes === 0) {
    summary = `${style.green(style.symbols.ok)} No problems in ${checked}.`;
  } else {
    const parts = [plural(errors, 'error'), plural(warnings, 'warning'), ...(notes > 0 ? [plural(notes, 'note')] : [])];
    const files = new Set(findings.map((finding) => finding.file)).size;
    const symbol = errors > 0 ? style.red(style.symbols.fail) : warnings > 0 ? style.yellow(style.symbols.warn) : style.cyan(style.symbols.info);
    summary = `${symbol} ${plural(errors + warnings + notes, 'problem')} (${parts.join(', ')}) in ${plural(files, 'file')}\n  ${style.dim(`checked ${checked}`)}`;
  }
  const rules = [...new Set(findings.map((finding) => finding.rule))];
  const legend =
    rules.length === 0
      ? []
      : [
          '',
          'Why, and how to fix each (cd-wizard guide --show <article>):',
          ...rules.map((rule) => `  ${rule.padEnd(Math.max(...rules.map((id) => id.length)) + 2)}${ruleInfo(rule).guide}`),
        ];
  return [...blocks.flatMap((block) => [block, '']), summary, ...legend].join('\n');
}

/** The --json document. Field names and meanings are stable; new fields may be added. */
export function toJson(report: LintReport): unknown {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    root: report.root,
    appspec: report.appspec ?? null,
    os: report.os ?? null,
    scripts: report.scripts,
    findings: report.findings.map((finding) => ({
      rule: finding.rule,
      severity: finding.severity,
      file: finding.file,
      line: finding.line ?? null,
      column: finding.column ?? null,
      message: finding.message,
      fix: finding.fix ?? null,
      guide: ruleInfo(finding.rule).guide,
    })),
    errorCount: report.errorCount,
    warningCount: report.warningCount,
    infoCount: report.infoCount,
  };
}
