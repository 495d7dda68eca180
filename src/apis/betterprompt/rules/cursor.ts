/**
 * Cursors (doc: GET /v1/runs › Params › startingAfter, endingBefore; Warning; Errors; Pagination): each
 * returns the rows right beside its run, ties included; both together, or one that is not a UUID, is refused.
 */
import fc from 'fast-check';
import { json } from '../../../shared/expect';
import { checkProperty } from '../../../shared/property';
import { Blocked, defineRule, Skip } from '../../../shared/rule';
import { cursorText, fixedOr, malformedCursor, positionLimit } from '../arbitraries';
import { compareRows, deepWindows, expectListing, expectCompared } from '../compare';
import type { BpContext } from '../context';
import { ids, type ListingOwner, MAX_LIMIT, type Reference, rowAt, second } from '../pager';
import { defineRejectRule } from './reject';
import { expectRejected, tieStarts } from './shared';

export const cursorRules = [
  defineRule({
    id: 'BP-CURSOR-CONFLICT',
    doc: 'GET /v1/runs › Warning (startingAfter and endingBefore not together); Errors',
    basis: 'documented',
    summary: 'startingAfter and endingBefore in one request get 422',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      const first = ref.rows[0];
      if (!first) throw new Skip('target holds no runs; cursor conflicts need one');
      await expectRejected(
        ctx,
        { startingAfter: first.runId, endingBefore: first.runId },
        [422],
        'both cursors given (the same run)',
      );
      const cursor = cursorText(ref.rows);
      await checkProperty(
        ctx,
        fc.tuple(cursor, cursor, fc.boolean()),
        async ([a, b, reversed]) => {
          const query = reversed ? { endingBefore: b, startingAfter: a } : { startingAfter: a, endingBefore: b };
          await expectRejected(ctx, query, [422], 'both cursors given');
        },
        { maxRuns: 6 },
      );
    },
  }),
  defineRejectRule({
    id: 'BP-CURSOR-UUID',
    doc: 'GET /v1/runs › Errors (invalid UUID → 422)',
    basis: 'documented',
    summary: 'a cursor that is not a UUID gets 422 beside any filter',
    params: ['startingAfter', 'endingBefore'],
    table: (ref) => {
      const id = ref.rows[0]?.runId ?? '01234567-89ab-cdef-0123-456789abcdef';
      return [id.slice(0, -1), `${id}0`, `${id.slice(0, -1)}g`, 'abc', '12345', 'null'];
    },
    bad: (ref) => malformedCursor(ids(ref.rows)),
    without: 'cursor',
    statuses: [422],
    why: (v, param) => `${param} ${json(v)} is not a UUID`,
  }),
  defineRule({
    id: 'BP-CURSOR-AFTER',
    doc: 'GET /v1/runs › Params (startingAfter: runs created before this run); Pagination',
    basis: 'documented',
    summary:
      'startingAfter=id returns the rows right after id (no gap, no overlap, ties included), as an until window independent of any cursor shows them',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      cursorOracleUsable(ctx, ref);
      const n = ref.rows.length;
      const fixed = [0, n - 1, ...tieStarts(ref.rows, 3, n - 1)].map((i): readonly [number, number] => [i, 5]);
      await checkProperty(ctx, fixedOr(fixed, positionLimit(ref.rows, 0, n)), ([i, limit]) =>
        expectAfterAsUntilShows(ctx, ref, i, limit),
      );
      await expectAfterInOldData(ctx, ref);
    },
  }),
  defineRule({
    id: 'BP-CURSOR-BEFORE',
    doc: 'GET /v1/runs › Params (endingBefore: runs created after this run)',
    basis: 'documented',
    summary: 'endingBefore=id returns the rows right before id (the nearest newer ones, newest first, at most limit)',
    check: async (ctx: BpContext) => {
      await ctx.reference();
      await ctx.reportFinding('BP-CURSOR-BEFORE');
      ctx.needBackward();
      const ref = await ctx.listing(2, 'endingBefore');
      const n = ref.rows.length;
      // j < limit reaches the newest rows (and any created during the run); j > limit must stop at limit
      const fixed: (readonly [number, number])[] = [
        [1, 5],
        [Math.min(n - 1, 5), 5],
        [Math.min(n - 1, 12), 5],
        [Math.min(n - 1, 30), 10],
        ...tieStarts(ref.rows, 2)
          .filter((j) => j > 0)
          .map((j): readonly [number, number] => [j, 3]),
      ];
      await checkProperty(ctx, fixedOr(fixed, positionLimit(ref.rows, 1, n)), ([j, limit]) =>
        expectBeforePage(ctx, ref, j, limit),
      );
    },
  }),
];

/** CURSOR-AFTER's oracle is the until window and the createdAt seconds: blocked when either is untrustworthy. */
function cursorOracleUsable(ctx: BpContext, ref: Reference): void {
  ctx.needUntil();
  const oracleOwners: readonly ListingOwner[] = ['BP-ROW-CREATED-AT', 'BP-ORDER-NEWEST-FIRST', 'BP-DETERMINISTIC'];
  const owners = oracleOwners.filter((o) => ctx.findings.has(o));
  if (owners.length)
    throw new Blocked(owners, 'the cursor oracle selects runs by their createdAt second in listing order');
  if (ref.rows.length < 2) throw new Skip(`target holds ${ref.rows.length} runs; startingAfter needs 2`);
}

/** BP-CURSOR-AFTER at row i: the page after it holds what an until window at its second lists after it. */
async function expectAfterAsUntilShows(ctx: BpContext, ref: Reference, i: number, limit: number): Promise<void> {
  const cursor = rowAt(ref.rows, i);
  const oracle = await ctx.page({ until: second(cursor) + 1, limit: MAX_LIMIT });
  const at = oracle.rows.findIndex((r) => r.runId === cursor.runId);
  if (at === -1) return; // more than 50 runs share its second ahead of it: the oracle cannot see it
  const want = oracle.rows.slice(at + 1);
  const page = await ctx.page({ startingAfter: cursor.runId, limit });
  const known = !oracle.hasMore || want.length >= limit;
  const cmp = compareRows(ref, page.ex, page.rows, want, {
    reach: 'after',
    limit,
    known,
    what: `the ${Math.min(limit, want.length)} rows after ${cursor.runId} (${cursor.createdAt}), as until=${second(cursor) + 1} lists them`,
  });
  expectCompared(ctx, cmp);
}

/** BP-CURSOR-AFTER in old data: cursors inside windows below the walk. */
async function expectAfterInOldData(ctx: BpContext, ref: Reference): Promise<void> {
  for (const w of (await deepWindows(ctx, ref)).slice(0, 2)) {
    const k = Math.min(w.rows.length - 2, 3);
    const cursor = w.rows[k];
    if (!cursor) continue;
    const page = await ctx.page({ startingAfter: cursor.runId, limit: 5 });
    const cmp = compareRows(ref, page.ex, page.rows, w.rows.slice(k + 1), {
      reach: 'after',
      limit: 5,
      known: false,
      what: `the rows after old run ${cursor.runId} (${cursor.createdAt}), as until=${w.until} lists them`,
    });
    expectCompared(ctx, cmp);
  }
}

/** BP-CURSOR-BEFORE at row j: the `limit` rows just newer than it, newest first. */
async function expectBeforePage(ctx: BpContext, ref: Reference, j: number, limit: number): Promise<void> {
  const get = (fresh: boolean) => ctx.page({ endingBefore: rowAt(ref.rows, j).runId, limit }, { fresh });
  const page = await get(false);
  // more than limit rows is BP-LIMIT-BOUND's (every page of every walk) or, on backward pages only, the reference build's finding
  await expectListing(ctx, ref, get, () => ref.rows.slice(Math.max(0, j - limit), j), {
    reach: 'before',
    limit,
    known: true,
    what: `the rows just newer than position ${j}`,
  });
  ctx.observe(
    'BP-GAP-BACKWARD-HASMORE',
    `endingBefore page with ${Math.max(0, j - limit)} newer rows left → hasMore ${page.hasMore}`,
  );
}
