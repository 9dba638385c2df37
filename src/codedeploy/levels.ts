import { nameOfArn } from '../aws/arn.js';
import type { PolicyDocument } from '../aws/types.js';
import type { Operation, Step } from './steps.js';

/**
 * Which steps may run at the same time, read from the steps' own data: every operation names what it makes or
 * changes (`provides`) and what must already be there (`needs`), as keys like `role:CodeDeployServiceRole`. A step
 * waits for every earlier step that provides something it needs or changes the same thing; the plan's order stays a
 * valid order, so the levels never contradict it. Operations whose needs the data cannot say (a redeploy, an agent
 * restart, teardown's removals, whose order is their meaning) run alone, after everything before them.
 *
 * Setup on a fresh account: the two roles, the instance profile and the application first; then the policies, the
 * role in the profile and the deployment group; then the profile on the instances; then their tags.
 */

export type Dependencies = { provides: string[]; needs: string[] } | 'alone';

const role = (name: string) => `role:${name}`;
const profile = (name: string) => `profile:${name}`;
const instance = (id: string) => `instance:${id}`;
const application = (name: string) => `application:${name}`;
const oidcProvider = (hostOrArn: string) => `oidc:${hostOrArn.replace(/^https:\/\//, '').replace(/^arn:[^:]*:iam::\d*:oidc-provider\//, '')}`;

/** OIDC providers a trust policy lets in: the role cannot trust a provider that does not exist yet. */
function federatedProviders(trust: PolicyDocument): string[] {
  return trust.Statement.flatMap((statement) => {
    const federated = statement.Principal === '*' ? undefined : statement.Principal?.Federated;
    return (federated === undefined ? [] : [federated].flat()).filter((arn) => arn.includes(':oidc-provider/')).map(oidcProvider);
  });
}

export function dependenciesOf(op: Operation): Dependencies {
  switch (op.type) {
    case 'none':
      return { provides: [], needs: [] };
    case 'create-role':
    case 'update-trust':
      return { provides: [role(op.name)], needs: federatedProviders(op.trust) };
    case 'attach-policy':
      return { provides: [`policy:${op.roleName}/${op.policyArn}`], needs: [role(op.roleName)] };
    case 'put-inline-policy':
      return { provides: [`policy:${op.roleName}/${op.policyName}`], needs: [role(op.roleName)] };
    case 'create-instance-profile':
      return { provides: [profile(op.name)], needs: [] };
    case 'set-profile-role':
      return { provides: [profile(op.profileName)], needs: [role(op.roleName)] };
    case 'associate-profile':
      return { provides: op.instanceIds.map(instance), needs: [profile(op.profileName)] };
    case 'replace-profile':
      return { provides: [instance(op.instanceId)], needs: [profile(op.profileName)] };
    // Tags put an instance in the deployment group: only after the step that gives it the profile the agent needs.
    case 'tag-instances': {
      const ids = op.batches.flatMap((batch) => batch.instanceIds.map(instance));
      return { provides: ids, needs: ids };
    }
    case 'create-bucket':
      return { provides: [`bucket:${op.name}`], needs: [] };
    case 'create-application':
      return { provides: [application(op.name)], needs: [] };
    case 'create-deployment-group':
    case 'update-deployment-group':
      return { provides: [`group:${op.spec.application}/${op.spec.name}`], needs: [application(op.spec.application), role(nameOfArn(op.spec.serviceRoleArn))] };
    case 'create-oidc-provider':
      return { provides: [oidcProvider(op.url)], needs: [] };
    case 'add-oidc-audience':
      return { provides: [oidcProvider(op.arn)], needs: [] };
    default:
      return 'alone';
  }
}

/**
 * For each step (by index), the earlier steps it waits for: those that provide something it needs or changes the
 * same thing, and the last step before it that runs alone; a step that runs alone waits for every step before it.
 */
export function waitsFor(steps: readonly Step[]): number[][] {
  const waits: number[][] = [];
  /** The last step that runs alone: everything after it waits for it. */
  let lastAlone: number | undefined;
  steps.forEach((current, index) => {
    const deps = dependenciesOf(current.op);
    const earlier = [...Array(index).keys()];
    if (deps === 'alone') {
      waits.push(earlier);
      lastAlone = index;
      return;
    }
    const touches = new Set([...deps.needs, ...deps.provides]);
    const providers = earlier.filter((before) => {
      const theirs = dependenciesOf((steps[before] as Step).op);
      return theirs !== 'alone' && theirs.provides.some((key) => touches.has(key));
    });
    waits.push(lastAlone === undefined || providers.includes(lastAlone) ? providers : [lastAlone, ...providers]);
  });
  return waits;
}
