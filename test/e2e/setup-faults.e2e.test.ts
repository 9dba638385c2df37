/**
 * Setup through the fake AWS's faults, end to end (the BUILT binary): CodeDeploy's other wording for a service role it
 * cannot assume yet, and throttling that outlasts the retry budget (a short one, CD_WIZARD_RETRY_BUDGET_SECONDS)
 * stopping with the resumable message, after which a re-run converges. Random 30% throttling with slow IAM:
 * setup.e2e.test.ts; the policy itself on a fake clock: test/unit/aws/throttle.test.ts; 30% and 60% over many seeds:
 * `npm run bench -- throttle`.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { requireBuild } from './built.js';
import { describeRun } from './helpers/run-cli.js';
import { BUCKET, INSTANCES, SEED, SETUP_FLAGS, cleanupDirs, duplicatesIn, runSetupCli, startSeededFake, tempDir } from './helpers/setup-world.js';

beforeAll(requireBuild);
afterAll(cleanupDirs);

describe.concurrent('setup through faults', () => {
  it('waits while CodeDeploy says it "does not have the permissions required to assume the role" just created', async ({ expect, onTestFinished }) => {
    // The instances already carry the tag and a profile of the name setup wants: the group comes right after the role.
    const seeded = INSTANCES.map((id) => ({ id, tags: { Env: 'prod' }, instanceProfile: 'CodeDeployInstanceProfile' }));
    const aws = await startSeededFake(onTestFinished, { seed: { ...SEED, ec2: { instances: seeded } }, faults: { iamPropagationSeconds: 3, invalidRoleWording: 'permissions-required' } });
    const run = await runSetupCli(aws, ['setup', '--app', 'web', '--group', 'prod', '--bucket', BUCKET, '--tag', 'Env=prod', '--yes'], { cwd: tempDir() });
    expect(run.code, describeRun(run)).toBe(0);
    const groups = aws.callsTo('codedeploy', 'CreateDeploymentGroup');
    expect(groups[0]?.errorMessage).toBe(`AWS CodeDeploy does not have the permissions required to assume the role ${aws.state.iam.roles.CodeDeployServiceRole?.arn}`);
    expect(groups.at(-1)?.status).toBe(200);
    expect(run.stderr).toMatch(/Creating deployment group prod\n {2}IAM changes are still spreading; retrying in \d+ s \(attempt 2\)/);
    expect(Object.keys(aws.state.codedeploy.deploymentGroups)).toEqual(['web/prod']);
  });

  it('stops with the resumable message when throttling outlasts the budget; the re-run finishes, nothing twice', async ({ expect, onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, { faults: { errors: [{ service: 'iam', action: 'PutRolePolicy', code: 'Throttling', message: 'Rate exceeded' }] } });
    const dir = tempDir();
    const flags = [...SETUP_FLAGS, '--yes'];
    // Longer than the SDK's own first round (3 attempts, up to 1 s and 2 s of backoff for throttling), so the
    // budget, not that round, decides when to stop.
    const env = { CD_WIZARD_RETRY_BUDGET_SECONDS: '5' };
    const stopped = await runSetupCli(aws, flags, { cwd: dir, env });
    expect(stopped.code, describeRun(stopped)).toBe(1);
    // About the budget: the SDK round in flight when it runs out still finishes (seconds more on a loaded machine).
    expect(stopped.stderr).toMatch(/AWS kept throttling IAM PutRolePolicy for \d+ s, even after retries\./);
    expect(stopped.stderr).toContain('Run the same command again (cd-wizard setup): setup continues where it stopped');
    // More sends than the SDK's own 3 attempts: the budget, not a count, decided when to stop.
    expect(aws.callsTo('iam', 'PutRolePolicy').length).toBeGreaterThan(3);

    aws.setFaults({ errors: [] });
    const resumed = await runSetupCli(aws, flags, { cwd: dir, env });
    expect(resumed.code, describeRun(resumed)).toBe(0);
    expect(resumed.stdout).toContain('Setup is done.');
    expect(duplicatesIn(aws.state)).toEqual([]);
  });
});
