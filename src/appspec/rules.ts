/**
 * The lint rules: stable ids (like eslint rule codes; scripts, CI and `deploy` key on them), what each checks,
 * its usual severity, and the guide article that explains the trap (`cd-wizard guide --show <guide>`).
 * One table, so the CLI's --rules list, the README and the tests read the same catalogue.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface RuleInfo {
  id: string;
  /** Usual severity; a few rules report a milder or stronger one for particular cases (the finding says). */
  severity: Severity;
  /** What the rule checks, one line. */
  summary: string;
  /** Guide article id. */
  guide: string;
}

const rule = (id: string, severity: Severity, guide: string, summary: string): RuleInfo => ({ id, severity, guide, summary });

export const RULES = [
  // Where the AppSpec is.
  rule('appspec-missing', 'error', 'appspec-not-found', 'there is an appspec.yml in the bundle'),
  rule('appspec-file-name', 'error', 'appspec-not-found', 'the AppSpec is named exactly appspec.yml'),
  rule('appspec-not-at-root', 'error', 'appspec-not-found', 'appspec.yml sits in the bundle root, not a subfolder'),
  // The AppSpec itself.
  rule('appspec-yaml-syntax', 'error', 'appspec-invalid', 'the file is valid YAML (tabs, indentation, quoting)'),
  rule('appspec-structure', 'error', 'appspec-reference', 'sections have the right shape; no unknown or repeated keys'),
  rule('appspec-version', 'error', 'appspec-invalid', 'version is 0.0, unquoted'),
  rule('appspec-os', 'error', 'appspec-invalid', 'os is linux or windows'),
  rule('appspec-files-source', 'error', 'appspec-files', 'each files source exists in the bundle'),
  rule('appspec-files-destination', 'error', 'appspec-files', 'each files destination is an absolute path for the os'),
  rule('appspec-file-exists-behavior', 'error', 'file-already-exists', 'file_exists_behavior is DISALLOW, OVERWRITE or RETAIN'),
  rule('appspec-permissions', 'error', 'appspec-permissions', 'permissions entries are well formed (object, mode, type)'),
  rule('appspec-runas', 'error', 'appspec-reference', 'runas names one Linux user, and only on linux'),
  // Hooks.
  rule('appspec-hook-unknown', 'error', 'hook-order', 'hook names are EC2/on-premises lifecycle events'),
  rule('appspec-hook-reserved', 'error', 'hook-order', 'no scripts under events the agent runs itself'),
  rule('appspec-hook-traffic', 'info', 'hook-order', 'traffic hooks run only with a load balancer'),
  rule('appspec-hook-order', 'info', 'hook-order', 'hooks are listed in the order they run'),
  rule('appspec-hook-empty', 'warning', 'hook-order', 'every listed hook has at least one script'),
  rule('appspec-hook-location', 'error', 'appspec-invalid', 'every hook entry has a location'),
  rule('appspec-timeout', 'error', 'script-timed-out', 'each timeout is whole seconds from 1 to 3600'),
  rule('appspec-timeout-total', 'error', 'script-timed-out', 'the timeouts of one event add up to 3600 s at most'),
  // The hook scripts.
  rule('script-missing', 'error', 'script-missing', 'each hook script exists at its location'),
  rule('script-not-executable', 'warning', 'script-not-executable', 'hook scripts carry the execute bit'),
  rule('script-shebang', 'error', 'script-shebang', 'hook scripts start with #! and an interpreter'),
  rule('script-crlf', 'error', 'script-crlf', 'hook scripts have LF (Unix) line endings'),
  rule('script-background-output', 'error', 'script-outputs-left-open', 'background processes redirect stdout and stderr'),
  rule('script-foreground-server', 'error', 'script-timed-out', 'servers are not started in the foreground'),
  rule('application-stop-may-fail', 'warning', 'application-stop-failing', 'stop scripts succeed when nothing is running'),
] as const satisfies readonly RuleInfo[];

export type RuleId = (typeof RULES)[number]['id'];

const BY_ID: ReadonlyMap<string, RuleInfo> = new Map(RULES.map((info) => [info.id, info]));

export function ruleInfo(id: RuleId): RuleInfo {
  const info = BY_ID.get(id);
  if (!info) throw new Error(`unknown lint rule ${id}`);
  return info;
}

export function isRuleId(id: string): id is RuleId {
  return BY_ID.has(id);
}
