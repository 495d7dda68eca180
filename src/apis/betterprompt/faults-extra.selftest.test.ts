/** The faults that hide in combinations, boundaries and page kinds: each fails its rule, and (almost always) no other. */
import { describe, expect, it } from 'vitest';
import { runEmbedded } from '../../selftest/harness';
import { auditFaults, extraFaults } from './faults';
import { betterprompt } from './index';
import { failedIn, wideFaults } from './selftest-cases';

describe('betterprompt extra faults', () => {
  // old-data faults need a large account: deep.selftest.test.ts runs them
  for (const f of [...extraFaults, ...auditFaults].filter((c) => !('rows' in c) || c.rows === undefined)) {
    it(`${f.rule} fails on a provider that ${f.description}, and at most one other rule fails`, async () => {
      const failed = failedIn(await runEmbedded(betterprompt, { knobs: [f.knob] }));
      expect(failed).toContain(f.rule);
      const others = failed.filter((id) => id !== f.rule);
      expect(others.length, `${f.knob} also failed ${others.join(', ')}`).toBeLessThanOrEqual(
        wideFaults[f.knob] ? 3 : 1,
      );
    });
  }
});
