import type { Issue } from '../resources/instances.js';
import { recordsOf, type Gone, type SetupState } from '../state.js';
import type { Step } from '../steps.js';
import { Builder, list, type Context, type Kept } from './builder.js';
import { ROLE_RECORDS, type TeardownInput, type TeardownObservation } from './observe.js';
import { planBucket } from './plan-bucket.js';
import { planApplication, planGroup } from './plan-codedeploy.js';
import { planOidcProvider, planProfile, planRole } from './plan-iam.js';
import { planInstanceProfiles, planInstanceTags } from './plan-instances.js';

export type { Kept } from './builder.js';

/**
 * Teardown's plan, a pure function of the answers file and what is in AWS: the removals in an order AWS accepts
 * (the group before the application and before the service role it needs; instances' profiles before the profile;
 * the role out of the profile before either is deleted; policies off a role before the role; the GitHub deploy role
 * before the OIDC provider it trusts), what stays and why, and what blocks it. A resource is removed only when the
 * answers file records it as created by setup AND it carries ManagedBy=cd-wizard (state.ts isOurs); instances carry
 * no such tag, so for them the recorded association and tag values decide, and only where they are still what setup
 * set.
 *
 * One planner per kind of resource (plan-*.ts), called here in that order; a role added to the answers file is one
 * more entry in ROLE_RECORDS (observe.ts).
 */

export interface TeardownPlan {
  account: string;
  partition: string;
  region: string;
  caller: string;
  /** Removals run after the one confirmation. */
  steps: Step[];
  /** The revision bucket and its objects: run only after their own confirmation. */
  bucketSteps: Step[];
  kept: Kept[];
  /** Reasons nothing may run (a deployment in progress, another account). */
  blocked: Issue[];
  /** Records of what is gone already, or was never cd-wizard's: taken out of the answers file when teardown applies. */
  forget: Gone;
}

export interface TeardownOptions {
  /** Also delete objects in the revision bucket that cd-wizard did not upload. */
  deleteBucketContents?: boolean;
}

function otherAccount(recorded: string, identity: TeardownObservation['identity']): Issue {
  return {
    message: `The answers file records resources in account ${recorded}, but these credentials are for account ${identity.account}.`,
    hint: `Use credentials for ${recorded} (--profile), or the answers file of this account (--answers).`,
  };
}

function runningDeployments(active: readonly string[], c: Context): Issue {
  const one = active.length === 1;
  return {
    message: `Deployment${one ? '' : 's'} ${list(active)} ${one ? 'is' : 'are'} still running in ${c.app ?? ''}/${c.group ?? ''}; tearing down now would pull the group or the instances' credentials out from under ${one ? 'it' : 'them'}.`,
    hint: `Wait for ${one ? 'it' : 'them'} (cd-wizard fix --wait --app ${c.app ?? ''} --group ${c.group ?? ''}) or stop ${one ? 'it' : 'them'} (aws deploy stop-deployment --deployment-id ${active[0] ?? ''}), then run teardown again.`,
  };
}

export function computeTeardown(input: TeardownInput, observed: TeardownObservation, region: string, options: TeardownOptions = {}): TeardownPlan {
  const { identity } = observed;
  const base = { account: identity.account, partition: identity.partition, region, caller: identity.arn };
  const recordedAccount = input.state.account;
  if (recordedAccount !== undefined && recordedAccount !== identity.account) {
    return { ...base, steps: [], bucketSteps: [], kept: [], forget: {}, blocked: [otherAccount(recordedAccount, identity)] };
  }
  const b = new Builder();
  const c: Context = {
    input,
    observed,
    app: input.state.application?.name ?? input.answers.app,
    group: input.state.deploymentGroup?.name ?? input.answers.group,
    groupRemoved: false,
    profileRemoved: false,
    detached: [],
    removedRoles: [],
  };
  const live = new Map(observed.instances.map((instance) => [instance.id, instance]));
  planGroup(b, c);
  planApplication(b, c);
  planInstanceProfiles(b, c, live);
  planInstanceTags(b, c, live);
  planProfile(b, c);
  for (const key of ROLE_RECORDS) planRole(b, c, key);
  planOidcProvider(b, c);
  planBucket(b, c, options.deleteBucketContents ?? false);

  const active = observed.group?.active ?? [];
  const blocked = active.length > 0 && b.steps.length + b.bucketSteps.length > 0 ? [runningDeployments(active, c)] : [];
  const forget: Gone = {
    ...(b.records.length > 0 ? { records: [...new Set(b.records)] } : {}),
    ...(Object.keys(b.instances).length > 0 ? { instances: b.instances } : {}),
  };
  return { ...base, steps: b.steps, bucketSteps: b.bucketSteps, kept: b.kept, blocked, forget };
}

/** Whether the answers file records anything teardown could act on (a resource or an instance). */
export function recordsAnything(state: SetupState | undefined): boolean {
  if (!state) return false;
  return recordsOf(state).length > 0 || Object.keys(state.instances ?? {}).length > 0;
}
