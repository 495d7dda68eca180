/** Self-tests: the clean provider passes every rule; each fault fails the run, naming its rule. */
import { describe, expect, it } from 'vitest';
import { failedIds, runEmbedded } from '../../shared/selftest';
import { betterprompt } from './index';

describe('betterprompt self-test', () => {
  it('the clean reference provider passes every rule (no false alarm)', async () => {
    const report = await runEmbedded(betterprompt);
    expect(failedIds(report)).toEqual([]);
    const skipped = report.apis[0]?.results.filter((r) => r.status === 'skip').map((r) => r.id);
    expect(skipped).toEqual(['BP-RATE-LIMIT-HEADER']);
  });

  for (const rule of betterprompt.rules) {
    const fault = betterprompt.faults[rule.id];
    it(`${rule.id} fails on a provider that ${fault.description}`, async () => {
      const report = await runEmbedded(betterprompt, { knobs: [fault.knob] });
      expect(failedIds(report)).toContain(rule.id);
    });
  }
});
