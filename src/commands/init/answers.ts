import { UsageError } from '../../errors.js';
import type { Detected } from '../../scaffold/detect.js';
import { APP_KINDS, SERVICE_KINDS, kindDefaults, type AppKind, type ScaffoldAnswers } from '../../scaffold/types.js';
import * as check from '../../scaffold/validate.js';
import type { DeployTarget } from './deploy-target.js';

/**
 * init's answers: flags first, then (on a terminal) questions with defaults from the folder and cd-wizard.json,
 * or (without one) the defaults, failing with the flags still needed. Every question has a flag.
 */

/** init's flags as commander hands them over (undefined = not given). */
export interface InitFlags {
  kind?: string;
  name?: string;
  port?: string;
  destination?: string;
  user?: string;
  startCommand?: string;
  healthPath?: string;
  source?: string;
  composeFile?: string;
  githubActions?: boolean;
  app?: string;
  group?: string;
  bucket?: string;
  roleArn?: string;
  branch?: string;
  force?: boolean;
  dryRun?: boolean;
}

export type Field = 'kind' | 'name' | 'source' | 'composeFile' | 'port' | 'destination' | 'user' | 'startCommand' | 'healthPath' | 'app' | 'group' | 'bucket' | 'roleArn' | 'region' | 'branch';

/** The flag that answers each field (and names it in errors). */
export const FLAG_OF: Readonly<Record<Field, string>> = {
  kind: '--kind',
  name: '--name',
  source: '--source',
  composeFile: '--compose-file',
  port: '--port',
  destination: '--destination',
  user: '--user',
  startCommand: '--start-command',
  healthPath: '--health-path',
  app: '--app',
  group: '--group',
  bucket: '--bucket',
  roleArn: '--role-arn',
  region: '--region',
  branch: '--branch',
};

const CHECKS: Readonly<Record<Field, check.Check>> = {
  kind: check.checkKind,
  name: check.checkName,
  source: check.checkBundlePath,
  composeFile: check.checkBundlePath,
  port: check.checkPort,
  destination: check.checkDestination,
  user: check.checkUser,
  startCommand: check.checkStartCommand,
  healthPath: check.checkHealthPath,
  app: check.checkApplication,
  group: check.checkGroup,
  bucket: check.checkBucket,
  roleArn: check.checkRoleArn,
  region: check.checkRegion,
  branch: check.checkBranch,
};

export function problemOf(field: Field, value: string): string | undefined {
  return CHECKS[field](value);
}

/** Answers as text, as typed or given; `githubActions` is the one yes/no. */
export type Draft = Partial<Record<Field, string>> & { githubActions?: boolean };

export function draftFromFlags(flags: InitFlags, region: string | undefined): Draft {
  const draft: Draft = {};
  for (const field of Object.keys(FLAG_OF) as Field[]) {
    const value = field === 'region' ? region : (flags as Record<string, unknown>)[field];
    if (typeof value === 'string') draft[field] = value.trim();
  }
  if (flags.githubActions !== undefined) draft.githubActions = flags.githubActions;
  return draft;
}

/** Every flag that breaks its rule, at once. */
export function checkDraft(draft: Draft): string[] {
  return (Object.keys(FLAG_OF) as Field[]).flatMap((field) => {
    const value = draft[field];
    const problem = value === undefined ? undefined : problemOf(field, value);
    return problem === undefined ? [] : [`${FLAG_OF[field]} ${JSON.stringify(value)}: ${problem}`];
  });
}

/** The fields a kind asks for, in question order. */
export function fieldsFor(kind: AppKind, githubActions: boolean): Field[] {
  const fields: Field[] = ['name'];
  if (kind === 'static') fields.push('source');
  if (kind === 'docker-compose') fields.push('composeFile');
  fields.push('port', 'destination');
  if (SERVICE_KINDS.includes(kind)) fields.push('user', 'startCommand');
  fields.push('healthPath');
  if (githubActions) fields.push('app', 'group', 'bucket', 'roleArn', 'region', 'branch');
  return fields;
}

export interface DefaultsSource {
  detected: Detected;
  /** Read on first use (only the workflow needs it): the answers file may not exist, or not be valid. */
  target: () => DeployTarget;
}

/** The default of a field, given the answers so far (the name shapes the destination and the user). */
export function defaultOf(field: Field, draft: Draft, { detected, target }: DefaultsSource): string | undefined {
  const kind = (draft.kind ?? detected.kind ?? 'node') as AppKind;
  const name = draft.name ?? detected.name;
  const byKind = kindDefaults(kind, name);
  switch (field) {
    case 'kind':
      return detected.kind;
    case 'name':
      return detected.name;
    case 'source':
      return detected.staticSource;
    case 'composeFile':
      return detected.composeFile;
    case 'port':
      return String(byKind.port);
    case 'destination':
      return byKind.destination;
    case 'user':
      return byKind.user;
    case 'startCommand':
      return detected.startCommands[kind] ?? byKind.startCommand;
    case 'healthPath':
      return '/';
    case 'app':
      return target().app;
    case 'group':
      return target().group;
    case 'bucket':
      return target().bucket;
    case 'roleArn':
      return target().roleArn;
    case 'region':
      return target().region;
    case 'branch':
      // The branch setup's deploy role trusts comes first: a workflow on another branch could not assume it.
      return target().branch ?? detected.branch;
  }
}

/** Without a terminal: defaults fill what they can; the rest is a usage error naming the flags. */
export function completeWithoutAsking(draft: Draft, source: DefaultsSource): Draft {
  if (draft.kind === undefined) {
    const { kind, evidence } = source.detected;
    const hint = kind === undefined ? '' : ` This folder looks like ${kind} (${evidence ?? kind}): --kind ${kind}.`;
    throw new UsageError(`init needs --kind (${APP_KINDS.join(', ')}) and there is no terminal to ask it (or --no-input was given).${hint}`, 'See cd-wizard init --help.');
  }
  const full: Draft = { ...draft };
  const missing: string[] = [];
  for (const field of fieldsFor(draft.kind as AppKind, draft.githubActions === true)) {
    const value = full[field] ?? defaultOf(field, full, source);
    if (value === undefined) missing.push(FLAG_OF[field]);
    else full[field] = value;
  }
  const invalid = checkDraft(full);
  if (missing.length > 0 || invalid.length > 0) {
    const lines = [...missing.map((flag) => `  • ${flag} is needed for the GitHub Actions workflow (cd-wizard.json does not have it)`), ...invalid.map((line) => `  • ${line}`)];
    throw new UsageError(`init cannot go on without a terminal to ask:\n${lines.join('\n')}`, 'Give them as flags, or run cd-wizard setup first (it writes cd-wizard.json). See cd-wizard init --help.');
  }
  return full;
}

export function toScaffoldAnswers(draft: Draft, version: string): ScaffoldAnswers {
  const kind = draft.kind as AppKind;
  const need = (field: Field) => draft[field] ?? '';
  const service = SERVICE_KINDS.includes(kind);
  return {
    kind,
    name: need('name'),
    port: Number(need('port')),
    destination: need('destination').replace(/(.)\/+$/, '$1'),
    healthPath: need('healthPath'),
    version,
    ...(service ? { user: need('user'), startCommand: need('startCommand') } : {}),
    ...(kind === 'static' ? { source: need('source').replace(/\/+$/, '') } : {}),
    ...(kind === 'docker-compose' ? { composeFile: need('composeFile') } : {}),
    ...(draft.githubActions
      ? { workflow: { region: need('region'), application: need('app'), deploymentGroup: need('group'), bucket: need('bucket'), roleArn: need('roleArn'), branch: need('branch') } }
      : {}),
  };
}
