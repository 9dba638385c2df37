import type { CallTarget } from '../../../src/aws/errors.js';

export const TARGET: CallTarget = { region: 'eu-west-1', env: {}, readText: () => undefined };

/** A client config that never looks at the machine's AWS setup. */
export const OFFLINE = { region: 'eu-west-1', credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' } };

export function sdkError(name: string, message: string, status = 400) {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status }, $fault: 'client' as const });
}
