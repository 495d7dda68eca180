/**
 * Issue 20: faults that live only in old data (past the 1,000th prompt, past the 10,000th) are caught by the deep
 * profile, which reads a 12,000-prompt account end to end, at every seed; and by the default profile too, whose
 * sparse-search sample reaches old prompts at a fixed cost of a few pages.
 */
import { describe, expect, it } from 'vitest';
import { runConformance } from '../../run';
import type { ApiModule } from '../../shared/api';
import { failedIds, selfTestConfig } from '../../selftest/harness';
import { extraFaults } from './faults';
import { runtype } from './index';
import { type RtKnob, startRtProvider } from './provider';

const ROWS = 12_000;
const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);
// faults in old data, main or extra: all are the provider's own knobs (isolation faults need no old data)
const OLD = [...runtype.rules.map((r) => ({ rule: r.id, ...runtype.faults[r.id] })), ...extraFaults]
  .filter((f) => f.rows !== undefined)
  .map((f) => ({ ...f, knob: f.knob as RtKnob }));

async function run(depth: 'default' | 'deep', knobs: readonly RtKnob[], seed: number, rules: readonly string[]) {
  const cfg = selfTestConfig(runtype as unknown as ApiModule, { rules, seed: seed * 7919 });
  const api = {
    ...runtype,
    startProvider: (p: { apiKey: string }) => startRtProvider({ ...p, rows: ROWS, knobs, dataSeed: seed }),
  } as unknown as ApiModule;
  return runConformance({ ...cfg, settings: { ...cfg.settings, depth } }, { modules: { runtype: api } });
}

describe('runtype self-test: old data', () => {
  for (const f of OLD) {
    for (const depth of ['deep', 'default'] as const)
      it(`${f.rule} fails under the ${depth} profile at seeds 1–10 on a provider that ${f.description} (${ROWS} prompts)`, async () => {
        for (const seed of SEEDS)
          expect(failedIds(await run(depth, [f.knob], seed, [f.rule])), `seed ${seed}`).toEqual([f.rule]);
      });
  }

  it(`the deep profile reads all ${ROWS} prompts of the clean provider and says so in the whole-listing verdicts`, async () => {
    const report = await run('deep', [], 1, ['RT-PROMPT-SCHEMA', 'RT-TOTAL-COUNT', 'RT-WALK-FORWARD']);
    const results = report.apis[0]?.results ?? [];
    expect(results.map((r) => `${r.id}: ${r.status}`)).toEqual([
      'RT-PROMPT-SCHEMA: pass',
      'RT-TOTAL-COUNT: pass',
      'RT-WALK-FORWARD: pass',
    ]);
    for (const r of results) expect(r.coverage).toBe('read 12,000 of 12,000 prompts in 120 requests');
  });

  it('the default profile says how far it read, and what to run for the rest', async () => {
    const report = await run('default', [], 1, ['RT-PROMPT-COST', 'RT-TOTAL-COUNT']);
    const [cost, count] = report.apis[0]?.results ?? [];
    expect(cost?.coverage).toMatch(
      /^checked over the first 1,000 of 12,000 prompts and \d+ older prompts sampled by 3 search pages; run CONFORMANCE_DEPTH=deep for the rest$/,
    );
    expect(count?.coverage).toBe(
      'checked over the first 1,000 of 12,000 prompts; run CONFORMANCE_DEPTH=deep for the rest',
    );
  });
});
