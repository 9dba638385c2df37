// The part of @aws-sdk/client-sts cd-wizard calls (see ../clients.ts for why it is not the whole package).
export {
  STSClient,
  GetCallerIdentityCommand,
} from '@aws-sdk/client-sts';
// Its types all stay available; only the values above are bundled.
export type * from '@aws-sdk/client-sts';
