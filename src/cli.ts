/**
 * `npm run conformance [-- --api betterprompt,runtype] [--rule ID] [--replay SEED [--path P]] [--shard i/n]`
 * Exit 0: every rule passed; 1: a rule failed (even if the run stopped early); 2: usage, configuration or target
 * error (one line, no stack), or a run that stopped early (deadline, budget, Ctrl-C) with no failure so far.
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { totalLine } from './reporters/console';
import { apis } from './apis';
import { writeReports } from './reporters/index';
import { runOutput } from './reporters/run-output';
import { runConformance } from './run';
import { loadEnvFile, readConfig } from './shared/config';
import { ConfigError, errorMessage, TargetError } from './shared/errors';
import { runMain } from './shared/main';

process.env.PACT_DO_NOT_TRACK = 'true';

/** How long after a Ctrl-C a second one counts as npm's duplicate rather than a deliberate "exit now". */
const DUPLICATE_SIGINT_MS = 1000;

const HELP = `Usage: npm run conformance -- [options]

  --api a,b          APIs to check: betterprompt, runtype (default: all)
  --rule ID[,ID]     only these rules
  --replay SEED      replay with this seed (same as --seed; CONFORMANCE_SEED)
  --path P           with --replay: jump to the shrunk counterexample path
  --shard i/n        run the i-th of n deterministic slices of the rules
  --report-dir DIR   where reports go (default: reports)
  --baseline FILE    known deviations (default: ./conformance.baseline.json when present)

Targets come from BETTERPROMPT_BASE_URL/_API_KEY and RUNTYPE_BASE_URL/_API_KEY (env or .env);
an API without a target is checked against its embedded reference provider (two accounts).
A second account's key (BETTERPROMPT_API_KEY_2, RUNTYPE_API_KEY_2) turns on the tenant-isolation rules.
Exit status: 0 all rules pass, 1 a rule failed, 2 usage/configuration/target error
or an incomplete run (deadline, budget, Ctrl-C) without a failure.`;

export async function main(argv: readonly string[]): Promise<number> {
  loadEnvFile();
  const config = readConfig(argv, process.env);
  if (config.cli.help) {
    console.log(HELP);
    return 0;
  }
  // a malformed baseline is a configuration error: say so before any request is sent
  const output = runOutput(config, apis);
  // likewise an unwritable report dir: finding out after a long run against staging would lose it all
  reportDirOrThrow(config.cli.reportDir);
  const ac = new AbortController();
  let interruptedAt: number | undefined;
  const onSigint = () => {
    if (interruptedAt === undefined) {
      interruptedAt = Date.now();
      console.error('interrupted: stopping the run, then writing the report of what finished');
      ac.abort();
      return;
    }
    // npm and tsx forward the terminal's Ctrl-C a second time: only a later, deliberate one forces the exit
    if (Date.now() - interruptedAt > DUPLICATE_SIGINT_MS) {
      console.error('interrupted again: exiting without writing the report');
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  console.log(`seed ${config.settings.seed} · ${config.settings.runs} cases per property (replay: CONFORMANCE_SEED=${config.settings.seed})`);
  try {
    const report = output.finish(await runConformance(config, { ...output.hooks, signal: ac.signal }));
    const files = writeReportFiles(report, config.cli.reportDir);
    console.log(`reports: ${files.join(', ')}`);
    console.log(totalLine(report));
    // the other APIs' results are written above; the unusable target is still a configuration error
    if (report.targetError) throw new TargetError(report.targetError);
    // a failure is a finding whether or not the run finished; an unfinished run without one is not a pass
    if (report.totals.fail > 0) return 1;
    if (report.incomplete) {
      console.error(`incomplete: ${report.incomplete}; ${report.totals.skip} rules skipped, not passed (see ${config.cli.reportDir})`);
      return 2;
    }
    // data that kept changing kept some rules from concluding: not a pass, not a finding
    if (report.totals.inconclusive > 0) {
      console.error(`inconclusive: ${report.totals.inconclusive} rules could not conclude because the target's data changed during the run; run again (see ${config.cli.reportDir})`);
      return 2;
    }
    return 0;
  } finally {
    output.close();
    // npm forwards Ctrl-C a second time within milliseconds; a duplicate landing while the process exits
    // would kill it by signal, so an interrupted run lingers briefly (listener still on) to absorb it
    const since = interruptedAt;
    if (since !== undefined) await new Promise((r) => setTimeout(r, Math.max(0, since + DUPLICATE_SIGINT_MS - Date.now())));
  }
}

function reportDirError(dir: string, e: unknown): ConfigError {
  const code = (e as { code?: unknown }).code;
  return new ConfigError(`cannot write reports to ${dir} (${typeof code === 'string' ? code : errorMessage(e)}); choose a writable --report-dir`);
}

function reportDirOrThrow(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (e) {
    throw reportDirError(dir, e);
  }
}

function writeReportFiles(report: Parameters<typeof writeReports>[0], dir: string): string[] {
  try {
    return writeReports(report, dir);
  } catch (e) {
    throw reportDirError(dir, e);
  }
}

runMain(() => main(process.argv.slice(2)));
