/** Large accounts: no false alarm at 20,000 runs, and faults that live only in old data (beyond the walk cap) are caught. */
import { describe, expect, it } from 'vitest';
import { runEmbedded } from '../../selftest/harness';
import { betterprompt } from './index';
import { failedIn, faultCases } from './selftest-cases';

const ROWS = 20_000;

describe('betterprompt on a large account', () => {
  it(`the clean provider passes with ${ROWS} runs, new runs arriving`, async () => {
    const report = await runEmbedded(betterprompt, { rows: ROWS, drift: { addEvery: 20 } });
    expect(failedIn(report)).toEqual([]);
  });

  for (const f of faultCases.filter((c) => c.rows !== undefined)) {
    it(`${f.rule} fails on a provider whose ${f.description} (${ROWS} runs)`, async () => {
      const failed = failedIn(await runEmbedded(betterprompt, { knobs: [f.knob], rows: ROWS }));
      expect(failed).toContain(f.rule);
      expect(failed.filter((id) => id !== f.rule).length).toBeLessThanOrEqual(1);
    });
  }
});
