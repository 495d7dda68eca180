/**
 * `npm run verify [-- --api betterprompt,runtype]`: replays contracts/ against the embedded reference
 * providers and, for each configured target (BETTERPROMPT_/RUNTYPE_BASE_URL + _API_KEY), against it.
 * Exit 0: no interaction failed; 1: one did; 2: configuration error.
 */
import { reportLines } from '../src/pact/verify';
import { readBroker } from '../src/pact/broker';
import { verifyAll } from '../src/pact/verify-all';
import { loadEnvFile, readConfig } from '../src/shared/config';
import { runMain } from '../src/shared/main';

process.env.PACT_DO_NOT_TRACK = 'true';

async function main(): Promise<number> {
  loadEnvFile();
  const config = readConfig(process.argv.slice(2), process.env);
  const broker = readBroker(process.env);
  const reports = await verifyAll({
    apis: config.cli.apis,
    targets: config.targets,
    broker,
    log: (l) => console.log(l),
  });
  console.log('');
  for (const r of reports) for (const l of reportLines(r)) console.log(l);
  const failed = reports.reduce((n, r) => n + r.counts.fail, 0);
  const skipped = reports.reduce((n, r) => n + r.counts.skip, 0);
  const passed = reports.reduce((n, r) => n + r.counts.pass, 0);
  console.log(`verify: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  return failed ? 1 : 0;
}

runMain(main);
