import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { runExport, type ExportFlags } from '../../../../src/commands/export/export.js';
import { UsageError, UserError } from '../../../../src/errors.js';
import { captureContext } from '../../../helpers/context.js';
import { createFakeAws, emptyState } from '../../../helpers/fake-ports.js';

const ANSWERS = { schemaVersion: 1, answers: { region: 'eu-west-1', app: 'web', group: 'prod', bucket: 'my-revisions', tagGroups: [[{ key: 'Env', value: 'prod' }]] } };

function folder(answers: unknown = ANSWERS): string {
  // null: no answers file at all.
  const dir = mkdtempSync(join(tmpdir(), 'cdw-export-'));
  if (answers !== null) writeFileSync(join(dir, 'cd-wizard.json'), JSON.stringify(answers));
  return dir;
}

async function exportIn(dir: string, flags: ExportFlags, json = false) {
  const aws = createFakeAws(emptyState());
  const ctx = captureContext({ ...(json ? { json: true } : {}) }, { ports: aws.ports, cwd: dir, env: {} });
  const code = await runExport(ctx, flags);
  return { code, stdout: ctx.stdout(), stderr: ctx.stderr(), calls: aws.calls };
}

describe('cd-wizard export', () => {
  it('prints the template on stdout, offline (no AWS call without Auto Scaling groups)', async () => {
    const run = await exportIn(folder(), { format: 'cloudformation' });
    expect(run.code).toBe(0);
    const template = parseYaml(run.stdout) as { Parameters: Record<string, { Default: string }> };
    expect(template.Parameters.ApplicationName?.Default).toBe('web');
    expect(run.calls).toEqual([]);
  });

  it('writes --out, and does not overwrite it without --force', async () => {
    const dir = folder();
    const first = await exportIn(dir, { format: 'terraform', out: 'codedeploy.tf' });
    expect(first.stdout).toContain('✓ Wrote the Terraform configuration for web/prod to codedeploy.tf.');
    expect(readFileSync(join(dir, 'codedeploy.tf'), 'utf8')).toContain('resource "aws_codedeploy_deployment_group" "group"');
    writeFileSync(join(dir, 'codedeploy.tf'), 'mine');
    await expect(exportIn(dir, { format: 'terraform', out: 'codedeploy.tf' })).rejects.toThrow(UsageError);
    await expect(exportIn(dir, { format: 'terraform', out: 'codedeploy.tf' })).rejects.toThrow('codedeploy.tf exists; export does not overwrite it without --force.');
    expect(readFileSync(join(dir, 'codedeploy.tf'), 'utf8')).toBe('mine');
    await exportIn(dir, { format: 'terraform', out: 'codedeploy.tf', force: true });
    expect(readFileSync(join(dir, 'codedeploy.tf'), 'utf8')).not.toBe('mine');
  });

  it('under --json, one document with the template', async () => {
    const run = await exportIn(folder(), { format: 'terraform' }, true);
    const document = JSON.parse(run.stdout) as { format: string; template: string };
    expect(document.format).toBe('terraform');
    expect(document.template).toContain('data "aws_iam_policy_document" "instance_revision_read"');
  });

  it('needs an answers file, and a complete one', async () => {
    await expect(exportIn(folder(null), { format: 'terraform' })).rejects.toThrow(UserError);
    await expect(exportIn(folder(null), { format: 'terraform' })).rejects.toThrow('There is no cd-wizard.json here: export writes what setup manages for the answers in it.');
    const partial = folder({ schemaVersion: 1, answers: { region: 'eu-west-1', app: 'web' } });
    await expect(exportIn(partial, { format: 'terraform' })).rejects.toThrow(/cd-wizard.json does not have everything export needs:\n {2}• --group/);
  });
});
