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
  /**
   * Regular expressions (case-insensitive); any one matching a line fires the rule. A space matches any run of
   * white space. Named groups (`(?<command>…)`) can be used as `{{command}}` in `because` and in fix steps.
   * May be empty when the rule only `refines` other causes.
   */
  match: string[];
  /** Each of these must also match somewhere in the text (context that makes a generic phrase CodeDeploy's). */
  requires?: string[] | undefined;
  /** If any of these matches anywhere, the rule does not fire (look-alikes). */
  unless?: string[] | undefined;
  /** Conditions on the failed event the match belongs to (all must hold). */
  when?: RuleConditions | undefined;
  /** Conditions that veto the rule for that event (any one holding is enough). */
  whenNot?: RuleConditions | undefined;
  /**
   * Causes this one supersedes in the same event: their findings there fold into this one, which says why
   * (`because`). Without `match`, the rule fires wherever one of them fires and `when` holds.
   */
  refines?: string[] | undefined;
  /**
   * Causes folded into this one when they appear in the same event, without making a `refines`-only rule fire
   * (a more precise cause taking over a broader one that also matched).
   */
  absorbs?: string[] | undefined;
  /** Why this cause and not the one it refines, one sentence; may use {{event}}, {{exitCode}}, {{script}}, {{stderr}} and named groups. */
  because?: string | undefined;
  /** Why it happens, two or three sentences. */
  explain: string;
  fix: FixStep[];
}

/** What must hold for the failed event a match belongs to (see src/diagnose/facts.ts for how it is read). */
export interface RuleConditions {
  /** The lifecycle event (ApplicationStop, AfterInstall …) is one of these. */
  event?: string[] | undefined;
  /** One of the exit codes printed for it is one of these. */
  exitCode?: number[] | undefined;
  /** One of its error codes (ScriptFailed, UnknownError, HEALTH_CONSTRAINTS …) is one of these. */
  errorCode?: string[] | undefined;
  /** One of its `[stderr]` lines matches one of these patterns. */
  stderr?: string[] | undefined;
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

/**
 * The catalogue of cause ids and article ids, generated from content/ at build time (scripts/gen-ids.mjs):
 * adding a cause is adding an article. `cd-wizard fix --list-causes` and `cd-wizard guide --list` print them.
 */
import { CAUSE_IDS, type CauseId } from './generated/ids.js';
export { ARTICLE_IDS, CAUSE_IDS, CHECKED_CAUSE_IDS, type ArticleId, type CauseId } from './generated/ids.js';

const CAUSE_ID_SET: ReadonlySet<string> = new Set(CAUSE_IDS);
/** Narrows a cause id read from data (a rule's cause, JSON) to the catalogue's type. */
export function isCauseId(value: string): value is CauseId {
  return CAUSE_ID_SET.has(value);
}

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
