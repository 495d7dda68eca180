/**
 * Runtype rules on the page metadata: currentOffset, currentPage, totalPages, totalCount, hasMore/hasPrev and the
 * cursors they pair with (GET /v1/prompts › Response).
 */
import fc from 'fast-check';
import { json } from '../../../shared/expect';
import { checkProperty } from '../../../shared/property';
import { Blocked, brief, defineRule, expectThat, Inconclusive, Violation } from '../../../shared/rule';
import { filterCombo, firstPageQuery } from '../arbitraries';
import type { RtContext } from '../context';
import {
  DEFAULT_LIMIT,
  describeFilters,
  type Filters,
  MAX_LIMIT,
  matchesFilters,
  type Page,
  pageOffsets,
  type Walk,
} from '../pager';
import { coverWhole, filteredPage, pageFilters, sharedWalks } from './shared';

/**
 * Drawn first pages RT-PAGE-FIRST and RT-PAGE-TOTALPAGES judge (one arbitrary, one seed: the same pages, read once).
 * Few: the walk plan's first pages, every filter set at two sizes, are judged by both as well.
 */
const FIRST_PAGE_RUNS = 2;

/**
 * Filter sets (as {@link describeFilters} names them) whose totalCount a complete walk at limit 100 of at most 300
 * prompts confirms, with the count unchanged on every page: there a page's hasMore can be judged by its totalCount.
 */
async function countedFilterSets(ctx: RtContext): Promise<Set<string>> {
  const sets = new Map<string, Filters>();
  // sets some walk followed a cursor in: a lone first page's hasMore is the exactly-full walks' business, and
  // counting its set would walk it only for that one page
  for (const page of ctx.pagesRead)
    if (page.query.cursor !== undefined) sets.set(describeFilters(pageFilters(page)), pageFilters(page));
  const out = new Set<string>();
  for (const [key, f] of sets) {
    const first = await filteredPage(ctx, { limit: MAX_LIMIT, ...f });
    if (!first || (first.info.totalCount ?? Infinity) > 300) continue;
    const walk = await ctx.walk(f, MAX_LIMIT, 300);
    const tc = walk.pages[0]?.info.totalCount;
    if (
      walk.complete &&
      walk.excusedRepeats === 0 &&
      walk.items.length === tc &&
      walk.pages.every((p) => p.info.totalCount === tc)
    )
      out.add(key);
  }
  return out;
}

/** The page size a page was read at: its own pagination.limit, else what was asked, else the default. */
function pageLimit(page: Page): number {
  const asked = Number(page.query.limit);
  return page.info.limit !== undefined && page.info.limit >= 1
    ? page.info.limit
    : Number.isInteger(asked) && asked >= 1
      ? asked
      : DEFAULT_LIMIT;
}

/** totalPages = ceil(totalCount / limit); for an empty result 0 or 1 (RT-GAP-EMPTY-RESULT). */
function expectTotalPages(page: Page, asked: number): void {
  // the page's own limit: a wrong default is RT-LIMIT-DEFAULT's business
  const limit = page.info.limit !== undefined && page.info.limit >= 1 ? page.info.limit : asked;
  const { totalCount: tc, totalPages: tp } = page.info;
  const want = tc === undefined ? undefined : Math.ceil(tc / limit);
  expectThat(tc !== undefined && (tp === want || (tc === 0 && tp === 1)), () => ({
    expected: `totalPages ceil(${tc ?? '?'} / ${limit}) = ${want ?? '?'}`,
    actual: `totalPages ${brief(tp)} with totalCount ${brief(tc)}`,
    exchange: page.ex,
  }));
}

/** hasMore ⇔ nextCursor non-null; hasPrev ⇔ prevCursor non-null. */
function expectLinks(page: Page): void {
  const { hasMore, nextCursor, hasPrev, prevCursor } = page.info;
  expectThat(hasMore === (typeof nextCursor === 'string'), () => ({
    expected: 'nextCursor non-null exactly when hasMore is true',
    actual: `hasMore ${brief(hasMore)}, nextCursor ${brief(nextCursor ?? 'absent')}`,
    exchange: page.ex,
  }));
  expectThat(hasPrev === (typeof prevCursor === 'string'), () => ({
    expected: 'prevCursor non-null exactly when hasPrev is true',
    actual: `hasPrev ${brief(hasPrev)}, prevCursor ${brief(prevCursor ?? 'absent')}`,
    exchange: page.ex,
  }));
}

/**
 * hasMore ⇔ prompts follow the page (currentOffset + items < totalCount), hasPrev ⇔ currentOffset > 0.
 * Judged on each page's own figures; whether currentOffset is the true position is RT-PAGE-POSITION's business.
 */
function expectHasMore(walk: Walk): void {
  const offsets = pageOffsets(walk);
  const tc = walk.pages[0]?.info.totalCount;
  const filtered = Object.values(walk.filters).some((v) => v !== undefined);
  // a walk that ended and disagrees with totalCount: the count is the culprit, owned by the totalCount rules
  if (
    walk.complete &&
    walk.excusedRepeats === 0 &&
    tc !== walk.items.length &&
    walk.pages.every((p) => p.info.totalCount === tc)
  )
    throw new Blocked(
      [filtered ? 'RT-FILTER-TOTAL' : 'RT-TOTAL-COUNT'],
      `totalCount ${tc} but the walk (${describeFilters(walk.filters)}) lists ${walk.items.length} prompts`,
    );
  walk.pages.forEach((page, k) => {
    const at = page.info.currentOffset ?? offsets[k] ?? 0;
    const total = page.info.totalCount ?? (walk.complete ? walk.items.length : undefined);
    if (total === undefined) return;
    const more = at + page.items.length < total;
    expectThat(page.info.hasMore === more, () => ({
      expected: `hasMore ${more} (${at} + ${page.items.length} of ${total} prompts, ${describeFilters(walk.filters)}, limit ${walk.limit})`,
      actual: `hasMore ${brief(page.info.hasMore)}`,
      exchange: page.ex,
    }));
    if (k > 0)
      expectThat(page.info.hasPrev === at > 0, () => ({
        expected: `hasPrev ${at > 0} (page starts at ${at})`,
        actual: `hasPrev ${brief(page.info.hasPrev)}`,
        exchange: page.ex,
      }));
  });
}

/** A filter set, its prompt count, and a page size dividing it. */
interface FullWalk {
  filters: Filters;
  limit: number;
  count: number;
}

/**
 * (filters, limit) pairs whose last page is exactly full, in at most 4 pages: where "hasMore = page is full" shows.
 * Counts come from the complete reference, or else from the first filtered pages' totalCount (a live target).
 */
async function exactlyFullWalks(ctx: RtContext, ref: Walk): Promise<FullWalk[]> {
  const models = [...new Set(ref.items.map((it) => it.model).filter((m): m is string => !!m))];
  const candidates: Filters[] = [
    {},
    ...models.slice(0, 4).map((model) => ({ model })),
    ...ctx
      .knownFlowIds(ref.items)
      .slice(0, 4)
      .map((flowId) => ({ flowId })),
  ];
  const out: FullWalk[] = [];
  for (const filters of candidates) {
    const c = ref.complete
      ? ref.items.filter(
          (it) => !matchesFilters(it, filters) && (filters.flowId === undefined || it.flowId === filters.flowId),
        ).length
      : (await filteredPage(ctx, { limit: MAX_LIMIT, ...filters }))?.info.totalCount;
    if (c === undefined || c < 1 || c > ctx.settings.walkMaxRows) continue;
    for (let limit = Math.ceil(c / 4); limit <= Math.min(MAX_LIMIT, c); limit++)
      if (c % limit === 0) out.push({ filters, limit, count: c });
  }
  return out;
}

/**
 * One page's flags, however it was reached (RT-PAGE-HASMORE): hasMore ⇔ prompts follow where the filter set's
 * totalCount is vouched for by a complete walk (`counted`), hasPrev on a page that does not start the listing, and
 * hasMore only with prompts on the page.
 */
function expectPageFlags(page: Page, counted: ReadonlySet<string>): void {
  const { currentOffset: o, hasPrev, hasMore, totalCount: tc } = page.info;
  const filters = describeFilters(pageFilters(page));
  if (o !== undefined && tc !== undefined && counted.has(filters))
    expectThat(hasMore === o + page.items.length < tc, () => ({
      expected: `hasMore ${o + page.items.length < tc} (${o} + ${page.items.length} of ${tc} prompts, ${filters}, limit ${pageLimit(page)}${page.query.cursor ? ', reached by a cursor' : ''}; or totalCount is wrong)`,
      actual: `hasMore ${json(hasMore)}`,
      exchange: page.ex,
    }));
  if (o !== undefined && o > 0)
    expectThat(hasPrev === true, () => ({
      expected: `hasPrev true on a page at currentOffset ${o} (${filters})`,
      actual: `hasPrev ${json(hasPrev)}`,
      exchange: page.ex,
    }));
  expectThat(!(page.items.length === 0 && hasMore === true), () => ({
    expected: 'a page that says hasMore to hold prompts (following nextCursor makes progress)',
    actual: 'no prompts and hasMore true',
    exchange: page.ex,
  }));
}

/** Walks a filter set at a size whose last page is exactly full, and judges hasMore on every page (RT-PAGE-HASMORE). */
function expectExactlyFullWalk(ctx: RtContext, { filters, limit, count }: FullWalk): Promise<void> {
  return ctx.settled(async () => {
    // the count now: prompts created since the reference would leave the last page short of full
    const now = (await filteredPage(ctx, { limit: MAX_LIMIT, ...filters }))?.info.totalCount ?? count;
    const fit = now === count ? limit : divisorNear(now, limit);
    expectHasMore(await ctx.walk(filters, fit, now + fit));
  });
}

/** A page size dividing `count` (so the last page is exactly full), as near `limit` as there is one from count/4 up. */
function divisorNear(count: number, limit: number): number {
  const ds = Array.from(
    { length: Math.max(0, Math.min(MAX_LIMIT, count) - Math.ceil(count / 4) + 1) },
    (_, k) => Math.ceil(count / 4) + k,
  ).filter((l) => l >= 1 && count % l === 0);
  return ds.sort((a, b) => Math.abs(a - limit) - Math.abs(b - limit))[0] ?? limit;
}

export const paginationRules = [
  defineRule({
    id: 'RT-PAGE-FIRST',
    doc: 'GET /v1/prompts › Response example (first page: currentOffset 0, currentPage 1, hasPrev false, prevCursor null)',
    basis: 'documented',
    summary:
      'a first page (no cursor), filtered or not, has currentOffset 0, currentPage 1, hasPrev false and prevCursor null',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      const arb = firstPageQuery(ref.items, ctx.knownFlowIds(ref.items));
      const judge = (page: Page) => {
        const i = page.info;
        if (i.totalCount === 0)
          ctx.observe('RT-GAP-EMPTY-RESULT', `empty result → currentPage ${i.currentPage}, totalPages ${i.totalPages}`);
        const pageOk = i.currentPage === 1 || (i.totalCount === 0 && i.currentPage === 0);
        expectThat(i.currentOffset === 0 && pageOk && i.hasPrev === false && i.prevCursor === null, () => ({
          expected: 'currentOffset 0, currentPage 1, hasPrev false, prevCursor null',
          actual: `currentOffset ${brief(i.currentOffset)}, currentPage ${brief(i.currentPage)}, hasPrev ${brief(i.hasPrev)}, prevCursor ${brief(i.prevCursor ?? 'absent')}`,
          exchange: page.ex,
        }));
      };
      const first = ref.pages[0];
      if (first) judge(first);
      await checkProperty(
        ctx,
        arb,
        async ({ filters, limit }) => {
          const page = await filteredPage(ctx, { limit, ...filters });
          if (page) judge(page);
        },
        { maxRuns: FIRST_PAGE_RUNS },
      );
      await ctx.forEveryPage((page) => {
        if (page.query.cursor === undefined) judge(page);
      });
    },
  }),
  defineRule({
    id: 'RT-PAGE-POSITION',
    doc: 'GET /v1/prompts › Response (pagination.currentOffset, currentPage)',
    basis: 'inferred',
    summary:
      'the k-th page of a walk at limit l reports currentOffset (k-1)·l and currentPage k; every page, however reached (prevCursor too), has currentPage floor(currentOffset / limit) + 1',
    check: async (ctx: RtContext) => {
      const ref = await ctx.listing(2, 'page positions');
      const at = new Map(ref.items.map((it, i) => [it.id, i]));
      await sharedWalks(ctx, ref, (walk, limit) =>
        walk.pages.forEach((page, k) => {
          if (k === 0) return; // the first page is RT-PAGE-FIRST's
          const { currentOffset: o, currentPage: p } = page.info;
          // a cursor that keeps its place by the prompt it follows (not by offset) starts later by as many prompts
          // as arrived above since the first page: by at most the growth of totalCount the pages themselves show
          const grown = Math.max(0, (page.info.totalCount ?? 0) - (walk.pages[0]?.info.totalCount ?? 0));
          const shifted = o !== undefined && o > k * limit && o <= k * limit + grown;
          if (shifted)
            ctx.noteDrift(`page ${k + 1} at limit ${limit} starts ${o - k * limit} later: prompts arrived above`);
          const want = shifted ? Math.floor(o / limit) + 1 : k + 1;
          if ((o === k * limit || shifted) && p === want) return;
          const detail = {
            expected: `page ${k + 1} at limit ${limit}: currentOffset ${k * limit}${grown ? ` (up to ${k * limit + grown}: ${grown} prompts arrived during the walk)` : ''}, currentPage ${want}`,
            actual: `currentOffset ${brief(o)}, currentPage ${brief(p)}`,
            exchange: page.ex,
          };
          // a page that says truly where it starts (its first prompt sits at currentOffset in the listing) was put
          // there by its cursor: a page that repeats or skips prompts is the walk rule's finding
          const first = page.items[0];
          const truthful =
            o !== undefined && first !== undefined && at.get(first.id) === o && p === Math.floor(o / limit) + 1;
          if (!truthful) throw new Violation(detail);
          ctx.reportUnless('RT-PAGE-POSITION', detail, ['RT-WALK-FORWARD']);
        }),
      );
      await ctx.forEveryPage((page) => {
        const { currentOffset: o, currentPage: p } = page.info;
        if (o === undefined || o === 0) return; // first pages: RT-PAGE-FIRST
        const l = pageLimit(page);
        const want = Math.floor(o / l) + 1;
        expectThat(p === want, () => ({
          expected: `currentPage ${want} (floor(currentOffset ${o} / limit ${l}) + 1)${page.query.cursor ? ' on a page reached by a cursor' : ''}`,
          actual: `currentPage ${json(p)}`,
          exchange: page.ex,
        }));
      });
    },
  }),
  defineRule({
    id: 'RT-PAGE-TOTALPAGES',
    doc: 'GET /v1/prompts › Response (pagination.totalPages, totalCount, limit; example 120 at 50 → 3)',
    basis: 'inferred',
    summary: 'totalPages = ceil(totalCount / limit) on every page, filtered or not',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      for (const page of ref.pages) expectTotalPages(page, MAX_LIMIT);
      // page sizes dividing totalCount exactly (1 always does): where floor + 1 and ceil part ways
      const total = ref.pages[0]?.info.totalCount;
      if (total !== undefined && total > 0) {
        const divisor = Array.from(
          { length: Math.min(MAX_LIMIT, total) },
          (_, k) => Math.min(MAX_LIMIT, total) - k,
        ).find((l) => l > 1 && total % l === 0);
        for (const limit of divisor === undefined ? [1] : [1, divisor])
          expectTotalPages(await ctx.page({ limit }), limit);
      }
      await sharedWalks(ctx, ref, (walk, limit) => {
        for (const page of walk.pages) expectTotalPages(page, limit);
      });
      await ctx.forEveryPage((page) => expectTotalPages(page, pageLimit(page)));
      const arb = firstPageQuery(ref.items, ctx.knownFlowIds(ref.items));
      await checkProperty(
        ctx,
        arb,
        async ({ filters, limit }) => {
          const page = await filteredPage(ctx, { limit, ...filters });
          if (page) expectTotalPages(page, limit ?? DEFAULT_LIMIT);
        },
        { maxRuns: FIRST_PAGE_RUNS },
      );
    },
  }),
  defineRule({
    id: 'RT-PAGE-LINKS',
    doc: 'GET /v1/prompts › Response (hasMore/nextCursor, hasPrev/prevCursor; example: hasPrev false with prevCursor null)',
    basis: 'inferred',
    summary: 'on every page hasMore is true exactly when nextCursor is non-null, hasPrev exactly when prevCursor is',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      for (const page of ref.pages) expectLinks(page);
      await sharedWalks(ctx, ref, (walk) => {
        for (const page of walk.pages) expectLinks(page);
      });
      await ctx.forEveryPage(expectLinks);
      await checkProperty(
        ctx,
        filterCombo(ref.items, ctx.knownFlowIds(ref.items), { nonEmpty: true }),
        async (filters) => {
          const page = await filteredPage(ctx, { limit: MAX_LIMIT, ...filters });
          if (page) expectLinks(page);
        },
        { maxRuns: 3 },
      );
    },
  }),
  defineRule({
    id: 'RT-PAGE-HASMORE',
    doc: 'GET /v1/prompts › Response (pagination.hasMore, hasPrev, totalCount)',
    basis: 'inferred',
    summary:
      'hasMore is true exactly when prompts follow the page (false on an exactly-full last page), never on an empty page; hasPrev exactly when prompts precede it, on every page however reached',
    check: async (ctx: RtContext) => {
      await ctx.reportFinding('RT-PAGE-HASMORE');
      const ref = await ctx.listing(1, 'hasMore');
      coverWhole(ctx, ref);
      await sharedWalks(ctx, ref, expectHasMore);
      // every page, however reached: prompts precede a page that does not start the listing; a page says more only with prompts on it
      await ctx.forEveryPage(() => undefined); // the walk plan first, so its filter sets are counted too
      const counted = await countedFilterSets(ctx);
      await ctx.forEveryPage((page) => expectPageFlags(page, counted));
      // filters and page sizes whose last page is exactly full, from counts seen: where "hasMore = page is full" shows
      const fits = await exactlyFullWalks(ctx, ref);
      if (!fits.length) return;
      await checkProperty(ctx, fc.constantFrom(...fits), (fit) => expectExactlyFullWalk(ctx, fit), { maxRuns: 6 });
    },
  }),
  defineRule({
    id: 'RT-TOTAL-COUNT',
    doc: 'GET /v1/prompts › Response (pagination.totalCount; example: 120 prompts, 3 pages of 50)',
    basis: 'documented',
    summary:
      'totalCount is the number of prompts listed: walks at limit 100 and 70 that agree list exactly totalCount, and every page of one walk says the same',
    check: async (ctx: RtContext) => {
      // the reference's cross-check owns the comparison: two walks agreeing on N make a different totalCount the culprit
      await ctx.reportFinding('RT-TOTAL-COUNT');
      const ref = await ctx.trusted();
      const first = ref.pages[0];
      coverWhole(ctx, ref);
      if (!ref.complete || !first) return; // a listing beyond the walk cap has no end to count to
      const odd = ref.pages.find((p) => p.info.totalCount !== first.info.totalCount);
      if (odd)
        throw new Inconclusive(
          `totalCount moved ${first.info.totalCount} → ${odd.info.totalCount} during the walk (prompts added or removed)`,
        );
      expectThat(first.info.totalCount === ref.items.length, () => ({
        expected: `totalCount ${ref.items.length} (the prompts the walk at limit 100 lists)`,
        actual: `totalCount ${json(first.info.totalCount)}`,
        exchange: first.ex,
      }));
    },
  }),
] as const;
