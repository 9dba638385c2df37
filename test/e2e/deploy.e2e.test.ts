/**
 * `cd-wizard deploy`, end to end: `init` writes a bundle, then the BUILT binary lints, zips, uploads, registers,
 * deploys and watches against the loopback fake, whose deployments move their targets through the lifecycle events
 * in real time (a second or two). Each case checks what a user or a script sees and the AWS calls made: the zip in
 * S3 with the AppSpec at its root, the ETag registered, the options passed, the diagnosis of a seeded failure, a
 * lint error stopping everything before any upload, NDJSON under --json, and Ctrl-C in a terminal.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { trapOutcome, INSTANCES, BUCKET } from '../fake-aws/scenarios.js';
import { readZip } from '../helpers/zip.js';
import { requireBuild } from './built.js';
import { startDeployWorld, type DeployWorld } from './helpers/deploy-world.js';
import { describeRun } from './helpers/run-cli.js';

beforeAll(requireBuild);

/** The one object deploy uploaded: its key, S3's ETag (unquoted) and the zip's entries. */
async function uploaded(world: DeployWorld) {
  const objects = Object.values(world.aws.state.s3.buckets[BUCKET]?.objects ?? {}).filter((object) => object.key.startsWith('shop/'));
  expect(objects).toHaveLength(1);
  const [object] = objects;
  if (!object) throw new Error('no object');
  return { key: object.key, eTag: object.etag.replaceAll('"', ''), metadata: object.metadata, entries: await readZip(Buffer.from(object.content ?? '', 'base64')) };
}

const calls = (world: DeployWorld) => world.aws.mutatingCalls().map((call) => call.action);

describe.concurrent('cd-wizard deploy', () => {
  it('init, then deploy to a green deployment: live progress, the zip in S3, the ETag registered, the options passed, exit 0', async ({ onTestFinished }) => {
    const world = await startDeployWorld({ durationMs: 1500 });
    onTestFinished(() => world.close());
    const run = await world.run(['--description', 'release 42', '--file-exists-behavior', 'overwrite', '--ignore-application-stop-failures']);
    expect(run.code, describeRun(run)).toBe(0);
    // Progress: lint, bundle, upload, register, then a line per instance as it moves, each end said once.
    expect(run.stderr).toContain('✓ Lint: appspec.yml and 5 hook scripts, no errors.');
    expect(run.stderr).toMatch(/Bundling 7 files \(.+\); 1 left out by the defaults\./);
    expect(run.stderr).toMatch(/Uploading s3:\/\/shop-revisions\/shop\/\d{8}T\d{6}Z-[0-9a-f]{8}\.zip: \d+% of/);
    expect(run.stderr).toMatch(/✓ Uploaded s3:\/\/shop-revisions\/shop\/.+\.zip \(.+ zip of .+\)/);
    expect(run.stderr).toContain('One mark per lifecycle event, in order: ApplicationStop DownloadBundle');
    expect(run.stderr).toMatch(new RegExp(`${INSTANCES[0]} ✓*…·* InProgress \\w+`));
    expect(run.stderr.split('\n').filter((line) => line.includes(`${INSTANCES[0]} ✓✓✓✓✓✓✓`))).toEqual([`✓ ${INSTANCES[0]} ✓✓✓✓✓✓✓ Succeeded`]);
    expect(run.stdout).toMatch(/^✓ d-[A-Z0-9]{9} Succeeded on 2 instances in [\d.]+ s \(s3:\/\/shop-revisions\/shop\/.+\.zip\)\.\n$/);
    // The zip: the AppSpec at its root, hook scripts still executable, cd-wizard.json not in it.
    const object = await uploaded(world);
    const modes = Object.fromEntries(object.entries.map((entry) => [entry.name, entry.mode.toString(8)]));
    expect(modes).toMatchObject({ 'appspec.yml': '644', 'scripts/start.sh': '755', 'scripts/stop.sh': '755' });
    expect(Object.keys(modes)).not.toContain('cd-wizard.json');
    // The PutObject carried the mark teardown looks for (x-amz-meta-managed-by), so teardown may delete it.
    expect(object.metadata).toEqual({ 'managed-by': 'cd-wizard' });
    // RegisterApplicationRevision with the object's ETag, then CreateDeployment with the same revision and the options.
    expect(calls(world)).toEqual(['PutObject', 'RegisterApplicationRevision', 'CreateDeployment']);
    const location = { bucket: BUCKET, key: object.key, bundleType: 'zip', eTag: object.eTag };
    expect(world.aws.callsTo('codedeploy', 'RegisterApplicationRevision')[0]?.params).toMatchObject({ applicationName: 'shop', description: 'release 42', revision: { revisionType: 'S3', s3Location: location } });
    expect(world.aws.callsTo('codedeploy', 'CreateDeployment')[0]?.params).toMatchObject({
      applicationName: 'shop',
      deploymentGroupName: 'prod',
      description: 'release 42',
      fileExistsBehavior: 'OVERWRITE',
      ignoreApplicationStopFailures: true,
      revision: { revisionType: 'S3', s3Location: location },
    });
  });

  it('a deployment that fails: the diagnosis names the seeded cause, exit 1', async ({ onTestFinished }) => {
    const world = await startDeployWorld({ durationMs: 1500, outcomes: [trapOutcome('script-timed-out', INSTANCES[1])] });
    onTestFinished(() => world.close());
    const run = await world.run([]);
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toContain(`✗ ${INSTANCES[1]} ✓✓✓✓✓✗- Failed ApplicationStart ScriptTimedOut`);
    expect(run.stdout).toMatch(/Deployment d-[A-Z0-9]{9} \(shop\/prod\) Failed: HEALTH_CONSTRAINTS/);
    expect(run.stdout).toMatch(/cd-wizard found \d problems? \(most specific first\):\n\n✗ .+ \[script-timed-out\]/);
    expect(run.stdout).toContain('scripts/start_server.sh failed to complete in 300 seconds');
    expect(run.stdout).toMatch(/✗ d-[A-Z0-9]{9} Failed after [\d.]+ s\.\n$/);
  });

  it('a lint error stops the deploy before anything is uploaded or any AWS call is made', async ({ onTestFinished }) => {
    const world = await startDeployWorld({});
    onTestFinished(() => world.close());
    writeFileSync(join(world.dir, 'appspec.yml'), 'version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: scripts/missing.sh\n');
    const run = await world.run([]);
    expect(run.code, describeRun(run)).toBe(1);
    expect(run.stderr).toContain('scripts/missing.sh');
    expect(run.stderr).toMatch(/✗ The bundle has \d+ lint errors? \(above\); nothing was uploaded\./);
    expect(world.aws.calls).toEqual([]);
  });

  it('--json: NDJSON progress on stderr, one result document on stdout', async ({ onTestFinished }) => {
    const world = await startDeployWorld({ durationMs: 1000 });
    onTestFinished(() => world.close());
    const run = await world.run(['--json']);
    expect(run.code, describeRun(run)).toBe(0);
    const events = run.stderr.trim().split('\n').map((line) => JSON.parse(line) as { event: string; status?: string; percent?: number });
    const names = new Set(events.map((event) => event.event));
    for (const name of ['deploy.lint.ok', 'deploy.bundle', 'deploy.upload', 'deploy.uploaded', 'deploy.registered', 'deploy.watch.start', 'deploy.watch.legend', 'deploy.watch.target']) expect(names, name).toContain(name);
    expect(events.find((event) => event.event === 'deploy.watch.deployment' && event.status === 'Succeeded')).toBeDefined();
    const result = JSON.parse(run.stdout) as { deployment: { id: string; status: string }; revision: { key: string; eTag: string }; bundle: { files: number; zipBytes: number } };
    const object = await uploaded(world);
    expect(result).toMatchObject({ deployment: { status: 'Succeeded' }, revision: { key: object.key, eTag: object.eTag }, bundle: { files: 7 } });
    expect(result.bundle.zipBytes).toBe(world.aws.state.s3.buckets[BUCKET]?.objects[object.key]?.size);
  });

  it('--no-wait prints the deployment id and how to follow it, and returns', async ({ onTestFinished }) => {
    const world = await startDeployWorld({ durationMs: 60_000 });
    onTestFinished(() => world.close());
    const run = await world.run(['--no-wait']);
    expect(run.code, describeRun(run)).toBe(0);
    const id = /Deployment (d-[A-Z0-9]{9}) started/.exec(run.stdout)?.[1];
    expect(run.stdout).toContain(`Follow it: cd-wizard fix --wait --deployment ${id ?? '?'}`);
    expect(world.aws.callsTo('codedeploy', 'GetDeployment')).toEqual([]);
  });

  it('Ctrl-C while watching in a terminal: exit 130, the deployment goes on, how to watch again, nothing else changed', async ({ onTestFinished }) => {
    const world = await startDeployWorld({ durationMs: 60_000 });
    onTestFinished(() => world.close());
    const cli = world.pty([]);
    onTestFinished(() => cli.dispose());
    // One screen row of 80 columns holds the whole line, the event name uncut.
    await cli.waitFor(new RegExp(`${INSTANCES[0]} [✓…·]+ InProgress (ApplicationStop|DownloadBundle|BeforeInstall|Install)\\b`), 20_000);
    await cli.press('ctrl-c');
    const status = await cli.exited(10_000);
    expect(status.exitCode).toBe(130);
    const screen = cli.screen();
    const id = world.aws.callsTo('codedeploy', 'CreateDeployment').length === 1 ? /Watching (d-[A-Z0-9]{9})/.exec(screen)?.[1] : undefined;
    expect(id).toBeDefined();
    expect(screen).toContain('✗ Interrupted.');
    expect(screen).toContain(`Still running in AWS: deployment ${id ?? '?'} goes on`);
    expect(screen).toContain(`To resume: cd-wizard fix --wait --deployment ${id ?? '?'}`);
    expect(calls(world)).toEqual(['PutObject', 'RegisterApplicationRevision', 'CreateDeployment']);
    expect(world.aws.state.codedeploy.deployments[id ?? '']?.status).toBe('InProgress');
  });
});
