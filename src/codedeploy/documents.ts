import type { PolicyDocument, PolicyStatement, StringOrList } from '../aws/types.js';

/**
 * IAM policy documents as data: compare them (drift), list their actions (the "no `*`" guarantee), describe a
 * statement in words (the plan). One home for these, used by setup, fix, teardown and export.
 */

/** A document with the one-line reason shown beside it in a plan. */
export interface PolicySpec {
  /** Inline policy name, or a label for trust policies. */
  name: string;
  why: string;
  document: PolicyDocument;
}

export const asList = (value: StringOrList | undefined): string[] => (value === undefined ? [] : ([] as string[]).concat(value));

function sortedEntries<T>(record: Readonly<Record<string, T>>): Array<[string, T]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}

function canonicalStatement(statement: PolicyStatement): string {
  const principal =
    statement.Principal === undefined
      ? undefined
      : statement.Principal === '*'
        ? '*'
        : Object.fromEntries(sortedEntries(statement.Principal).map(([key, value]) => [key, asList(value).sort()]));
  const condition =
    statement.Condition === undefined
      ? undefined
      : Object.fromEntries(
          sortedEntries(statement.Condition).map(([operator, entries]) => [operator, Object.fromEntries(sortedEntries(entries).map(([key, value]) => [key, asList(value).sort()]))]),
        );
  // Sid is a label; IAM ignores it when evaluating, so a renamed Sid is not drift.
  return JSON.stringify({
    Effect: statement.Effect,
    Principal: principal,
    Action: statement.Action === undefined ? undefined : asList(statement.Action).map((a) => a.toLowerCase()).sort(),
    NotAction: statement.NotAction === undefined ? undefined : asList(statement.NotAction).map((a) => a.toLowerCase()).sort(),
    Resource: statement.Resource === undefined ? undefined : asList(statement.Resource).sort(),
    NotResource: statement.NotResource === undefined ? undefined : asList(statement.NotResource).sort(),
    Condition: condition,
  });
}

/** A canonical form: order of statements, lists and keys does not matter; single strings equal one-item lists. */
export function canonicalPolicy(document: PolicyDocument): string {
  return JSON.stringify(document.Statement.map(canonicalStatement).sort());
}

export function samePolicy(a: PolicyDocument | undefined, b: PolicyDocument | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return canonicalPolicy(a) === canonicalPolicy(b);
}

export function sameStatement(a: PolicyStatement, b: PolicyStatement): boolean {
  return canonicalStatement(a) === canonicalStatement(b);
}

/** Every action named anywhere in a document (for the "no `*`" guarantee and for tests). */
export function actionsOf(document: PolicyDocument): string[] {
  return document.Statement.flatMap((statement) => [...asList(statement.Action), ...asList(statement.NotAction)]);
}

/** One statement in words: "Allow s3:GetObject on arn:…/* by service ec2.amazonaws.com if StringEquals aws:SourceAccount = 1". */
export function describeStatement(statement: PolicyStatement): string {
  const parts: string[] = [statement.Effect];
  if (statement.Action !== undefined) parts.push(asList(statement.Action).join(', '));
  if (statement.NotAction !== undefined) parts.push(`everything but ${asList(statement.NotAction).join(', ')}`);
  if (statement.Resource !== undefined) parts.push(`on ${asList(statement.Resource).join(', ')}`);
  if (statement.Principal !== undefined) {
    parts.push(
      statement.Principal === '*'
        ? 'by anyone'
        : `by ${Object.entries(statement.Principal)
            .map(([kind, who]) => `${kind === 'Service' ? 'service' : kind} ${asList(who).join(', ')}`)
            .join(' and ')}`,
    );
  }
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    for (const [key, value] of Object.entries(entries)) parts.push(`if ${operator} ${key} = ${asList(value).join(' | ')}`);
  }
  return parts.join(' ');
}
