import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { lintBundle, memoryBundle } from '../../../src/appspec/lint.js';
import { detect, suggestName } from '../../../src/scaffold/detect.js';
import { systemdExecArgument } from '../../../src/scaffold/files.js';
import { scaffold } from '../../../src/scaffold/scaffold.js';
import { shellQuote } from '../../../src/scaffold/scripts.js';
import { APP_KINDS, kindDefaults, type AppKind, type ScaffoldAnswers } from '../../../src/scaffold/types.js';
import { checkDestination } from '../../../src/scaffold/validate.js';

const WORKFLOW = { region: 'eu-west-1', application: 'shop', deploymentGroup: 'prod', bucket: 'shop-revisions', roleArn: 'arn:aws:iam::123456789012:role/GitHubDeployShop', branch: 'main' };

function answersFor(kind: AppKind, extra: Partial<ScaffoldAnswers> = {}): ScaffoldAnswers {
  return {
    kind,
    name: 'shop',
    healthPath: '/health',
    version: '1.2.3',
    ...kindDefaults(kind, 'shop'),
    ...(kind === 'static' ? { source: 'public' } : {}),
    ...(kind === 'docker-compose' ? { composeFile: 'compose.yaml' } : {}),
    ...extra,
  };
}

/** The scaffold as the bundle it becomes, with the app's own files beside it. */
function bundleOf(answers: ScaffoldAnswers) {
  const files = scaffold(answers);
  return { files, bundle: memoryBundle({ ...Object.fromEntries(files.map((file) => [file.path, { text: file.content, mode: file.mode }])), 'public/index.html': '<h1>shop</h1>' }) };
}

describe('init scaffolds', () => {
  for (const kind of APP_KINDS) {
    for (const withWorkflow of [false, true]) {
      it(`${kind}${withWorkflow ? ' with the workflow' : ''}: lint finds nothing`, () => {
        const { bundle } = bundleOf(answersFor(kind, withWorkflow ? { workflow: WORKFLOW } : {}));
        const report = lintBundle(bundle, '/bundle');
        expect(report.findings).toEqual([]);
        expect(report.scripts.length).toBeGreaterThan(0);
      });
    }

    it(`${kind}: LF-only scripts with mode 0755, a #! line, and a timeout on every hook`, () => {
      const { files } = bundleOf(answersFor(kind));
      const scripts = files.filter((file) => file.role === 'script');
      for (const script of scripts) {
        expect(script.mode, script.path).toBe(0o755);
        expect(script.content, script.path).not.toContain('\r');
        expect(script.content.startsWith('#!/bin/bash\n'), script.path).toBe(true);
      }
      const appspec = parse(files.find((file) => file.path === 'appspec.yml')?.content ?? '') as { hooks: Record<string, Array<{ location: string; timeout: number }>> };
      const entries = Object.values(appspec.hooks).flat();
      expect(entries.map((entry) => entry.location).sort()).toEqual(scripts.map((script) => script.path).sort());
      for (const entry of entries) expect(entry.timeout).toBeGreaterThan(0);
      expect(appspec.hooks.ValidateService?.[0]?.location).toBe('scripts/validate.sh');
      expect(files.find((file) => file.path === 'scripts/validate.sh')?.content).toContain(`http://127.0.0.1:${kindDefaults(kind, 'shop').port}/health`);
    });
  }

  it('services: the start hook uses systemd, the stop hook succeeds when there is nothing to stop', () => {
    const { files } = bundleOf(answersFor('node'));
    const start = files.find((file) => file.path === 'scripts/start.sh')?.content ?? '';
    const stop = files.find((file) => file.path === 'scripts/stop.sh')?.content ?? '';
    expect(start).toContain('systemctl restart "$SERVICE.service"');
    expect(start).not.toMatch(/&\s*$/m);
    expect(stop).toContain('if systemctl cat "$SERVICE.service"');
    expect(stop).toContain('nothing to stop');
    const unit = files.find((file) => file.path === 'deploy/shop.service')?.content ?? '';
    expect(unit).toContain('User=shop');
    expect(unit).toContain('ExecStart=/bin/sh -c "exec npm start"');
  });

  it('docker compose: detached, and no ApplicationStop to fail later deployments', () => {
    const { files } = bundleOf(answersFor('docker-compose'));
    expect(files.find((file) => file.path === 'scripts/start.sh')?.content).toContain('compose up --detach');
    expect(files.map((file) => file.path)).not.toContain('scripts/stop.sh');
  });

  it('static: copies only the site folder into the document root, readable by the web server', () => {
    const appspec = parse(bundleOf(answersFor('static', { source: 'dist' })).files[0]?.content ?? '') as { files: unknown; permissions: Array<{ mode: number }> };
    expect(appspec.files).toEqual([{ source: 'dist', destination: '/var/www/html' }]);
    expect(appspec.permissions.map((entry) => entry.mode)).toEqual([755, 644]);
  });

  it('the workflow uses OIDC (no access keys), pushes per commit and waits with cd-wizard fix', () => {
    const { files } = bundleOf(answersFor('java', { workflow: WORKFLOW }));
    const text = files.find((file) => file.path === '.github/workflows/codedeploy.yml')?.content ?? '';
    const workflow = parse(text) as { permissions: Record<string, string>; env: Record<string, string>; jobs: { deploy: { steps: Array<{ uses?: string; with?: Record<string, string>; run?: string }> } } };
    expect(workflow.permissions).toEqual({ 'id-token': 'write', contents: 'read' });
    expect(workflow.env).toEqual({ AWS_REGION: 'eu-west-1', APPLICATION: 'shop', DEPLOYMENT_GROUP: 'prod', BUCKET: 'shop-revisions' });
    const steps = workflow.jobs.deploy.steps;
    expect(steps.find((step) => step.uses?.startsWith('aws-actions/configure-aws-credentials'))?.with?.['role-to-assume']).toBe(WORKFLOW.roleArn);
    expect(steps.some((step) => step.run?.includes('aws deploy push'))).toBe(true);
    expect(steps.some((step) => step.run?.includes('aws deploy create-deployment'))).toBe(true);
    expect(steps.at(-1)?.run).toContain('npx --yes cd-wizard@1.2.3 fix --wait --deployment');
    expect(text).not.toMatch(/aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|secrets\./);
  });

  it('quotes values for the shell and escapes start commands for systemd', () => {
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(systemdExecArgument('node server.js --port=$PORT "x" 100%')).toBe('node server.js --port=$$PORT \\"x\\" 100%%');
    const { bundle } = bundleOf(answersFor('python', { startCommand: 'gunicorn --bind 0.0.0.0:$PORT app:app' }));
    expect(lintBundle(bundle, '/b').findings).toEqual([]);
  });

  it('refuses system folders as the destination', () => {
    for (const path of ['/', '/etc', '/usr/', '/var/www', 'opt/shop', '/opt/my app']) expect(checkDestination(path), path).toBeDefined();
    for (const path of ['/opt/shop', '/var/www/html', '/home/ubuntu/deploy']) expect(checkDestination(path), path).toBeUndefined();
  });
});

describe('detect', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'cdw-detect-'));
    dirs.push(dir);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  };

  it('guesses the kind, the name and the start command from the folder', () => {
    expect(detect(folder({ 'package.json': '{"name":"@acme/Shop API","main":"srv.js"}' }))).toMatchObject({ kind: 'node', evidence: 'package.json', name: 'shop-api', startCommands: { node: 'node srv.js' } });
    expect(detect(folder({ 'pom.xml': '<project/>', 'shop.jar': '' }))).toMatchObject({ kind: 'java', startCommands: { java: 'java -jar shop.jar' } });
    expect(detect(folder({ 'requirements.txt': 'flask', 'main.py': '' }))).toMatchObject({ kind: 'python', startCommands: { python: 'python3 main.py' } });
    expect(detect(folder({ 'docker-compose.yml': 'services: {}', 'package.json': '{}' }))).toMatchObject({ kind: 'docker-compose', composeFile: 'docker-compose.yml' });
    expect(detect(folder({ 'dist/index.html': '<h1/>' }))).toMatchObject({ kind: 'static', staticSource: 'dist' });
    expect(detect(folder({ 'README.md': '' }))).toMatchObject({ kind: undefined, branch: 'main' });
  });

  it('reads the current branch, also in a worktree', () => {
    expect(detect(folder({ '.git/HEAD': 'ref: refs/heads/release/2\n' })).branch).toBe('release/2');
    const main = folder({ 'gitdir/HEAD': 'ref: refs/heads/prod\n' });
    expect(detect(folder({ '.git': `gitdir: ${join(main, 'gitdir')}\n` })).branch).toBe('prod');
  });

  it('suggests names usable for a service and a user', () => {
    expect(suggestName('@scope/My App!')).toBe('my-app');
    expect(suggestName('2048')).toBe('app-2048');
    expect(suggestName('___')).toBe('app');
    expect(suggestName('')).toBe('app');
  });
});
