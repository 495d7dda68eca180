/**
 * Runtype rules on the limit parameter: its default, its bounds 1..100, and values beyond or beside them (GET
 * /v1/prompts › Params; Errors).
 */
import { isClientError } from '../../../shared/expect';
import type { Exchange } from '../../../shared/http';
import { checkProperty } from '../../../shared/property';
import { Blocked, brief, defineRule, expectThat } from '../../../shared/rule';
import {
  INVALID_LIMITS,
  inRangeLimitQuery,
  invalidLimitQuery,
  type LimitQuery,
  tooLargeLimitQuery,
  TOO_LARGE_LIMITS,
} from '../arbitraries';
import type { RtContext } from '../context';
import { DEFAULT_LIMIT, listQuery, MAX_LIMIT, readPage, type Walk } from '../pager';
import { defineRejectRule } from './reject';
import { bodyField, isRecord, someCursor } from './shared';

/** Items a first page at `limit` must hold, when the reference knows. */
function firstPageSize(ref: Walk, limit: number): number | undefined {
  if (ref.complete) return Math.min(limit, ref.items.length);
  return ref.items.length >= limit ? limit : undefined;
}

/** 4xx with a JSON body, or a 200 page that honours the 100-item maximum; never a 5xx (RT-GAP-LIMIT). */
function judgeLimit(ctx: RtContext, ex: Exchange, value: string): void {
  expectThat(ex.status < 500, () => ({
    expected: `a 400 (or another 4xx) or a clamped page for limit=${value}, never a 5xx`,
    actual: `${ex.status} ${brief(ex.text)}`,
    exchange: ex,
  }));
  if (isClientError(ex)) {
    ctx.observe('RT-GAP-LIMIT', `limit=${brief(value, 24)} → ${ex.status}`);
    return;
  }
  const page = readPage(ex, {});
  const lim = page.info.limit;
  ctx.observe('RT-GAP-LIMIT', `limit=${brief(value, 24)} → 200 with pagination.limit ${lim}`);
  expectThat(lim !== undefined && Number.isInteger(lim) && lim >= 1 && lim <= MAX_LIMIT, () => ({
    expected: `pagination.limit clamped into 1..100 for limit=${value}`,
    actual: `pagination.limit ${brief(paginationLimit(ex))}`,
    exchange: ex,
  }));
  if (page.items.length > lim)
    throw new Blocked(['RT-LIMIT-BOUND'], `a page holds ${page.items.length} prompts at pagination.limit ${lim}`);
}

type InRangeQuery = { limit: number; cursor: string | undefined };

/**
 * A page at an in-range limit holds at most that many prompts, exactly that many on a first page while more exist,
 * and echoes it in pagination.limit (RT-LIMIT-BOUND). A cursor from a limit-100 page sent with another limit may be
 * refused: the docs do not say it must work.
 */
function judgeInRange(ctx: RtContext, { limit, cursor }: InRangeQuery): Promise<void> {
  return ctx.settled(async () => {
    const ref = await ctx.reference();
    const query = listQuery({ limit, cursor });
    const ex = await ctx.get(query);
    if (cursor !== undefined) ctx.observe('RT-GAP-CURSOR', `a cursor reused with another limit → ${ex.status}`);
    if (cursor !== undefined && isClientError(ex)) return;
    const page = readPage(ex, query);
    const want = cursor === undefined ? firstPageSize(ref, limit) : undefined;
    expectThat(page.items.length <= limit, () => ({
      expected: `≤ ${limit} prompts`,
      actual: `${page.items.length} prompts`,
      exchange: ex,
    }));
    expectThat(want === undefined || page.items.length === want, () => ({
      expected: `${want} prompts on the first page at limit ${limit}`,
      actual: `${page.items.length} prompts`,
      exchange: ex,
    }));
    expectThat(page.info.limit === limit, () => ({
      expected: `pagination.limit ${limit}`,
      actual: `pagination.limit ${brief(page.info.limit)}`,
      exchange: ex,
    }));
  });
}

/** pagination.limit as the body has it, whatever its type. */
function paginationLimit(ex: Exchange): unknown {
  const p = bodyField(ex, 'pagination');
  return isRecord(p) ? p.limit : undefined;
}

/** Sends a limit case of a reject table and judges it ({@link judgeLimit}). */
async function sendLimit(ctx: RtContext, { limit, cursor }: LimitQuery): Promise<void> {
  judgeLimit(ctx, await ctx.get(listQuery({ limit, cursor })), String(limit));
}

/** limit=100, the largest allowed, fills the first page as far as the listing goes (RT-LIMIT-MAX's in-range end). */
function expectFullPageAtMax(ctx: RtContext): Promise<void> {
  return ctx.settled(async () => {
    const ref = await ctx.reference();
    const page = await ctx.page({ limit: MAX_LIMIT });
    const want = firstPageSize(ref, MAX_LIMIT);
    if (page.items.length > MAX_LIMIT && page.info.limit === MAX_LIMIT)
      throw new Blocked(['RT-LIMIT-BOUND'], `a page holds ${page.items.length} prompts at pagination.limit 100`);
    expectThat(want === undefined || page.items.length === want, () => ({
      expected: `${want} prompts at limit=100`,
      actual: `${page.items.length} prompts`,
      exchange: page.ex,
    }));
  });
}

export const limitRules = [
  defineRule({
    id: 'RT-LIMIT-DEFAULT',
    doc: 'GET /v1/prompts › Params (limit: default 50); Response example (pagination.limit 50 for a request without limit)',
    basis: 'documented',
    summary:
      'without limit a page holds 50 prompts (fewer only if fewer exist) and pagination.limit is 50, on the first page and the next',
    check: (ctx: RtContext) =>
      // sizes expected from the reference: a listing that grew meanwhile is re-read, not blamed
      ctx.settled(async () => {
        const ref = await ctx.reference();
        const page = await ctx.page({});
        const want = firstPageSize(ref, DEFAULT_LIMIT);
        if (page.items.length > (page.info.limit ?? DEFAULT_LIMIT))
          throw new Blocked(
            ['RT-LIMIT-BOUND'],
            `a page holds ${page.items.length} prompts at pagination.limit ${page.info.limit}`,
          );
        expectThat(page.info.limit === DEFAULT_LIMIT, () => ({
          expected: 'pagination.limit 50 (the default)',
          actual: `pagination.limit ${brief(page.info.limit)}`,
          exchange: page.ex,
        }));
        expectThat(want === undefined ? page.items.length <= DEFAULT_LIMIT : page.items.length === want, () => ({
          expected: `${want ?? '≤ 50'} prompts (default limit 50)`,
          actual: `${page.items.length} prompts`,
          exchange: page.ex,
        }));
        // the default holds on the pages nextCursor leads to as well, not only on the first one
        const walk = await ctx.walk({}, undefined, 2 * DEFAULT_LIMIT);
        const second = walk.pages[1];
        if (!second) return;
        const rest = ref.items.length - DEFAULT_LIMIT;
        const want2 = ref.complete ? Math.min(DEFAULT_LIMIT, rest) : rest >= DEFAULT_LIMIT ? DEFAULT_LIMIT : undefined;
        expectThat(second.info.limit === DEFAULT_LIMIT, () => ({
          expected: 'pagination.limit 50 (the default) on the second page',
          actual: `pagination.limit ${brief(second.info.limit)}`,
          exchange: second.ex,
        }));
        expectThat(want2 === undefined ? second.items.length <= DEFAULT_LIMIT : second.items.length === want2, () => ({
          expected: `${want2 ?? '≤ 50'} prompts on the second page (default limit 50)`,
          actual: `${second.items.length} prompts`,
          exchange: second.ex,
        }));
      }),
  }),
  defineRule({
    id: 'RT-LIMIT-BOUND',
    doc: 'GET /v1/prompts › Params (limit: max results per page); Response (pagination.limit)',
    basis: 'documented',
    summary:
      'with limit 1..100 a page holds at most limit prompts (exactly that many while more exist) and pagination.limit echoes it',
    check: async (ctx: RtContext) => {
      await ctx.reportFinding('RT-LIMIT-BOUND');
      const ref = await ctx.reference();
      const cursors = ref.pages
        .flatMap((p) => [p.info.nextCursor, p.info.prevCursor])
        .filter((c): c is string => typeof c === 'string');
      const judge = (q: InRangeQuery) => judgeInRange(ctx, q);
      // every run: the bounds 1 and 100, without and with a cursor; then drawn sizes and cursors
      const issued = cursors[0];
      for (const limit of [1, MAX_LIMIT]) for (const c of [undefined, issued]) await judge({ limit, cursor: c });
      await checkProperty(ctx, inRangeLimitQuery(cursors), judge, { maxRuns: 6 });
    },
  }),
  defineRejectRule({
    id: 'RT-LIMIT-MAX',
    doc: 'GET /v1/prompts › Params (limit: max 100); Errors (400)',
    basis: 'documented',
    summary:
      'limit=100 gives up to 100 prompts; above 100 (with or without a cursor) the answer is a 4xx or a page of at most 100, never more, never a 5xx',
    setup: async (ctx) => {
      // first, before anything pages at 100: the documented maximum itself must be accepted
      const atMax = await ctx.get(listQuery({ limit: MAX_LIMIT }));
      expectThat(atMax.status === 200, () => ({
        expected: '200 with up to 100 prompts for limit=100 (the documented maximum)',
        actual: `${atMax.status} ${brief(atMax.text)}`,
        exchange: atMax,
      }));
      const ref = await ctx.reference();
      await expectFullPageAtMax(ctx);
      return someCursor(ctx, ref);
    },
    // every run: one beyond, past 2^31 and 2^53, each without and with a cursor
    table: (cursor) => TOO_LARGE_LIMITS.flatMap((limit) => [undefined, cursor].map((c) => ({ limit, cursor: c }))),
    // drawn values beyond the table take the same clamp-or-refuse path: a few, not a second table
    drawn: { cases: tooLargeLimitQuery, maxRuns: 2 },
    judge: sendLimit,
  }),
  defineRejectRule({
    id: 'RT-LIMIT-INVALID',
    doc: 'GET /v1/prompts › Params (limit: string, max results per page); Errors (400 Bad Request)',
    basis: 'documented',
    summary:
      'a limit that is not a positive integer ("0", "-1", "abc", "2.5"), with or without a cursor, gets a 4xx with a JSON body, or a page within 1..100; never a 5xx',
    setup: async (ctx) => someCursor(ctx, await ctx.reference()),
    // every run: limit=0 without and with a cursor, the other boundaries alternately alone and beside one (a table
    // row each, not the product: the drawn cases take the other pairs)
    table: (cursor) =>
      INVALID_LIMITS.flatMap((limit, i) =>
        (i === 0 ? [undefined, cursor] : [i % 2 ? cursor : undefined]).map((c) => ({ limit, cursor: c })),
      ),
    drawn: { cases: invalidLimitQuery, maxRuns: 2 },
    judge: sendLimit,
  }),
] as const;
