/**
 * `npm run gate [-- --api betterprompt,runtype] [--require-targets] [--report-dir DIR] [--baseline FILE]`:
 * the one command a client release pipeline calls. Runs the consumer contract tests, provider verification
 * and the conformance catalogues (with the known-deviations baseline, as `npm run conformance` does) for the
 * configured targets (embedded when none; `--require-targets` refuses that), prints one table
 * (pillar × API), writes gate.json, gate.md and gate-junit.xml, and exits by its verdict: 0 PASS, 1 FAIL,
 * 2 INCOMPLETE (something not checked, e.g. an interaction not verifiable on the target) or a configuration
 * error, 3 INCONCLUSIVE. CLIENT_VERSION, when set, is recorded in the reports and names the pacts.
 * With PACT_BROKER_BASE_URL set it also publishes the pacts (official `pact broker` CLI) and, for a complete
 * verification of a configured target, the verification results for PACT_PROVIDER_VERSION (pact-js Verifier),
 * then records that version as deployed in staging (`record-deployment`); with PACT_BROKER_ENVIRONMENT it asks
 * `can-i-deploy --to-environment` for the client version, and with `--record-release` it records the client's
 * release there once the gate has passed.
 */
import { runGate } from '../src/gate/run-gate';
import { runMain } from '../src/shared/main';

process.env.PACT_DO_NOT_TRACK = 'true';

runMain(() => runGate(process.argv.slice(2)));
