/**
 * `cd-wizard init` and `cd-wizard lint` through the BUILT binary (run `npm run build` first; `npm test` does):
 * init then lint for every kind of app, lint on a bundle with each trap, exit codes, --json documents, init's
 * refusal to overwrite, and the questions in a real pseudo-terminal.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RULES } from '../../src/appspec/rules.js';
import { APP_KINDS } from '../../src/scaffold/types.js';
import { CLEAN, TRAP_BUNDLES, type Files } from '../fixtures/lint-traps.js';
import { requireBuild } from './built.js';
import { describeRun, runCli, type CliRun } from './helpers/run-cli.js';
import { spawnCli, type CliSession } from './pty.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'cdw-lint-'));
  dirs.push(dir);
  return dir;
};

function writeBundle(files: Files): string {
  const dir = tempDir();
  for (const [path, spec] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), spec.text);
    chmodSync(join(dir, path), spec.mode);
  }
  return dir;
}

/** Runs jobs at most `limit` at a time (two cores: the binaries should not all start at once). */
async function inBatches<T, R>(items: readonly T[], limit: number, job: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += limit) results.push(...(await Promise.all(items.slice(start, start + limit).map(job))));
  return results;
}

interface LintDocument {
  schemaVersion: number;
  root: string;
  appspec: string | null;
  os: string | null;
  scripts: string[];
  findings: Array<{ rule: string; severity: string; file: string; line: number | null; column: number | null; message: string; fix: string | null; guide: string }>;
  errorCount: number;
  warningCount: number;
  infoCount: number;
}

let cli: CliSession | undefined;
beforeAll(requireBuild);
afterEach(() => {
  cli?.dispose();
  cli = undefined;
});
afterAll(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('init, then lint', () => {
  it('writes files that lint finds clean, for every kind of app', async () => {
    const runs = await inBatches(APP_KINDS, 3, async (kind) => {
      const dir = writeBundle({ 'public/index.html': { text: '<h1>shop</h1>\n', mode: 0o644 } });
      const init = await runCli(['init', '--kind', kind, '--name', 'shop'], { cwd: dir });
      const lint = await runCli(['lint'], { cwd: dir });
      return { kind, dir, init, lint };
    });
    for (const { kind, dir, init, lint } of runs) {
      expect(init.code, `${kind}: ${describeRun(init)}`).toBe(0);
      expect(init.stdout).toContain('✓ cd-wizard lint: no problems');
      expect(lint.code, `${kind}: ${describeRun(lint)}`).toBe(0);
      expect(lint.stdout).toMatch(/^✓ No problems in appspec\.yml and \d hook scripts?\.$/m);
      expect(statSync(join(dir, 'scripts/validate.sh')).mode & 0o777).toBe(0o755);
      expect(readFileSync(join(dir, 'scripts/validate.sh'), 'utf8')).not.toContain('\r');
    }
  });

  it('refuses to overwrite a file that differs, writes nothing, and exits 1', async () => {
    const dir = writeBundle({ 'scripts/start.sh': { text: '#!/bin/bash\nnohup node server.js &\n', mode: 0o755 } });
    const run = await runCli(['init', '--kind', 'node'], { cwd: dir });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toContain('These files exist and differ from what init would write; nothing was written:');
    expect(run.stderr).toContain('• scripts/start.sh');
    expect(existsSync(join(dir, 'appspec.yml'))).toBe(false);
    expect(readFileSync(join(dir, 'scripts/start.sh'), 'utf8')).toContain('nohup node server.js &');
    const forced = await runCli(['init', '--kind', 'node', '--force'], { cwd: dir });
    expect(forced.code, describeRun(forced)).toBe(0);
    expect(readFileSync(join(dir, 'scripts/start.sh'), 'utf8')).toContain('systemctl restart');
  });

  it('without --kind and without a terminal, names the flag and exits 2', async () => {
    const run = await runCli(['init'], { cwd: writeBundle({ 'package.json': { text: '{}', mode: 0o644 } }) });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('init needs --kind');
    expect(run.stderr).toContain('--kind node');
  });

  it('--json documents: init lists the files and the lint report; --dry-run writes nothing', async () => {
    const dir = tempDir();
    const dry = await runCli(['init', '--kind', 'java', '--dry-run', '--json'], { cwd: dir });
    expect(JSON.parse(dry.stdout)).toMatchObject({ dryRun: true, kind: 'java', files: expect.arrayContaining([{ path: 'scripts/start.sh', mode: '0755', role: 'script', status: 'would-create' }]) });
    expect(existsSync(join(dir, 'appspec.yml'))).toBe(false);
    const run = await runCli(['init', '--kind', 'java', '--json'], { cwd: dir });
    const doc = JSON.parse(run.stdout) as { dryRun: boolean; files: unknown[]; lint: LintDocument; nextSteps: string[] };
    expect(Object.keys(doc)).toEqual(['dryRun', 'kind', 'name', 'files', 'lint', 'nextSteps']);
    expect(doc.lint.errorCount).toBe(0);
    expect(doc.files).toHaveLength(7);
  });
});

// Five bundles carry every trap (test/fixtures/lint-traps.ts): each rule fires exactly once in its bundle.
describe('lint on bundles with the traps', () => {
  for (const bundle of TRAP_BUNDLES) {
    it(`${bundle.name}: ${bundle.rules.length === 1 ? bundle.rules[0] : `${bundle.rules.length} rules`}, each once`, async () => {
      const run = await runCli(['lint', '--json'], { cwd: writeBundle(bundle.files) });
      const doc = JSON.parse(run.stdout) as LintDocument;
      expect(doc.findings.map((finding) => finding.rule).sort(), describeRun(run)).toEqual([...bundle.rules].sort());
      expect(run.code).toBe(doc.findings.some((finding) => finding.severity === 'error') ? 1 : 0);
      for (const finding of doc.findings) expect(finding.guide).toBe(RULES.find((rule) => rule.id === finding.rule)?.guide);
    });
  }

  it('between them fire every rule, and the last one exits 0 (warnings and notes only)', async () => {
    expect([...new Set(TRAP_BUNDLES.flatMap((bundle) => bundle.rules))].sort()).toEqual(RULES.map((rule) => rule.id).sort());
    const run = await runCli(['lint'], { cwd: writeBundle(TRAP_BUNDLES.at(-1)?.files ?? {}) });
    expect(run.code, describeRun(run)).toBe(0);
    expect(run.stdout).toContain('! 3 problems (0 errors, 2 warnings, 1 note) in 2 files');
  });
});

describe('lint', () => {
  it('prints path:line:col  severity  message  rule-id grouped per file, within 80 columns', async () => {
    const dir = writeBundle({
      ...CLEAN,
      'appspec.yml': { text: (CLEAN['appspec.yml']?.text ?? '').replace('version: 0.0', 'version: "0.0"'), mode: 0o644 },
      'scripts/start.sh': { text: '#!/bin/bash\ncd /opt/shop\nnohup java -jar app.jar &\n', mode: 0o755 },
    });
    const run = await runCli(['lint', basename(dir)], { cwd: dirname(dir) });
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stdout).toContain(`${basename(dir)}/appspec.yml:1:10  error  version is the text "0.0"`);
    expect(run.stdout).toContain(`${basename(dir)}/scripts/start.sh:3:1  error`);
    expect(run.stdout).toMatch(/script-background-output\n/);
    expect(run.stdout).toContain('✗ 2 problems (2 errors, 0 warnings) in 2 files');
    expect(run.stdout).toMatch(/ {2}script-background-output {2}script-outputs-left-open/);
    for (const line of run.stdout.split('\n')) expect(line.length, line).toBeLessThanOrEqual(80);
  });

  it('--json is a stable document; line and column are null for file-level findings', async () => {
    const run = await runCli(['lint', '--json'], { cwd: writeBundle({ ...CLEAN, 'scripts/start.sh': { text: '#!/bin/bash\nsystemctl restart shop\n', mode: 0o644 } }) });
    const doc = JSON.parse(run.stdout) as LintDocument;
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'root', 'appspec', 'os', 'scripts', 'findings', 'errorCount', 'warningCount', 'infoCount']);
    expect(doc).toMatchObject({ schemaVersion: 1, appspec: 'appspec.yml', os: 'linux', errorCount: 0, warningCount: 1, infoCount: 0 });
    expect(doc.findings).toEqual([
      {
        rule: 'script-not-executable',
        severity: 'warning',
        file: 'scripts/start.sh',
        line: null,
        column: null,
        message: expect.stringContaining('Not executable (mode 644)'),
        fix: 'chmod +x scripts/start.sh && git update-index --chmod=+x scripts/start.sh',
        guide: 'script-not-executable',
      },
    ]);
    expect(run.code).toBe(0);
  });

  it('exits 2 for a folder that does not exist, and accepts the path of an appspec.yml', async () => {
    const missing = await runCli(['lint', join(tempDir(), 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    const dir = writeBundle(CLEAN);
    const byFile: CliRun = await runCli(['lint', join(dir, 'appspec.yml')]);
    expect(byFile.code, describeRun(byFile)).toBe(0);
    const unknownFlag = await runCli(['lint', '--frobnicate']);
    expect(unknownFlag.code).toBe(2);
  });

  it('--rules lists every rule with its guide article', async () => {
    const run = await runCli(['lint', '--rules', '--json']);
    const rules = JSON.parse(run.stdout) as Array<{ id: string; guide: string }>;
    expect(rules.map((rule) => rule.id)).toEqual(RULES.map((rule) => rule.id));
  });
});

describe('init on a terminal', () => {
  it('asks the kind (defaulting to the detected one) and the rest with defaults, then writes and lints', async () => {
    const dir = writeBundle({ 'package.json': { text: '{"name":"shop","scripts":{"start":"node server.js"}}', mode: 0o644 } });
    cli = spawnCli(['init'], { cwd: dir, cols: 100, rows: 30 });
    await cli.waitFor('What kind of app is it?');
    expect(cli.screen()).toContain('This folder looks like node (package.json).');
    await cli.press('enter');
    await cli.waitFor('Also write a GitHub Actions workflow');
    await cli.press('enter');
    for (const question of ['Name of the app', 'Port the app answers on', 'Folder on the instance', 'Linux user the service runs as', 'Command that starts the app']) {
      await cli.waitFor(question);
      await cli.press('enter');
    }
    await cli.waitFor('cd-wizard lint: no problems');
    expect((await cli.exited()).exitCode).toBe(0);
    expect(readFileSync(join(dir, 'deploy/shop.service'), 'utf8')).toContain('ExecStart=/bin/sh -c "exec npm start"');
  });
});
