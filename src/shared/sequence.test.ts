import { describe, expect, it } from 'vitest';
import { firstDuplicate, sequenceDiff } from './sequence';

describe('sequenceDiff', () => {
  it('is silent when equal', () => expect(sequenceDiff(['a', 'b'], ['a', 'b'])).toBeUndefined());
  it('names a gap', () => expect(sequenceDiff(['a', 'b', 'c'], ['a', 'c'])).toMatch(/gap skipped 1/));
  it('names an overlap', () => expect(sequenceDiff(['b', 'c'], ['a', 'b'])).toMatch(/not in the expected window/));
  it('names missing and extra tails', () => {
    expect(sequenceDiff(['a', 'b'], ['a'])).toMatch(/missing 1/);
    expect(sequenceDiff(['a'], ['a', 'b'])).toMatch(/1 extra/);
  });
  it('finds duplicates', () => expect(firstDuplicate(['a', 'b', 'a'])).toBe('a'));
});
