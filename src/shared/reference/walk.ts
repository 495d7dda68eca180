/**
 * The forward walk, once for every API: page after page by the cursor each page gives, until a page says the
 * listing ended, the row cap, a page that adds nothing, or a row met again. How a page is read and followed, and
 * whether a repeat is excused, is the API's pager's.
 */

/** How one API's walk moves: its rows, their ids, the step to the next page. */
export interface WalkPager<Row, Page> {
  rows(page: Page): readonly Row[];
  id(row: Row): string;
  /** The next page after `page`, or that the walk ends here: `complete` when the page said the listing ended. */
  next(page: Page): { complete: boolean } | (() => Promise<Page>);
  /**
   * A row met again on `page`, first seen on page `firstOn`: true excuses it (skipped, the walk goes on), false stops
   * the walk there. Without it every repeat stops the walk.
   */
  excuse?(row: Row, firstOn: number, page: Page, pages: readonly Page[]): boolean;
}

export interface Walked<Row, Page> {
  rows: Row[];
  pages: Page[];
  /** The last page said the listing ended; otherwise the walk stopped (row cap, no way on, repeat, no progress). */
  complete: boolean;
  /** The row met again with no excuse: the walk stopped there. */
  repeated?: Row;
  /** Repeats the pager excused. */
  excused: number;
  /** The index of a page that added nothing yet pointed on: the walk stopped there. */
  stalled?: number;
}

/** Walks forward from `first` up to `maxRows` rows (and `maxPages` pages). */
export async function walkPages<Row, Page>(
  pager: WalkPager<Row, Page>,
  first: Page,
  limits: { maxRows: number; maxPages?: number },
): Promise<Walked<Row, Page>> {
  const pages: Page[] = [];
  const rows: Row[] = [];
  const seenOn = new Map<string, number>();
  let excused = 0;
  let page = first;
  for (;;) {
    pages.push(page);
    const done = (complete: boolean, extra: { repeated?: Row; stalled?: number } = {}): Walked<Row, Page> => ({
      rows,
      pages,
      complete,
      excused,
      ...extra,
    });
    let added = 0;
    for (const r of pager.rows(page)) {
      const k = seenOn.get(pager.id(r));
      if (k === undefined) {
        seenOn.set(pager.id(r), pages.length - 1);
        rows.push(r);
        added++;
      } else if (pager.excuse?.(r, k, page, pages)) excused++;
      else return done(false, { repeated: r });
    }
    const next = pager.next(page);
    if (typeof next !== 'function') return done(next.complete);
    if (added === 0 && pages.length > 1) return done(false, { stalled: pages.length - 1 });
    if (rows.length >= limits.maxRows || pages.length >= (limits.maxPages ?? Number.POSITIVE_INFINITY))
      return done(false);
    page = await next();
  }
}
