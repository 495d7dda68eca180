/**
 * The response audit's completeness faults at 10 seeds, on a quiet account and on a busy one: each is caught by
 * the rule that owns the statement, whichever rule's request showed it (the whole catalogue runs).
 */
import { describe, expect, it } from 'vitest';
import { asGenericApi } from '../../shared/api';
import { sweep } from '../../selftest/sweep';
import { auditFaults } from './faults';
import { runtype } from './index';

const busy = { addEvery: 20, statusEvery: 25, editEvery: 30 };

describe('runtype audit faults, 10 seeds', () => {
  for (const f of auditFaults)
    for (const [what, drift] of [
      ['a quiet account', undefined],
      ['a busy account', busy],
    ] as const)
      it(`${f.rule} fails on a provider that ${f.description}, on ${what}`, async () => {
        const result = await sweep(asGenericApi(runtype), [{ rule: f.rule, knob: f.knob, whole: true }], {
          seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
          ...(drift ? { drift } : {}),
          clean: false,
        });
        expect(result.misses).toEqual([]);
      });
});
