/** STS over the AWS query protocol (version 2011-06-15): who is calling. */
import { awsQueryCodec, awsQueryErrors } from '../query.js';
import { defineService, type ServiceDef } from '../service.js';

export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function stsService(): ServiceDef {
  return defineService({
    name: 'sts',
    codec: awsQueryCodec(STS_XMLNS),
    errors: awsQueryErrors(),
    operations: {
      GetCallerIdentity: (_params, ctx) => ({
        UserId: ctx.state.sts.callerUserId,
        Account: ctx.state.sts.account,
        Arn: ctx.state.sts.callerArn,
      }),
    },
  });
}
