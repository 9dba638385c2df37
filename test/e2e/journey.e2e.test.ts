/**
 * The whole journey of issue 10, end to end against ONE fake AWS, through the BUILT binary in a fresh folder:
 * `setup --ssm --yes` (roles, profile, application, group; SSM's core policy on the instance role) → `agent install
 * --yes` (through Systems Manager on both instances) → `init` (an AppSpec and hook scripts, non-interactively) →
 * `deploy`, which reaches Succeeded with live progress and exits 0. Each step reads what the previous one wrote
 * (cd-wizard.json), so a break between them fails here even when every command passes its own tests.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild } from './built.js';
import { AGENT_RULES } from './helpers/agent-world.js';
import { describeRun } from './helpers/run-cli.js';
import { BUCKET, INSTANCES, SEED, SETUP_FLAGS, cleanupDirs, runSetupCli, startSeededFake, tempDir } from './helpers/setup-world.js';

beforeAll(requireBuild);
afterAll(cleanupDirs);

const [WEB_1, WEB_2] = INSTANCES;

describe('from nothing to a green deployment', () => {
  it('setup → agent install → init → deploy: Succeeded on both instances with live progress, exit 0', async ({ onTestFinished }) => {
    const aws = await startSeededFake(onTestFinished, {
      seed: {
        ...SEED,
        ssm: { instances: INSTANCES.map((instanceId) => ({ instanceId })), commandRules: [{ document: 'AWS-ConfigureAWSPackage', durationMs: 200 }, ...AGENT_RULES] },
        codedeploy: { deploymentDurationMs: 1200 },
      },
    });
    const dir = tempDir('cdw-e2e-journey-');
    const cli = (args: readonly string[]) => runSetupCli(aws, args, { cwd: dir, env: { CD_WIZARD_POLL_MS: '50' } });

    const setup = await cli([...SETUP_FLAGS, '--ssm', '--yes']);
    expect(setup.code, describeRun(setup)).toBe(0);
    expect(setup.stdout).toContain('Setup is done.');
    expect(Object.keys(aws.state.codedeploy.deploymentGroups)).toHaveLength(1);

    const agent = await cli(['agent', 'install', '--yes']);
    expect(agent.code, describeRun(agent)).toBe(0);
    for (const [id, name] of [[WEB_1, 'web-1'], [WEB_2, 'web-2']]) {
      expect(agent.stderr).toContain(`${id} (${name}): installing`);
      expect(agent.stdout).toContain(`✓ ${id} (${name})  installed; the agent OFFICIAL_1.7.1-110_rpm is running`);
    }

    const init = await cli(['init', '--kind', 'node', '--name', 'shop', '--port', '3000', '--no-github-actions']);
    expect(init.code, describeRun(init)).toBe(0);
    expect(existsSync(join(dir, 'appspec.yml'))).toBe(true);

    aws.clearCalls();
    const deploy = await cli(['deploy']);
    expect(deploy.code, describeRun(deploy)).toBe(0);
    // Live progress on stderr: lint, the upload into setup's bucket under the application's prefix, then each instance.
    expect(deploy.stderr).toContain('✓ Lint: appspec.yml and 5 hook scripts, no errors.');
    expect(deploy.stderr).toMatch(new RegExp(`Uploading s3://${BUCKET}/web/\\S+\\.zip: \\d+% of`));
    expect(deploy.stderr).toMatch(new RegExp(`${WEB_1} [✓…·]+ InProgress \\w+`));
    for (const id of INSTANCES) expect(deploy.stderr).toContain(`✓ ${id} ✓✓✓✓✓✓✓ Succeeded`);
    expect(deploy.stdout).toMatch(/^✓ d-[A-Z0-9]{9} Succeeded on 2 instances in [\d.]+ s \(s3:\/\/my-revisions\/web\/.+\.zip\)\.\n$/);
    // The deployment went to the group setup made, with the revision deploy uploaded.
    expect(aws.mutatingCalls().map((call) => call.action)).toEqual(['PutObject', 'RegisterApplicationRevision', 'CreateDeployment']);
    expect(aws.callsTo('codedeploy', 'CreateDeployment')[0]?.params).toMatchObject({ applicationName: 'web', deploymentGroupName: 'prod' });
  });
});
