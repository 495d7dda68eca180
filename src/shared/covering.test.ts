import { describe, expect, it } from 'vitest';
import { pairwise, uncoveredPairs } from './covering';

describe('pairwise', () => {
  const factors = {
    limit: [1, 2, 49, 50, undefined],
    cursor: ['none', 'after', 'before'],
    status: [undefined, 'queued', 'running', 'succeeded', 'failed'],
    since: [false, true],
    until: [false, true],
  } as const;

  it('covers every pair of values with far fewer rows than the product', () => {
    const rows = pairwise(factors, { seed: 7 });
    expect(uncoveredPairs(factors, rows)).toEqual([]);
    expect(rows.length).toBeLessThanOrEqual(35); // product is 300; the lower bound is 25
  });

  it('is deterministic for a seed and still covers at another seed', () => {
    expect(pairwise(factors, { seed: 3 })).toEqual(pairwise(factors, { seed: 3 }));
    expect(uncoveredPairs(factors, pairwise(factors, { seed: 4 }))).toEqual([]);
  });

  it('never emits a row the constraint forbids, and covers every pair some allowed row can hold', () => {
    const allowed = (r: { cursor: string; since: boolean }) => !(r.cursor === 'before' && r.since);
    const rows = pairwise(factors, { seed: 1, allowed });
    expect(rows.every(allowed)).toBe(true);
    expect(
      uncoveredPairs(
        factors,
        rows,
        (a, va, b, vb) => !(a === 'cursor' && va === 'before' && b === 'since' && vb === true),
      ),
    ).toEqual([]);
  });

  it('a single factor gives each value once; an empty factor gives nothing', () => {
    expect(pairwise({ a: [1, 2, 3] })).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(pairwise({ a: [1], b: [] })).toEqual([]);
  });
});
