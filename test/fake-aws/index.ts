/**
 * A loopback fake of the AWS APIs cd-wizard uses, for end-to-end tests and manual tries. See README.md.
 *
 *   const aws = await startFakeAws({ seed, faults: { iamPropagationSeconds: 0.3 } });
 *   const iam = new IAMClient({ endpoint: aws.url, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
 *   …
 *   expect(aws.mutatingCalls().map((c) => c.action)).toEqual([...]);
 *   await aws.close();
 */
export { startFakeAws, isMutatingAction, type FakeAws, type FakeAwsOptions, type CallRecord } from './server.js';
export { defaultFaults, type Faults, type FaultsInput, type InjectedError } from './faults.js';
export { CODEDEPLOY_TRUST_POLICY, type Seed } from './seed.js';
export { SERVICE_NAMES, type ServiceName } from './service.js';
export type { FakeState } from './state.js';
export { AWS_MANAGED_POLICIES } from './managed-policies.js';
