/** The seed sweep: does each fault fail its rule at every seed? Shared by `scripts/seed-sweep.ts` and the sweep self-test. */
import type { ApiModule, Drift } from '../shared/api';
import { failedIds, runEmbedded } from './harness';

export interface SweepFault {
  rule: string;
  knob: string;
  /** Rows the provider needs for this fault to show. */
  rows?: number;
  /** Run the whole catalogue: a fault only the response audit sees shows in other rules' requests. */
  whole?: boolean;
}

export interface SweepOptions {
  seeds: readonly number[];
  drift?: Drift;
  /** Rows for every run (a fault's own `rows` wins). */
  rows?: number;
  /** Also run the clean provider at each seed (false alarms). @defaultValue true */
  clean?: boolean;
}

export interface SweepResult {
  /** "seed 3: BP-X missed fault k" lines. */
  misses: string[];
  /** "seed 3: FALSE ALARM BP-Y" lines. */
  falseAlarms: string[];
}

/**
 * Runs each fault at each seed, checking only its owning rule (the reference is still built and validated),
 * with the data seed varied alongside the run seed so neither the data nor the draws favour detection.
 */
export async function sweep(api: ApiModule, faults: readonly SweepFault[], o: SweepOptions): Promise<SweepResult> {
  const out: SweepResult = { misses: [], falseAlarms: [] };
  for (const seed of o.seeds) {
    const base = { seed: seed * 7919, dataSeed: seed, ...(o.drift ? { drift: o.drift } : {}) };
    if (o.clean !== false) {
      const clean = failedIds(await runEmbedded(api, { ...base, ...(o.rows ? { rows: o.rows } : {}) }));
      if (clean.length) out.falseAlarms.push(`seed ${seed}: FALSE ALARM ${clean.join(',')}`);
    }
    for (const f of faults) {
      const rows = f.rows ?? o.rows;
      const failed = failedIds(
        await runEmbedded(api, {
          ...base,
          knobs: [f.knob],
          ...(f.whole ? {} : { rules: [f.rule] }),
          ...(rows ? { rows } : {}),
        }),
      );
      if (!failed.includes(f.rule)) out.misses.push(`seed ${seed}: ${f.rule} missed fault ${f.knob}`);
    }
  }
  return out;
}
