import { runStatusValues } from '../../../../schemas/betterprompt/list-runs.schema';
import { expectStatus, json } from '../../../shared/expect';
import type { Query } from '../../../shared/http';
import { checkProperty } from '../../../shared/property';
import { Blocked, defineRule, expectThat, type ViolationDetail } from '../../../shared/rule';
import { fixedOr, invalidStatus, nonIntegerTimestamp, rowIndex, secondAndGap, untilAtRow } from '../arbitraries';
import {
  compareRows,
  describeFilters,
  expectListing,
  filterRows,
  type RunStatus,
  type SeenPage,
  expectCompared,
} from '../compare';
import type { BpContext } from '../context';
import { MAX_LIMIT, type Reference, type RowView, readPage, rowAt, second, uses } from '../pager';
import { defineRejectRule } from './reject';
import { expectRejected, tieStarts } from './shared';

export const filterRules = [
  defineRule({
    id: 'BP-STATUS-FILTER',
    doc: 'GET /v1/runs › Params (status filter)',
    basis: 'documented',
    summary:
      'with status=s every row has runStatus s: on every page of every filtered walk, beside each cursor kind and each time bound',
    check: async (ctx: BpContext) => {
      await ctx.reference();
      await ctx.reportFinding('BP-STATUS-FILTER');
      // every row matches by its own runStatus: only an unreadable runStatus stops this check
      if (ctx.findings.has('BP-ROW-STATUS'))
        throw new Blocked(
          ['BP-ROW-STATUS'],
          'runStatus values are outside the documented enum; the status filter is judged by them',
        );
      const ref = await ctx.listing(1, 'the status filter', uses({ time: false }));
      // a backward page that drops the status is BP-FILTER-BEFORE's (endingBefore with filters); stands only without it
      await ctx.forEveryPage((seen) => {
        const bad = statusMismatch(seen);
        if (bad && seen.direction === 'backward') ctx.reportUnless('BP-STATUS-FILTER', bad, ['BP-FILTER-BEFORE']);
        else return bad;
      });
      // each status beside a rotating companion, succeeded beside all: a filter dropped only in combination shows here
      for (const [k, status] of runStatusValues.entries()) {
        const withs = statusCompanions(ctx, ref, status);
        for (const w of status === 'succeeded' ? withs : [withs[k % withs.length] ?? {}])
          await expectOnlyStatus(ctx, status, w);
      }
    },
  }),
  defineRejectRule({
    id: 'BP-STATUS-INVALID',
    doc: 'GET /v1/runs › Params (status values); Errors (422 for invalid parameters)',
    basis: 'documented',
    summary:
      'a status outside queued|running|succeeded|failed (case variants, LIKE/regex specials included) gets 422 beside any cursor or filter',
    params: ['status'],
    table: ['SUCCEEDED', 'Queued', 'success', 'completed', 'succeeded%', '.*', '_', 'running '],
    bad: () => invalidStatus(),
    without: 'status',
    statuses: [422],
    why: (v) => `status ${json(v)} is not a documented value`,
  }),
  defineRule({
    id: 'BP-SINCE-INCLUSIVE',
    doc: 'GET /v1/runs › Params (since: created at or after)',
    basis: 'documented',
    summary: 'since=t returns exactly the runs created at or after second t (a run in second t included)',
    check: async (ctx: BpContext) => {
      await ctx.reference();
      await ctx.reportFinding('BP-SINCE-INCLUSIVE');
      const ref = await ctx.listing(1, 'since');
      const end = Math.min(ref.rows.length, MAX_LIMIT);
      const fixed = [0, end - 1, ...tieStarts(ref.rows, 2, end)];
      await checkProperty(ctx, fixedOr(fixed, rowIndex(ref.rows, 0, end)), async (i) => {
        const since = second(rowAt(ref.rows, i));
        const get = async (fresh: boolean) => ctx.page({ since, limit: MAX_LIMIT }, { fresh });
        await expectListing(ctx, ref, get, () => filterRows(ctx, ref.rows, { since }), {
          reach: 'top',
          limit: MAX_LIMIT,
          known: true,
          what: `runs created at or after ${since}`,
        });
      });
    },
  }),
  defineRule({
    id: 'BP-UNTIL-EXCLUSIVE',
    doc: 'GET /v1/runs › Params (until: created before)',
    basis: 'documented',
    summary:
      'until=t returns exactly the runs created before second t (a run in second t excluded, in t-1 included), on first pages and on cursor pages in both directions',
    check: async (ctx: BpContext) => {
      await ctx.reference();
      await ctx.reportFinding('BP-UNTIL-EXCLUSIVE');
      const ref = await ctx.listing(1, 'until');
      await untilOnCursorPages(ctx, ref);
      const fixed = [0, ...tieStarts(ref.rows, 2)].flatMap((i): [number, boolean][] => [
        [i, true],
        [i, false],
      ]);
      await checkProperty(ctx, fixedOr(fixed, untilAtRow(ref.rows)), ([i, atSecond]) =>
        expectUntilFirstPage(ctx, ref, second(rowAt(ref.rows, i)) + (atSecond ? 0 : 1)),
      );
    },
  }),
  defineRule({
    id: 'BP-SINCE-BEFORE-UNTIL',
    doc: 'GET /v1/runs › Warning (since must be less than until)',
    basis: 'documented',
    summary: 'since ≥ until (equal included) gets 422; since < until is accepted',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      const seconds = ref.rows.map(second).filter(Number.isFinite);
      const t0 = seconds[0] ?? 1_700_000_000;
      await expectRejected(ctx, { since: t0, until: t0 }, [422], `since ${t0} equals until`);
      await expectRejected(ctx, { since: t0 + 1, until: t0 }, [422], `since ${t0 + 1} is one after until ${t0}`);
      expectStatus(await ctx.get({ since: t0, until: t0 + 1 }), [200], `200 for since ${t0} < until ${t0 + 1}`);
      if (!seconds.length) return;
      await checkProperty(
        ctx,
        secondAndGap(seconds),
        async ([t, gap]) => {
          await expectRejected(ctx, { since: t, until: t }, [422], `since ${t} equals until`);
          await expectRejected(ctx, { since: t + gap, until: t }, [422], `since ${t + gap} is after until ${t}`);
          expectStatus(await ctx.get({ since: t, until: t + gap }), [200], `200 for since ${t} < until ${t + gap}`);
        },
        { maxRuns: 4 },
      );
    },
  }),
  defineRejectRule({
    id: 'BP-TIME-INTEGER',
    doc: 'GET /v1/runs › Params (since/until are integer unix timestamps); Errors',
    basis: 'documented',
    summary: 'a since or until that is not an integer unix timestamp gets 422 beside any cursor or filter',
    params: ['since', 'until'],
    table: ['2025-11-03T10:15:30Z', '1700000000.5', 'abc', '10abc', 'now'],
    bad: () => nonIntegerTimestamp(),
    without: 'time',
    statuses: [422],
    why: (v, param) => `${param} ${json(v)} is not an integer unix timestamp`,
  }),
];

/** BP-STATUS-FILTER on a page of a status-filtered walk: the first row of another status. */
function statusMismatch({ page, filters, direction }: SeenPage): ViolationDetail | undefined {
  const bad = filters.status === undefined ? undefined : page.rows.find((r) => r.runStatus !== filters.status);
  return bad
    ? {
        expected: `every row runStatus ${json(filters.status)} (${direction} walk, ${describeFilters(filters)})`,
        actual: `run ${bad.runId} has runStatus ${json(bad.runStatus)}`,
        exchange: page.ex,
      }
    : undefined;
}

/** BP-STATUS-FILTER beside a companion `w`: every row has `status`. */
async function expectOnlyStatus(ctx: BpContext, status: RunStatus, w: Query): Promise<void> {
  const ex = await ctx.get({ ...w, status, limit: 20 });
  // a cursor whose run has since changed status may be refused (BP-GAP-FILTER-CURSOR)
  if (
    ex.status >= 400 &&
    ex.status < 500 &&
    Object.keys(w).some((key) => key.endsWith('Before') || key.endsWith('After'))
  )
    return;
  const page = readPage(ex, {});
  const bad = page.rows.find((r) => r.runStatus !== status);
  const detail = () => ({
    expected: `every row runStatus ${json(status)} beside ${describeFilters(w)}`,
    actual: `run ${bad?.runId} has runStatus ${json(bad?.runStatus)}`,
    exchange: page.ex,
  });
  // an endingBefore page that drops the status is BP-FILTER-BEFORE's; it stands here only without that failure
  if (bad && w.endingBefore !== undefined) ctx.reportUnless('BP-STATUS-FILTER', detail(), ['BP-FILTER-BEFORE']);
  else expectThat(!bad, detail);
}

/** Companions for a status filter: each cursor kind taken from runs of that status (a client pages within its listing), each time bound. */
function statusCompanions(ctx: BpContext, ref: Reference, status: string): Query[] {
  const mine = filterRows(ctx, ref.rows, { status });
  const out: Query[] = [{}];
  const a = mine[Math.min(mine.length - 1, 1)];
  const b = mine[Math.min(mine.length - 1, 4)];
  if (a) out.push({ startingAfter: a.runId });
  if (b) out.push({ endingBefore: b.runId });
  const mid = ref.rows[Math.min(ref.rows.length - 1, 30)];
  if (mid && Number.isFinite(mid.ms)) out.push({ since: second(mid) }, { until: second(mid) + 1 });
  return out;
}

/** BP-UNTIL-EXCLUSIVE on a first page: only runs created before `until`, and every such run the listing holds. */
async function expectUntilFirstPage(ctx: BpContext, ref: Reference, until: number): Promise<void> {
  const page = await ctx.page({ until, limit: MAX_LIMIT });
  const bad = page.rows.find((r) => second(r) >= until);
  expectThat(!bad, () => ({
    expected: `only runs created before ${until}`,
    actual: `run ${bad?.runId} created ${bad?.createdAt}`,
    exchange: page.ex,
  }));
  const want = filterRows(ctx, ref.rows, { until });
  const cmp = compareRows(ref, page.ex, page.rows, want, {
    reach: 'after',
    limit: MAX_LIMIT,
    known: 'when-full',
    what: `runs created before ${until}`,
  });
  expectCompared(ctx, cmp);
}

/**
 * until at a second that holds runs, on cursor pages that reach it: startingAfter a run newer than the window
 * and endingBefore the first run below that second. Both pages must hold nothing from second `until` on;
 * a server that compares with <= only on its cursor query path shows here (the first-page probes miss it).
 */
async function untilOnCursorPages(ctx: BpContext, ref: Reference): Promise<void> {
  const rows = ref.rows;
  const k = untilProbeRow(rows);
  if (k === undefined || !Number.isFinite(second(rowAt(rows, k)))) return;
  const until = second(rowAt(rows, k));
  const below = rows.findIndex((r, i) => i > k && second(r) < until);
  // two runs above the window: a page that drops until altogether shows run k-1 (newer than until) first
  const above = rowAt(rows, k - 2);
  const probes: [Query, string][] = [
    [
      { until, startingAfter: above.runId, limit: 5 },
      `startingAfter ${above.runId} (${above.createdAt}), a run newer than the window`,
    ],
  ];
  const first = rows[below];
  if (first && ctx.backwardUsable)
    probes.push([
      { until, endingBefore: first.runId, limit: 5 },
      `endingBefore ${first.runId} (${first.createdAt}), the first run below second ${until}`,
    ]);
  for (const [query, how] of probes) {
    const ex = await ctx.get(query);
    // refusing a cursor outside the window is a defensible reading of the docs: record it, don't fail it
    if (query.startingAfter !== undefined && ex.status >= 400 && ex.status < 500) {
      ctx.observe('BP-GAP-FILTER-CURSOR', `until=${until} with a newer run as startingAfter → ${ex.status}`);
      continue;
    }
    const page = readPage(ex, query);
    // runs newer than second `until`: the window is dropped on cursor pages, BP-FILTER-WALK's and BP-FILTER-BEFORE's finding
    if (page.rows.some((r) => second(r) > until)) continue;
    const bad = page.rows.find((r) => second(r) === until);
    expectThat(!bad, () => ({
      expected: `only runs created before ${until} with ${how}`,
      actual: `run ${bad?.runId} created ${bad?.createdAt}, in second ${until} itself`,
      exchange: page.ex,
    }));
  }
}

/** The first run of its second (ties first: several runs sit in the excluded second), below the newest two. */
function untilProbeRow(rows: readonly RowView[]): number | undefined {
  const starts = rows.map((_, k) => k).filter((k) => k >= 3 && second(rowAt(rows, k)) !== second(rowAt(rows, k - 1)));
  const tie = starts.find((k) => {
    const next = rows[k + 1];
    return next !== undefined && second(next) === second(rowAt(rows, k));
  });
  return tie ?? starts[0];
}
