/** checkProperty: what each way a fast-check run can end becomes, and that a replay runs the shrunk case alone. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BaseContext } from './context';
import { BudgetExhausted } from './errors';
import { checkProperty, notRunError, PropertyNotRun } from './property';
import { Skip, Violation } from './rule';

/** checkProperty reads `settings`, and the HTTP client's rate and requests sent (the shrink budget) from the context. */
function ctx(o: { seed?: number; runs?: number; path?: string; rate?: number } = {}): BaseContext {
  return {
    settings: { seed: o.seed ?? 7, runs: o.runs ?? 50, walkMaxRows: 1000, path: o.path },
    http: { options: { rate: o.rate }, stats: { sent: 0 } },
  } as unknown as BaseContext;
}

/** The error `p` rejects with; fails the test when it resolves. */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

const over10 = async (n: number) => {
  if (n > 10) throw new Violation({ expected: 'n ≤ 10', actual: `n = ${n}` });
};

describe('checkProperty', () => {
  it('a Violation comes back shrunk, with seed and path', async () => {
    const e = await rejection(checkProperty(ctx(), fc.integer({ min: 0, max: 1000 }), over10));
    expect(e).toBeInstanceOf(Violation);
    const d = (e as Violation).detail;
    expect(d).toMatchObject({ actual: 'n = 11', counterexample: 11, seed: 7 });
    expect(d.shrinks).toBeGreaterThan(0);
    expect(d.path).toMatch(/^\d+(:\d+)*$/);
  });

  it('on a live target shrinking stops after SHRINK_REQUESTS requests and says so; the last failing case is kept', async () => {
    const c = ctx({ rate: 4 });
    // each case costs 10 requests, as a walk would
    const costly = async (n: number) => {
      c.http.stats.sent += 10;
      await over10(n);
    };
    const e = await rejection(checkProperty(c, fc.integer({ min: 0, max: 1_000_000 }), costly));
    const d = (e as Violation).detail;
    expect(d.actual).toMatch(/^n = \d+ \(shrinking stopped after 100 requests: a smaller case may exist\)$/);
    // the first failure, then at most 100 requests of shrinking (one case in flight when the cap is reached)
    expect(c.http.stats.sent).toBeLessThanOrEqual(10 * 21 + 100 + 10);
    // embedded (no rate): shrinking runs to the minimal case
    const free = await rejection(checkProperty(ctx(), fc.integer({ min: 0, max: 1_000_000 }), over10));
    expect((free as Violation).detail.actual).toBe('n = 11');
  });

  it('a replay path runs that one case and stops there (endOnFailure): an unshrunk path stays unshrunk', async () => {
    const first = (await rejection(checkProperty(ctx(), fc.integer({ min: 0, max: 1000 }), over10))) as Violation;
    const start = (first.detail.path ?? '').split(':')[0] as string;
    const seen: number[] = [];
    const replay = (await rejection(
      checkProperty(ctx({ path: start }), fc.integer({ min: 0, max: 1000 }), async (n) => {
        seen.push(n);
        await over10(n);
      }),
    )) as Violation;
    expect(seen).toHaveLength(1);
    expect(replay.detail).toMatchObject({ shrinks: 0, path: start, counterexample: seen[0] });
    expect(seen[0]).toBeGreaterThan(11);
  });

  it('too many inputs rejected by fc.pre: a PropertyNotRun of that kind, with the counts, never "null"', async () => {
    const e = await rejection(
      checkProperty(ctx({ runs: 5 }), fc.integer(), async () => {
        fc.pre(false);
      }),
    );
    expect(e).toBeInstanceOf(PropertyNotRun);
    expect(e).toMatchObject({
      kind: 'too-many-skips',
      message: expect.stringMatching(
        /^property gave up: fc\.pre rejected \d+ generated inputs and only 0 of 5 cases ran \(seed 7\); make the arbitrary/,
      ),
    });
  });

  it('an interrupted run is named as such', () => {
    expect(notRunError({ interrupted: true, numRuns: 3, numSkips: 0, seed: 9 }, 20)).toMatchObject({
      kind: 'interrupted',
      message: 'property interrupted after 3 of 20 cases (seed 9); not checked, so not passed',
    });
  });

  it('other errors pass through as thrown (the engine maps Skip, TransportError, …); a spent budget after passing cases is rethrown', async () => {
    const skip = new Skip('no rows');
    expect(await rejection(checkProperty(ctx(), fc.integer(), async () => Promise.reject(skip)))).toBe(skip);
    const spent = new BudgetExhausted('request budget of 5 used up');
    let n = 0;
    const e = await rejection(
      checkProperty(ctx({ runs: 10 }), fc.integer(), async () => {
        if (++n > 3) throw spent;
      }),
    );
    expect(e).toBe(spent);
  });

  it('a passing property resolves', async () => {
    await expect(checkProperty(ctx(), fc.integer({ min: 0, max: 10 }), over10)).resolves.toBeUndefined();
  });
});
