/**
 * What `cd-wizard setup --yes` may change, end to end: the BUILT binary against the loopback fake AWS. `--yes` accepts
 * the plan, but a tag value someone else set needs --retag, and a role that a principal outside the account can
 * assume is never given CodeDeploy's permissions, whatever the flags. Unit tests: test/unit/codedeploy/ownership.test.ts.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { requireBuild } from './built.js';
import { describeRun } from './helpers/run-cli.js';
import { ACCOUNT, INSTANCES, SEED, SETUP_FLAGS, cleanupDirs, effectiveChanges, runSetupCli, startSeededFake, tempDir } from './helpers/setup-world.js';

beforeAll(requireBuild);
afterAll(cleanupDirs);

const [FIRST, SECOND] = INSTANCES;
const tagsOf = (aws: { state: { ec2: { instances: Record<string, { tags: ReadonlyArray<{ Key: string; Value: string }> }> } } }, id: string) =>
  Object.fromEntries((aws.state.ec2.instances[id]?.tags ?? []).map((tag) => [tag.Key, tag.Value]));

describe.concurrent('setup --yes and what cd-wizard does not own', () => {
  it('keeps a selection tag someone else set (the warning names --retag); --retag changes it', async ({ expect, onTestFinished }) => {
    const seed = { ...SEED, ec2: { instances: [{ id: FIRST, name: 'billing-1', tags: { CodeDeployApp: 'billing' } }, { id: SECOND, name: 'web-2' }] } };
    const aws = await startSeededFake(onTestFinished, { seed });
    const dir = tempDir();
    const flags = [...SETUP_FLAGS, '--tag', 'CodeDeployApp=web', '--yes'];

    const first = await runSetupCli(aws, flags, { cwd: dir });
    expect(first.code, describeRun(first)).toBe(0);
    // The change left out is named with the value there now, and with the flag that makes it.
    expect(first.stderr).toContain('1 instance keeps its selection tag and stays out of the group until you give --retag:');
    expect(first.stderr).toContain(`not done: Retag ${FIRST} with CodeDeployApp=web (changes CodeDeployApp on ${FIRST} from "billing" to "web"`);
    expect(first.stdout).toContain(`Tag ${SECOND} with CodeDeployApp=web`);
    expect(first.stdout).not.toContain(`Tag ${FIRST}`);
    expect(tagsOf(aws, FIRST)).toEqual({ Name: 'billing-1', CodeDeployApp: 'billing' });
    expect(tagsOf(aws, SECOND)).toMatchObject({ CodeDeployApp: 'web' });
    expect(effectiveChanges(aws.calls).filter((change) => change.startsWith('ec2:CreateTags') && change.includes(FIRST))).toEqual([]);

    const second = await runSetupCli(aws, [...flags, '--retag'], { cwd: dir });
    expect(second.code, describeRun(second)).toBe(0);
    expect(second.stdout).toContain(`Retag ${FIRST} with CodeDeployApp=web`);
    expect(second.stdout).toContain(`from "billing" to "web"`);
    expect(tagsOf(aws, FIRST)).toEqual({ Name: 'billing-1', CodeDeployApp: 'web' });
  });

  it('never gives CodeDeploy’s permissions to a role another account can assume, even with --change-foreign', async ({ expect, onTestFinished }) => {
    const outsider = 'arn:aws:iam::999999999999:root';
    const trust = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { Service: 'codedeploy.amazonaws.com' }, Action: 'sts:AssumeRole' },
        { Effect: 'Allow', Principal: { AWS: outsider }, Action: 'sts:AssumeRole' },
      ],
    };
    const aws = await startSeededFake(onTestFinished, { seed: { ...SEED, iam: { roles: [{ name: 'Shared', trustPolicy: trust }] } } });
    for (const extra of [[], ['--change-foreign']]) {
      const run = await runSetupCli(aws, [...SETUP_FLAGS, '--service-role', 'Shared', '--yes', ...extra], { cwd: tempDir() });
      expect(run.code, describeRun(run)).not.toBe(0);
      const said = run.stdout + run.stderr;
      expect(said).toContain(`Role Shared can be assumed by ${outsider}, outside account ${ACCOUNT}; cd-wizard will not give it CodeDeploy's permissions.`);
      expect(said).toContain('Let setup create a role of its own: --service-role CodeDeployServiceRole');
    }
    // Nothing at all was changed: not the role, not anything else.
    expect(effectiveChanges(aws.calls)).toEqual([]);
    expect(aws.state.iam.roles.Shared?.attachedPolicies).toEqual([]);
    expect(JSON.parse(aws.state.iam.roles.Shared?.trustPolicy ?? '{}')).toEqual(trust);
  });
});
