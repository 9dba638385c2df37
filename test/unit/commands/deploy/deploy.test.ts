import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { AwsPorts, UploadInput } from '../../../../src/aws/ports/index.js';
import { runDeploy } from '../../../../src/commands/deploy/deploy.js';
import { createContext } from '../../../../src/context.js';
import { UsageError } from '../../../../src/errors.js';
import type { Terminal } from '../../../../src/io/terminal.js';

let dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

/** A bundle folder with a clean AppSpec, and (unless `answers` is false) setup's cd-wizard.json. */
function folder(answers = true): string {
  const dir = mkdtempSync(join(tmpdir(), 'cdw-deploy-unit-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'appspec.yml'), 'version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /var/www/html\n');
  mkdirSync(join(dir, 'site'));
  writeFileSync(join(dir, 'site', 'index.html'), '<h1>hi</h1>\n');
  if (answers) writeFileSync(join(dir, 'cd-wizard.json'), JSON.stringify({ schemaVersion: 1, answers: { region: 'us-east-1', app: 'shop', group: 'prod', bucket: 'shop-revisions' } }));
  return dir;
}

/** The real context over captured pipes, with SIGINT on demand and exits recorded. */
function context(cwd: string, ports: AwsPorts) {
  let err = '';
  let out = '';
  const sink = (append: (text: string) => void) => {
    const stream = new PassThrough();
    stream.setEncoding('utf8').on('data', (chunk: string) => append(chunk));
    return stream as unknown as NodeJS.WriteStream;
  };
  const term: Terminal = { stdout: sink((t) => (out += t)), stderr: sink((t) => (err += t)), stdin: new PassThrough() as unknown as NodeJS.ReadStream, isTty: false, canPrompt: false, color: false, columns: 80, rows: 24 };
  let sigint: (() => void) | undefined;
  const exits: number[] = [];
  const ctx = createContext(
    { json: false, input: false, color: false },
    { env: { AWS_REGION: 'us-east-1' }, cwd, term, ports: () => ports, runtime: { onSigint: (listener) => ((sigint = listener), () => (sigint = undefined)), exit: (code) => exits.push(code), now: () => Date.now() } },
  );
  return { ctx, stderr: () => err, stdout: () => out, sigint: () => sigint?.(), exits };
}

function ports(overrides: { upload?: (input: UploadInput) => Promise<never> } = {}) {
  const calls: string[] = [];
  const value = {
    codeDeploy: { getDeploymentGroup: async () => (calls.push('GetDeploymentGroup'), { name: 'prod' }) },
    s3: { bucketLocation: async () => (calls.push('HeadBucket'), { status: 'found', region: 'us-east-1' }) },
    revisions: {
      upload: overrides.upload ?? (async () => ({ bucket: 'shop-revisions', key: 'k', eTag: 'e' })),
      register: async () => void calls.push('RegisterApplicationRevision'),
    },
    deployments: { createDeployment: async () => (calls.push('CreateDeployment'), 'd-ABCDEFGHI') },
  } as unknown as AwsPorts;
  return { ports: value, calls };
}

describe('deploy', () => {
  it('Ctrl-C while uploading aborts the upload: nothing registered or deployed, exit 130', async () => {
    const dir = folder();
    const fake = ports({
      upload: (input) =>
        new Promise<never>((_resolve, reject) => {
          input.signal?.addEventListener('abort', () => reject(new Error('Request aborted')));
          input.body.resume();
          run.sigint();
        }),
    });
    const run = context(dir, fake.ports);
    const code = await runDeploy(run.ctx, undefined, {});
    expect(code).toBe(130);
    expect(run.stderr()).toContain('Interrupted.\n  Done: The upload was stopped; nothing was deployed.');
    expect(fake.calls).toEqual(['GetDeploymentGroup', 'HeadBucket']);
    expect(run.exits).toEqual([]);
  });

  it('--no-wait: registers the revision, creates the deployment, prints its id and how to follow it', async () => {
    const dir = folder();
    const fake = ports();
    const run = context(dir, fake.ports);
    expect(await runDeploy(run.ctx, undefined, { wait: false })).toBe(0);
    expect(fake.calls).toEqual(['GetDeploymentGroup', 'HeadBucket', 'RegisterApplicationRevision', 'CreateDeployment']);
    expect(run.stdout()).toBe('Deployment d-ABCDEFGHI started (shop/prod).\nFollow it: cd-wizard fix --wait --deployment d-ABCDEFGHI\n');
  });

  it('says which of app, group and bucket is missing, and checks the options, before anything else', async () => {
    const dir = folder(false);
    const fake = ports();
    const run = context(dir, fake.ports);
    const missing = await runDeploy(run.ctx, undefined, { app: 'shop' }).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(UsageError);
    expect((missing as UsageError).message).toBe('Which group, bucket? There is no cd-wizard.json here.');
    expect((missing as UsageError).hint).toContain('Give --group --bucket, or run cd-wizard setup first');
    const bad = await runDeploy(run.ctx, undefined, { app: 'shop', group: 'prod', bucket: 'shop-revisions', fileExistsBehavior: 'replace' }).catch((error: unknown) => error);
    expect((bad as UsageError).message).toBe('--file-exists-behavior "replace" is not one of DISALLOW, OVERWRITE, RETAIN.');
    expect(fake.calls).toEqual([]);
  });

  it('a bucket in another region than the group stops it before the upload', async () => {
    const dir = folder();
    const fake = ports({ upload: () => Promise.reject(new Error('must not upload')) });
    fake.ports.s3.bucketLocation = async () => ({ status: 'found', region: 'eu-west-1' });
    const run = context(dir, fake.ports);
    const error = await runDeploy(run.ctx, undefined, {}).catch((e: unknown) => e);
    expect(String(error)).toContain('The revision bucket shop-revisions is in eu-west-1, but the deployment group is in us-east-1; nothing was uploaded.');
  });
});
