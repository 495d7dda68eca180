/**
 * The CLI's output around one run: per-rule lines on stdout with the baseline already applied (so a known
 * deviation never flashes as a failure), progress on stderr, and the baseline's notes at the end.
 */
import type { ApiModule, ApiName } from '../shared/api';
import { applyBaseline, applyEntry, findEntry } from '../shared/baseline';
import { loadRunBaseline, type RunBaseline } from '../runner/baseline';
import type { RunConfig } from '../runner/config';
import { redactText } from '../shared/redact';
import type { ApiReport, RunReport } from '../shared/report';
import { apiSummary, ruleLine } from './console';
import { isLive, Progress } from './progress';
import { shardRules } from '../run';
import type { RunIo } from '../run';

export interface RunOutput {
  hooks: Pick<RunIo, 'log' | 'onRule' | 'onApi'>;
  /** The final report with the baseline applied; prints the baseline's notes. */
  finish(report: RunReport): RunReport;
  /** Clears the progress line (also on error paths, before an error line is printed). */
  close(): void;
}

/**
 * Sets up progress and the baseline: the one given (loaded already), else loaded here (a malformed one is a
 * ConfigError before any request).
 */
export function runOutput(
  config: RunConfig,
  registry: Partial<Record<ApiName, ApiModule>>,
  now = new Date(),
  baseline: RunBaseline | undefined = loadRunBaseline(config.cli.baseline, Object.values(registry)),
): RunOutput {
  const file = baseline?.file;
  const entries = baseline?.entries ?? [];
  const targetOf = (api: ApiName): ApiReport['target'] => {
    const t = config.targets[api];
    return t ? { kind: 'configured', url: redactText(t.baseUrl) } : { kind: 'embedded', url: '' };
  };
  const selected = shardRules(
    config.cli.apis.flatMap((n) => registry[n] ?? []),
    config.cli.shard,
    config.cli.rules,
  );
  const progress = new Progress({
    total: [...selected.values()].reduce((n, s) => n + s.size, 0),
    budget: config.limits(false, 0).maxRequests,
    live: isLive(process.stdout.isTTY, process.stderr.isTTY, process.env),
    write: (s) => process.stderr.write(s),
  });
  const print = (line: string) => {
    progress.clear();
    console.log(line);
    progress.draw();
  };
  return {
    hooks: {
      log: print,
      onRule: (r) => {
        progress.clear();
        console.log(ruleLine(applyEntry(r, findEntry(entries, r, targetOf(r.api)), now)));
        progress.rule(r);
      },
      onApi: (a) => {
        print(apiSummary({ ...a, results: a.results.map((r) => applyEntry(r, findEntry(entries, r, a.target), now)) }));
        progress.apiDone();
      },
    },
    finish(report) {
      progress.finish();
      if (!file) return report;
      const out = applyBaseline(report, entries, now, file);
      for (const line of baselineLines(out)) console.log(line);
      return out;
    },
    close: () => progress.finish(),
  };
}

/** One line per expired or stale baseline entry: what to do about it. */
export function baselineLines(report: RunReport): string[] {
  const b = report.baseline;
  if (!b) return [];
  return [
    ...b.expired.map(
      (e) =>
        `baseline: the entry for ${e.rule} expired on ${e.expires} and the rule still fails; fix the target or renew the entry in ${b.file} with a new date and reason`,
    ),
    ...b.stale.map((e) => `baseline: ${e.rule} passes now; remove its entry from ${b.file}`),
  ];
}
