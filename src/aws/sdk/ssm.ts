// The part of @aws-sdk/client-ssm cd-wizard calls (see ../clients.ts for why it is not the whole package).
export {
  SSMClient,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  SendCommandCommand,
} from '@aws-sdk/client-ssm';
// Its types all stay available; only the values above are bundled.
export type * from '@aws-sdk/client-ssm';
