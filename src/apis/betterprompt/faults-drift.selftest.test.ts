/** Drift never excuses a fault: every fault-injected provider on a growing, changing account still fails its rule. */
import { describe, expect, it } from 'vitest';
import { runEmbedded } from '../../selftest/harness';
import { auditFaults } from './faults';
import { betterprompt } from './index';
import { busyAccount, failedIn, faultCases } from './selftest-cases';

describe('betterprompt faults on a busy account', () => {
  for (const f of faultCases) {
    it(`${f.rule} still fails (${f.knob}) with new runs, status changes and edits`, async () => {
      // the owner alone (the reference is still walked and validated): drift must not excuse it, nor block it
      const rows = f.rows === undefined ? {} : { rows: f.rows };
      const failed = failedIn(
        await runEmbedded(betterprompt, {
          knobs: [f.knob],
          drift: busyAccount,
          seed: 7,
          dataSeed: 3,
          rules: [f.rule],
          ...rows,
        }),
      );
      expect(failed).toContain(f.rule);
    });
  }

  // faults only the response audit sees show in other rules' requests: the whole catalogue runs
  for (const f of auditFaults) {
    it(`${f.rule} still fails (${f.knob}) with new runs, status changes and edits, whole catalogue`, async () => {
      const failed = failedIn(
        await runEmbedded(betterprompt, { knobs: [f.knob], drift: busyAccount, seed: 7, dataSeed: 3 }),
      );
      expect(failed).toContain(f.rule);
    });
  }
});
