import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFix, searchTermsFrom } from '../../../../src/commands/fix/fix.js';
import { ExitCode, UsageError, UserError } from '../../../../src/errors.js';
import { captureContext as capture } from '../../../helpers/context.js';
import { sourceKb } from '../../../helpers/kb.js';
import type { GlobalOptions } from '../../../../src/context.js';

/** A context whose guide is the one built from content/ (no build needed). */
const captureContext = (globals: Partial<GlobalOptions> = {}, stdin?: string, cwd?: string) =>
  capture(globals, { kb: sourceKb, ...(stdin === undefined ? {} : { stdin }), ...(cwd === undefined ? {} : { cwd }) });

const MISSING_CREDENTIALS =
  '2024-09-10T18:01:58 ERROR [codedeploy-agent(33869)]: InstanceAgent::Plugins::CodeDeployPlugin::CommandPoller: Missing credentials - please check if this instance was started with an IAM instance profile';

describe('cd-wizard fix (offline)', () => {
  it('prints a checklist: ✗ title [cause], the evidence line, numbered steps with commands, and the guide command', async () => {
    const ctx = captureContext();
    expect(await runFix(ctx, { message: MISSING_CREDENTIALS })).toBe(ExitCode.Ok);
    const out = ctx.stdout();
    expect(out).toMatch(/✗ .+ \[agent-missing-credentials\]/);
    expect(out).toContain('line 1 │ 2024-09-10T18:01:58 ERROR');
    expect(out).toMatch(/^ {4}1\. /m);
    expect(out).toContain('aws ec2 associate-iam-instance-profile');
    expect(out).toContain('cd-wizard guide --show agent-missing-credentials');
  });

  it('prints the documented JSON shape with --json', async () => {
    const ctx = captureContext({ json: true });
    await runFix(ctx, { message: MISSING_CREDENTIALS });
    const json = JSON.parse(ctx.stdout()) as { recognised: boolean; findings: Array<Record<string, unknown>> };
    expect(json.recognised).toBe(true);
    expect(json.findings[0]).toMatchObject({
      cause: 'agent-missing-credentials',
      severity: 'error',
      guide: 'agent-missing-credentials',
      evidence: [MISSING_CREDENTIALS],
    });
    expect(Object.keys(json.findings[0] ?? {})).toEqual(expect.arrayContaining(['cause', 'title', 'severity', 'evidence', 'fix', 'guide']));
  });

  it('reads a log file and standard input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cdw-fix-'));
    const file = join(dir, 'agent.log');
    writeFileSync(file, `noise\n${MISSING_CREDENTIALS}\nmore noise\n`);
    const fromFile = captureContext({ json: true });
    await runFix(fromFile, { log: file });
    expect(JSON.parse(fromFile.stdout()).findings[0].cause).toBe('agent-missing-credentials');

    const fromStdin = captureContext({ json: true }, `${MISSING_CREDENTIALS}\n`);
    await runFix(fromStdin, { log: '-' });
    expect(JSON.parse(fromStdin.stdout()).findings[0].cause).toBe('agent-missing-credentials');
  });

  it('says nothing was recognised and still exits 0 for text that is not a CodeDeploy failure', async () => {
    const ctx = captureContext({ json: true });
    expect(await runFix(ctx, { message: 'npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree' })).toBe(ExitCode.Ok);
    const json = JSON.parse(ctx.stdout()) as { recognised: boolean; findings: unknown[]; suggestions: unknown[] };
    expect(json.recognised).toBe(false);
    expect(json.findings).toEqual([]);
    expect(Array.isArray(json.suggestions)).toBe(true);
  });

  it('masks access keys in the evidence it echoes back, and account ids with --redact-account', async () => {
    const line = `${MISSING_CREDENTIALS} key=AKIAIOSFODNN7EXAMPLE arn:aws:iam::539239817397:role/x`;
    const ctx = captureContext({ json: true });
    await runFix(ctx, { message: line, redactAccount: true });
    const out = ctx.stdout();
    expect(out).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(out).not.toContain('539239817397');
    expect(out).toContain('AKIA************MPLE');
  });

  it('rejects missing or conflicting input as a usage error, and an unreadable file as a failure', async () => {
    // Without --message/--log, fix goes to AWS; with no deployment named and no terminal to pick one, it says which flags to give.
    const noTarget = runFix(captureContext({ region: 'eu-west-1' }, undefined, mkdtempSync(join(tmpdir(), 'cdw-fix-'))), {});
    await expect(noTarget).rejects.toBeInstanceOf(UsageError);
    await expect(noTarget).rejects.toMatchObject({ message: expect.stringContaining('Give --app and --group') });
    await expect(runFix(captureContext(), { message: 'x', app: 'web' })).rejects.toMatchObject({ message: '--app works against AWS, not with --message/--log.' });
    await expect(runFix(captureContext(), { message: 'x', log: 'y' })).rejects.toBeInstanceOf(UsageError);
    const missing = runFix(captureContext(), { log: '/nonexistent/agent.log' });
    await expect(missing).rejects.toBeInstanceOf(UserError);
    await expect(missing).rejects.toMatchObject({ exitCode: ExitCode.Failure, message: expect.stringContaining('no such file') });
  });
});

describe('cd-wizard fix --log: every read is bounded', () => {
  it('reads the end of a file larger than the bound, where the latest failure is, and says so', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'cdw-fix-')), 'agent.log');
    const text = `${'an old line of the agent log\n'.repeat(100)}${MISSING_CREDENTIALS}\n`;
    writeFileSync(file, text);
    const ctx = captureContext();
    await runFix(ctx, { log: file, maxLogBytes: 1024 });
    expect(ctx.stdout()).toContain('[agent-missing-credentials]');
    expect(ctx.stderr()).toContain(`${file} is ${Buffer.byteLength(text)} bytes; reading its last 1024 bytes, where the latest failure is.`);
  });

  it('stops an endless stream at the bound (/dev/zero, a pipe) and says so', async () => {
    const zero = captureContext();
    await runFix(zero, { log: '/dev/zero', maxLogBytes: 1024 * 1024 });
    expect(zero.stderr()).toContain('Stopped reading /dev/zero after 1 MiB; the diagnosis covers what was read.');

    const piped = captureContext({}, `${MISSING_CREDENTIALS}\n${'x'.repeat(5000)}`);
    await runFix(piped, { log: '-', maxLogBytes: 1000 });
    expect(piped.stdout()).toContain('[agent-missing-credentials]');
    expect(piped.stderr()).toContain('Stopped reading standard input after 1000 bytes');
  });

  it('reads everything up to the bound without a word', async () => {
    const ctx = captureContext({}, `${MISSING_CREDENTIALS}\n`);
    await runFix(ctx, { log: '-', maxLogBytes: MISSING_CREDENTIALS.length + 1 });
    expect(ctx.stderr()).toBe('');
  });
});

describe('searchTermsFrom', () => {
  it('takes words from error lines and drops numbers, ids and log levels', () => {
    expect(searchTermsFrom('INFO all good\n2024-01-01 ERROR deployment d-ABC123 failed: permission denied')).toBe('deployment failed permission denied');
  });
});
