/**
 * The knowledge base: troubleshooting articles from content/*.md and the diagnosis rules their front
 * matter carries. These are the runtime shapes; src/kb/schema.ts validates the source at build and test time.
 */

export type Severity = 'error' | 'warning' | 'info';

export interface FixStep {
  /** What to do, one sentence. May contain placeholders such as <instance-id> (see PLACEHOLDERS). */
  text: string;
  /** An exact command to run, when there is one. */
  command?: string | undefined;
}

/** One diagnosis rule: recognises one cause in pasted text or an agent log. */
export interface CauseRule {
  /** Stable cause id (like a linter rule code): scripts and later commands rely on it. */
  cause: string;
  /** Short statement of the problem, shown after ✗. */
  title: string;
  severity: Severity;
  /**
   * 0–100. Findings are ordered most specific first; roll-ups such as HEALTH_CONSTRAINTS sit low so that
   * the per-instance cause they summarise is shown first.
   */
  specificity: number;
  /** A roll-up summarises other failures; when a specific cause is also found, the roll-up points to it. */
  rollup?: boolean | undefined;
  /** Regular expressions (case-insensitive); any one matching a line fires the rule. A space matches any run of white space. */
  match: string[];
  /** Each of these must also match somewhere in the text (context that makes a generic phrase CodeDeploy's). */
  requires?: string[] | undefined;
  /** If any of these matches anywhere, the rule does not fire (look-alikes). */
  unless?: string[] | undefined;
  /** Why it happens, two or three sentences. */
  explain: string;
  fix: FixStep[];
}

export interface Article {
  id: string;
  title: string;
  summary: string;
  tags: string[];
  aliases: string[];
  /** Cause ids this article explains. */
  causes: string[];
  related: string[];
  rules: CauseRule[];
  /** Markdown body without the front matter. */
  body: string;
}

/** The catalogue of cause ids. Order is the documentation order; it is not a priority. */
export const CAUSE_IDS = [
  'agent-missing-credentials',
  'agent-access-denied',
  'agent-invalid-token',
  'agent-clock-skew',
  'agent-not-running',
  'agent-install-failed',
  'agent-imds',
  'agent-restarted-mid-event',
  'appspec-not-found',
  'appspec-invalid',
  's3-key-not-found',
  's3-access-denied',
  'bundle-etag-mismatch',
  'disk-full',
  'file-already-exists',
  'script-missing',
  'script-not-executable',
  'script-failed',
  'script-timed-out',
  'script-outputs-left-open',
  'script-crlf',
  'application-stop-failing',
  'health-constraints',
  'health-constraints-invalid',
  'no-instances',
  'service-role-missing',
  'service-role-permissions',
  'asg-launch-template-permissions',
  'passrole-denied',
  'concurrent-deployments',
  'lifecycle-hook-abandoned',
  'alb-health-check',
  'deployment-timeout',
  'throttled',
] as const;
export type CauseId = (typeof CAUSE_IDS)[number];

/**
 * Placeholders fix steps may use. Offline they are printed as they are; `fix` against AWS fills in the
 * user's real values.
 */
export const PLACEHOLDERS = [
  '<region>',
  '<account-id>',
  '<instance-id>',
  '<instance-profile>',
  '<instance-role>',
  '<service-role>',
  '<application>',
  '<deployment-group>',
  '<deployment-id>',
  '<bucket>',
  '<key>',
  '<asg>',
  '<target-group-arn>',
] as const;
