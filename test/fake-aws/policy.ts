/**
 * IAM policy documents: the checks IAM makes when a policy is stored (MalformedPolicyDocument with IAM's
 * wording), and a simple evaluator for SimulatePrincipalPolicy and for CodeDeploy's "can I assume this role"
 * check. Evaluation matches Action/NotAction and Resource/NotResource with wildcards, explicit Deny wins;
 * Condition blocks are not evaluated (a statement with a condition applies as if the condition held).
 */
import { AwsError } from './errors.js';
import { wildcardMatch } from './service.js';

export type PolicyKind = 'trust' | 'identity';

export interface Principal {
  any: boolean;
  aws: string[];
  service: string[];
  federated: string[];
}

export interface Statement {
  sid?: string;
  effect: 'Allow' | 'Deny';
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  principal?: Principal;
  hasCondition: boolean;
}

export interface EvaluationSource {
  /** What SimulatePrincipalPolicy reports as SourcePolicyId (policy name or ARN). */
  id: string;
  /** `IAM Policy` for managed policies, `role`/`user` for inline ones. */
  type: string;
  statements: Statement[];
}

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export interface Evaluation {
  decision: Decision;
  matched: Array<{ id: string; type: string }>;
}

const malformed = (message: string): AwsError => new AwsError('MalformedPolicyDocument', message, 400);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, field: string): string[] | undefined {
  if (value === undefined) return undefined;
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || list.some((item) => typeof item !== 'string')) throw malformed(`Syntax errors in policy. ${field} must be a string or a list of strings.`);
  return list as string[];
}

function parsePrincipal(value: unknown): Principal {
  if (value === '*') return { any: true, aws: [], service: [], federated: [] };
  if (!isRecord(value)) throw malformed('Invalid principal in policy');
  const principal: Principal = { any: false, aws: [], service: [], federated: [] };
  for (const [type, raw] of Object.entries(value)) {
    const values = stringList(raw, `Principal ${type}`) ?? [];
    if (type === 'AWS') {
      for (const aws of values) {
        if (aws !== '*' && !/^\d{12}$/.test(aws) && !/^arn:aws[\w-]*:(iam|sts)::\d{12}:[\w+=,.@/:-]+$/.test(aws)) {
          throw malformed(`Invalid principal in policy: "AWS":"${aws}"`);
        }
        if (aws === '*') principal.any = true;
      }
      principal.aws.push(...values);
    } else if (type === 'Service') {
      for (const service of values) {
        if (!/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(service)) throw malformed(`Invalid principal in policy: "SERVICE":"${service}"`);
      }
      principal.service.push(...values);
    } else if (type === 'Federated') {
      principal.federated.push(...values);
    } else if (type !== 'CanonicalUser') {
      throw malformed(`Invalid principal in policy: "${type}"`);
    }
  }
  return principal;
}

function checkActions(actions: string[]): void {
  for (const action of actions) {
    if (action !== '*' && !/^[a-zA-Z0-9-]+:[\w*?-]*$/.test(action)) {
      throw malformed('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
    }
  }
}

function parseStatement(raw: unknown, kind: PolicyKind): Statement {
  if (!isRecord(raw)) throw malformed('Syntax errors in policy.');
  const effect = raw['Effect'];
  if (effect === undefined) throw malformed('Missing required field Effect');
  if (effect !== 'Allow' && effect !== 'Deny') throw malformed(`Invalid effect: ${String(effect)}`);
  const actions = stringList(raw['Action'], 'Action');
  const notActions = stringList(raw['NotAction'], 'NotAction');
  if (actions === undefined && notActions === undefined) throw malformed('Policy statement must contain actions.');
  checkActions([...(actions ?? []), ...(notActions ?? [])]);
  const resources = stringList(raw['Resource'], 'Resource');
  const notResources = stringList(raw['NotResource'], 'NotResource');
  const statement: Statement = { effect, hasCondition: raw['Condition'] !== undefined };
  if (typeof raw['Sid'] === 'string') statement.sid = raw['Sid'];
  if (actions !== undefined) statement.actions = actions;
  if (notActions !== undefined) statement.notActions = notActions;
  if (kind === 'trust') {
    if (resources !== undefined || notResources !== undefined) throw malformed('Has prohibited field Resource');
    const principal = raw['Principal'] ?? raw['NotPrincipal'];
    if (principal === undefined) throw malformed('Missing required field Principal');
    statement.principal = parsePrincipal(principal);
  } else {
    if (raw['Principal'] !== undefined || raw['NotPrincipal'] !== undefined) throw malformed('Policy document should not specify a principal.');
    if (resources === undefined && notResources === undefined) throw malformed('Policy statement must contain resources.');
    if (resources !== undefined) statement.resources = resources;
    if (notResources !== undefined) statement.notResources = notResources;
  }
  return statement;
}

/** Parses and checks a policy document the way IAM does when it is stored; throws MalformedPolicyDocument. */
export function parsePolicy(text: string, kind: PolicyKind): Statement[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw malformed('This policy contains invalid Json');
  }
  if (!isRecord(document)) throw malformed('This policy contains invalid Json');
  const version = document['Version'];
  if (version !== undefined && version !== '2012-10-17' && version !== '2008-10-17') throw malformed('The policy failed legacy parsing');
  const statements = document['Statement'];
  if (statements === undefined) throw malformed('Syntax errors in policy.');
  const list = Array.isArray(statements) ? statements : [statements];
  if (list.length === 0) throw malformed('Syntax errors in policy.');
  return list.map((statement) => parseStatement(statement, kind));
}

/** The size IAM counts against its quotas: the document without whitespace. */
export function policySize(text: string): number {
  return text.replace(/\s+/g, '').length;
}

function actionMatches(statement: Statement, action: string): boolean {
  return statement.actions !== undefined
    ? statement.actions.some((pattern) => wildcardMatch(pattern, action, true))
    : !(statement.notActions ?? []).some((pattern) => wildcardMatch(pattern, action, true));
}

function statementApplies(statement: Statement, action: string, resource: string): boolean {
  if (!actionMatches(statement, action)) return false;
  if (statement.resources !== undefined) return statement.resources.some((pattern) => wildcardMatch(pattern, resource));
  if (statement.notResources !== undefined) return !statement.notResources.some((pattern) => wildcardMatch(pattern, resource));
  return true;
}

/** Identity-policy evaluation: an explicit Deny wins, then any Allow, else an implicit deny. */
export function evaluate(sources: readonly EvaluationSource[], action: string, resource: string): Evaluation {
  const allows: Evaluation['matched'] = [];
  const denies: Evaluation['matched'] = [];
  for (const source of sources) {
    for (const statement of source.statements) {
      if (!statementApplies(statement, action, resource)) continue;
      (statement.effect === 'Deny' ? denies : allows).push({ id: source.id, type: source.type });
    }
  }
  if (denies.length > 0) return { decision: 'explicitDeny', matched: denies };
  if (allows.length > 0) return { decision: 'allowed', matched: allows };
  return { decision: 'implicitDeny', matched: [] };
}

/** Whether a trust policy lets `servicePrincipal` (e.g. codedeploy.amazonaws.com) call sts:AssumeRole. */
export function trustsService(trustPolicy: string, servicePrincipal: string): boolean {
  let statements: Statement[];
  try {
    statements = parsePolicy(trustPolicy, 'trust');
  } catch {
    return false;
  }
  const applies = (statement: Statement): boolean => {
    const principal = statement.principal;
    if (principal === undefined) return false;
    return (principal.any || principal.service.includes(servicePrincipal)) && actionMatches(statement, 'sts:AssumeRole');
  };
  const relevant = statements.filter(applies);
  return relevant.some((s) => s.effect === 'Allow') && !relevant.some((s) => s.effect === 'Deny');
}
