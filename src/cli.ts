/**
 * `npm run conformance [-- --api betterprompt,runtype] [--rule ID] [--replay SEED [--path P]] [--shard i/n]`
 * Exit 0 PASS; 1 FAIL: a rule failed (even if the run stopped early); 2: usage, configuration or target error
 * (one line, no stack), or INCOMPLETE: a run that stopped early (deadline, budget, Ctrl-C, SIGTERM) with no
 * failure so far; 3 INCONCLUSIVE: only data that kept changing kept rules from concluding (run again).
 */
import { accessSync, constants, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { summaryLines } from './reporters/console';
import { apis } from './apis';
import { writeReports } from './reporters/index';
import { runOutput } from './reporters/run-output';
import { runConformance } from './run';
import { loadEnvFile, type RunConfig, readConfig } from './runner/config';
import { ConfigError, errorMessage, TargetError } from './shared/errors';
import { interrupts, runMain } from './shared/main';
import { VERDICT_EXIT, verdictOf } from './shared/report';

process.env.PACT_DO_NOT_TRACK = 'true';

const HELP = `Usage: npm run conformance -- [options]

  --api a,b          APIs to check: betterprompt, runtype (default: all)
  --rule ID[,ID]     only these rules
  --replay SEED      replay with this seed (same as --seed; CONFORMANCE_SEED)
  --path P           with --replay: jump to the shrunk counterexample path
  --shard i/n        run the i-th of n deterministic slices of the rules
  --report-dir DIR   where reports go (default: reports; a replay: reports/replay-SEED,
                     a shard: reports/shard-I-of-N, so neither overwrites the full report)
  --baseline FILE    known deviations (default: ./conformance.baseline.json when present)
  --require-targets  refuse an API without a configured target (CONFORMANCE_REQUIRE_TARGETS=true;
                     the nightly and release-gate workflows set it)

Targets come from BETTERPROMPT_BASE_URL/_API_KEY and RUNTYPE_BASE_URL/_API_KEY (env or .env);
an API without a target is checked against its embedded reference provider (two accounts),
reported apart from the configured targets' results.
A second account's key (BETTERPROMPT_API_KEY_2, RUNTYPE_API_KEY_2) turns on the tenant-isolation rules.
Exit status: 0 PASS; 1 FAIL (a rule failed); 2 usage/configuration/target error, or INCOMPLETE
(deadline, budget, Ctrl-C, SIGTERM without a failure); 3 INCONCLUSIVE (the target's data kept
changing; run again). The report of what finished is written in every case but a second, later signal.`;

export async function main(argv: readonly string[]): Promise<number> {
  loadEnvFile();
  const config = withDefaultReportDir(readConfig(argv, process.env), argv);
  if (config.cli.help) {
    console.log(HELP);
    return 0;
  }
  // a malformed baseline is a configuration error: say so before any request is sent
  const output = runOutput(config, apis);
  // likewise an unwritable report dir: finding out after a long run against staging would lose it all
  reportDirOrThrow(config.cli.reportDir);
  const stop = interrupts('the run', () => {
    // the notice goes on a clean line, not after a half-drawn progress line
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[2K');
  });
  const shard = config.cli.shard ? ` · shard ${config.cli.shard.index}/${config.cli.shard.count}` : '';
  console.log(
    `seed ${config.settings.seed} · ${config.settings.runs} cases per property${shard} (replay: CONFORMANCE_SEED=${config.settings.seed}) · reports to ${config.cli.reportDir}`,
  );
  // once the run stops, the rules it did not get to are one summary line, not one "skipped: stopped" line each
  const notRun = new Map<string, number>();
  const hooks: typeof output.hooks = {
    ...output.hooks,
    onRule: (r) => {
      if (r.notRun !== undefined) notRun.set(r.notRun, (notRun.get(r.notRun) ?? 0) + 1);
      else output.hooks.onRule?.(r);
    },
    onApi: (a) => {
      for (const [reason, n] of notRun)
        output.hooks.log?.(`- ${n} rule${n === 1 ? '' : 's'} not run (${a.api}): ${reason}`);
      notRun.clear();
      output.hooks.onApi?.(a);
    },
  };
  try {
    const report = output.finish(await runConformance(config, { ...hooks, signal: stop.signal }));
    const files = writeReportFiles(report, config.cli.reportDir);
    console.log(`reports: ${files.join(', ')}`);
    const verdict = verdictOf(report);
    for (const line of summaryLines(report, verdict)) console.log(line);
    // the other APIs' results are written above; the unusable target is still a configuration error
    if (report.targetError) throw new TargetError(report.targetError);
    if (verdict.verdict === 'INCOMPLETE')
      console.error(
        `incomplete: ${report.incomplete}; ${report.totals.skip} rules skipped, not passed (see ${config.cli.reportDir})`,
      );
    // data that kept changing kept some rules from concluding: not a pass, not a finding, and not a setup error
    if (verdict.verdict === 'INCONCLUSIVE')
      console.error(
        `inconclusive: ${report.totals.inconclusive} rules could not conclude because the target's data changed during the run; run again: ${verdict.rerun} (see ${config.cli.reportDir})`,
      );
    return VERDICT_EXIT[verdict.verdict];
  } finally {
    output.close();
    await stop.settle();
  }
}

/**
 * Without `--report-dir`, a replay or a shard writes beside the full report, not over it: a replay of one
 * rule would otherwise replace the nightly's report, and two shards in one checkout each other's.
 */
function withDefaultReportDir(config: RunConfig, argv: readonly string[]): RunConfig {
  if (argv.some((a) => a === '--report-dir' || a.startsWith('--report-dir='))) return config;
  const replay = argv.some((a) => a === '--replay' || a.startsWith('--replay='));
  const { shard } = config.cli;
  const sub = replay ? `replay-${config.settings.seed}` : shard ? `shard-${shard.index}-of-${shard.count}` : undefined;
  return sub ? { ...config, cli: { ...config.cli, reportDir: join(config.cli.reportDir, sub) } } : config;
}

function reportDirError(dir: string, e: unknown): ConfigError {
  const code = (e as { code?: unknown }).code;
  return new ConfigError(
    `cannot write reports to ${dir} (${typeof code === 'string' ? code : errorMessage(e)}); choose a writable --report-dir`,
  );
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
