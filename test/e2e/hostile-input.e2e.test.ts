/**
 * Odd and hostile input through the built binary: an answers file read from standard input (`--answers /dev/stdin`)
 * whose values carry terminal control characters (a cd-wizard.json in a cloned repository can hold anything). The
 * values are listed as problems, shown escaped in plain text and in JSON, before any AWS call. Unit tests cover the
 * rest of the class: test/unit/io (every host escapes), test/unit/store (bounded reads), test/unit/commands/fix.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { requireBuild } from './built.js';
import { describeRun, runCli } from './helpers/run-cli.js';
import { cleanupDirs, tempDir } from './helpers/setup-world.js';

beforeAll(requireBuild);
afterAll(cleanupDirs);

const HOSTILE = JSON.stringify({ schemaVersion: 1, answers: { app: 'web\u001b]0;retitled\u0007', group: 'prod\u001b[2J', bucket: 'my-revisions', tagGroups: [[{ key: 'env', value: 'prod' }]] } });
// Nothing listens there: a call to AWS would fail with "Cannot reach", which the tests rule out.
const ENV = { AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' };

describe.concurrent('an answers file from standard input with terminal control characters', () => {
  it('is read from /dev/stdin, named as such, its values shown escaped in plain text', async ({ expect }) => {
    const run = await runCli(['setup', '--answers', '/dev/stdin', '--dry-run'], { cwd: tempDir(), env: ENV, input: HOSTILE });
    expect(run.code, describeRun(run)).toBe(2);
    expect(run.stdout + run.stderr).not.toContain('\u001b');
    expect(run.stderr).toContain('/dev/stdin has 2 problems:');
    expect(run.stderr).toContain('Application name "web\\u001b]0;retitled\\u0007" has characters CodeDeploy does not allow');
    expect(run.stderr).toContain('Deployment group name "prod\\u001b[2J" has characters CodeDeploy does not allow');
    expect(run.stderr).not.toContain('Cannot reach');
  });

  it('shows them escaped in --json output too', async ({ expect }) => {
    const run = await runCli(['--json', 'setup', '--answers', '/dev/stdin', '--dry-run'], { cwd: tempDir(), env: ENV, input: HOSTILE });
    expect(run.code, describeRun(run)).toBe(2);
    // Not even as a JSON escape that a consumer would turn back into ESC.
    expect(run.stdout + run.stderr).not.toMatch(/\u001b|(?<!\\)\\u001b/i);
    const error = (JSON.parse(run.stdout) as { error: { message: string } }).error;
    expect(error.message).toContain('Application name "web\\u001b]0;retitled\\u0007"');
  });
});
