import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // End-to-end tests spawn the built binary in pseudo-terminals and loopback servers, several at once on two
    // cores; the slowest takes about 20 s under that load, so a hang is caught with three times that room.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Both cores: most of an end-to-end test's time is a child process, so two files at once keep them busy.
    maxWorkers: 2,
    pool: 'forks',
    // One process per worker for all its files: starting a fresh one per file cost ~0.4 s each. Files must leave
    // the process as they found it; restore-env puts back the environment and working folder after each.
    isolate: false,
    setupFiles: ['test/helpers/restore-env.ts', 'test/helpers/sdk-modules.ts'],
    // No test may reach beyond loopback: the SDK must never ask the EC2 metadata service for credentials.
    env: { CD_WIZARD_NO_AUTORUN: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', AWS_EC2_METADATA_DISABLED: 'true' },
  },
});
