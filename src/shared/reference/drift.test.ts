import { describe, expect, it } from 'vitest';
import { Inconclusive, Violation } from '../rule';
import { type DriftProbe, RowsViolation, SETTLE_ATTEMPTS, SteadyViolation, settle } from './drift';

const detail = { expected: 'a', actual: 'b' };

/** A probe that reports the given changes after each failure, in turn (the last one repeats). */
function probe(changes: (string[] | undefined)[], rejudge = false): DriftProbe<number> & { reads: number } {
  let k = 0;
  const p = {
    reads: 0,
    before: async () => p.reads++,
    changes: async () => changes[Math.min(k++, changes.length - 1)],
    rejudge,
  };
  return p;
}

/** A comparison failing its first `n` calls, recording whether each was fresh. */
function failing(n: number, make = () => new Violation(detail)) {
  const calls: boolean[] = [];
  return {
    calls,
    compare: async (fresh: boolean) => {
      calls.push(fresh);
      if (calls.length <= n) throw make();
    },
  };
}

describe('settle', () => {
  it('a pass needs no re-read and notes nothing', async () => {
    const c = failing(0);
    const notes: string[] = [];
    await settle(c.compare, probe([[]]), (n) => notes.push(n));
    expect(c.calls).toEqual([false]);
    expect(notes).toEqual([]);
  });

  it('a failure with no evidence of change gets one fresh re-try, then stands', async () => {
    const c = failing(9);
    await expect(settle(c.compare, probe([[]]), () => undefined)).rejects.toBeInstanceOf(Violation);
    expect(c.calls).toEqual([false, true]);
  });

  it('a failure the fresh re-try does not repeat passes, noted as drift', async () => {
    const c = failing(1);
    const notes: string[] = [];
    await settle(c.compare, probe([[]]), (n) => notes.push(n));
    expect(c.calls).toEqual([false, true]);
    expect(notes).toHaveLength(1);
  });

  it('a change is noted and compared again; a listing that always changes is inconclusive', async () => {
    const c = failing(99);
    const notes: string[] = [];
    await expect(settle(c.compare, probe([['moved']]), (n) => notes.push(n))).rejects.toBeInstanceOf(Inconclusive);
    expect(c.calls).toHaveLength(SETTLE_ATTEMPTS);
    expect(notes).toEqual(Array(SETTLE_ATTEMPTS).fill('moved'));
  });

  it('drift never excuses a fault: a failure no change can explain stands at once', async () => {
    const steady = failing(9, () => new SteadyViolation(detail));
    await expect(settle(steady.compare, probe([['moved']]), () => undefined)).rejects.toBeInstanceOf(SteadyViolation);
    expect(steady.calls).toEqual([false]);
    const unexplained = failing(9);
    await expect(settle(unexplained.compare, probe([undefined]), () => undefined)).rejects.toBeInstanceOf(Violation);
    expect(unexplained.calls).toEqual([false]);
  });

  it('after a change, a probe that re-judges tries the answer already read before reading again', async () => {
    const c = failing(1, () => new RowsViolation(detail, ['r1']));
    await settle(c.compare, probe([['r1 moved']], true), () => undefined);
    expect(c.calls).toEqual([false, false]);
  });
});
