import { caseVariant, pathParts } from './bundle.js';
import type { AppSpecOs, CheckContext, HookScript } from './context.js';
import { PREVIOUS_REVISION_HOOKS } from './check-hooks.js';
import { ruleInfo, type RuleId } from './rules.js';
import { backgroundWithoutRedirect, foregroundServers, stopCommandsThatMayFail } from './shell-checks.js';
import { parseScript, type ParsedScript } from './shell-parse.js';

/**
 * The hook scripts themselves: there, executable, started by an interpreter the kernel can find, with Unix line
 * endings, and free of the commands that hang or break a hook.
 */

const MAX_SCRIPT_BYTES = 1024 * 1024;
const SHELLS = new Set(['sh', 'bash', 'dash', 'zsh', 'ksh', 'ash']);

interface ScriptText {
  path: string;
  /** The parse, for shell scripts (parsed once for every check). */
  shell: ParsedScript | undefined;
}

/** Returns the scripts that exist, in the order the AppSpec names them. */
export function checkScripts(ctx: CheckContext, scripts: readonly HookScript[], os: AppSpecOs | undefined): string[] {
  const checked = new Map<string, ScriptText | undefined>();
  const stopChecked = new Set<string>();
  for (const script of scripts) {
    const path = resolveScript(ctx, script, os);
    if (path === undefined) continue;
    if (!checked.has(path)) checked.set(path, os === 'windows' ? undefined : checkScriptFile(ctx, path));
    const text = checked.get(path);
    if (text?.shell && (PREVIOUS_REVISION_HOOKS as readonly string[]).includes(script.event) && !stopChecked.has(path)) {
      stopChecked.add(path);
      for (const issue of stopCommandsThatMayFail(text.shell)) {
        report(
          ctx,
          'application-stop-may-fail',
          path,
          issue,
          `\`${issue.command}\` fails when nothing runs, and then ${script.event} fails every later deployment`,
          `add || true. ${script.event} runs the PREVIOUS revision's copy of this script; get past a broken one with --ignore-application-stop-failures`,
        );
      }
    }
  }
  return [...checked.keys()];
}

function report(ctx: CheckContext, rule: RuleId, file: string, at: { line: number; column: number } | undefined, message: string, fix: string): void {
  ctx.findings.push({ rule, severity: ruleInfo(rule).severity, file, ...(at === undefined ? {} : { line: at.line, column: at.column }), message, fix });
}

/** The script's path in the bundle, or undefined (reported) when it is not there. */
function resolveScript(ctx: CheckContext, script: HookScript, os: AppSpecOs | undefined): string | undefined {
  const { location } = script;
  const missing = (message: string, fix: string) => {
    ctx.report('script-missing', script.node, message, fix);
    return undefined;
  };
  if (os !== 'windows' && location.includes('\\')) {
    return missing(`location ${location} uses backslashes, which Linux reads as part of a name`, `write ${location.replace(/\\/g, '/')}`);
  }
  const parts = pathParts(location.replace(/\\/g, '/'));
  if (parts.includes('..')) return missing(`location ${location} points outside the bundle`, 'locations are relative to the bundle root');
  const path = parts.join('/');
  const entry = ctx.bundle.stat(path);
  if (entry?.type === 'file') return path;
  if (entry?.type === 'directory') return missing(`location ${location} is a folder`, 'name the script file in it');
  const variant = caseVariant(ctx.bundle, path);
  if (variant !== undefined) return missing(`${location} is not in the bundle; ${variant} differs in case`, `write ${variant}: names are case-sensitive on the instance`);
  if (location.startsWith('/')) {
    return missing(`${location} is not in the bundle (ScriptMissing)`, 'locations are relative to the bundle root: hooks run from the unpacked revision, not the destination');
  }
  return missing(`${script.event} script ${location} is not in the bundle (ScriptMissing)`, 'add it, or fix the path (relative to the bundle root)');
}

function interpreterOf(firstLine: string): string | undefined {
  const match = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(firstLine);
  if (!match) return undefined;
  const program = match[1]?.split('/').pop() ?? '';
  return program === 'env' ? (match[2] ?? '') : program;
}

function checkScriptFile(ctx: CheckContext, path: string): ScriptText | undefined {
  const entry = ctx.bundle.stat(path);
  if (entry?.mode !== undefined && (entry.mode & 0o111) === 0) {
    report(ctx, 'script-not-executable', path, undefined, `Not executable (mode ${entry.mode.toString(8).padStart(3, '0')}); the agent's own chmod +x fails unless it runs as root`, `chmod +x ${path} && git update-index --chmod=+x ${path}`);
  }
  const bytes = ctx.bundle.read(path, MAX_SCRIPT_BYTES);
  if (bytes === undefined || bytes.subarray(0, 8000).includes(0)) return undefined;
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) {
    report(ctx, 'script-shebang', path, { line: 1, column: 1 }, 'A byte-order mark (BOM) before #! hides the #! line from the kernel', 'save the file as UTF-8 without BOM');
    text = text.slice(1);
  }
  const firstLine = text.split('\n', 1)[0] ?? '';
  const interpreter = interpreterOf(firstLine.replace(/\r$/, ''));
  if (!firstLine.startsWith('#!')) {
    report(ctx, 'script-shebang', path, { line: 1, column: 1 }, 'No #! line: the script runs under whatever starts it (often /bin/sh), or not at all', 'make #!/bin/bash the first line');
  } else if (!/^#!\s*\//.test(firstLine)) {
    report(ctx, 'script-shebang', path, { line: 1, column: 1 }, `The #! interpreter must be an absolute path, not ${firstLine.trim()}`, `write #!/usr/bin/env ${interpreter ?? 'bash'}`);
  }
  const crlf = text.indexOf('\r\n');
  if (crlf >= 0) {
    const line = text.slice(0, crlf).split('\n').length;
    const column = crlf - text.lastIndexOf('\n', crlf - 1);
    report(ctx, 'script-crlf', path, { line, column }, `Windows (CRLF) line endings: "${line === 1 ? 'bad interpreter' : "$'\\r': command not found"}" on the instance`, `sed -i 's/\\r$//' ${path}; add "*.sh text eol=lf" to .gitattributes`);
  }
  const extension = /\.(\w+)$/.exec(path)?.[1];
  const shell = interpreter !== undefined ? SHELLS.has(interpreter) : extension === undefined || extension === 'sh' || extension === 'bash';
  if (!shell) return { path, shell: undefined };
  const parsed = parseScript(text);
  for (const issue of backgroundWithoutRedirect(parsed)) {
    report(ctx, 'script-background-output', path, issue, `\`${issue.command} &\` holds the hook's output open: the hook hangs until its timeout`, `redirect it: ${issue.command} > /var/log/app.log 2>&1 < /dev/null &`);
  }
  for (const issue of foregroundServers(parsed)) {
    const compose = /\bcompose\b|docker-compose/.test(issue.command);
    report(
      ctx,
      'script-foreground-server',
      path,
      issue,
      `\`${issue.command}\` runs in the foreground: the hook hangs until its timeout`,
      compose ? `add -d: ${issue.command.replace(/\bup\b/, 'up -d')}` : 'run it as a systemd service (systemctl restart …), or in the background with its output redirected',
    );
  }
  return { path, shell: parsed };
}
