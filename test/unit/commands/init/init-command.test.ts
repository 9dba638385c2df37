import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { InitQuestionId } from '../../../../src/commands/init/ask.js';
import { runInit, type InitFlags } from '../../../../src/commands/init/init.js';
import { ExitCode, UsageError, UserError } from '../../../../src/errors.js';
import { PromptCancelledError, type Prompter } from '../../../../src/prompt/prompter.js';
import { captureContext } from '../../../helpers/context.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
function folder(files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'cdw-init-'));
  dirs.push(dir);
  for (const [path, text] of Object.entries(files)) writeFileSync(join(dir, path), text);
  return dir;
}

interface Asked {
  id: InitQuestionId;
  message: string;
  flag?: string;
  default?: unknown;
  // Input questions validate a string; the other kinds are not validated here.
  validate?: ((value: never) => string | undefined) | undefined;
}

/** Answers by question id (the default when not given; 'cancel' is Ctrl-C). Checks answers with the question's own validate. */
function prompter(answers: Partial<Record<InitQuestionId, unknown>>): Prompter<InitQuestionId> & { asked: Asked[] } {
  const asked: Asked[] = [];
  const answer = async (question: Asked) => {
    asked.push(question);
    const given = answers[question.id];
    if (given === 'cancel') throw new PromptCancelledError(question.id);
    const value = question.id in answers ? given : question.default;
    const problem = typeof value === 'string' ? (question.validate as ((text: string) => string | undefined) | undefined)?.(value) : undefined;
    if (problem !== undefined) throw new Error(`${question.id}: ${problem}`);
    return value as never;
  };
  return { asked, input: answer, select: answer, multiSelect: answer, confirm: answer };
}

async function init(dir: string, flags: InitFlags, options: { answers?: Partial<Record<InitQuestionId, unknown>>; json?: boolean; answersFile?: string } = {}) {
  const ctx = captureContext({ json: options.json ?? false, ...(options.answersFile ? { answers: options.answersFile } : {}) }, { cwd: dir });
  const ask = options.answers === undefined ? undefined : prompter(options.answers);
  const code = await runInit(ctx, flags, ask ? { prompter: ask } : {});
  return { code, stdout: ctx.stdout(), stderr: ctx.stderr(), asked: ask?.asked ?? [] };
}

const failure = async (promise: Promise<unknown>) => promise.then(
  () => {
    throw new Error('expected a failure');
  },
  (error: unknown) => error as UserError,
);

describe('cd-wizard init', () => {
  it('asks the kind first (defaulting to what the folder looks like), then only what is open, in order', async () => {
    const dir = folder({ 'package.json': '{"name":"shop","scripts":{"start":"node server.js"}}' });
    const run = await init(dir, { port: '4000' }, { answers: { user: 'web' } });
    expect(run.code).toBe(ExitCode.Ok);
    expect(run.asked.map((question) => question.id)).toEqual(['kind', 'github-actions', 'name', 'destination', 'user', 'startCommand']);
    expect(run.asked[0]?.default).toBe('node');
    expect(run.asked.every((question) => question.flag?.startsWith('--'))).toBe(true);
    expect(readFileSync(join(dir, 'deploy/shop.service'), 'utf8')).toContain('User=web');
    expect(readFileSync(join(dir, 'scripts/validate.sh'), 'utf8')).toContain("readonly URL='http://127.0.0.1:4000/'");
    expect(statSync(join(dir, 'scripts/start.sh')).mode & 0o777).toBe(0o755);
    expect(run.stdout).toContain('✓ cd-wizard lint: no problems in appspec.yml and 5 hook scripts.');
  });

  it('without a terminal, needs --kind and names it (with a hint from the folder)', async () => {
    const error = await failure(init(folder({ 'requirements.txt': 'flask\n' }), {}));
    expect(error).toBeInstanceOf(UsageError);
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toContain('init needs --kind');
    expect(error.message).toContain('--kind python');
  });

  it('reports every bad flag at once, before anything is written', async () => {
    const dir = folder();
    const error = await failure(init(dir, { kind: 'rust', port: 'http', destination: '/' }));
    expect(error.exitCode).toBe(ExitCode.Usage);
    expect(error.message).toMatch(/--kind "rust".*\n.*--port "http".*\n.*--destination "\/"/);
    expect(existsSync(join(dir, 'appspec.yml'))).toBe(false);
  });

  it('never overwrites a differing file without a yes: No keeps it, Yes replaces it', async () => {
    const dir = folder({ 'appspec.yml': 'version: 0.0\nos: linux\n# mine\n' });
    const kept = await init(dir, { kind: 'static' }, { answers: { 'github-actions': false } });
    expect(kept.asked.find((question) => question.id === 'overwrite')).toMatchObject({ message: 'Overwrite appspec.yml?', default: false });
    expect(readFileSync(join(dir, 'appspec.yml'), 'utf8')).toContain('# mine');
    expect(kept.stdout).toMatch(/! appspec\.yml\s+0644\s+kept yours/);
    const replaced = await init(dir, { kind: 'static' }, { answers: { 'github-actions': false, overwrite: true } });
    expect(replaced.stdout).toMatch(/~ appspec\.yml\s+0644\s+overwritten/);
    expect(readFileSync(join(dir, 'appspec.yml'), 'utf8')).not.toContain('# mine');
  });

  it('without a terminal, a differing file stops init before it writes anything; --force covers hook scripts only', async () => {
    const dir = folder({ 'appspec.yml': '# mine\n' });
    const error = await failure(init(dir, { kind: 'node' }));
    expect(error.exitCode).toBe(ExitCode.Failure);
    expect(error.message).toContain('nothing was written');
    expect(existsSync(join(dir, 'scripts'))).toBe(false);
    rmSync(join(dir, 'appspec.yml'));
    await init(dir, { kind: 'node' });
    writeFileSync(join(dir, 'scripts/start.sh'), '#!/bin/bash\nnohup node server.js &\n');
    expect((await failure(init(dir, { kind: 'node' }))).hint).toContain('--force overwrites the hook scripts');
    const forced = await init(dir, { kind: 'node', force: true });
    expect(forced.stdout).toMatch(/~ scripts\/start\.sh\s+0755\s+overwritten/);
    expect(forced.stdout).toMatch(/= appspec\.yml\s+0644\s+unchanged/);
  });

  it('Ctrl-C in a question writes nothing and exits 130', async () => {
    const dir = folder();
    const run = await init(dir, {}, { answers: { kind: 'node', 'github-actions': false, port: 'cancel' } });
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('Cancelled; nothing was written.');
    expect(existsSync(join(dir, 'appspec.yml'))).toBe(false);
  });

  it('--dry-run lists what it would do and writes nothing (JSON too)', async () => {
    const dir = folder();
    const text = await init(dir, { kind: 'python', dryRun: true });
    expect(text.stdout).toMatch(/\+ scripts\/start\.sh\s+0755\s+would create/);
    const json = await init(dir, { kind: 'python', dryRun: true }, { json: true });
    const doc = JSON.parse(json.stdout) as { dryRun: boolean; kind: string; files: Array<{ path: string; mode: string; status: string }> };
    expect(doc.dryRun).toBe(true);
    expect(doc.files[0]).toEqual({ path: 'appspec.yml', mode: '0644', role: 'appspec', status: 'would-create' });
    expect(existsSync(join(dir, 'appspec.yml'))).toBe(false);
  });

  it('--json prints the files, the lint report and the next steps', async () => {
    const dir = folder();
    const run = await init(dir, { kind: 'docker-compose' }, { json: true });
    const doc = JSON.parse(run.stdout) as { files: Array<{ path: string; status: string }>; lint: { errorCount: number; findings: unknown[] }; nextSteps: string[] };
    expect(doc.files.map((file) => [file.path, file.status])).toEqual([
      ['appspec.yml', 'created'],
      ['scripts/before-install.sh', 'created'],
      ['scripts/after-install.sh', 'created'],
      ['scripts/start.sh', 'created'],
      ['scripts/validate.sh', 'created'],
    ]);
    expect(doc.lint).toMatchObject({ errorCount: 0, findings: [] });
    expect(doc.nextSteps[1]).toContain('Add compose.yaml to this folder');
    expect(run.stderr).toBe('');
  });

  it('the workflow takes application, group, bucket and region from cd-wizard.json; the role comes from a flag', async () => {
    const setupAnswers = { schemaVersion: 1, answers: { region: 'eu-west-1', app: 'shop', group: 'prod', bucket: 'shop-revisions' } };
    const dir = folder({ 'cd-wizard.json': JSON.stringify(setupAnswers) });
    const missing = await failure(init(dir, { kind: 'node', githubActions: true }));
    expect(missing.exitCode).toBe(ExitCode.Usage);
    expect(missing.message).toContain('--role-arn is needed for the GitHub Actions workflow');
    expect(missing.message).not.toContain('--app');
    await init(dir, { kind: 'node', roleArn: 'arn:aws:iam::123456789012:role/Deploy' });
    const workflow = readFileSync(join(dir, '.github/workflows/codedeploy.yml'), 'utf8');
    expect(workflow).toContain('role-to-assume: arn:aws:iam::123456789012:role/Deploy');
    expect(workflow).toContain('DEPLOYMENT_GROUP: prod');
    expect(workflow).toContain('AWS_REGION: eu-west-1');
  });

  it('reads the answers file named with --answers, and names a broken one before writing anything', async () => {
    const dir = folder({ 'prod.json': JSON.stringify({ schemaVersion: 1, answers: { region: 'eu-west-1', app: 'shop', group: 'prod', bucket: 'shop-revisions' } }) });
    await init(dir, { kind: 'python', roleArn: 'arn:aws:iam::123456789012:role/Deploy' }, { answersFile: 'prod.json' });
    expect(readFileSync(join(dir, '.github/workflows/codedeploy.yml'), 'utf8')).toContain('BUCKET: shop-revisions');
    const broken = folder({ 'cd-wizard.json': '{"schemaVersion": 1, "answers": ' });
    const error = await failure(init(broken, { kind: 'python', githubActions: true }));
    expect(error.message).toContain('cd-wizard.json is not valid JSON');
    expect(existsSync(join(broken, 'appspec.yml'))).toBe(false);
    expect((await init(broken, { kind: 'python' })).code).toBe(ExitCode.Ok);
  });

  it('on a terminal, asks the workflow questions with cd-wizard.json as defaults', async () => {
    const dir = folder({ 'cd-wizard.json': JSON.stringify({ schemaVersion: 1, answers: { app: 'shop', group: 'prod', bucket: 'shop-rev', region: 'us-east-1' }, state: { deployRole: { name: 'Gh', arn: 'arn:aws:iam::123456789012:role/Gh', status: 'created' } } }) });
    const run = await init(dir, { kind: 'static' }, { answers: { 'github-actions': true, branch: 'release' } });
    expect(Object.fromEntries(run.asked.filter((question) => ['app', 'group', 'bucket', 'roleArn', 'region', 'branch'].includes(question.id)).map((question) => [question.id, question.default]))).toEqual({
      app: 'shop',
      group: 'prod',
      bucket: 'shop-rev',
      roleArn: 'arn:aws:iam::123456789012:role/Gh',
      region: 'us-east-1',
      branch: 'main',
    });
    expect(readFileSync(join(dir, '.github/workflows/codedeploy.yml'), 'utf8')).toContain('branches: [release]');
  });
});
