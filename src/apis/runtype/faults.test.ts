/** Self-tests: the clean provider passes every rule; each fault fails the run, naming its rule, and (nearly) only it. */
import { describe, expect, it } from 'vitest';
import { failedIds, runEmbedded } from '../../selftest/harness';
import { runtype } from './index';
import { expectOwnedFailure } from './selftest-cases';

describe('runtype self-test', () => {
  it('the clean reference provider passes every rule (no false alarm, nothing skipped, blocked or inconclusive)', async () => {
    const report = await runEmbedded(runtype);
    expect(failedIds(report)).toEqual([]);
    const notPassed = report.apis[0]?.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.status}`);
    expect(notPassed).toEqual([]);
  });

  for (const rule of runtype.rules) {
    const fault = runtype.faults[rule.id];
    it(`${rule.id} fails on a provider that ${fault.description}`, () =>
      expectOwnedFailure(rule.id, fault.knob, fault.rows));
  }
});
