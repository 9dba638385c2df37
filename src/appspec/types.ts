import type { RuleId, Severity } from './rules.js';

/** One problem found in a bundle: where, how bad, what, and which rule (and so which guide article). */
export interface Finding {
  rule: RuleId;
  severity: Severity;
  /** Path relative to the bundle root, with forward slashes; "." for the bundle itself. */
  file: string;
  /** 1-based; undefined when the finding is about the file as a whole. */
  line?: number;
  column?: number;
  /** What is wrong, short (one line in an 80-column report when possible). */
  message: string;
  /** What to do about it, short; undefined when the message says it. */
  fix?: string;
}

/** Where a YAML node starts, for findings. */
export interface Position {
  line: number;
  column: number;
}

/** What the caller knows about the deployment the bundle is for (deploy knows; the CLI does not). */
export interface LintOptions {
  /**
   * Whether the deployment group has a load balancer (or is blue/green). Undefined: unknown, traffic hooks get
   * a note; false: they never run (a warning); true: nothing to say.
   */
  loadBalancer?: boolean;
}

export interface LintReport {
  /** The bundle root as given (absolute). */
  root: string;
  /** The AppSpec that was read, relative to the root; undefined when there is none. */
  appspec: string | undefined;
  /** The AppSpec's os when it is valid. */
  os: 'linux' | 'windows' | undefined;
  /** The hook scripts the AppSpec names that exist in the bundle (paths relative to the root). */
  scripts: string[];
  /** Ordered by file (the AppSpec first), then line and column. */
  findings: Finding[];
  errorCount: number;
  warningCount: number;
  infoCount: number;
}
