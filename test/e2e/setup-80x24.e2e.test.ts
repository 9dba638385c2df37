/**
 * `cd-wizard setup` in the smallest usual terminal, 80×24: the BUILT binary (run `npm run build` first; `npm test`
 * does) in a pseudo-terminal against the loopback fake AWS. Keys in, screen text out: questions wrap at word
 * boundaries, the plan is grouped and its policy documents folded, the instance picker fits and filters.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAws, type FakeAws, type Seed } from '../fake-aws/index.js';
import { requireBuild } from './built.js';
import { cleanupDirs, tempDir } from './helpers/setup-world.js';
import { BIN, spawnInPty, type CliSession } from './pty.js';

const COLUMNS = 80;
const WEB_1 = 'i-0aaaaaaaaaaaaaaa1';
const WEB_2 = 'i-0aaaaaaaaaaaaaaa2';

const SEED: Seed = {
  ec2: {
    instances: [
      { id: WEB_1, name: 'web-1', tags: { Env: 'prod' } },
      { id: WEB_2, name: 'web-2' },
    ],
  },
  s3: { buckets: [{ name: 'my-revisions', region: 'us-east-1' }] },
};

let cli: CliSession | undefined;
let aws: FakeAws | undefined;

beforeAll(requireBuild);
afterEach(async () => {
  cli?.dispose();
  cli = undefined;
  await aws?.close();
  aws = undefined;
});
afterAll(cleanupDirs);

async function startSetup(seed: Seed, args: readonly string[] = []): Promise<CliSession> {
  aws = await startFakeAws({ seed });
  const dir = tempDir('cdw-80x24-');
  cli = spawnInPty(process.execPath, [BIN, 'setup', ...args], { cols: COLUMNS, rows: 24, cwd: dir, env: { ...aws.env(), AWS_PROFILE: undefined } });
  return cli;
}

/**
 * Rows the terminal itself wrapped: a row filled to the last column whose text runs on into the next row
 * (a word cut in two, or a lone "." below). Text cd-wizard wrapped never fills a row and then continues it.
 */
function cutRows(lines: readonly string[]): string[] {
  return lines.flatMap((line, i) => {
    const next = lines[i + 1] ?? '';
    return line.length === COLUMNS && /\S$/.test(line) && /^\S/.test(next) ? [`${line}⏎${next}`] : [];
  });
}

describe('cd-wizard setup at 80×24', () => {
  it('wraps questions, their help and their answers at word boundaries', async () => {
    const session = await startSetup(SEED);
    await session.waitFor('Set up CodeDeploy in account', 15_000);
    await session.press('enter');

    await session.waitFor('Name of the new application');
    expect(session.lines()).toContain('  Letters, digits and . _ + = , @ - (up to 100); usually the name of the');
    expect(session.lines()).toContain('  service.');
    await session.type('web');
    await session.press('enter');
    await session.waitFor('Name of the new deployment group');
    await session.press('enter');
    await session.waitFor('Service role (the role CodeDeploy acts with)');
    await session.press('enter');
    await session.waitFor('Instance role (the role the agent on the instances uses)');
    await session.press('enter');

    // An answer that does not fit after its question goes under it, whole.
    await session.waitFor('Instance profile (hands the instance role to the instances)');
    const lines = session.lines();
    const answered = lines.findIndex((line) => line.startsWith('✔ Instance role (the role the agent on the instances uses)'));
    expect(lines[answered + 1]).toBe('  CodeDeployInstanceRole (new)');
    expect(cutRows(lines)).toEqual([]);

    await session.press('ctrl-c');
    expect((await session.exited(15_000)).exitCode).toBe(130);
  });

  it('shows the whole plan on one screen: grouped by resource, policy documents folded, the question under it', async () => {
    const session = await startSetup(SEED, ['--app', 'web', '--group', 'prod', '--bucket', 'my-revisions', '--instances', WEB_1]);
    await session.waitFor(/Apply these \d+ changes\?/, 15_000);
    const lines = session.lines();
    // From its title to the question, the plan is on the screen: nothing scrolled away.
    expect(lines.some((line) => line.startsWith('Plan for account 123456789012 in us-east-1'))).toBe(true);
    const at = lines.indexOf('  + Create service role CodeDeployServiceRole');
    expect(lines[at + 1]).toBe('      + Attach AWSCodeDeployRole to CodeDeployServiceRole');
    expect(lines).toContain('3 policy documents folded: --verbose shows them statement by statement.');
    expect(session.screen()).not.toContain('Allow sts:AssumeRole');
    expect(cutRows(lines)).toEqual([]);
    await session.press('enter');
    await session.waitFor('Cancelled: nothing was changed.');
    expect(aws?.mutatingCalls()).toEqual([]);
  });

  it('the instance picker fits 80 columns (ids whole, long names cut) and filters as you type', async () => {
    const LONG = 'i-0aaaaaaaaaaaaaaa3';
    const seed: Seed = { ...SEED, ec2: { instances: [...(SEED.ec2?.instances ?? []), { id: LONG, name: 'checkout-api-production-blue-42', tags: { Team: 'payments' } }] } };
    const names = ['--service-role', 'CodeDeployServiceRole', '--instance-role', 'CodeDeployInstanceRole', '--instance-profile', 'CodeDeployInstanceProfile', '--ssm'];
    const session = await startSetup(seed, ['--app', 'web', '--group', 'prod', '--bucket', 'my-revisions', ...names]);
    await session.waitFor('Set up CodeDeploy in account', 15_000);
    await session.press('enter');
    await session.waitFor('Type to filter (3 instances)', 15_000);
    const lines = session.lines();
    expect(lines).toContainEqual(expect.stringMatching(/^ {3}INSTANCE +NAME +STATE +INSTANCE PROFILE$/));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^ ◯ ${LONG} +checkout-api-produc… +running +—$`)));
    expect(lines.every((line) => line.length <= COLUMNS)).toBe(true);
    expect(cutRows(lines)).toEqual([]);

    // Typing narrows the list (tags count too); Space picks; Backspace brings the others back, the pick kept.
    await session.type('payments');
    await session.waitFor('Filter: payments  1 of 3 instances');
    expect(session.screen()).not.toContain(WEB_1);
    await session.press('space');
    await session.waitFor(`❯◉ ${LONG}`);
    for (let i = 0; i < 'payments'.length; i += 1) await session.press('backspace');
    await session.waitFor('Type to filter (3 instances)');
    expect(session.screen()).toContain(`◯ ${WEB_1}`);
    expect(session.screen()).toContain(`◉ ${LONG}`);
    await session.press('enter');
    await session.waitFor(`✔ Instances to deploy to ${LONG} (checkout-api-production-blue-42)`);

    await session.press('ctrl-c');
    expect((await session.exited(15_000)).exitCode).toBe(130);
  });
});
