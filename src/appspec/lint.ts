import { resolve } from 'node:path';
import { directoryBundle, type Bundle } from './bundle.js';
import { checkFiles, checkPermissions } from './check-files.js';
import { checkHooks } from './check-hooks.js';
import { checkScripts } from './check-scripts.js';
import { checkTopLevel } from './check-top.js';
import { createCheckContext } from './context.js';
import { locateAppSpec } from './locate.js';
import { ruleInfo } from './rules.js';
import type { Finding, LintOptions, LintReport } from './types.js';
import { parseAppSpecYaml } from './yaml-doc.js';

/**
 * Lints a revision bundle offline: locate the AppSpec → parse it → check its sections → check the hook scripts
 * it names. Plain functions, no terminal: `cd-wizard lint` prints the report, `deploy` refuses a bundle with
 * errors before uploading it.
 */

const MAX_APPSPEC_BYTES = 1024 * 1024;

export type { Finding, LintOptions, LintReport } from './types.js';
export type { Bundle } from './bundle.js';
export { directoryBundle, memoryBundle } from './bundle.js';

/** Lints the bundle in `dir` (the folder whose contents become the bundle's root). */
export function lintDirectory(dir: string, options: LintOptions = {}): LintReport {
  return lintBundle(directoryBundle(resolve(dir)), resolve(dir), options);
}

export function lintBundle(bundle: Bundle, root: string, options: LintOptions = {}): LintReport {
  const located = locateAppSpec(bundle);
  const findings: Finding[] = [...located.findings];
  let os: LintReport['os'];
  let scripts: string[] = [];
  if (located.path !== undefined) {
    const bytes = bundle.read(located.path, MAX_APPSPEC_BYTES);
    const text = (bytes ?? Buffer.alloc(0)).toString('utf8').replace(/^\uFEFF/, '');
    const { doc, syntax } = parseAppSpecYaml(text);
    const ctx = createCheckContext(located.path, doc, bundle, options);
    if (syntax !== undefined) {
      const { line, column, message } = syntax;
      findings.push({ rule: 'appspec-yaml-syntax', severity: 'error', file: located.path, line, column, message: `${message} The agent cannot read the AppSpec.` });
    } else {
      const top = checkTopLevel(ctx);
      if (top !== undefined) {
        os = top.os;
        const destinations = checkFiles(ctx, top.sections.files, top.os);
        checkPermissions(ctx, top.sections.permissions, top.os, destinations);
        scripts = checkScripts(ctx, checkHooks(ctx, top.sections.hooks, top.os), top.os);
      }
    }
    findings.push(...ctx.findings);
  }
  return summarise({ root, appspec: located.path, os, scripts }, findings);
}

function summarise(about: Pick<LintReport, 'root' | 'appspec' | 'os' | 'scripts'>, findings: Finding[]): LintReport {
  const { appspec } = about;
  const fileRank = (file: string) => (file === appspec ? 0 : file === '.' ? -1 : 1);
  const sorted = [...findings].sort(
    (a, b) =>
      fileRank(a.file) - fileRank(b.file) ||
      a.file.localeCompare(b.file) ||
      (a.line ?? 0) - (b.line ?? 0) ||
      (a.column ?? 0) - (b.column ?? 0) ||
      a.rule.localeCompare(b.rule),
  );
  const count = (severity: Finding['severity']) => sorted.filter((finding) => finding.severity === severity).length;
  return { ...about, findings: sorted, errorCount: count('error'), warningCount: count('warning'), infoCount: count('info') };
}

/** The guide article that explains a finding. */
export function guideFor(finding: Pick<Finding, 'rule'>): string {
  return ruleInfo(finding.rule).guide;
}
