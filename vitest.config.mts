import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    environment: 'node',
    pool: 'forks',
    // Synth-heavy files share one built app per file; real-server suites start their own processes.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    snapshotFormat: { printBasicPrototype: false },
    reporters: ['default'],
  },
});
