import { describe, expect, it } from 'vitest';
import { runFix } from '../../../../src/commands/fix/fix.js';
import { ExitCode, UsageError } from '../../../../src/errors.js';
import type { GlobalOptions } from '../../../../src/context.js';
import { captureContext as capture } from '../../../helpers/context.js';
import { sourceKb } from '../../../helpers/kb.js';

/** A context whose guide is the one built from content/ (no build needed). */
const captureContext = (globals: Partial<GlobalOptions> = {}) => capture(globals, { kb: sourceKb });

describe('cd-wizard fix --list-causes', () => {
  it('lists every cause with what finds it, plain', async () => {
    const ctx = captureContext();
    expect(await runFix(ctx, { listCauses: true })).toBe(ExitCode.Ok);
    const out = ctx.stdout();
    expect(out).toMatch(/^cause +found by +title$/m);
    expect(out).toMatch(/^service-role-missing +text\+check +The deployment group's service role does not exist/m);
    expect(out).toMatch(/^runtime-not-on-path +text +A hook script cannot find/m);
    expect(out).toMatch(/\d+ causes: \d+ found in text \(--message, --log\), \d+ by a setup check against AWS/);
  });

  it('lists them as JSON, one entry per cause article', async () => {
    const ctx = captureContext({ json: true });
    await runFix(ctx, { listCauses: true });
    const { causes } = JSON.parse(ctx.stdout()) as { causes: Array<{ id: string; title: string; detectedBy: string[] }> };
    const kb = sourceKb();
    expect(causes.map((cause) => cause.id)).toEqual(kb.articles.filter((article) => article.causes.includes(article.id)).map((article) => article.id).sort());
    expect(causes.find((cause) => cause.id === 'no-instances')?.detectedBy).toEqual(['text', 'check']);
    expect(causes.every((cause) => cause.detectedBy.length > 0)).toBe(true);
  });

  it('refuses input to diagnose at the same time', async () => {
    await expect(runFix(captureContext(), { listCauses: true, message: 'x' })).rejects.toBeInstanceOf(UsageError);
  });
});

describe('cd-wizard fix explains close calls', () => {
  const TAIL = ['Error code: ScriptFailed', 'Script name: scripts/stop.sh', 'Message: Script at specified location: scripts/stop.sh run as user root failed with exit code 1', 'Log tail: LifecycleEvent - ApplicationStop', 'Script - scripts/stop.sh', '[stderr]Error response from daemon: No such container: web'].join('\n');

  it('names the cause it was chosen over and why, in text', async () => {
    const ctx = captureContext();
    await runFix(ctx, { message: TAIL });
    const out = ctx.stdout();
    expect(out).toContain('[application-stop-failing]');
    expect(out).not.toContain('[script-failed]');
    expect(out).toMatch(/rather than script-failed: the failure happened in ApplicationStop/);
    expect(out).toContain('--ignore-application-stop-failures');
  });

  it('and in JSON', async () => {
    const ctx = captureContext({ json: true });
    await runFix(ctx, { message: TAIL });
    const json = JSON.parse(ctx.stdout()) as { findings: Array<{ cause: string; event?: string; chosenOver?: Array<{ cause: string; because: string }> }> };
    expect(json.findings.map((finding) => finding.cause)).toEqual(['application-stop-failing']);
    expect(json.findings[0]?.event).toBe('ApplicationStop');
    expect(json.findings[0]?.chosenOver?.[0]?.cause).toBe('script-failed');
  });

  it('fills the fix steps from what the script printed', async () => {
    const ctx = captureContext();
    await runFix(ctx, { message: 'LifecycleEvent - AfterInstall\n[stderr]scripts/build.sh: line 4: pm2: command not found\nScript at specified location: scripts/build.sh failed with exit code 127' });
    const out = ctx.stdout();
    expect(out).toContain("The hook's shell cannot find pm2 [runtime-not-on-path]");
    expect(out).toContain('command -v pm2');
  });
});
