import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import * as z from 'zod/mini';
import { normaliseDeploymentConfig } from '../codedeploy/validate.js';
import { FLAG_OF, validateAnswers, type AnswerField, type Problem } from '../codedeploy/validate.js';
import { formatProblems, type DraftAnswers, type SetupAnswers } from '../codedeploy/answers.js';
import type { SetupState } from '../codedeploy/state.js';
import { UserError } from '../errors.js';

/**
 * The answers file (cd-wizard.json by default, any path with --answers): the user's answers and what cd-wizard
 * made, kept between runs and read by every command. No secrets: no keys, no tokens, not even the profile name
 * (it differs between a laptop and CI). Reads are bounded and every problem is named at once.
 */

export const ANSWERS_FILE = 'cd-wizard.json';
export const SCHEMA_VERSION = 1;
/** An answers file is a few kilobytes; anything past this is not one (and /dev/zero must not fill the memory). */
export const MAX_ANSWERS_FILE_BYTES = 1024 * 1024;

export interface AnswersFile {
  schemaVersion: typeof SCHEMA_VERSION;
  answers: DraftAnswers;
  state?: SetupState;
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
  githubRepo: z.optional(z.string()),
  githubBranch: z.optional(z.string()),
  githubEnvironment: z.optional(z.string()),
  deployRole: z.optional(Name),
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
  bucket: z.optional(RecordSchema),
  application: z.optional(RecordSchema),
  deploymentGroup: z.optional(RecordSchema),
  oidcProvider: z.optional(RecordSchema),
  deployRole: z.optional(RecordSchema),
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

/** Reads at most `limit` + 1 bytes of a regular file or device; undefined when it does not exist. */
export function readBounded(path: string, limit: number): { text: string; tooLarge: boolean } | { error: NodeJS.ErrnoException | 'directory' } {
  let fd: number;
  let owned = true;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    // Standard input that is a socket (a parent process's pipe often is) cannot be opened by name: read fd 0.
    if (!(STDIN_PATHS.has(path) && (error as NodeJS.ErrnoException).code === 'ENXIO')) return { error: error as NodeJS.ErrnoException };
    fd = 0;
    owned = false;
  }
  try {
    if (fstatSync(fd).isDirectory()) return { error: 'directory' };
    const buffer = Buffer.alloc(limit + 1);
    let length = 0;
    for (;;) {
      const read = readSome(fd, buffer, length);
      if (read === 0) break;
      length += read;
      if (length > limit) return { text: '', tooLarge: true };
    }
    return { text: buffer.subarray(0, length).toString('utf8'), tooLarge: false };
  } catch (error) {
    return { error: error as NodeJS.ErrnoException };
  } finally {
    if (owned) closeSync(fd);
  }
}

const STDIN_PATHS = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

/** readSync that waits (briefly, a few ms at a time) while a non-blocking descriptor has nothing yet. */
function readSome(fd: number, buffer: Buffer, offset: number): number {
  for (;;) {
    try {
      return readSync(fd, buffer, offset, buffer.length - offset, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

/**
 * Reads an answers file; undefined when it does not exist and `required` is false. Messages name the file as
 * `shown` (the path as the user gave it) rather than the absolute path.
 */
export function loadAnswersFile(path: string, required: boolean, shown = path): AnswersFile | undefined {
  const read = readBounded(path, MAX_ANSWERS_FILE_BYTES);
  if ('error' in read) {
    if (read.error === 'directory') {
      throw new UserError(`${shown} is a folder, not an answers file.`, { hint: `Give the path of a file, e.g. --answers ${shown.replace(/\/+$/, '')}/${ANSWERS_FILE}.`, exitCode: 2 });
    }
    const code = read.error.code;
    if (code === 'ENOENT' && !required) return undefined;
    throw new UserError(`Cannot read ${shown}: ${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : read.error.message}.`, {
      hint: code === 'ENOENT' ? `Check the path, or run setup without --answers to create ${ANSWERS_FILE}.` : 'Check the file permissions.',
      exitCode: 2,
    });
  }
  if (read.tooLarge) {
    throw new UserError(`${shown} is larger than ${MAX_ANSWERS_FILE_BYTES / 1024 / 1024} MiB, so it is not a cd-wizard answers file (they are a few KB).`, {
      hint: 'Check the path given to --answers.',
      exitCode: 2,
    });
  }
  // Editors on Windows save UTF-8 with a byte-order mark; JSON.parse refuses it.
  const text = read.text.replace(/^\uFEFF/, '');
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
  'githubRepo',
  'githubBranch',
  'githubEnvironment',
  'deployRole',
];

/** The answers in a fixed, readable order for the file (the order people meet them in). */
export function orderAnswers(answers: DraftAnswers): DraftAnswers {
  const out: Record<string, unknown> = {};
  for (const key of ANSWER_ORDER) if (answers[key] !== undefined) out[key] = answers[key];
  return out as DraftAnswers;
}

/** Writes the file atomically (temp file + rename), so an interrupted run never leaves half a file. */
export function saveAnswersFile(path: string, file: AnswersFile): void {
  // Never rename a file over a device, a FIFO or a socket (as root, over /dev/stdin itself).
  const existing = statIfAny(path);
  if (existing !== undefined && !existing.isFile()) throw new UserError(`Cannot save the answers to ${path}: it is not a regular file.`, { hint: 'Give --answers the path of a file.', exitCode: 2 });
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ ...file, answers: orderAnswers(file.answers) }, null, 2)}\n`, { mode: 0o644 });
  renameSync(temp, path);
}

function statIfAny(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}
