import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // End-to-end tests spawn the built binary in pseudo-terminals and loopback servers; give them room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // No test may reach beyond loopback: the SDK must never ask the EC2 metadata service for credentials.
    env: { CD_WIZARD_NO_AUTORUN: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_EC2_METADATA_DISABLED: 'true' },
  },
});
