/**
 * Teardown killed at every removal, then run again: it converges to the account as it was before setup. The
 * connection is lost either before a call reaches AWS (the removal did not happen) or after AWS carried it out (the
 * command never heard): the second kind is where a tool that trusts its memory fails ("not found" on the re-run).
 * Exhaustive here, over the in-memory AWS; the end-to-end suite runs a sample through the real binary and SDK.
 */
import { describe, expect, it } from 'vitest';
import type { AwsPorts } from '../../../../src/aws/ports/index.js';
import type { SetupFlags } from '../../../../src/commands/setup/setup.js';
import { FLAGS, GITHUB_FLAGS, answersFile, setup, snapshot, teardown, tempDir, world } from './world.js';

/** The port methods that change something during teardown. */
const REMOVALS = new Set([
  'deleteDeploymentGroup',
  'deleteLifecycleHook',
  'deleteApplication',
  'disassociateProfile',
  'replaceProfile',
  'deleteTags',
  'removeRoleFromInstanceProfile',
  'deleteInstanceProfile',
  'detachPolicy',
  'deleteInlinePolicy',
  'deleteRole',
  'deleteOidcProvider',
  'deleteObjects',
  'deleteBucket',
]);

type Mode = 'request lost' | 'response lost';

/** The ports, with the connection lost at the (n+1)-th removal call; `lost` says whether it happened. */
function losingAt(ports: AwsPorts, n: number, mode: Mode): { ports: AwsPorts; calls: () => string[]; lost: () => string | undefined } {
  const calls: string[] = [];
  let lost: string | undefined;
  const wrap = <T extends object>(port: T): T =>
    new Proxy(port, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function' || typeof key !== 'string' || !REMOVALS.has(key)) return value;
        return async (...args: unknown[]) => {
          calls.push(key);
          const mine = calls.length === n + 1;
          if (mine && mode === 'request lost') {
            lost = key;
            throw new Error('socket hang up');
          }
          const out: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          if (mine) {
            lost = key;
            throw new Error('socket hang up');
          }
          return out;
        };
      },
    });
  const wrapped = Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, wrap(port as object)])) as unknown as AwsPorts;
  return { ports: wrapped, calls: () => [...calls], lost: () => lost };
}

async function removalCount(flags: SetupFlags): Promise<string[]> {
  const aws = world((state) => (state.bucket = { status: 'missing' }));
  const dir = tempDir();
  await setup(aws, dir, flags);
  const probe = losingAt(aws.ports, Number.POSITIVE_INFINITY, 'request lost');
  const run = await teardown(probe.ports, dir, { yes: true, deleteBucket: true });
  if (run.error) throw run.error;
  return probe.calls();
}

/**
 * Group, application, 2 profiles, tags, role out of profile, profile, policy, role, inline policy, role, bucket; with
 * GitHub Actions also the deploy role's inline policy, the role and the OIDC provider.
 */
const CASES: Array<[string, number, Mode, SetupFlags]> = [
  ['setup', 12, 'request lost', FLAGS],
  ['setup', 12, 'response lost', FLAGS],
  ['setup with GitHub Actions', 15, 'request lost', GITHUB_FLAGS],
  ['setup with GitHub Actions', 15, 'response lost', GITHUB_FLAGS],
];

describe('teardown interrupted at every removal, then run again', () => {
  it.each(CASES)('after %s, %i removals, %s at each: converges to the account before setup; a third run finds nothing left', async (_name, count, mode, flags) => {
    const removals = await removalCount(flags);
    expect(removals.length).toBe(count);
    for (let n = 0; n < removals.length; n++) {
      const aws = world((state) => (state.bucket = { status: 'missing' }));
      const before = snapshot(aws);
      const dir = tempDir();
      await setup(aws, dir, flags);
      const broken = losingAt(aws.ports, n, mode);
      const first = await teardown(broken.ports, dir, { yes: true, deleteBucket: true });
      const context = `${mode} at removal ${n} (${broken.lost() ?? 'none'})\n${first.stderr}`;
      expect(broken.lost(), context).toBe(removals[n]);
      expect(first.error?.message, context).toContain('socket hang up');
      expect((first.error as { hint?: string } | undefined)?.hint, context).toContain('Run the same command again (cd-wizard teardown --yes)');

      const again = await teardown(aws.ports, dir, { yes: true, deleteBucket: true });
      expect(again.error, `${context}\nre-run: ${again.stderr}`).toBeUndefined();
      expect(snapshot(aws), context).toEqual(before);
      expect(Object.keys(answersFile(dir).state ?? {}).sort(), context).toEqual(['account', 'partition', 'region', 'updatedAt']);

      const third = await teardown(aws.ports, dir, { yes: true, deleteBucket: true });
      expect(third.stdout, context).toBe('Nothing to tear down: cd-wizard.json records nothing that setup created.\n');
    }
  });
});
