import type { StsHandle } from '../clients.js';
import { call } from './call.js';

export interface CallerIdentity {
  account: string;
  /** arn:aws:sts::123456789012:assumed-role/Admin/alice */
  arn: string;
  /** aws, aws-cn, aws-us-gov …: taken from the caller's ARN, so policies use the right ARN prefix. */
  partition: string;
}

export interface IdentityPort {
  whoAmI(): Promise<CallerIdentity>;
}

export function createIdentityPort(load: () => Promise<StsHandle>): IdentityPort {
  return {
    async whoAmI() {
      const h = await load();
      const out = await call(h.target, { service: 'STS', operation: 'GetCallerIdentity' }, () => h.client.send(new h.sdk.GetCallerIdentityCommand({})));
      const arn = out.Arn ?? '';
      return { account: out.Account ?? '', arn, partition: arn.split(':')[1] || 'aws' };
    },
  };
}
