import { defineConfig } from 'vitest/config';

/**
 * Three projects, so the inner loop stays fast:
 * - unit: pure code and real-server tests (redis-server, unbound, keepalived, kinesalite ...). They never
 *   need the synthesized app; the project forbids it (test/support/shared-assembly.ts).
 * - templates: tests of the CDK app; the first one that reads a template synthesizes the default app
 *   once for the run, the others read the same assembly.
 * - drill: the failover drill (real keepalived in network namespaces).
 * `npx vitest run FILE` runs one file in whichever project holds it; `npm run test:unit` runs unit only.
 */
const UNIT = [
  'test/*.test.ts',
  'test/common/**/*.test.ts',
  'test/containers/**/*.test.ts',
  'test/hosts/**/*.test.ts',
  'test/lambda/**/*.test.ts',
  'test/scripts/**/*.test.ts',
  'test/lib/config-schema/**/*.test.ts',
  'test/lib/host-config/**/*.test.ts',
];
const DRILL = ['test/drill/**/*.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/restore-env.ts'],
    environment: 'node',
    pool: 'forks',
    // Test files share a worker's module cache: loading aws-cdk-lib once per worker, not once per file,
    // is what keeps the suite fast on two cores. Files therefore must not rely on module state.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    snapshotFormat: { printBasicPrototype: false },
    reporters: ['default'],
    projects: [
      { extends: true, test: { name: 'unit', include: UNIT, env: { MONSAAS_TEST_NO_SYNTH: '1' } } },
      { extends: true, test: { name: 'templates', include: ['test/**/*.test.ts'], exclude: [...UNIT, ...DRILL] } },
      { extends: true, test: { name: 'drill', include: DRILL } },
    ],
  },
});
