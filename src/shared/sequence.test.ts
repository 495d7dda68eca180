import { describe, expect, it } from 'vitest';
import { firstDuplicate, sequenceDiff } from './sequence';

describe('sequenceDiff', () => {
  it('is silent when equal', () => expect(sequenceDiff(['a', 'b'], ['a', 'b'])).toBeUndefined());
  it('names a gap', () => expect(sequenceDiff(['a', 'b', 'c'], ['a', 'c'])).toMatch(/gap skipped 1/));
  // page 2 starts with page 1's last row again
  it('names an overlap', () =>
    expect(sequenceDiff(['a', 'b', 'c', 'd'], ['a', 'b', 'b', 'c'])).toBe(
      'position 2 holds b (expected at 1: an overlap) instead of c',
    ));
  it('names a row from outside the window', () =>
    expect(sequenceDiff(['b', 'c'], ['a', 'b'])).toBe(
      'position 0 holds a, which is not in the expected window instead of b',
    ));
  it('names missing and extra tails', () => {
    expect(sequenceDiff(['a', 'b'], ['a'])).toMatch(/missing 1/);
    expect(sequenceDiff(['a'], ['a', 'b'])).toMatch(/1 extra/);
  });
  it('finds duplicates', () => expect(firstDuplicate(['a', 'b', 'a'])).toBe('a'));
});
