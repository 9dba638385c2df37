/**
 * The world teardown's unit tests run in: the in-memory AWS (test/helpers/fake-ports.ts) with two instances, setup
 * run through the real command, and a view of the account to compare before and after.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsPorts } from '../../../../src/aws/ports/index.js';
import { runDeploy } from '../../../../src/commands/deploy/deploy.js';
import { runSetup, type SetupFlags } from '../../../../src/commands/setup/setup.js';
import { runTeardown, type TeardownAsker, type TeardownFlags } from '../../../../src/commands/teardown/teardown.js';
import { captureContext } from '../../../helpers/context.js';
import { createFakeAws, emptyState, instance, type FakeAws, type FakeState } from '../../../helpers/fake-ports.js';

export const INSTANCES = ['i-0aaaaaaaaaaaaaaa1', 'i-0aaaaaaaaaaaaaaa2'] as const;
export const FLAGS: SetupFlags = { app: 'web', group: 'prod', bucket: 'my-revisions', instances: [...INSTANCES] };
/** The same with GitHub Actions: setup adds the OIDC provider and the deploy role cd-wizard-deploy-web. */
export const GITHUB_FLAGS: SetupFlags = { ...FLAGS, githubRepo: 'my-org/shop', githubBranch: 'main' };
const ENV = { AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' };

export function world(edit: (state: FakeState) => void = () => undefined): FakeAws {
  const state = emptyState();
  INSTANCES.forEach((id, i) => state.instances.set(id, instance(id, { name: `web-${i + 1}`, tags: { Name: `web-${i + 1}` } })));
  edit(state);
  return createFakeAws(state);
}

export const tempDir = () => mkdtempSync(join(tmpdir(), 'cdw-teardown-'));

export async function setup(aws: FakeAws, dir: string, flags: SetupFlags = FLAGS): Promise<void> {
  const ctx = captureContext({ region: 'eu-west-1' }, { ports: aws.ports, cwd: dir, env: ENV });
  const code = await runSetup(ctx, { ...flags, yes: true }, { sleep: async () => undefined });
  if (code !== 0) throw new Error(`setup failed: ${ctx.stderr()}`);
}

/** `cd-wizard deploy --no-wait` of the folder (setup's answers name the bucket), through the real command. */
export async function deploy(aws: FakeAws, dir: string): Promise<{ code: number; stderr: string }> {
  const ctx = captureContext({ region: 'eu-west-1' }, { ports: aws.ports, cwd: dir, env: ENV });
  const code = await runDeploy(ctx, undefined, { wait: false });
  return { code, stderr: ctx.stderr() };
}

export interface TeardownRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the teardown command; a UserError comes back as `error` with what was printed. */
export async function teardown(
  ports: AwsPorts,
  dir: string,
  flags: TeardownFlags = { yes: true },
  options: { asker?: TeardownAsker; json?: boolean } = {},
): Promise<TeardownRun & { error?: Error }> {
  const ctx = captureContext({ ...(options.json ? { json: true } : {}) }, { ports, cwd: dir, env: ENV });
  try {
    const code = await runTeardown(ctx, flags, { sleep: async () => undefined, now: () => new Date('2026-01-02T03:04:05Z'), ...(options.asker ? { asker: options.asker } : {}) });
    return { code, stdout: ctx.stdout(), stderr: ctx.stderr() };
  } catch (error) {
    return { code: -1, stdout: ctx.stdout(), stderr: ctx.stderr(), error: error as Error };
  }
}

export function answersFile(dir: string): { answers: Record<string, unknown>; state?: Record<string, unknown> } {
  return JSON.parse(readFileSync(join(dir, 'cd-wizard.json'), 'utf8')) as { answers: Record<string, unknown>; state?: Record<string, unknown> };
}

/** The account as comparable data: everything setup and teardown may touch. */
export function view(state: FakeState) {
  const sorted = <T>(map: Map<string, T>) => Object.fromEntries([...map.entries()].sort(([a], [b]) => a.localeCompare(b)));
  return {
    roles: sorted(state.roles),
    profiles: sorted(state.profiles),
    instances: sorted(state.instances),
    associations: sorted(state.associations),
    applications: sorted(state.applications),
    deploymentGroups: sorted(state.deploymentGroups),
    codeDeployTags: sorted(state.codeDeployTags),
    bucket: state.bucket,
    bucketTags: state.bucketTags,
    objects: sorted(state.objects),
    hooks: sorted(state.hooks),
    oidcProviders: sorted(state.oidcProviders),
  };
}

export const snapshot = (aws: FakeAws) => structuredClone(view(aws.state));
