/**
 * Walks and hasMore (doc: GET /v1/runs › Response › hasMore; Pagination): hasMore says exactly whether rows
 * follow, and following the cursors forward or back yields every row once, in order.
 */
import { checkProperty } from '../../../shared/property';
import { defineRule, expectThat } from '../../../shared/rule';
import { firstDuplicate } from '../../../shared/sequence';
import { backwardWalkLimit, hasMoreCase, walkLimit } from '../arbitraries';
import { deepWindows, describeFilters, type Filters, filterQuery, filterRows, newOnPage, splitNew } from '../compare';
import type { BpContext } from '../context';
import { ids, lastPage, MAX_LIMIT, type Page, type Reference, type RowView, rowAt, second, uses } from '../pager';
import { expectSequence } from './shared';

/** Longest walk a walk rule makes, in pages: bounds requests on a live target of any size. */
const MAX_WALK_PAGES = 10;

export const walkRules = [
  defineRule({
    id: 'BP-HASMORE',
    doc: 'GET /v1/runs › Response (hasMore: more results beyond this page); Pagination',
    basis: 'documented',
    summary:
      'on forward pages hasMore is true exactly when more rows follow: on exactly-full last pages, filtered pages, in old data, at the end of the walk, and at the end of a status-filtered listing reached by startingAfter',
    check: async (ctx: BpContext) => {
      await ctx.reference();
      await ctx.reportFinding('BP-HASMORE');
      const ref = await ctx.listing(1, 'hasMore', uses({ status: true, since: true }));
      await hasMoreAtEdges(ctx, ref);
      await hasMoreFiltered(ctx, ref);
      await hasMoreFilteredEnd(ctx, ref);
      await hasMoreDeep(ctx, ref);
      const last = rowAt(ref.rows, ref.rows.length - 1);
      // a since window is a listing whose end we know even when the full listing is too long to walk
      const sinces = [...new Set(ref.rows.map(second))].filter((t) => ref.complete || t > second(last));
      const sinceListing = (since: number | undefined) =>
        since === undefined ? ref.rows : filterRows(ctx, ref.rows, { since });
      await checkProperty(
        ctx,
        hasMoreCase(sinces, (since) => sinceListing(since).length),
        async ({ i, limit, since }) => {
          if (since === undefined && !ref.complete) return;
          await expectHasMore(ctx, ref, sinceListing(since), i, limit, since === undefined ? {} : { since });
        },
      );
    },
  }),
  defineRule({
    id: 'BP-HASMORE-FULL',
    doc: 'GET /v1/runs › Response (hasMore), Params (limit)',
    basis: 'inferred',
    summary: 'a forward page with hasMore true is full (limit rows): on every page of every walk, filtered or not',
    check: async (ctx: BpContext) => {
      await ctx.reference();
      // a page short of the limit while more follow is BP-LIMIT-BOUND's too ("exactly limit while more rows
      // follow"): once that rule found it, it is not found again here
      ctx.blockedByFailed(['BP-LIMIT-BOUND'], 'pages short of the limit while more follow are its finding');
      await ctx.reportFinding('BP-HASMORE-FULL');
      await ctx.listing(1, 'full pages', uses({ time: false }));
      await ctx.forEveryPage(({ page, limit, filters, direction }) =>
        // more than limit rows is BP-LIMIT-BOUND's finding
        direction === 'backward' || !page.hasMore || page.rows.length >= limit
          ? undefined
          : {
              expected: `${limit} rows on a page with hasMore true (${describeFilters(filters)})`,
              actual: `${page.rows.length} rows`,
              exchange: page.ex,
            },
      );
    },
  }),
  defineRule({
    id: 'BP-WALK-FORWARD',
    doc: 'GET /v1/runs › Pagination (follow the last runId until hasMore is false)',
    basis: 'documented',
    summary:
      'walking forward at any page size yields every row once, in order: the same runs as the reference and as until windows (no cursor)',
    check: async (ctx: BpContext) => {
      await ctx.reference();
      // a walk is startingAfter page after page: a startingAfter page that skips or repeats runs is that rule's finding
      ctx.blockedByFailed(
        ['BP-CURSOR-AFTER'],
        'startingAfter pages skip or repeat runs; every forward walk follows them',
      );
      await ctx.reportFinding('BP-WALK-FORWARD');
      const ref = await ctx.listing(2, 'a walk', uses({ time: false }));
      // page sizes that end a page inside a tie group are the interesting ones
      await checkProperty(ctx, walkLimit(ref.rows), (l) => expectForwardWalk(ctx, ref, l), { maxRuns: 4 });
    },
  }),
  defineRule({
    id: 'BP-WALK-BACKWARD',
    doc: 'GET /v1/runs › Params (endingBefore), Pagination',
    basis: 'documented',
    summary: 'walking back by endingBefore (first row of each page) yields the same rows, each once',
    check: async (ctx: BpContext) => {
      await ctx.reference();
      await ctx.reportFinding('BP-WALK-BACKWARD');
      ctx.needBackward();
      const ref = await ctx.listing(2, 'a backward walk', uses({ time: false }));
      await checkProperty(ctx, backwardWalkLimit(), (limit) => expectBackwardWalk(ctx, ref, limit), { maxRuns: 3 });
    },
  }),
];

/** BP-WALK-FORWARD at page size `l`: each run once, the reference's runs in its order, hasMore false at its end. */
async function expectForwardWalk(ctx: BpContext, ref: Reference, l: number): Promise<void> {
  const n = ref.rows.length;
  const window = Math.min(n, l * MAX_WALK_PAGES);
  const walk = await ctx.walk({}, l, window + ref.head.length);
  const last = lastPage(walk);
  const dup = firstDuplicate(ids(walk.rows));
  expectThat(dup === undefined, () => ({
    expected: 'each run once',
    actual: `run ${dup} seen twice`,
    exchange: last.ex,
  }));
  const { old } = splitNew(ref, walk.rows, 'top');
  const whole = ref.complete && walk.complete;
  expectSequence(last.ex, whole ? ref.rows : ref.rows.slice(0, old.length), old, `walk at limit ${l}`);
  if (ref.complete && old.length >= n)
    expectThat(walk.complete, () => ({
      expected: 'hasMore false on the last page',
      actual: 'hasMore true',
      exchange: last.ex,
    }));
}

/** BP-WALK-BACKWARD at `limit`: from about ten pages down, endingBefore each page's first row up to the newest run. */
async function expectBackwardWalk(ctx: BpContext, ref: Reference, limit: number): Promise<void> {
  const newest = rowAt(ref.rows, 0).runId;
  const start = Math.min(ref.rows.length, limit * MAX_WALK_PAGES) - 1;
  let cursor = rowAt(ref.rows, start).runId;
  const collected: RowView[] = [];
  let last: Page | undefined;
  for (let pages = 0; pages <= MAX_WALK_PAGES; pages++) {
    last = await ctx.page({ endingBefore: cursor, limit });
    collected.unshift(...last.rows);
    const first = last.rows[0];
    if (!first || last.rows.some((r) => r.runId === newest)) break;
    cursor = first.runId;
  }
  if (!last) return; // the loop sends at least one page
  const ex = last.ex;
  const dup = firstDuplicate(ids(collected));
  expectThat(dup === undefined, () => ({
    expected: 'each run once',
    actual: `run ${dup} seen twice`,
    exchange: ex,
  }));
  expectSequence(
    ex,
    ref.rows.slice(0, start),
    splitNew(ref, collected, 'before').old,
    `backward walk at limit ${limit} from position ${start}`,
  );
}

/** hasMore after row i of `listing` (i = -1: the first page) at `limit`; runs created during the run count as following. */
async function expectHasMore(
  ctx: BpContext,
  ref: Reference,
  listing: readonly RowView[],
  i: number,
  limit: number,
  f: Filters,
): Promise<void> {
  const q = { ...filterQuery(f), limit, ...(i >= 0 ? { startingAfter: rowAt(listing, i).runId } : {}) };
  const page = await ctx.page(q);
  const fresh = i < 0 ? newOnPage(ref, page, 'top') : 0;
  const remaining = listing.length - (i + 1) + fresh;
  if (fresh >= limit) return; // every row shown was created during the run: how many more is unknown
  // a page that holds other runs than the listing predicts is a filter's or a cursor's finding (their rules own
  // it); what follows such a page is not the predicted remainder, so hasMore is not judged on it
  const predicted = listing.slice(i + 1, i + 1 + limit - fresh).map((r) => r.runId);
  const shown = page.rows.slice(fresh, fresh + predicted.length).map((r) => r.runId);
  if (shown.join() !== predicted.join()) return;
  // "beyond this page": a page longer than limit is BP-LIMIT-BOUND's finding, judged here by what it holds
  const more = remaining > Math.max(limit, page.rows.length);
  expectThat(page.hasMore === more, () => ({
    expected: `hasMore ${more} (${remaining} rows follow, limit ${limit}, ${describeFilters(f)})`,
    actual: `hasMore ${page.hasMore}`,
    exchange: page.ex,
  }));
}

/** The exactly-full last page and one short of it, always sent: where "hasMore = page is full" shows. */
async function hasMoreAtEdges(ctx: BpContext, ref: Reference): Promise<void> {
  const since = second(rowAt(ref.rows, Math.min(ref.rows.length - 1, 20)));
  const listing = filterRows(ctx, ref.rows, { since });
  const n = listing.length;
  if (n < 2 || n > MAX_LIMIT) return;
  await expectHasMore(ctx, ref, listing, -1, n, { since });
  await expectHasMore(ctx, ref, listing, 0, n - 1, { since });
  await expectHasMore(ctx, ref, listing, -1, n - 1, { since });
  // the same edges in a since+until window that ends in old data (new runs cannot enter it): servers answer
  // windows by a query path of their own, whose hasMore is its own
  const until = second(rowAt(ref.rows, Math.min(ref.rows.length - 1, 2)));
  const window = filterRows(ctx, ref.rows, { since, until });
  if (since >= until || window.length < 2 || window.length > MAX_LIMIT) return;
  await expectHasMore(ctx, ref, window, -1, window.length, { since, until });
  // more follow: a run strictly inside the window among them, so a bound compared wrongly at its own second
  // (the bound's rule's finding) cannot make "hasMore false" right
  const atSince = window.findIndex((r) => second(r) === since);
  if (atSince >= 2) await expectHasMore(ctx, ref, window, -1, atSince - 1, { since, until });
}

/** Status-filtered pages: a first page of one run when several match must say more follow. */
async function hasMoreFiltered(ctx: BpContext, ref: Reference): Promise<void> {
  // finished runs stay finished: their count only grows, so "more follow" holds while the run changes
  for (const status of ['succeeded', 'failed']) {
    const matching = filterRows(ctx, ref.rows, { status });
    if (matching.length < 3) continue;
    const page = await ctx.page({ status, limit: 1 });
    expectThat(page.hasMore, () => ({
      expected: `hasMore true (${matching.length} ${status} runs, limit 1)`,
      actual: 'hasMore false',
      exchange: page.ex,
    }));
    const cursor = rowAt(matching, 0);
    const after = await ctx.page({ status, limit: 1, startingAfter: cursor.runId });
    expectThat(after.hasMore, () => ({
      expected: `hasMore true (${matching.length - 1} ${status} runs after ${cursor.runId}, limit 1)`,
      actual: 'hasMore false',
      exchange: after.ex,
    }));
  }
}

/**
 * The end of a status-filtered listing reached by startingAfter: a since window holding fewer runs (of any
 * status) than a page, so a page at the largest limit after its first run of each finished status must say
 * no more follow, whatever statuses change meanwhile (runs created during the suite are newer, above the cursor).
 */
async function hasMoreFilteredEnd(ctx: BpContext, ref: Reference): Promise<void> {
  const rows = ref.rows;
  // the widest since window (its second held whole) whose runs all fit on one page after the cursor
  let k = Math.min(rows.length - 1, ctx.pageMax - 2);
  while (k > 0 && filterRows(ctx, rows, { since: second(rowAt(rows, k)) }).length > ctx.pageMax) k--;
  const since = second(rowAt(rows, k));
  if (!Number.isFinite(since)) return;
  for (const status of ['succeeded', 'failed']) {
    const cursor = filterRows(ctx, rows, { since, status })[0];
    if (!cursor) continue;
    const page = await ctx.page({ status, since, startingAfter: cursor.runId, limit: ctx.pageMax });
    const left = filterRows(ctx, rows.slice(rows.indexOf(cursor) + 1), { since }).length;
    expectThat(!page.hasMore, () => ({
      expected: `hasMore false: the last page of status=${status}&since=${since} after ${cursor.runId} (${cursor.createdAt}), where ${left} runs of any status follow, limit ${ctx.pageMax}`,
      actual: `hasMore true with ${page.rows.length} rows`,
      exchange: page.ex,
    }));
  }
}

/** In old data: a window whose runs are all known ends exactly where they do. */
async function hasMoreDeep(ctx: BpContext, ref: Reference): Promise<void> {
  for (const w of (await deepWindows(ctx, ref)).slice(0, 2)) {
    const n = w.rows.length;
    if (n < 2) continue;
    const f: Filters = { since: w.since, until: w.until };
    await expectHasMore(ctx, ref, w.rows, -1, n - 1, f);
    await expectHasMore(ctx, ref, w.rows, 0, n - 1, f);
  }
}
