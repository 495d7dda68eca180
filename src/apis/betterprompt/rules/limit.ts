/**
 * limit (doc: GET /v1/runs › Params › limit; Errors): its default, its bound on every page, and the values
 * refused. The docs do not say whether a bad limit is 400 or 422 (published facts): either is accepted and
 * the choice recorded (BP-GAP-LIMIT-STATUS).
 */
import { json, expectStatus } from '../../../shared/expect';
import { checkProperty } from '../../../shared/property';
import { defineRule, expectThat } from '../../../shared/rule';
import { fixedOr, limitAfterRow, nonIntegerText, tooLargeLimit, tooSmallLimit } from '../arbitraries';
import { companions, describeFilters, newOnPage } from '../compare';
import type { BpContext } from '../context';
import { type Reference, rowAt, uses } from '../pager';
import { defineRejectRule } from './reject';
import { tieStarts } from './shared';

const DEFAULT_LIMIT = 10;
const BAD_LIMIT_STATUSES = [400, 422];

export const limitRules = [
  defineRule({
    id: 'BP-LIMIT-DEFAULT',
    doc: 'GET /v1/runs › Params (limit default 10)',
    basis: 'documented',
    summary: 'without limit, a page holds 10 rows when at least 10 exist, on the first page and after either cursor',
    check: async (ctx: BpContext) => {
      const ref = await ctx.listing(0, 'the default page size', uses({ time: false }));
      await defaultOnFirstPage(ctx, ref);
      // the default holds on cursor pages too, not only on the first one
      if (ref.rows.length < 2) return;
      await defaultAfterNewest(ctx, ref);
      ctx.needBackward();
      await defaultBefore(ctx, ref);
    },
  }),
  defineRule({
    id: 'BP-LIMIT-BOUND',
    doc: 'GET /v1/runs › Params (limit: number of runs to return)',
    basis: 'documented',
    summary: 'a page holds at most `limit` rows (every page of every walk), and exactly `limit` while more rows follow',
    check: async (ctx: BpContext) => {
      const ref = await ctx.listing(2, 'limit bounds', uses({ time: false }));
      await ctx.forEveryPage(({ page, limit, filters, direction }) =>
        page.rows.length <= limit
          ? undefined
          : {
              expected: `≤ ${limit} rows (${direction} walk, ${describeFilters(filters)})`,
              actual: `${page.rows.length} rows`,
              exchange: page.ex,
            },
      );
      const fixed = [1, 49, 50].flatMap((limit) => [
        { limit, at: undefined },
        { limit, at: tieStarts(ref.rows, 1, ref.rows.length - 1)[0] ?? 0 },
      ]);
      await checkProperty(ctx, fixedOr(fixed, limitAfterRow(ref.rows)), ({ limit, at }) =>
        expectBoundedPage(ctx, ref, limit, at),
      );
    },
  }),
  defineRejectRule({
    id: 'BP-LIMIT-MAX',
    doc: 'GET /v1/runs › Params (limit max 50); Errors (invalid parameters)',
    basis: 'documented',
    summary:
      'limit 50 is accepted; any limit above 50 (51, 2^31, 2^53 included) is rejected with 422 (or 400) beside any cursor or filter, never clamped',
    accepted: async (ctx) => {
      const ref = await ctx.reference();
      for (const w of companions(ref).slice(0, 3))
        expectStatus(
          await ctx.get({ ...w, limit: 50 }),
          [200],
          `200 for limit=50 (the documented maximum)${Object.keys(w).length ? ` beside ${Object.keys(w).join(', ')}` : ''}`,
        );
    },
    params: ['limit'],
    table: [51, 52, 100, 2 ** 31, 2 ** 53],
    bad: () => tooLargeLimit(),
    statuses: BAD_LIMIT_STATUSES,
    why: (v) => `limit ${v} is above the maximum of 50`,
    seen: (ctx, ex) => ctx.observe('BP-GAP-LIMIT-STATUS', `limit above 50 → ${ex.status}`),
  }),
  defineRejectRule({
    id: 'BP-LIMIT-MIN',
    doc: 'GET /v1/runs › Params (limit min 1); Errors (invalid parameters)',
    basis: 'documented',
    summary:
      'limit 1 is accepted; limit 0 or below (-2^31, -2^53 included) is rejected with 422 (or 400) beside any cursor or filter',
    accepted: async (ctx) =>
      expectStatus(await ctx.get({ limit: 1 }), [200], '200 for limit=1 (the documented minimum)'),
    params: ['limit'],
    table: [0, -1, -(2 ** 31), -(2 ** 53)],
    bad: () => tooSmallLimit(),
    statuses: BAD_LIMIT_STATUSES,
    why: (v) => `limit ${v} is below the minimum of 1`,
    seen: (ctx, ex) => ctx.observe('BP-GAP-LIMIT-STATUS', `limit below 1 → ${ex.status}`),
  }),
  defineRejectRule({
    id: 'BP-LIMIT-INTEGER',
    doc: 'GET /v1/runs › Params (limit is an integer); Errors (invalid parameters)',
    basis: 'documented',
    summary:
      'a limit that is not an integer ("2.5", "10abc", "abc") is rejected with 422 (or 400) beside any cursor or filter',
    params: ['limit'],
    table: ['10abc', '2.5', 'abc', 'ten', '1_0', '5x'],
    bad: () => nonIntegerText(),
    statuses: BAD_LIMIT_STATUSES,
    why: (v) => `limit ${json(v)} is not an integer`,
    seen: (ctx, ex) => ctx.observe('BP-GAP-LIMIT-STATUS', `non-integer limit → ${ex.status}`),
  }),
];

/** BP-LIMIT-DEFAULT on the first page: 10 rows, or all there are (runs created during the suite included). */
async function defaultOnFirstPage(ctx: BpContext, ref: Reference): Promise<void> {
  const total = ref.rows.length + ref.head.length;
  const page = await ctx.page({});
  const want = ref.complete
    ? Math.min(DEFAULT_LIMIT, total + Math.max(0, newOnPage(ref, page, 'top') - ref.head.length))
    : DEFAULT_LIMIT;
  expectThat(page.rows.length === want, () => ({
    expected: `${want} rows (default limit 10)`,
    actual: `${page.rows.length} rows`,
    exchange: page.ex,
  }));
}

/** BP-LIMIT-DEFAULT after the newest run (startingAfter): 10 rows, or all that follow it. */
async function defaultAfterNewest(ctx: BpContext, ref: Reference): Promise<void> {
  const n = ref.rows.length;
  const after = await ctx.page({ startingAfter: rowAt(ref.rows, 0).runId });
  const wantAfter = Math.min(DEFAULT_LIMIT, ref.complete ? n - 1 : DEFAULT_LIMIT);
  expectThat(after.rows.length === wantAfter, () => ({
    expected: `${wantAfter} rows after the newest run (default limit 10)`,
    actual: `${after.rows.length} rows`,
    exchange: after.ex,
  }));
}

/** BP-LIMIT-DEFAULT before a run 15 rows down (endingBefore): the 10 just newer than it. */
async function defaultBefore(ctx: BpContext, ref: Reference): Promise<void> {
  const j = Math.min(ref.rows.length - 1, DEFAULT_LIMIT + 5);
  const before = await ctx.page({ endingBefore: rowAt(ref.rows, j).runId });
  const wantBefore = Math.min(DEFAULT_LIMIT, j + newOnPage(ref, before, 'before'));
  expectThat(before.rows.length === wantBefore, () => ({
    expected: `${wantBefore} rows before position ${j} (default limit 10)`,
    actual: `${before.rows.length} rows`,
    exchange: before.ex,
  }));
}

/** BP-LIMIT-BOUND's property: at most `limit` rows after row `at` (or on the first page), exactly `limit` while more follow. */
async function expectBoundedPage(ctx: BpContext, ref: Reference, limit: number, at: number | undefined): Promise<void> {
  const cursor = at === undefined ? undefined : ref.rows[at];
  const page = await ctx.page({ limit, ...(cursor ? { startingAfter: cursor.runId } : {}) });
  const fresh = cursor ? 0 : Math.max(ref.head.length, newOnPage(ref, page, 'top'));
  const available = ref.rows.length - (at === undefined ? 0 : at + 1) + fresh;
  const want = Math.min(limit, available);
  expectThat(page.rows.length <= limit, () => ({
    expected: `≤ ${limit} rows`,
    actual: `${page.rows.length} rows`,
    exchange: page.ex,
  }));
  expectThat(!(ref.complete || available > limit) || page.rows.length === want, () => ({
    expected: `${want} rows (${available} follow the cursor)`,
    actual: `${page.rows.length} rows`,
    exchange: page.ex,
  }));
}
