import type { AnswersStore } from '../../context.js';

/**
 * The defaults the GitHub Actions workflow takes from the answers file (cd-wizard.json, or --answers), read
 * through the shared store only when the workflow is wanted: application, group, bucket and region from setup's
 * answers, and the OIDC deploy role's ARN from `state.deployRole.arn` once setup records one (the store keeps
 * unknown state keys, so the field is read by name here).
 */

export interface DeployTarget {
  app?: string;
  group?: string;
  bucket?: string;
  region?: string;
  roleArn?: string;
  /** The branch the deploy role trusts (setup --github-branch). */
  branch?: string;
}

export function readDeployTarget(store: AnswersStore): DeployTarget {
  const file = store.load();
  if (file === undefined) return {};
  const { app, group, bucket, region, githubBranch } = file.answers;
  const deployRole = (file.state as { deployRole?: { arn?: unknown } } | undefined)?.deployRole;
  const roleArn = typeof deployRole?.arn === 'string' ? deployRole.arn : undefined;
  return {
    ...(app ? { app } : {}),
    ...(group ? { group } : {}),
    ...(bucket ? { bucket } : {}),
    ...(region ? { region } : {}),
    ...(roleArn ? { roleArn } : {}),
    ...(githubBranch ? { branch: githubBranch } : {}),
  };
}
