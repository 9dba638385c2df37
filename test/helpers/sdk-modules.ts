/**
 * The SDK modules src/aws/clients.ts imports on first use (src/aws/sdk/*.ts), loaded before every test file. A
 * command under test may start loading a client it never waits for (preloadClients); test files share a process,
 * so that load could still be under way when its file ends, and vitest refuses a module load after a file's
 * environment is torn down. Loaded here first, those imports are answered from the module cache.
 */
await Promise.all([
  import('../../src/aws/sdk/auto-scaling.js'),
  import('../../src/aws/sdk/codedeploy.js'),
  import('../../src/aws/sdk/ec2.js'),
  import('../../src/aws/sdk/iam.js'),
  import('../../src/aws/sdk/s3.js'),
  import('../../src/aws/sdk/ssm.js'),
  import('../../src/aws/sdk/sts.js'),
  import('@aws-sdk/lib-storage'),
]);
