import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PromptCancelledError } from '../../../../src/prompt/prompter.js';
import { ACCOUNT, instance } from '../../../helpers/fake-ports.js';
import { FLAGS, INSTANCES, answersFile, deploy, setup, snapshot, teardown, tempDir, world } from './world.js';

const SERVICE_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/CodeDeployServiceRole`;

describe('cd-wizard teardown after setup', () => {
  it('leaves the account as it was before setup, and a second run says nothing is left', async () => {
    const aws = world();
    const before = snapshot(aws);
    const dir = tempDir();
    await setup(aws, dir);
    expect(snapshot(aws)).not.toEqual(before);

    const first = await teardown(aws.ports, dir);
    expect(first.error, first.stderr).toBeUndefined();
    expect(first.code).toBe(0);
    expect(snapshot(aws)).toEqual(before);
    // The plan opened the result: one `-` line per removal, in an order AWS accepts.
    const removals = first.stdout.split('\n').filter((line) => line.startsWith('  - ')).map((line) => line.replace(/ {3}\S+:.*$/, '').slice(4));
    expect(removals).toEqual([
      'Delete deployment group prod of application web',
      'Delete application web',
      'Detach instance profile CodeDeployInstanceProfile from i-0aaaaaaaaaaaaaaa1 (web-1)',
      'Detach instance profile CodeDeployInstanceProfile from i-0aaaaaaaaaaaaaaa2 (web-2)',
      'Remove the tag cd-wizard:group=web/prod setup added to i-0aaaaaaaaaaaaaaa1, i-0aaaaaaaaaaaaaaa2',
      'Take role CodeDeployInstanceRole out of instance profile CodeDeployInstanceProfile',
      'Delete instance profile CodeDeployInstanceProfile',
      'Detach AWSCodeDeployRole from CodeDeployServiceRole',
      'Delete service role CodeDeployServiceRole',
      'Delete inline policy cd-wizard-revision-read of CodeDeployInstanceRole',
      'Delete instance role CodeDeployInstanceRole',
    ]);
    expect(first.stdout).toContain('Teardown is done: 11 removals.');
    expect(first.stderr).toContain('✓ Deleted service role CodeDeployServiceRole');
    // The answers stay; the records of what setup made are gone.
    const file = answersFile(dir);
    expect(file.answers).toMatchObject({ app: 'web', group: 'prod' });
    expect(Object.keys(file.state ?? {}).sort()).toEqual(['account', 'partition', 'region', 'updatedAt']);

    const calls = aws.mutations().length;
    const second = await teardown(aws.ports, dir);
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('Nothing to tear down: cd-wizard.json records nothing that setup created.\n');
    expect(aws.mutations().length).toBe(calls);
  });

  it('keeps what setup reused and says why; the reused role and application survive', async () => {
    const aws = world((state) => {
      state.roles.set('CodeDeployServiceRole', {
        role: { name: 'CodeDeployServiceRole', arn: SERVICE_ROLE_ARN, path: '/', trust: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' }] }, tags: {} },
        attached: ['arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole'],
        inline: {},
      });
      state.applications.set('web', { name: 'web', id: 'app-existing', computePlatform: 'Server' });
    });
    const dir = tempDir();
    await setup(aws, dir);
    const run = await teardown(aws.ports, dir);
    expect(run.error, run.stderr).toBeUndefined();
    expect(run.stdout).toContain('= kept: service role CodeDeployServiceRole was reused, not created by cd-wizard');
    expect(run.stdout).toContain('= kept: application web was reused, not created by cd-wizard');
    expect(aws.state.roles.get('CodeDeployServiceRole')?.attached).toEqual(['arn:aws:iam::aws:policy/service-role/AWSCodeDeployRole']);
    expect(aws.state.applications.has('web')).toBe(true);
    expect(aws.state.roles.has('CodeDeployInstanceRole')).toBe(false);
    expect(aws.state.deploymentGroups.size).toBe(0);
  });

  it('keeps a resource the answers file says was created but that no longer carries ManagedBy=cd-wizard', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir);
    const role = aws.state.roles.get('CodeDeployInstanceRole');
    if (role) role.role.tags = {};
    const run = await teardown(aws.ports, dir);
    expect(run.stdout).toContain('= kept: instance role CodeDeployInstanceRole has no ManagedBy=cd-wizard tag, so cd-wizard cannot tell that it made it');
    expect(aws.state.roles.get('CodeDeployInstanceRole')?.inline).toHaveProperty('cd-wizard-revision-read');
    expect(aws.state.roles.has('CodeDeployServiceRole')).toBe(false);
  });

  it('keeps the instance profile (and its role) while an instance setup did not touch still carries it', async () => {
    const aws = world((state) => state.instances.set('i-0bbbbbbbbbbbbbbb9', instance('i-0bbbbbbbbbbbbbbb9')));
    const dir = tempDir();
    await setup(aws, dir);
    await aws.ports.ec2.associateProfile('i-0bbbbbbbbbbbbbbb9', 'CodeDeployInstanceProfile');
    const run = await teardown(aws.ports, dir);
    expect(run.error, run.stderr).toBeUndefined();
    expect(run.stdout).toContain('= kept: instance profile CodeDeployInstanceProfile is still attached to i-0bbbbbbbbbbbbbbb9, which setup did not attach it to');
    expect(run.stdout).toContain('= kept: instance role CodeDeployInstanceRole is in instance profile CodeDeployInstanceProfile, which stays');
    expect(aws.state.associations.get('i-0bbbbbbbbbbbbbbb9')).toBeDefined();
    expect(aws.state.associations.has(INSTANCES[0])).toBe(false);
    expect(aws.state.profiles.get('CodeDeployInstanceProfile')?.roles.map((role) => role.name)).toEqual(['CodeDeployInstanceRole']);
  });

  it('leaves a tag whose value changed since setup, and a profile someone swapped in', async () => {
    const aws = world((state) => state.profiles.set('TheirProfile', { name: 'TheirProfile', arn: `arn:aws:iam::${ACCOUNT}:instance-profile/TheirProfile`, roles: [], tags: {} }));
    const dir = tempDir();
    await setup(aws, dir);
    const tagged = aws.state.instances.get(INSTANCES[0]);
    if (tagged) tagged.tags['cd-wizard:group'] = 'other/app';
    const association = aws.state.associations.get(INSTANCES[1]);
    if (association) await aws.ports.ec2.replaceProfile(association.id, 'TheirProfile');
    const run = await teardown(aws.ports, dir);
    expect(run.error, run.stderr).toBeUndefined();
    expect(run.stdout).toContain('= kept: tag cd-wizard:group on i-0aaaaaaaaaaaaaaa1 (web-1) is "other/app" now, not "web/prod" as setup wrote it; left as it is');
    expect(run.stdout).toContain('= kept: the instance profile of i-0aaaaaaaaaaaaaaa2 (web-2) is TheirProfile now, not CodeDeployInstanceProfile; left as it is');
    expect(aws.state.instances.get(INSTANCES[0])?.tags['cd-wizard:group']).toBe('other/app');
    expect(aws.state.instances.get(INSTANCES[1])?.tags['cd-wizard:group']).toBeUndefined();
    expect(aws.state.associations.get(INSTANCES[1])?.profileArn).toBe(`arn:aws:iam::${ACCOUNT}:instance-profile/TheirProfile`);
    expect(aws.state.profiles.has('CodeDeployInstanceProfile')).toBe(false);
  });

  it('gives an instance back the profile setup replaced', async () => {
    const theirs = `arn:aws:iam::${ACCOUNT}:instance-profile/TheirProfile`;
    const aws = world((state) => {
      state.profiles.set('TheirProfile', { name: 'TheirProfile', arn: theirs, roles: [], tags: {} });
      state.associations.set(INSTANCES[0], { id: 'iip-assoc-theirs', instanceId: INSTANCES[0], profileArn: theirs, state: 'associated' });
      const first = state.instances.get(INSTANCES[0]);
      if (first) first.profileArn = theirs;
    });
    const before = snapshot(aws);
    const dir = tempDir();
    await setup(aws, dir, { ...FLAGS, replaceProfile: true });
    expect(aws.state.associations.get(INSTANCES[0])?.profileArn).toContain('CodeDeployInstanceProfile');
    const run = await teardown(aws.ports, dir);
    expect(run.error, run.stderr).toBeUndefined();
    expect(run.stdout).toContain('- Give i-0aaaaaaaaaaaaaaa1 (web-1) back its instance profile TheirProfile (setup replaced it with CodeDeployInstanceProfile)');
    const after = snapshot(aws);
    expect(after.associations[INSTANCES[0]]?.profileArn).toBe(theirs);
    // Everything else is as it was (association ids are new).
    expect({ ...after, associations: {} }).toEqual({ ...before, associations: {} });
  });

  it('keeps the application while another deployment group is in it', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir);
    await aws.ports.codeDeploy.createDeploymentGroup({ application: 'web', name: 'staging', serviceRoleArn: `arn:aws:iam::${ACCOUNT}:role/OtherRole`, deploymentConfig: 'CodeDeployDefault.AllAtOnce', autoRollback: false }, {}).catch(() => undefined);
    aws.state.deploymentGroups.set('web/staging', { application: 'web', name: 'staging', id: 'dg-x', serviceRoleArn: `arn:aws:iam::${ACCOUNT}:role/OtherRole`, tagGroups: [], tagForm: 'none', autoScalingGroups: [], deploymentConfig: 'CodeDeployDefault.AllAtOnce', autoRollback: { enabled: false, events: [] }, deploymentOption: 'WITHOUT_TRAFFIC_CONTROL', targetGroupNames: [] });
    const run = await teardown(aws.ports, dir);
    expect(run.error, run.stderr).toBeUndefined();
    expect(run.stdout).toContain('= kept: application web still has deployment group staging');
    expect(aws.state.applications.has('web')).toBe(true);
    expect(aws.state.deploymentGroups.has('web/prod')).toBe(false);
    // Its record stays, so a later teardown (once staging is gone) removes it.
    expect(answersFile(dir).state?.application).toMatchObject({ name: 'web', status: 'created' });
  });

  it('keeps the service role while another deployment group uses it', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir);
    aws.state.deploymentGroups.set('billing/prod', { application: 'billing', name: 'prod', id: 'dg-y', serviceRoleArn: SERVICE_ROLE_ARN, tagGroups: [], tagForm: 'none', autoScalingGroups: [], deploymentConfig: 'CodeDeployDefault.AllAtOnce', autoRollback: { enabled: false, events: [] }, deploymentOption: 'WITHOUT_TRAFFIC_CONTROL', targetGroupNames: [] });
    const run = await teardown(aws.ports, dir);
    expect(run.stdout).toContain('= kept: service role CodeDeployServiceRole is the service role of deployment group billing/prod');
    expect(aws.state.roles.has('CodeDeployServiceRole')).toBe(true);
  });
});

describe('cd-wizard teardown and Auto Scaling launch hooks', () => {
  it('removes a launch hook CodeDeploy left for a group that is gone, and no other hook', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir);
    // As after a teardown stopped right after DeleteDeploymentGroup that reported hooksNotCleanedUp.
    const path = join(dir, 'cd-wizard.json');
    const file = JSON.parse(readFileSync(path, 'utf8')) as { answers: { asg?: string[] } };
    file.answers.asg = ['web-asg'];
    writeFileSync(path, JSON.stringify(file));
    aws.state.deploymentGroups.delete('web/prod');
    aws.state.hooks.set('web-asg', ['CodeDeploy-managed-automatic-launch-deployment-hook-prod-7', 'CodeDeploy-managed-automatic-launch-deployment-hook-staging-8', 'their-own-hook']);
    const run = await teardown(aws.ports, dir);
    expect(run.error, run.stderr).toBeUndefined();
    expect(run.stdout).toContain('- Delete the launch hook CodeDeploy left on Auto Scaling group web-asg for prod   autoscaling:DeleteLifecycleHook');
    expect(aws.state.hooks.get('web-asg')).toEqual(['CodeDeploy-managed-automatic-launch-deployment-hook-staging-8', 'their-own-hook']);
  });
});

describe('cd-wizard teardown asks first', () => {
  it('declining at the prompt changes nothing, in AWS or in the answers file', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir);
    const before = snapshot(aws);
    const file = readFileSync(join(dir, 'cd-wizard.json'), 'utf8');
    const calls = aws.mutations().length;
    const asked: string[] = [];
    const run = await teardown(aws.ports, dir, {}, { asker: { confirmPlan: async () => (asked.push('plan'), false), confirmBucket: async () => (asked.push('bucket'), false) } });
    expect(run.code).toBe(0);
    expect(asked).toEqual(['plan']);
    expect(run.stderr).toContain('Teardown plan for account 123456789012 in eu-west-1');
    expect(run.stderr).toContain('Cancelled: nothing was changed and cd-wizard.json is as it was.');
    expect(aws.mutations().length).toBe(calls);
    expect(snapshot(aws)).toEqual(before);
    expect(readFileSync(join(dir, 'cd-wizard.json'), 'utf8')).toBe(file);
  });

  it('Ctrl-C at the question is an interruption that changed nothing (130)', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir);
    const calls = aws.mutations().length;
    const run = await teardown(aws.ports, dir, {}, { asker: { confirmPlan: () => Promise.reject(new PromptCancelledError('teardown-confirm')), confirmBucket: async () => false } });
    expect(run.code).toBe(130);
    expect(aws.mutations().length).toBe(calls);
  });

  it('without a terminal and without --yes, changes nothing and names --yes', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir);
    const calls = aws.mutations().length;
    const run = await teardown(aws.ports, dir, {});
    expect(run.error?.message).toBe('The plan removes 11 things and there is no terminal to confirm it; nothing was changed.');
    expect(aws.mutations().length).toBe(calls);
  });

  it('--dry-run shows the plan, makes read calls only and does not write the answers file', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir);
    const calls = aws.mutations().length;
    const file = readFileSync(join(dir, 'cd-wizard.json'), 'utf8');
    const run = await teardown(aws.ports, dir, { dryRun: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('- Delete deployment group prod of application web   codedeploy:DeleteDeploymentGroup');
    expect(run.stdout).toContain('11 removals; 0 kept.');
    expect(run.stdout).toContain('Dry run: nothing was changed and cd-wizard.json was not written. Remove it with: cd-wizard teardown --yes');
    expect(aws.mutations().length).toBe(calls);
    expect(readFileSync(join(dir, 'cd-wizard.json'), 'utf8')).toBe(file);
  });

  it('a deployment in progress blocks it with the way out, and nothing is changed', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir);
    aws.state.activeDeployments.set('web/prod', ['d-RUNNING01']);
    const calls = aws.mutations().length;
    const run = await teardown(aws.ports, dir);
    expect(run.error?.message).toContain('Teardown cannot go on; nothing was changed:');
    expect(run.error?.message).toContain('Deployment d-RUNNING01 is still running in web/prod');
    expect((run.error as { hint?: string }).hint).toContain('aws deploy stop-deployment --deployment-id d-RUNNING01');
    expect(aws.mutations().length).toBe(calls);
  });

  it('refuses an answers file of another account', async () => {
    const aws = world();
    const dir = tempDir();
    await setup(aws, dir);
    const path = join(dir, 'cd-wizard.json');
    const file = JSON.parse(readFileSync(path, 'utf8')) as { state: { account: string } };
    file.state.account = '999999999999';
    writeFileSync(path, JSON.stringify(file));
    const calls = aws.mutations().length;
    const run = await teardown(aws.ports, dir);
    expect(run.error?.message).toContain('The answers file records resources in account 999999999999, but these credentials are for account 123456789012.');
    expect(aws.mutations().length).toBe(calls);
  });

  it('without an answers file, says where to run it', async () => {
    const run = await teardown(world().ports, tempDir());
    expect(run.error?.message).toBe('There is no cd-wizard.json here: teardown removes only what setup recorded in it.');
    expect(existsSync(join(tempDir(), 'cd-wizard.json'))).toBe(false);
  });
});

describe('cd-wizard teardown and the revision bucket', () => {
  /** Setup creates the bucket: the in-memory AWS has none. */
  const bucketWorld = (objects: Record<string, Record<string, string>> = {}) =>
    world((state) => {
      state.bucket = { status: 'missing' };
      for (const [key, metadata] of Object.entries(objects)) state.objects.set(key, metadata);
    });

  it('--yes keeps the bucket setup created; it needs its own yes', async () => {
    const aws = bucketWorld();
    const dir = tempDir();
    await setup(aws, dir);
    expect(aws.state.bucket.status).toBe('found');
    const run = await teardown(aws.ports, dir);
    expect(run.stdout).toContain('Only with a separate yes (--delete-bucket; default no):');
    expect(run.stdout).toContain('The revision bucket is kept: cd-wizard teardown --delete-bucket removes it.');
    expect(aws.state.bucket.status).toBe('found');
  });

  it('asks separately on a terminal (default no), and deletes it with its uploaded revisions on yes', async () => {
    const aws = bucketWorld();
    const dir = tempDir();
    await setup(aws, dir);
    aws.state.objects.set('web/release-1.zip', { 'managed-by': 'cd-wizard' });
    const asked: string[] = [];
    const run = await teardown(aws.ports, dir, {}, { asker: { confirmPlan: async () => (asked.push('plan'), true), confirmBucket: async () => (asked.push('bucket'), true) } });
    expect(run.error, run.stderr).toBeUndefined();
    expect(asked).toEqual(['plan', 'bucket']);
    expect(aws.state.bucket.status).toBe('missing');
    expect(aws.state.objects.size).toBe(0);
  });

  it('after deploy, deletes the bucket with the revisions deploy uploaded on the bucket yes, without --delete-bucket-contents', async () => {
    const aws = bucketWorld();
    const dir = tempDir();
    await setup(aws, dir);
    writeFileSync(join(dir, 'appspec.yml'), 'version: 0.0\nos: linux\nfiles:\n  - source: /\n    destination: /var/www/html\n');
    for (const release of [1, 22]) {
      writeFileSync(join(dir, 'index.html'), `<h1>release ${release}</h1>\n`);
      const run = await deploy(aws, dir);
      expect(run.code, run.stderr).toBe(0);
    }
    // Two revisions under web/, each carrying deploy's mark.
    const objects = [...aws.state.objects.entries()];
    expect(objects).toHaveLength(2);
    for (const [key, metadata] of objects) {
      expect(key).toMatch(/^web\/\d{8}T\d{6}Z-[0-9a-f]{8}\.zip$/);
      expect(metadata).toEqual({ 'managed-by': 'cd-wizard' });
    }
    const asked: string[] = [];
    const run = await teardown(aws.ports, dir, {}, { asker: { confirmPlan: async () => (asked.push('plan'), true), confirmBucket: async () => (asked.push('bucket'), true) } });
    expect(run.error, run.stderr).toBeUndefined();
    expect(asked).toEqual(['plan', 'bucket']);
    expect(run.stdout).not.toContain('did not upload');
    expect(aws.mutations().slice(-2)).toEqual(['DeleteObjects', 'DeleteBucket']);
    expect(aws.state.bucket.status).toBe('missing');
    expect(aws.state.objects.size).toBe(0);
  });

  it('never deletes objects cd-wizard did not upload without --delete-bucket-contents', async () => {
    const aws = bucketWorld();
    const dir = tempDir();
    await setup(aws, dir);
    aws.state.objects.set('web/release-1.zip', { 'managed-by': 'cd-wizard' });
    aws.state.objects.set('backups/db.sql', {});
    const kept = await teardown(aws.ports, dir, { yes: true, deleteBucket: true });
    expect(kept.stdout).toContain('= kept: revision bucket my-revisions holds 1 object cd-wizard did not upload (backups/db.sql); --delete-bucket-contents deletes it too');
    expect(aws.state.objects.size).toBe(2);

    const all = await teardown(aws.ports, dir, { yes: true, deleteBucketContents: true });
    expect(all.error, all.stderr).toBeUndefined();
    expect(aws.state.bucket.status).toBe('missing');
  });
});
