import type { Node } from 'yaml';
import type { Bundle } from './bundle.js';
import { ruleInfo, type RuleId, type Severity } from './rules.js';
import type { Finding, LintOptions } from './types.js';
import type { AppSpecDocument } from './yaml-doc.js';

/** What every AppSpec check gets: the document, the bundle, and a way to report at a node. */
export interface CheckContext {
  /** The AppSpec's path in the bundle. */
  file: string;
  doc: AppSpecDocument;
  bundle: Bundle;
  options: LintOptions;
  findings: Finding[];
  /** Reports at a node of the AppSpec (its start), with the rule's usual severity unless given. */
  report(rule: RuleId, node: Node | null | undefined, message: string, fix?: string, severity?: Severity): void;
}

export function createCheckContext(file: string, doc: AppSpecDocument, bundle: Bundle, options: LintOptions): CheckContext {
  const findings: Finding[] = [];
  return {
    file,
    doc,
    bundle,
    options,
    findings,
    report(rule, node, message, fix, severity) {
      findings.push({ rule, severity: severity ?? ruleInfo(rule).severity, file, ...doc.at(node), message, ...(fix === undefined ? {} : { fix }) });
    },
  };
}

/** A hook script the AppSpec names, for the script checks. */
export interface HookScript {
  event: string;
  location: string;
  /** The location's node in the AppSpec. */
  node: Node;
}

export type AppSpecOs = 'linux' | 'windows';
