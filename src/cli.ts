/**
 * `npm run conformance [-- --api betterprompt,runtype] [--rule ID] [--replay SEED [--path P]] [--shard i/n]`
 * Exit 0: every rule passed; 1: a rule failed; 2: usage, configuration or target error (one line, no stack).
 */
import { apiSummary, ruleLine, totalLine } from './reporters/console';
import { writeReports } from './reporters/index';
import { runConformance } from './run';
import { loadEnvFile, readConfig } from './shared/config';
import { errorMessage, UsageError } from './shared/errors';
import { redactText } from './shared/redact';

process.env.PACT_DO_NOT_TRACK = 'true';

const HELP = `Usage: npm run conformance -- [options]

  --api a,b          APIs to check: betterprompt, runtype (default: all)
  --rule ID[,ID]     only these rules
  --replay SEED      replay with this seed (same as --seed; CONFORMANCE_SEED)
  --path P           with --replay: jump to the shrunk counterexample path
  --shard i/n        run the i-th of n deterministic slices of the rules
  --report-dir DIR   where reports go (default: reports)

Targets come from BETTERPROMPT_BASE_URL/_API_KEY and RUNTYPE_BASE_URL/_API_KEY (env or .env);
an API without a target is checked against its embedded reference provider.
Exit status: 0 all rules pass, 1 a rule failed, 2 usage/configuration/target error.`;

export async function main(argv: readonly string[]): Promise<number> {
  loadEnvFile();
  const config = readConfig(argv, process.env);
  if (config.cli.help) {
    console.log(HELP);
    return 0;
  }
  const ac = new AbortController();
  const onSigint = () => {
    console.error('interrupted: finishing the current request, then writing the report of what ran');
    ac.abort();
  };
  process.once('SIGINT', onSigint);
  console.log(`seed ${config.settings.seed} · ${config.settings.runs} cases per property (replay: CONFORMANCE_SEED=${config.settings.seed})`);
  try {
    const report = await runConformance(config, {
      log: (l) => console.log(l),
      onRule: (r) => console.log(ruleLine(r)),
      onApi: (a) => console.log(apiSummary(a)),
      signal: ac.signal,
    });
    const files = writeReports(report, config.cli.reportDir);
    console.log(`reports: ${files.join(', ')}`);
    console.log(totalLine(report));
    return report.totals.fail > 0 ? 1 : 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // one line, never a stack: our own errors carry the fix; anything else is labelled as ours
    const msg = redactText(errorMessage(e));
    console.error(e instanceof UsageError ? `error: ${msg}` : `internal error: ${msg} (please report this)`);
    process.exitCode = 2;
  },
);
