import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod/mini';
import type { TargetTag } from '../../aws/types.js';
import { UsageError, UserError } from '../../errors.js';
import {
  DEPLOYMENT_CONFIGS,
  FLAG_OF,
  missingAnswers,
  normaliseDeploymentConfig,
  validateAnswers,
  type AnswerField,
  type AnswersToCheck,
  type DeploymentConfig,
  type Problem,
} from './validate.js';

/**
 * Setup's answers: what the user chose (flags > answers file > defaults), and the answers file
 * (cd-wizard.json) that keeps them, plus the ids and ARNs of what setup created or reused. No secrets:
 * no keys, no tokens, not even the profile name (it differs between a laptop and CI).
 */

export const ANSWERS_FILE = 'cd-wizard.json';
export const SCHEMA_VERSION = 1;

export interface SetupAnswers {
  region: string;
  app: string;
  group: string;
  serviceRole: string;
  instanceRole: string;
  instanceProfile: string;
  bucket: string;
  /** Instances to prepare (profile + tags). */
  instances: string[];
  /** Auto Scaling groups, by name. */
  asg: string[];
  /** One group: any tag matches (OR). Several: an instance needs a tag of every group (AND). */
  tagGroups: TargetTag[][];
  deploymentConfig: DeploymentConfig;
  rollback: boolean;
  targetGroup?: string;
  ssm: boolean;
}

/** Answers being collected; any may be missing. */
export type DraftAnswers = Partial<SetupAnswers>;

export const DEFAULTS = {
  serviceRole: 'CodeDeployServiceRole',
  instanceRole: 'CodeDeployInstanceRole',
  instanceProfile: 'CodeDeployInstanceProfile',
  deploymentConfig: 'CodeDeployDefault.OneAtATime' as DeploymentConfig,
  rollback: true,
  ssm: false,
} as const;

/** The tag put on chosen instances when no --tag is given, so the deployment group can find them. */
export function defaultTargetTag(app: string, group: string): TargetTag {
  return { key: 'cd-wizard:group', value: `${app}/${group}` };
}

/** What setup records about each resource it created or reused. */
export interface ResourceRecord {
  name: string;
  arn?: string;
  id?: string;
  status: 'created' | 'reused' | 'updated';
}

export interface InstanceRecord {
  /** The instance profile the instance uses after setup. */
  profile?: string;
  associationId?: string;
  /** associated / replaced by setup, or kept (its own profile; the replacement was not confirmed). */
  profileStatus?: 'associated' | 'replaced' | 'kept';
  /** Tags setup added. */
  tags?: Record<string, string>;
}

export interface SetupState {
  account?: string;
  partition?: string;
  region?: string;
  updatedAt?: string;
  serviceRole?: ResourceRecord;
  instanceRole?: ResourceRecord;
  instanceProfile?: ResourceRecord;
  application?: ResourceRecord;
  deploymentGroup?: ResourceRecord;
  instances?: Record<string, InstanceRecord>;
}

export interface AnswersFile {
  schemaVersion: typeof SCHEMA_VERSION;
  answers: DraftAnswers;
  state?: SetupState;
}

/* ---------- flags ---------- */

/** The flags that carry one name each, as validate.ts checks them. */
type NameFlags = Pick<AnswersToCheck, 'region' | 'app' | 'group' | 'serviceRole' | 'instanceRole' | 'instanceProfile' | 'bucket' | 'deploymentConfig' | 'targetGroup'>;

/** Setup's own flags as commander hands them over (undefined = not given). */
export interface SetupFlags extends NameFlags {
  /** Each entry may hold several ids separated by commas. */
  instances?: string[];
  asg?: string[];
  /** KEY=VALUE or KEY (any value); all --tag form one group (OR). */
  tag?: string[];
  /** KEY=VALUE,KEY=VALUE: each --tag-group is one group; groups are ANDed. */
  tagGroup?: string[];
  /** false only when --no-rollback was given. */
  rollback?: boolean;
  ssm?: boolean;
  replaceProfile?: boolean;
  yes?: boolean;
  answers?: string;
  dryRun?: boolean;
}

const splitList = (values: readonly string[] | undefined): string[] | undefined =>
  values === undefined
    ? undefined
    : [...new Set(values.flatMap((value) => value.split(',')).map((value) => value.trim()).filter((value) => value !== ''))];

export function parseTag(text: string): TargetTag {
  const eq = text.indexOf('=');
  return eq < 0 ? { key: text.trim() } : { key: text.slice(0, eq).trim(), value: text.slice(eq + 1) };
}

/** Flags → draft answers, plus every problem in how they were written (not yet the name rules). */
export function draftFromFlags(flags: SetupFlags): { draft: DraftAnswers; problems: Problem[] } {
  const problems: Problem[] = [];
  const draft: DraftAnswers = {};
  const strings = ['region', 'app', 'group', 'serviceRole', 'instanceRole', 'instanceProfile', 'bucket', 'targetGroup'] as const;
  for (const key of strings) {
    const value = flags[key];
    if (value !== undefined) draft[key] = value.trim();
  }
  const instances = splitList(flags.instances);
  if (instances !== undefined) draft.instances = instances;
  const asg = splitList(flags.asg);
  if (asg !== undefined) draft.asg = asg;
  if (flags.tag !== undefined && flags.tagGroup !== undefined) {
    problems.push({ field: 'tagGroups', flag: '--tag', message: 'Use either --tag (one group: any tag matches) or --tag-group (several groups, all must match), not both.' });
  } else if (flags.tag !== undefined) {
    draft.tagGroups = [flags.tag.map(parseTag)];
  } else if (flags.tagGroup !== undefined) {
    draft.tagGroups = flags.tagGroup.map((group) => group.split(',').filter((part) => part.trim() !== '').map(parseTag));
  }
  if (flags.deploymentConfig !== undefined) {
    const config = normaliseDeploymentConfig(flags.deploymentConfig);
    if (config === undefined) {
      problems.push({ field: 'deploymentConfig', flag: '--deployment-config', message: `Deployment config "${flags.deploymentConfig}" is not one of ${DEPLOYMENT_CONFIGS.join(', ')}.` });
    } else draft.deploymentConfig = config;
  }
  if (flags.rollback !== undefined) draft.rollback = flags.rollback;
  if (flags.ssm !== undefined) draft.ssm = flags.ssm;
  return { draft, problems };
}

/** Flags win over the answers file, field by field. */
export function mergeAnswers(file: DraftAnswers | undefined, flags: DraftAnswers): DraftAnswers {
  return { ...(file ?? {}), ...flags };
}

/** Fills the answers that have a default. Needs app and group for the default instance tag. */
export function withDefaults(draft: DraftAnswers): DraftAnswers {
  const out: DraftAnswers = {
    serviceRole: DEFAULTS.serviceRole,
    instanceRole: DEFAULTS.instanceRole,
    instanceProfile: DEFAULTS.instanceProfile,
    deploymentConfig: DEFAULTS.deploymentConfig,
    rollback: DEFAULTS.rollback,
    ssm: DEFAULTS.ssm,
    instances: [],
    asg: [],
    tagGroups: [],
    ...draft,
  };
  if ((out.tagGroups?.length ?? 0) === 0 && (out.instances?.length ?? 0) > 0 && out.app && out.group) {
    out.tagGroups = [[defaultTargetTag(out.app, out.group)]];
  }
  return out;
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((problem) => `  • ${problem.flag}: ${problem.message}`).join('\n');
}

/**
 * The complete answers, or a UsageError naming every missing flag (non-interactive runs end here instead
 * of waiting for input that will never come) and every answer that breaks a rule.
 */
export function completeAnswers(draft: DraftAnswers): SetupAnswers {
  const full = withDefaults(draft);
  const missing = missingAnswers(full);
  const invalid = validateAnswers(full);
  if (missing.length > 0) {
    const list = missing.map((problem) => `  • ${problem.flag}: ${problem.message}`).join('\n');
    throw new UsageError(
      `Setup needs ${missing.length === 1 ? 'one more answer' : `${missing.length} more answers`} and cannot ask for ${missing.length === 1 ? 'it' : 'them'} here (no terminal, or --no-input):\n${list}`,
      `Give ${missing.length === 1 ? 'it' : 'them'} as flags, or in ${ANSWERS_FILE} (cd-wizard setup --answers FILE). See cd-wizard setup --help.`,
    );
  }
  if (invalid.length > 0) throw invalidAnswersError(invalid);
  if (!full.region) throw new UsageError('No AWS region is set.', 'Give --region.');
  return full as SetupAnswers;
}

export function invalidAnswersError(problems: readonly Problem[], source = 'The answers'): UsageError {
  return new UsageError(`${source} ${problems.length === 1 ? 'have a problem' : `have ${problems.length} problems`}:\n${formatProblems(problems)}`, `Fix ${problems.length === 1 ? 'it' : 'them'} and run again; nothing was changed in AWS.`);
}

/* ---------- the answers file ---------- */

const Tag = z.strictObject({ key: z.string(), value: z.optional(z.string()) });
const Name = z.string();

const AnswersSchema = z.strictObject({
  region: z.optional(Name),
  app: z.optional(Name),
  group: z.optional(Name),
  serviceRole: z.optional(Name),
  instanceRole: z.optional(Name),
  instanceProfile: z.optional(Name),
  bucket: z.optional(Name),
  instances: z.optional(z.array(z.string())),
  asg: z.optional(z.array(z.string())),
  tagGroups: z.optional(z.array(z.array(Tag))),
  deploymentConfig: z.optional(z.string()),
  rollback: z.optional(z.boolean()),
  targetGroup: z.optional(z.string()),
  ssm: z.optional(z.boolean()),
});

const RecordSchema = z.looseObject({ name: z.string(), arn: z.optional(z.string()), id: z.optional(z.string()), status: z.string() });
const StateSchema = z.looseObject({
  account: z.optional(z.string()),
  partition: z.optional(z.string()),
  region: z.optional(z.string()),
  updatedAt: z.optional(z.string()),
  serviceRole: z.optional(RecordSchema),
  instanceRole: z.optional(RecordSchema),
  instanceProfile: z.optional(RecordSchema),
  application: z.optional(RecordSchema),
  deploymentGroup: z.optional(RecordSchema),
  instances: z.optional(z.record(z.string(), z.looseObject({ profile: z.optional(z.string()), profileStatus: z.optional(z.string()) }))),
});

const FileSchema = z.strictObject({
  $schema: z.optional(z.string()),
  schemaVersion: z.literal(SCHEMA_VERSION),
  answers: AnswersSchema,
  state: z.optional(StateSchema),
});

interface Issue {
  code: string;
  path: PropertyKey[];
  expected?: unknown;
  values?: unknown[];
  keys?: string[];
  input?: unknown;
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current = root;
  for (const key of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** A zod issue as a Problem named after the answers field (and its flag). */
function issueToProblem(issue: Issue, root: unknown): Problem {
  const path = issue.path.map(String);
  const where = path.join('.') || '(file)';
  const field = path[0] === 'answers' && path[1] !== undefined ? path[1] : path[0] ?? '';
  const flag = path[0] === 'answers' && field in FLAG_OF ? `"${path.slice(1).join('.')}" (${FLAG_OF[field as AnswerField]})` : `"${where}"`;
  let message: string;
  switch (issue.code) {
    case 'invalid_type':
      message = valueAt(root, issue.path) === undefined ? `is missing; it should be ${String(issue.expected)}.` : `should be ${String(issue.expected)}, not ${describeType(valueAt(root, issue.path))}.`;
      break;
    case 'invalid_value':
      message = `should be ${(issue.values ?? []).map((value) => JSON.stringify(value)).join(' or ')}, not ${JSON.stringify(valueAt(root, issue.path))}.`;
      break;
    case 'unrecognized_keys':
      message = `has unknown field${(issue.keys?.length ?? 0) > 1 ? 's' : ''} ${(issue.keys ?? []).map((key) => `"${key}"`).join(', ')}${path[0] === 'answers' ? ` (known: ${Object.keys(FLAG_OF).join(', ')})` : ''}.`;
      break;
    default:
      message = 'is not valid.';
  }
  return { field, flag, message };
}

/**
 * Checks a parsed answers file: the schema and the name rules, every problem at once.
 * Returns the file, or throws a UserError listing them.
 */
export function parseAnswersFile(data: unknown, path: string): AnswersFile {
  const result = FileSchema.safeParse(data);
  const problems: Problem[] = result.success ? [] : (result.error.issues as unknown as Issue[]).map((issue) => issueToProblem(issue, data));
  const answers = (result.success ? result.data.answers : valueAt(data, ['answers'])) as DraftAnswers | undefined;
  if (answers && typeof answers === 'object') {
    // Rule checks on the fields that have the right type; the schema already named the others.
    const typed: DraftAnswers = {};
    for (const [key, value] of Object.entries(answers)) {
      const single = AnswersSchema.shape[key as keyof typeof AnswersSchema.shape];
      if (single && single.safeParse(value).success) (typed as Record<string, unknown>)[key] = value;
    }
    for (const problem of validateAnswers(typed)) {
      problems.push({ ...problem, flag: `"${problem.field}" (${problem.flag})` });
    }
  }
  if (problems.length > 0) {
    throw new UserError(`${path} ${problems.length === 1 ? 'has a problem' : `has ${problems.length} problems`}:\n${formatProblems(problems)}`, {
      hint: `Fix ${problems.length === 1 ? 'it' : 'them'} in ${path} (or delete the file to start over); nothing was changed in AWS.`,
      exitCode: 2,
    });
  }
  const file = result.success ? result.data : undefined;
  if (!file) throw new UserError(`${path} is not a cd-wizard answers file.`);
  const config = file.answers.deploymentConfig === undefined ? undefined : normaliseDeploymentConfig(file.answers.deploymentConfig);
  const { $schema: _schema, ...rest } = file;
  return {
    ...rest,
    answers: { ...(file.answers as DraftAnswers), ...(config === undefined ? {} : { deploymentConfig: config }) },
    ...(file.state === undefined ? {} : { state: file.state as SetupState }),
  } as AnswersFile;
}

/**
 * Why JSON.parse refused `text`, on one line: V8's message without its repeated "is not valid JSON" and with
 * "at position N" as a line and column (V8 quotes the text around the error, newlines included).
 */
export function describeJsonError(text: string, error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/^JSON\.parse: /, '').replace(/,? ("[\s\S]*"(\.\.\.)?)? ?is not valid JSON$/, '');
  const withPlace = message.replace(/(?: in JSON)? at position (\d+)(?: \(line \d+ column \d+\))?/, (_, position: string) => {
    const before = text.slice(0, Number(position)).split('\n');
    return ` at line ${before.length}, column ${(before.at(-1)?.length ?? 0) + 1}`;
  });
  const oneLine = withPlace.replace(/\r?\n/g, '\\n').trim();
  return oneLine === '' ? 'it cannot be parsed' : oneLine;
}

/**
 * Reads an answers file; undefined when it does not exist and `required` is false. Messages name the file as
 * `shown` (the path as the user gave it) rather than the absolute path.
 */
export function loadAnswersFile(path: string, required: boolean, shown = path): AnswersFile | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !required) return undefined;
    throw new UserError(`Cannot read ${shown}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}.`, {
      hint: code === 'ENOENT' ? `Check the path, or run setup without --answers to create ${ANSWERS_FILE}.` : 'Check the file permissions.',
      exitCode: 2,
    });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${shown} is not valid JSON: ${describeJsonError(text, error)}.`, {
      hint: `Fix the file (or delete it to start over); nothing was changed in AWS.`,
      exitCode: 2,
    });
  }
  return parseAnswersFile(data, shown);
}

const ANSWER_ORDER: ReadonlyArray<keyof SetupAnswers> = [
  'region',
  'app',
  'group',
  'bucket',
  'instances',
  'tagGroups',
  'asg',
  'serviceRole',
  'instanceRole',
  'instanceProfile',
  'deploymentConfig',
  'rollback',
  'targetGroup',
  'ssm',
];

/** The answers in a fixed, readable order for the file (the order people meet them in). */
export function orderAnswers(answers: DraftAnswers): DraftAnswers {
  const out: Record<string, unknown> = {};
  for (const key of ANSWER_ORDER) if (answers[key] !== undefined) out[key] = answers[key];
  return out as DraftAnswers;
}

/** Writes the file atomically (temp file + rename), so an interrupted run never leaves half a file. */
export function saveAnswersFile(path: string, file: AnswersFile): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ ...file, answers: orderAnswers(file.answers) }, null, 2)}\n`, { mode: 0o644 });
  renameSync(temp, path);
}
