/**
 * `npm run verify [-- --api betterprompt,runtype] [--baseline FILE]`: replays contracts/ against the embedded
 * reference providers and, for each configured target (BETTERPROMPT_/RUNTYPE_BASE_URL + _API_KEY), against it.
 * Exit 0 PASS: no interaction failed or was left unverified; 1 FAIL: one failed; 2: configuration error, or
 * INCOMPLETE: a provider state could not be established on a target (not verifiable there) and the baseline
 * does not accept it.
 */
import { readBroker } from '../src/pact/broker';
import { countsText, emptyCounts, reportLines } from '../src/pact/verify';
import { verifyAll } from '../src/pact/verify-all';
import { baselinePath, loadInteractionBaseline } from '../src/shared/baseline';
import { loadEnvFile, readConfig } from '../src/runner/config';
import { runMain } from '../src/shared/main';
import { VERDICT_EXIT } from '../src/shared/report';

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
    baseline: loadInteractionBaseline(baselinePath(config.cli.baseline)),
  });
  console.log('');
  const total = emptyCounts();
  for (const r of reports) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += r.counts[k];
  const verdict = total.fail ? 'FAIL' : total.unverifiable ? 'INCOMPLETE' : 'PASS';
  // the verdict first, then the detail
  console.log(
    `${verdict}: ${verdict === 'FAIL' ? 'an interaction failed' : verdict === 'INCOMPLETE' ? 'an interaction could not be verified on its target (its provider state cannot be established there)' : 'every interaction verified'}`,
  );
  for (const r of reports) for (const l of reportLines(r)) console.log(l);
  console.log(`verify: ${countsText(total)}`);
  return VERDICT_EXIT[verdict];
}

runMain(main);
