/** Self-tests: the clean provider passes every rule; each fault fails the run, naming its rule, and (nearly) only it. */
import { describe, expect, it } from 'vitest';
import { failedIds, runEmbedded } from '../../shared/selftest';
import { extraFaults } from './faults';
import { runtype } from './index';
import { type RtKnob, type RtVariant, startRtProvider } from './provider';

/** Faults whose realistic bug breaks more than one documented behaviour at once, with the reason. */
const WIDER: Partial<Record<RtKnob, string>> = {
  'limit-unvalidated': 'parseInt without checks also lets limit 101+ through (RT-LIMIT-MAX) and crashes on words (RT-NO-5XX, a whole-run check)',
};

/** One fault, one failure: the owning rule fails, at most one other rule fails (WIDER: two), the rest pass or are blocked. */
async function expectOwnedFailure(rule: string, knob: RtKnob): Promise<void> {
  const report = await runEmbedded(runtype, { knobs: [knob] });
  const failed = failedIds(report);
  expect(failed).toContain(rule);
  const others = failed.filter((id) => id !== rule);
  expect(others.length, `${knob} also fails ${others.join(', ')}`).toBeLessThanOrEqual(WIDER[knob] ? 2 : 1);
}

describe('runtype self-test', () => {
  it('the clean reference provider passes every rule (no false alarm, nothing skipped, blocked or inconclusive)', async () => {
    const report = await runEmbedded(runtype);
    expect(failedIds(report)).toEqual([]);
    const notPassed = report.apis[0]?.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.status}`);
    expect(notPassed).toEqual([]);
  });

  for (const rule of runtype.rules) {
    const fault = runtype.faults[rule.id];
    it(`${rule.id} fails on a provider that ${fault.description}`, () => expectOwnedFailure(rule.id, fault.knob));
  }
  // old data is reached only by the deep profile: see deep.selftest.test.ts
  for (const { rule, knob, description } of extraFaults.filter((f) => f.knob !== 'old-rows-tokens-string')) {
    it(`${rule} fails on a provider that ${description}`, () => expectOwnedFailure(rule, knob));
  }
});

describe('runtype self-test: other correct servers', () => {
  // behaviours the docs leave open; a rule that fails here leans on the reference provider's own choice
  const compatible: readonly RtVariant[] = ['prev-needs-direction', 'case-sensitive-search', 'oldest-first', 'reject-large-limit', 'hide-flow-id', 'sparse-fields', 'unknown-flow-404', 'empty-total-pages-one'];
  const withVariants = (chosen: readonly RtVariant[]): typeof runtype => ({ ...runtype, startProvider: (p) => startRtProvider({ ...p, variants: chosen }) });

  it(`passes a provider that differs in every open point at once (${compatible.join(', ')})`, async () => {
    const report = await runEmbedded(withVariants(compatible));
    expect(failedIds(report)).toEqual([]);
    const gaps = report.apis[0]?.gaps ?? [];
    // the suite found the other ways rather than passing by not looking
    expect(gaps.find((g) => g.id === 'RT-GAP-DIRECTION')?.observed).toContain('prevCursor needed direction=prev');
    expect(gaps.find((g) => g.id === 'RT-GAP-SEARCH-CASE')?.observed.join()).toMatch(/case-sensitive/);
  });
  it('passes a provider whose cursors carry the filters and refuse them re-sent (cursor-carries-filters)', async () => {
    const report = await runEmbedded(withVariants(['cursor-carries-filters']));
    expect(failedIds(report)).toEqual([]);
    expect(report.apis[0]?.gaps.find((g) => g.id === 'RT-GAP-CURSOR')?.observed.join()).toMatch(/the cursor alone was followed/);
  });
});
