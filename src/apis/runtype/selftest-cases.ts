/** Self-test cases shared by the Runtype self-test files (split so vitest runs them in parallel). */
import { expect } from 'vitest';
import { failedIds, runEmbedded } from '../../selftest/harness';
import { drifts } from './faults';
import { runtype } from './index';
import type { IsolationKnob } from '../../shared/accounts';
import type { RtKnob } from './provider';

/** Faults whose realistic bug breaks more than one documented behaviour at once, with the reason. */
const WIDER: Partial<Record<RtKnob | IsolationKnob, string>> = {
  'garbage-cursor-500': 'a tampered cursor is a cursor the server cannot decode: RT-ISO-TAMPERED-CURSOR sends them too',
  'auth-optional':
    'a request with no usable token is let through on every path: the missing-key, malformed-header and every-path rules each send one',
  'filter-no-owner':
    "other accounts' prompts in filtered results also break the model filter's and the subset rule's comparisons with the caller's own listing",
  'count-all-accounts':
    'totalCount is judged by three documented sentences: the unfiltered count, the filtered count and the per-account count',
  'limit-unvalidated':
    'parseInt without checks also lets limit 101+ through (RT-LIMIT-MAX) and crashes on words (RT-NO-5XX, a whole-run check)',
};

/** One fault, one failure: the owning rule fails, at most one other rule fails (WIDER: two), the rest pass or are blocked (WIDER: up to three, each with its reason). */
export async function expectOwnedFailure(rule: string, knob: RtKnob | IsolationKnob, rows?: number): Promise<void> {
  const report = await runEmbedded(runtype, { knobs: [knob], ...(rows === undefined ? {} : { rows }) });
  const failed = failedIds(report);
  expect(failed).toContain(rule);
  const others = failed.filter((id) => id !== rule);
  expect(others.length, `${knob} also fails ${others.join(', ')}`).toBeLessThanOrEqual(WIDER[knob] ? 3 : 1);
}

/** The clean provider under one drift condition passes at seeds 1..10 (run seed and data seed both varied). */
export async function expectCleanUnderDrift(condition: keyof typeof drifts & string): Promise<void> {
  const drift = drifts[condition];
  for (let seed = 1; seed <= 10; seed++) {
    const report = await runEmbedded(runtype, { ...(drift ? { drift } : {}), seed, dataSeed: seed });
    const results = report.apis[0]?.results ?? [];
    const failures = results
      .filter((r) => r.status === 'fail')
      .map((r) => `${r.id}: ${r.violation?.expected} / ${r.violation?.actual}`);
    expect(failures, `seed ${seed}`).toEqual([]);
    // drift is noted, never blocking: a blocked rule on a correct server would be a finding without a fault;
    // and at these rates no comparison meets change under every attempt, so none is inconclusive
    expect(
      results.filter((r) => r.status === 'blocked' || r.status === 'inconclusive').map((r) => `${r.id} ${r.status}`),
      `seed ${seed}`,
    ).toEqual([]);
  }
}
