import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAgent } from '../../../../src/commands/agent/agent.js';
import { UsageError } from '../../../../src/errors.js';
import { captureContext } from '../../../helpers/context.js';
import { createFakeAws } from '../../../helpers/fake-ports.js';

/** The mistakes `cd-wizard agent` catches before any AWS call (the SSM paths are end to end: test/e2e/agent.e2e.test.ts). */
describe('cd-wizard agent, before any AWS call', () => {
  const run = async (command: string | undefined, flags: { instances?: string[] }) => {
    const aws = createFakeAws();
    const ctx = captureContext({ region: 'eu-west-1' }, { ports: aws.ports, cwd: mkdtempSync(join(tmpdir(), 'cdw-agent-')), env: { AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' } });
    const error = await runAgent(ctx, command, flags).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    return { error, calls: aws.calls };
  };

  it('names the flag when there is no answers file', async () => {
    const { error, calls } = await run('status', {});
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).message).toBe('Which instances? There is no answers file to take them from.');
    expect((error as UsageError).hint).toContain('--instances');
    expect(calls).toEqual([]);
  });

  it('checks --instances and the action', async () => {
    const bad = await run('status', { instances: ['i-0aaaaaaaaaaaaaaa1,web-1'] });
    expect((bad.error as UsageError).message).toBe('"web-1" is not an EC2 instance id (they look like i-0123456789abcdef0).');
    const typo = await run('instal', {});
    expect((typo.error as UsageError).message).toBe('Unknown agent command "instal".');
    expect([...bad.calls, ...typo.calls]).toEqual([]);
  });
});
