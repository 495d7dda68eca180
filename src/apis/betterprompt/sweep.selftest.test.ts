/** Detection does not depend on the seed: a sample of faults, each caught by its rule at 10 seeds (data varied too). */
import { describe, expect, it } from 'vitest';
import { asGenericApi } from '../../shared/api';
import { sweep } from '../../selftest/sweep';
import { betterprompt } from './index';
import { faultCases } from './selftest-cases';

// one from each family: a cursor at ties, a walk's own cursor (stateful), a combination, a boundary, a page kind, hasMore, a filter on cursor pages,
// a bound compared differently on cursor pages, the end of a filtered listing
const SAMPLE = [
  'cursor-tie-skip',
  'cursor-cache-off-by-one',
  'status-dropped-with-window',
  'limit-51-ok',
  'ending-before-ignores-limit',
  'hasmore-when-full',
  'cursor-index-in-filtered-list',
  'window-ignored-with-cursor',
  'limit-unchecked-with-cursor',
  'until-inclusive-on-cursor',
  'hasmore-unfiltered',
];

describe('betterprompt seed sweep', () => {
  for (const knob of SAMPLE) {
    it(`${knob} is caught at 10 seeds`, async () => {
      const faults = faultCases.filter((f) => f.knob === knob);
      const result = await sweep(asGenericApi(betterprompt), faults, {
        seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
        clean: false,
      });
      expect(result.misses).toEqual([]);
    });
  }
});
