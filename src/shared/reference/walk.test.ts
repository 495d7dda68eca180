import { describe, expect, it } from 'vitest';
import { type WalkPager, walkPages } from './walk';

interface P {
  ids: string[];
  more: boolean;
}

/** A pager over fixed pages: page k+1 follows page k while it says more. */
function over(pages: P[], excuse?: WalkPager<string, P>['excuse']): WalkPager<string, P> {
  return {
    rows: (p) => p.ids,
    id: (r) => r,
    next: (p) => {
      const k = pages.indexOf(p);
      const next = pages[k + 1];
      return !p.more || !next ? { complete: !p.more } : async () => next;
    },
    ...(excuse ? { excuse } : {}),
  };
}

describe('walkPages', () => {
  it('walks to the page that says the listing ended', async () => {
    const pages = [
      { ids: ['a', 'b'], more: true },
      { ids: ['c'], more: false },
    ];
    const w = await walkPages(over(pages), pages[0] as P, { maxRows: 10 });
    expect(w).toMatchObject({ rows: ['a', 'b', 'c'], complete: true, excused: 0 });
  });

  it('stops at the row cap, incomplete', async () => {
    const pages = [
      { ids: ['a', 'b'], more: true },
      { ids: ['c', 'd'], more: true },
      { ids: ['e'], more: false },
    ];
    const w = await walkPages(over(pages), pages[0] as P, { maxRows: 3 });
    expect(w).toMatchObject({ rows: ['a', 'b', 'c', 'd'], complete: false });
  });

  it('stops at a repeat unless the pager excuses it', async () => {
    const pages = [
      { ids: ['a', 'b'], more: true },
      { ids: ['b', 'c'], more: false },
    ];
    const stop = await walkPages(over(pages), pages[0] as P, { maxRows: 10 });
    expect(stop).toMatchObject({ rows: ['a', 'b'], repeated: 'b', complete: false });
    const go = await walkPages(
      over(pages, () => true),
      pages[0] as P,
      { maxRows: 10 },
    );
    expect(go).toMatchObject({ rows: ['a', 'b', 'c'], excused: 1, complete: true });
  });

  it('stops at a page that adds nothing yet points on', async () => {
    const pages = [
      { ids: ['a'], more: true },
      { ids: [], more: true },
      { ids: ['b'], more: false },
    ];
    const w = await walkPages(over(pages), pages[0] as P, { maxRows: 10 });
    expect(w).toMatchObject({ rows: ['a'], stalled: 1, complete: false });
  });
});
