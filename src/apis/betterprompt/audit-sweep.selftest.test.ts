/**
 * The response audit's faults at 10 seeds on a busy account: each is caught by the rule that owns the statement,
 * whichever rule's request showed it (the whole catalogue runs; data and draws vary with the seed).
 */
import { describe, expect, it } from 'vitest';
import { asGenericApi } from '../../shared/api';
import { sweep } from '../../selftest/sweep';
import { auditFaults, extraFaults } from './faults';
import { betterprompt } from './index';
import { busyAccount } from './selftest-cases';

// the extra faults whose evidence reaches their owner through the audit: a body cut on cursor pages, a window
// edge wrong only in combination, the owner condition forgotten on backward pages only
const VIA_AUDIT = ['body-cut-on-cursor', 'since-exclusive-with-until', 'owner-dropped-backward'];

describe('betterprompt audit faults, 10 seeds, busy account', () => {
  const faults = [...auditFaults, ...extraFaults.filter((f) => VIA_AUDIT.includes(f.knob))];
  for (const f of faults) {
    it(`${f.rule} fails on a provider that ${f.description}`, async () => {
      const result = await sweep(asGenericApi(betterprompt), [{ rule: f.rule, knob: f.knob, whole: true }], {
        seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        drift: busyAccount,
        clean: false,
      });
      expect(result.misses).toEqual([]);
    });
  }
});
