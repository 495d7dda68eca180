import { defineConfig } from 'vitest/config';

// Four projects: `unit` (engine, schemas, reporters), `self-test` (every rule against its fault),
// `conformance` (the catalogues against the configured or embedded targets), `contracts` (Pact consumer
// tests against the mock server, and the committed pacts verified against the embedded providers).
export default defineConfig({
  test: {
    env: { PACT_DO_NOT_TRACK: 'true' },
    // vitest's own summary, then one plain "N passed, N failed, N skipped" line for CI log readers
    reporters: ['default', './src/reporters/vitest-summary.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts'],
          exclude: ['src/**/*.selftest.test.ts', 'src/**/faults.test.ts'],
        },
      },
      { extends: true, test: { name: 'self-test', include: ['src/**/faults.test.ts', 'src/**/*.selftest.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'conformance',
          include: ['suites/**/*.test.ts'],
          exclude: ['suites/**/*.pact.test.ts'],
          globalSetup: ['suites/global-setup.ts'],
        },
      },
      { extends: true, test: { name: 'contracts', include: ['suites/**/*.pact.test.ts'] } },
    ],
  },
});
