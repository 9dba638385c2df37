import { statSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { formatText, toJson } from '../../appspec/format.js';
import { lintDirectory } from '../../appspec/lint.js';
import { RULES } from '../../appspec/rules.js';
import type { Context } from '../../context.js';
import { ExitCode, UsageError } from '../../errors.js';

/**
 * `cd-wizard lint [dir]`: the AppSpec and hook-script checks (src/appspec/) on a folder, printed like eslint.
 * Exit 1 when there is an error, 0 with warnings and notes only, 2 for a bad argument.
 */

export interface LintFlags {
  /** Report errors only. */
  quiet?: boolean;
  /** List the rules instead of linting. */
  rules?: boolean;
  /** Whether the deployment group has a load balancer (undefined: not said). */
  loadBalancer?: boolean;
}

/** The folder to lint: `dir`, or the folder of a given appspec.yml. */
function bundleRoot(dir: string): string {
  let stats;
  try {
    stats = statSync(dir);
  } catch {
    throw new UsageError(`${dir} does not exist.`, 'Give the folder that becomes the bundle root (where appspec.yml is), or run cd-wizard lint in it.');
  }
  if (stats.isDirectory()) return dir;
  if (/^appspec\.ya?ml$/i.test(basename(dir))) return dirname(dir);
  throw new UsageError(`${dir} is not a folder.`, 'cd-wizard lint checks a bundle folder: the one holding appspec.yml and the hook scripts.');
}

function listRules(ctx: Context): number {
  if (ctx.globals.json) {
    ctx.out(JSON.stringify(RULES.map((rule) => ({ ...rule })), null, 2));
    return ExitCode.Ok;
  }
  const width = Math.max(...RULES.map((rule) => rule.id.length));
  ctx.out(RULES.map((rule) => `${rule.id.padEnd(width)}  ${rule.severity.padEnd(7)}  ${rule.summary}\n${' '.repeat(width + 11)}${ctx.style.dim(`guide: ${rule.guide}`)}`).join('\n'));
  return ExitCode.Ok;
}

export function runLint(ctx: Context, dir: string | undefined, flags: LintFlags): number {
  const cwd = ctx.cwd;
  if (flags.rules) return listRules(ctx);
  const root = bundleRoot(resolve(cwd, dir ?? '.'));
  const report = lintDirectory(root, flags.loadBalancer === undefined ? {} : { loadBalancer: flags.loadBalancer });
  if (ctx.globals.json) {
    ctx.out(JSON.stringify(toJson(report), null, 2));
  } else {
    const width = ctx.term.isTty ? Math.max(60, ctx.term.columns) : 80;
    ctx.out(formatText(report, { style: ctx.style, width, cwd }, flags.quiet ? (finding) => finding.severity === 'error' : undefined));
  }
  return report.errorCount > 0 ? ExitCode.Failure : ExitCode.Ok;
}
