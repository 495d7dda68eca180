/** Issue 11: detection does not depend on the seed — a sample of faults, each caught at 10 seeds (run and data). */
import { describe, expect, it } from 'vitest';
import { failedIds, runEmbedded } from '../../selftest/harness';
import { extraFaults } from './faults';
import type { RtKnob } from './provider';
import { runtype } from './index';

// faults found by drawn values (page sizes, terms, limits) and by pages reached one way: where a seed could miss
const SAMPLE: readonly { rule: string; knob: RtKnob }[] = [
  { rule: 'RT-WALK-BACKWARD', knob: 'prev-cursor-off-by-one' },
  { rule: 'RT-PAGE-HASMORE', knob: 'hasmore-off-by-one' },
  { rule: 'RT-WALK-TIES', knob: 'tie-order-by-page' },
  { rule: 'RT-SEARCH-FINDS', knob: 'search-name-only' },
  { rule: 'RT-ERROR-CONTEXT', knob: 'limit-lenient-with-search' },
  ...extraFaults.filter((f) =>
    [
      'current-page-off-backward',
      'search-like-wildcards',
      'total-pages-exact-divisor',
      'has-prev-lost-late-filtered',
    ].includes(f.knob),
  ),
];

describe('runtype self-test: a fault is caught at every seed', () => {
  for (const { rule, knob } of SAMPLE) {
    it(`${rule} catches ${knob} at seeds 1..10`, async () => {
      const missed: number[] = [];
      for (let seed = 1; seed <= 10; seed++) {
        const report = await runEmbedded(runtype, { knobs: [knob], seed, dataSeed: seed, rules: [rule] });
        if (!failedIds(report).includes(rule)) missed.push(seed);
      }
      expect(missed, `${knob} missed at these seeds`).toEqual([]);
    });
  }
});
