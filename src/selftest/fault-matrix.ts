/**
 * One fault, one failure, measured: every fault-injected provider of an API is run once, and the rules it
 * fails (and blocks) are counted. `npm run bench` prints the distribution; self-tests assert on it.
 */
import type { ApiModule, Drift, ExtraFault } from '../shared/api';
import { runEmbedded } from './harness';

export interface FaultOutcome {
  /** The rule the fault belongs to. */
  rule: string;
  knob: string;
  /** Rules that failed, in catalogue order. */
  failed: string[];
  blocked: string[];
  inconclusive: string[];
  /** The owning rule failed. */
  caught: boolean;
  /** The owning rule is the first failure in catalogue order. */
  ownerFirst: boolean;
}

export interface FaultDistribution {
  faults: number;
  caught: number;
  /** Faults whose only failing rule is their owner. */
  ownerOnly: number;
  ownerFirst: number;
  /** Failing rules per fault. */
  median: number;
  max: number;
  /** The faults with the most failing rules, for reading. */
  worst: { rule: string; failed: string[] }[];
}

export async function faultMatrix(
  api: ApiModule,
  opts: { seed?: number; rows?: number; drift?: Drift } = {},
): Promise<FaultOutcome[]> {
  const out: FaultOutcome[] = [];
  const all: ExtraFault[] = [
    ...Object.entries(api.faults).map(([rule, f]) => ({ rule, ...f })),
    ...(api.extraFaults ?? []),
  ];
  for (const fault of all) {
    const { rule } = fault;
    const report = await runEmbedded(api, {
      knobs: [fault.knob],
      ...opts,
      ...(fault.rows ? { rows: fault.rows } : {}),
    });
    const results = report.apis[0]?.results ?? [];
    const ids = (s: string) => results.filter((r) => r.status === s).map((r) => r.id);
    const failed = ids('fail');
    out.push({
      rule,
      knob: fault.knob,
      failed,
      blocked: ids('blocked'),
      inconclusive: ids('inconclusive'),
      caught: failed.includes(rule),
      ownerFirst: failed[0] === rule,
    });
  }
  return out;
}

export function distribution(outcomes: readonly FaultOutcome[]): FaultDistribution {
  const counts = outcomes.map((o) => o.failed.length).sort((a, b) => a - b);
  const mid = counts.length >> 1;
  const median =
    counts.length === 0
      ? 0
      : counts.length % 2
        ? (counts[mid] ?? 0)
        : ((counts[mid - 1] ?? 0) + (counts[mid] ?? 0)) / 2;
  const worst = [...outcomes]
    .sort((a, b) => b.failed.length - a.failed.length)
    .slice(0, 3)
    .filter((o) => o.failed.length > 1)
    .map((o) => ({ rule: o.rule, failed: o.failed }));
  return {
    faults: outcomes.length,
    caught: outcomes.filter((o) => o.caught).length,
    ownerOnly: outcomes.filter((o) => o.caught && o.failed.length === 1).length,
    ownerFirst: outcomes.filter((o) => o.ownerFirst).length,
    median,
    max: counts.at(-1) ?? 0,
    worst,
  };
}
