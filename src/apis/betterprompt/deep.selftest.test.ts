/**
 * Large accounts: no false alarm at 20,000 runs, and faults that live only in old data (past the 1,200th run, past
 * the 10,000th) are caught at seeds 1–10 by the deep profile, which reads the account end to end, and by the default
 * profile, whose until windows sample old data at a fixed cost (issue 20).
 */
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../run';
import type { ApiModule } from '../../shared/api';
import { runEmbedded, selfTestConfig } from '../../selftest/harness';
import { betterprompt } from './index';
import { type BpKnob, startBpProvider } from './provider';
import { failedIn, faultCases } from './selftest-cases';

const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);

/** One rule, one profile, one seed, on a provider of `rows` runs with `knob`. */
async function runOld(depth: 'default' | 'deep', knob: BpKnob, rows: number, seed: number, rule: string) {
  const cfg = selfTestConfig(betterprompt as unknown as ApiModule, { rules: [rule], seed: seed * 7919 });
  const api = {
    ...betterprompt,
    startProvider: (p: { apiKey: string }) => startBpProvider({ ...p, rows, knobs: [knob], dataSeed: seed }),
  } as unknown as ApiModule;
  return runConformance({ ...cfg, settings: { ...cfg.settings, depth } }, { modules: { betterprompt: api } });
}

const ROWS = 20_000;

describe('betterprompt on a large account', () => {
  it(`the clean provider passes with ${ROWS} runs, new runs arriving`, async () => {
    const report = await runEmbedded(betterprompt, { rows: ROWS, drift: { addEvery: 20 } });
    expect(failedIn(report)).toEqual([]);
  });

  for (const f of faultCases.filter((c) => c.rows !== undefined))
    for (const depth of ['deep', 'default'] as const)
      it(`${f.rule} alone fails under the ${depth} profile at seeds 1–10 on a provider whose ${f.description} (${f.rows} runs)`, async () => {
        for (const seed of SEEDS)
          expect(failedIn(await runOld(depth, f.knob as BpKnob, f.rows ?? ROWS, seed, f.rule)), `seed ${seed}`).toEqual(
            [f.rule],
          );
      });

  for (const f of faultCases.filter((c) => c.rows !== undefined)) {
    it(`${f.rule} fails on a provider whose ${f.description} (${ROWS} runs)`, async () => {
      const failed = failedIn(await runEmbedded(betterprompt, { knobs: [f.knob], rows: ROWS }));
      expect(failed).toContain(f.rule);
      expect(failed.filter((id) => id !== f.rule).length).toBeLessThanOrEqual(1);
    });
  }
});
