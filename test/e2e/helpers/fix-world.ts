/**
 * The world the `cd-wizard fix` end-to-end tests run in: a fake AWS seeded with one failure scenario
 * (test/fake-aws/scenarios.ts), a working folder holding the scenario's cd-wizard.json, and runners for the BUILT
 * binary in a pipe (runCli) or in a pseudo-terminal (spawnCli), pointed at the fake.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAws, type FakeAws, type FaultsInput, type Seed } from '../../fake-aws/index.js';
import { scenario, type AnswersFileJson } from '../../fake-aws/scenarios.js';
import { spawnCli, type CliSession, type SpawnOptions } from '../pty.js';
import { runCli, type CliRun } from './run-cli.js';

export interface FixWorld {
  aws: FakeAws;
  dir: string;
  /** The binary with pipes (no terminal), in `dir`. */
  run(args: readonly string[], options?: { env?: Record<string, string | undefined>; timeoutMs?: number }): Promise<CliRun>;
  /** The binary in a pseudo-terminal, in `dir`. */
  pty(args: readonly string[], options?: SpawnOptions): CliSession;
  close(): Promise<void>;
}

/** Where the CLI finds the fake: its endpoint and keys, standard retries, fast polling. */
export function fixEnv(aws: FakeAws, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return { ...aws.env(), AWS_PROFILE: undefined, AWS_RETRY_MODE: 'standard', CD_WIZARD_POLL_MS: '50', ...extra };
}

export async function startWorld(setup: { scenario?: string; seed?: Seed; answers?: AnswersFileJson | null; faults?: FaultsInput }): Promise<FixWorld> {
  const chosen = setup.scenario === undefined ? undefined : scenario(setup.scenario);
  const seed = setup.seed ?? chosen?.seed;
  const aws = await startFakeAws({ ...(seed ? { seed } : {}), ...(setup.faults ? { faults: setup.faults } : {}) });
  const dir = mkdtempSync(join(tmpdir(), 'cdw-e2e-fix-'));
  const answers = setup.answers === undefined ? chosen?.answers : setup.answers;
  if (answers) writeFileSync(join(dir, 'cd-wizard.json'), `${JSON.stringify(answers, null, 2)}\n`);
  return {
    aws,
    dir,
    run: (args, options = {}) => runCli(['fix', ...args], { cwd: dir, timeoutMs: options.timeoutMs ?? 30_000, env: fixEnv(aws, options.env) }),
    pty: (args, options = {}) => spawnCli(['fix', ...args], { cols: 120, rows: 50, ...options, cwd: dir, env: { ...fixEnv(aws), AWS_EC2_METADATA_DISABLED: 'true', ...options.env } }),
    async close() {
      await aws.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface FixJson {
  findings: Array<{
    cause: string;
    title: string;
    evidence: string[];
    seen: Array<{ instance?: string; event?: string; errorCode?: string; exitCode?: number; script?: string; alsoOn?: string[]; lines: Array<{ part: string; text: string }> }>;
    chosenOver?: Array<{ cause: string; because: string }>;
    fix: Array<{ text: string; command?: string }>; guide: string; instances: string[]; events: string[]; confirmedBy: string[];
    rollup?: boolean;
    causes?: string[];
  }>;
  recognised: boolean;
  deployment: { id: string; status: string; errorCode?: string; targetsRead: number } | null;
  checks: Array<{ id: string; status: 'ok' | 'problem' | 'could-not-check'; title: string; detail?: string; reason?: string; instance?: string }>;
  ssm: { status: string };
  remedies: Array<{ kind: string; status: string; changes: string[]; result?: string; recheck?: Array<{ id: string; status: string }> }>;
}

export function parseJson(run: CliRun): FixJson {
  return JSON.parse(run.stdout) as FixJson;
}
