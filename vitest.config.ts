import { defineConfig } from 'vitest/config';

/**
 * Self-tests and rehearsals that take a minute or more between them on a busy 2-core machine: `npm test`
 * (which a developer runs often) leaves them to `npm run test:full`, which CI runs (.ci/run).
 */
const LONG = [
  'src/rehearsal.selftest.test.ts',
  'src/safety.selftest.test.ts',
  'src/cli-signals.test.ts',
  'src/gate/gate-cli.test.ts',
  'src/gate/gate-broker.selftest.test.ts',
  'src/apis/*/drift*.selftest.test.ts',
  'src/apis/*/faults-drift.selftest.test.ts',
  'src/apis/*/faults-extra.selftest.test.ts',
  'src/apis/*/deep.selftest.test.ts',
  'src/apis/*/seeds.selftest.test.ts',
  'src/apis/*/sweep.selftest.test.ts',
  'src/apis/*/audit-sweep.selftest.test.ts',
];

// Five projects: `unit` (engine, schemas, reporters), `self-test` (every rule against its fault), `conformance`
// (the catalogues against the configured or embedded targets), `contracts` (Pact consumer tests against the mock
// server, and the committed pacts verified against the embedded providers), and `long` (the files above).
// `npm test` names the first four; `npm run test:full` runs them all.
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
          exclude: ['src/**/*.selftest.test.ts', 'src/**/faults.test.ts', ...LONG],
        },
      },
      {
        extends: true,
        test: {
          name: 'self-test',
          include: ['src/**/faults.test.ts', 'src/**/*.selftest.test.ts'],
          exclude: LONG,
        },
      },
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
      { extends: true, test: { name: 'long', include: LONG } },
    ],
  },
});
