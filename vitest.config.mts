import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/restore-env.ts'],
    environment: 'node',
    pool: 'forks',
    // Test files share a worker's module cache: loading aws-cdk-lib once per worker, not once per file,
    // is what keeps the suite near 40 s on two cores. Files therefore must not rely on module state.
    isolate: false,
    // Synth-heavy files share one built app per file; real-server suites start their own processes.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    snapshotFormat: { printBasicPrototype: false },
    reporters: ['default'],
  },
});
