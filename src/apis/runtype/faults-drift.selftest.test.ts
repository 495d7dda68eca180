/** Issue 10: drift never excuses a fault — every fault-injected provider whose data also changes still fails its rule. */
import { describe, expect, it } from 'vitest';
import { failedIds, runEmbedded } from '../../selftest/harness';
import { drifts, extraFaults } from './faults';
import { runtype } from './index';

const conditions = Object.entries(drifts);
const all = [
  ...runtype.rules.map((r) => ({ rule: r.id, ...runtype.faults[r.id] })),
  ...extraFaults.filter((f) => f.rows === undefined), // old-data faults: deep.selftest.test.ts
];

describe('runtype self-test: faults on a server whose data changes during the run', () => {
  all.forEach(({ rule, knob, description, rows }, i) => {
    // each fault under one drift condition, in turn, so every condition meets many faults
    const [what, drift] = conditions[i % conditions.length] as [string, (typeof conditions)[number][1]];
    it(`${rule} still fails on a provider that ${description}, when ${what}`, async () => {
      // the owning rule alone (with the reference it builds): the full run's distribution is faults.test.ts's business
      const report = await runEmbedded(runtype, { knobs: [knob], drift, rules: [rule], ...(rows ? { rows } : {}) });
      expect(failedIds(report)).toContain(rule);
    });
  });
});
