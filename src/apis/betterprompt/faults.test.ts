/** Self-tests: the clean provider passes every rule; each fault fails its owning rule, and (almost always) no other. */
import { describe, expect, it } from 'vitest';
import { runEmbedded } from '../../selftest/harness';
import { betterprompt } from './index';
import { failedIn, mainFaults, wideFaults } from './selftest-cases';

describe('betterprompt self-test', () => {
  it('the clean reference provider passes every rule (no false alarm)', async () => {
    const report = await runEmbedded(betterprompt);
    expect(failedIn(report)).toEqual([]);
    const skipped = report.apis[0]?.results.filter((r) => r.status === 'skip').map((r) => r.id);
    expect(skipped).toEqual(['BP-RATE-LIMIT-HEADER']);
  });

  for (const f of mainFaults) {
    it(`${f.rule} fails on a provider that ${f.description}, and at most one other rule fails`, async () => {
      const failed = failedIn(await runEmbedded(betterprompt, { knobs: [f.knob] }));
      expect(failed).toContain(f.rule);
      const others = failed.filter((id) => id !== f.rule);
      // one fault, one failure: other rules are blocked by the owner or unaffected; wideFaults says why a few are not
      expect(others.length, `${f.knob} also failed ${others.join(', ')}`).toBeLessThanOrEqual(
        wideFaults[f.knob] ? 3 : 1,
      );
    });
  }
});
