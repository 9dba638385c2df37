import { readFileSync } from 'node:fs';

/**
 * The few things init reads from setup's answers file (cd-wizard.json) for the GitHub Actions workflow. Its format
 * is setup's (src/commands/setup/answers.ts); only these field names are read here, leniently: a missing or
 * unreadable file just means no defaults.
 *
 *   answers.app, answers.group, answers.bucket, answers.region   (what setup asked)
 *   state.deployRole.arn                                          (the OIDC deploy role, once setup records one)
 */

export const ANSWERS_FILE = 'cd-wizard.json';

export interface DeployTarget {
  app?: string;
  group?: string;
  bucket?: string;
  region?: string;
  roleArn?: string;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

export function readDeployTarget(path: string): { target: DeployTarget; problem?: string } {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch {
    return { target: {} };
  }
  let data: { answers?: Record<string, unknown>; state?: { deployRole?: { arn?: unknown } } };
  try {
    data = JSON.parse(raw) as typeof data;
  } catch {
    return { target: {}, problem: `${ANSWERS_FILE} is not valid JSON; its answers are not used.` };
  }
  const answers = typeof data.answers === 'object' && data.answers !== null ? data.answers : {};
  const target: DeployTarget = {};
  const app = text(answers.app);
  const group = text(answers.group);
  const bucket = text(answers.bucket);
  const region = text(answers.region);
  const roleArn = text(data.state?.deployRole?.arn);
  if (app) target.app = app;
  if (group) target.group = group;
  if (bucket) target.bucket = bucket;
  if (region) target.region = region;
  if (roleArn) target.roleArn = roleArn;
  return { target };
}
