/**
 * The world the `cd-wizard deploy` end-to-end tests run in: the fake AWS with the scenarios' working account (no
 * failed deployment), deployments that take `durationMs` of real time, a folder with setup's cd-wizard.json and the
 * bundle `cd-wizard init --kind node` writes, and runners for the BUILT binary in a pipe or a pseudo-terminal.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAws, type FakeAws } from '../../fake-aws/index.js';
import { ANSWERS, baseSeed } from '../../fake-aws/scenarios.js';
import type { DeploymentOutcomeRule } from '../../fake-aws/state.js';
import { spawnCli, type CliSession } from '../pty.js';
import { fixEnv } from './fix-world.js';
import { describeRun, runCli, type CliRun } from './run-cli.js';

export interface DeployWorld {
  aws: FakeAws;
  dir: string;
  run(args: readonly string[]): Promise<CliRun>;
  pty(args: readonly string[]): CliSession;
  close(): Promise<void>;
}

export async function startDeployWorld(options: { durationMs?: number; outcomes?: DeploymentOutcomeRule[] }): Promise<DeployWorld> {
  const seed = baseSeed({ deployment: null });
  const aws = await startFakeAws({ seed: { ...seed, codedeploy: { ...seed.codedeploy, deploymentDurationMs: options.durationMs ?? 0, outcomes: options.outcomes ?? [] } } });
  const dir = mkdtempSync(join(tmpdir(), 'cdw-e2e-deploy-'));
  writeFileSync(join(dir, 'cd-wizard.json'), `${JSON.stringify(ANSWERS, null, 2)}\n`);
  const env = fixEnv(aws);
  const init = await runCli(['init', '--kind', 'node', '--name', 'shop', '--port', '3000', '--no-github-actions'], { cwd: dir, env });
  if (init.code !== 0) throw new Error(`init failed: ${describeRun(init)}`);
  return {
    aws,
    dir,
    run: (args) => runCli(['deploy', ...args], { cwd: dir, timeoutMs: 30_000, env }),
    pty: (args) => spawnCli(['deploy', ...args], { cols: 80, rows: 30, cwd: dir, env: { ...env, AWS_EC2_METADATA_DISABLED: 'true' } }),
    async close() {
      await aws.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
