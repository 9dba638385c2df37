// The part of @aws-sdk/client-auto-scaling cd-wizard calls (see ../clients.ts for why it is not the whole package).
export {
  AutoScalingClient,
  DeleteLifecycleHookCommand,
  DescribeAutoScalingGroupsCommand,
  DescribeLaunchConfigurationsCommand,
  DescribeLifecycleHooksCommand,
} from '@aws-sdk/client-auto-scaling';
// Its types all stay available; only the values above are bundled.
export type * from '@aws-sdk/client-auto-scaling';
