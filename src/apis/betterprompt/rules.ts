/**
 * The BetterPrompt `GET /v1/runs` rule catalogue. Suites, reports and self-tests read this list;
 * nothing else enumerates the rules. IDs are stable and never reused.
 *
 * Doc references: "Params" = endpoint page › Query parameters, "Warning" = the page's WARNING box,
 * "Response" = › Response, "Pagination" = › Pagination, "Errors" = › Error responses,
 * "Guide" = vendor guides summarised in published-facts.md.
 *
 * Comparisons with the reference listing use only runs created before its anchor second (see context.ts),
 * so runs created during the suite never count against the target; status changes are re-read (settle).
 */
import fc from 'fast-check';
import { errorCodeByStatus, runStatusValues } from '../../../schemas/betterprompt/list-runs.schema';
import { schemaErrors } from '../../shared/ajv';
import { expectStatus, json } from '../../shared/expect';
import type { Exchange, Query } from '../../shared/http';
import { checkProperty } from '../../shared/property';
import { Blocked, brief, defineRule, expectThat, Inconclusive, Skip, Violation } from '../../shared/rule';
import { firstDuplicate, sequenceDiff } from '../../shared/sequence';
import {
  anyQuery,
  invalidStatus,
  malformedCursor,
  nonIntegerText,
  rowIndex,
  statusValue,
  tieIndices,
  tooLargeLimit,
  tooSmallLimit,
  validLimit,
} from './arbitraries';
import {
  compareRows,
  companions,
  deepWindows,
  describeFilters,
  expectListing,
  expectListingCases,
  type Filters,
  filterQuery,
  filterRows,
  newOnPage,
  rejectTable,
  splitNew,
} from './compare';
import type { BpContext } from './context';
import { ids, idsWithTimes, MAX_LIMIT, type Page, type Reference, type RowView, readPage, second, uses } from './pager';
import { isolationRules } from './isolation';
import { isListRuns, isRun } from './schema';

const DEFAULT_LIMIT = 10;
/** Longest walk a walk rule makes, in pages: bounds requests on a live target of any size. */
const MAX_WALK_PAGES = 10;
/** The docs do not say whether a bad limit is 400 or 422 (published facts); either is accepted and recorded. */
const BAD_LIMIT_STATUSES = [400, 422];
const STATUSES = runStatusValues;

function expectSequence(ex: Exchange, expected: readonly RowView[], actual: readonly RowView[], what: string): void {
  const diff = sequenceDiff(ids(expected), ids(actual));
  expectThat(diff === undefined, () => ({
    expected: `${what}: ${expected.length} rows ${idsWithTimes(expected, 4)}`,
    actual: `${diff ?? ''}; got ${idsWithTimes(actual, 4)}`,
    exchange: ex,
  }));
}

async function expectRejected(
  ctx: BpContext,
  query: Query,
  statuses: readonly number[],
  why: string,
): Promise<Exchange> {
  const ex = await ctx.get(query);
  expectStatus(ex, statuses, `${statuses.join(' or ')} (${why})`);
  return ex;
}

/** Pages whose rows the field rules read: the walked listing and the windows into old data. */
async function rowPages(ctx: BpContext): Promise<Page[]> {
  const ref = await ctx.walked();
  return [...ref.pages, ...(await deepWindows(ctx, ref)).map((w) => w.page)];
}

/** The first member of each tie group (where a cursor bug shows), up to `max`, within [0, end). */
function tieStarts(rows: readonly RowView[], max: number, end = rows.length): number[] {
  return tieIndices(rows)
    .filter((i) => i < end && (i === 0 || second(rows[i - 1] as RowView) !== second(rows[i] as RowView)))
    .slice(0, max);
}

export const rules = [
  // ---------------------------------------------------------------- response shape
  defineRule({
    id: 'BP-RESP-ENVELOPE',
    doc: 'GET /v1/runs › Response (200: status "SUCCESS", data.rows, data.hasMore)',
    basis: 'documented',
    summary: 'a 200 body is {status: "SUCCESS", data: {rows: [], hasMore: boolean}}',
    check: async (ctx: BpContext) => {
      const ref = await ctx.walked();
      for (const page of [...ref.pages, await ctx.page({})]) {
        const body = page.ex.body as { status?: unknown };
        expectThat(body.status === 'SUCCESS', () => ({
          expected: 'status "SUCCESS"',
          actual: `status ${json(body.status)}`,
          exchange: page.ex,
        }));
      }
    },
  }),
  defineRule({
    id: 'BP-ROW-SCHEMA',
    doc: 'GET /v1/runs › Response (row fields and types)',
    basis: 'documented',
    summary:
      'every page, recent or old, validates against the list-runs JSON Schema (all documented row fields, their types)',
    check: async (ctx: BpContext) => {
      for (const page of await rowPages(ctx)) {
        expectThat(isListRuns(page.ex.body), () => ({
          expected: 'a body valid against schemas/betterprompt list-runs',
          actual: schemaErrors(isListRuns.errors),
          exchange: page.ex,
        }));
      }
    },
  }),
  defineRule({
    id: 'BP-ROW-CREDITS',
    doc: 'GET /v1/runs › Response (credits: integer, or null when free)',
    basis: 'documented',
    summary: 'credits is an integer or null, on recent and old runs',
    check: (ctx: BpContext) =>
      everyRow(
        ctx,
        (r) => r.raw.credits === null || Number.isInteger(r.raw.credits),
        'credits integer or null',
        (r) => `credits ${json(r.raw.credits)}`,
      ),
  }),
  defineRule({
    id: 'BP-ROW-CREATED-AT',
    doc: 'GET /v1/runs › Response (createdAt: ISO 8601)',
    basis: 'documented',
    summary: 'createdAt is an ISO 8601 date-time',
    check: (ctx: BpContext) =>
      everyRow(
        ctx,
        (r) => isRun({ ...validRowStub, createdAt: r.raw.createdAt }),
        'createdAt as ISO 8601 date-time (e.g. 2025-11-03T10:15:30.000Z)',
        (r) => `createdAt ${json(r.raw.createdAt)}`,
      ),
  }),
  defineRule({
    id: 'BP-ROW-STATUS',
    doc: 'GET /v1/runs › Response (runStatus; Params › status lists the values)',
    basis: 'documented',
    summary: 'runStatus is one of queued, running, succeeded, failed',
    check: (ctx: BpContext) =>
      everyRow(
        ctx,
        (r) => (STATUSES as readonly unknown[]).includes(r.runStatus),
        `runStatus in ${STATUSES.join('|')}`,
        (r) => `runStatus ${json(r.runStatus)}`,
      ),
  }),
  defineRule({
    id: 'BP-ORDER-NEWEST-FIRST',
    doc: 'GET /v1/runs › Summary (ordered by creation time, newest first)',
    basis: 'documented',
    summary:
      'rows are ordered by createdAt, newest first, within and across pages, on every page of every walk (filtered, backward)',
    check: async (ctx: BpContext) => {
      await ctx.reference();
      await ctx.reportFinding('BP-ORDER-NEWEST-FIRST');
      await ctx.listing(0, 'the order of every walk', uses({ time: true }));
      await ctx.forEveryPage(({ page, filters, direction }) => {
        const i = page.rows.findIndex((r, k) => k > 0 && r.ms > (page.rows[k - 1] as RowView).ms);
        if (i === -1) return undefined;
        const [a, b] = [page.rows[i - 1] as RowView, page.rows[i] as RowView];
        return {
          expected: `createdAt non-increasing (${direction} walk, ${describeFilters(filters)})`,
          actual: `row ${i} ${b.runId} (${b.createdAt}) is newer than row ${i - 1} ${a.runId} (${a.createdAt})`,
          exchange: page.ex,
        };
      });
    },
  }),

  // ---------------------------------------------------------------- limit
  defineRule({
    id: 'BP-LIMIT-DEFAULT',
    doc: 'GET /v1/runs › Params (limit default 10)',
    basis: 'documented',
    summary: 'without limit, a page holds 10 rows when at least 10 exist, on the first page and after either cursor',
    check: async (ctx: BpContext) => {
      const ref = await ctx.listing(0, 'the default page size', uses({ time: false }));
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
      // the default holds on cursor pages too, not only on the first one
      const n = ref.rows.length;
      if (n < 2) return;
      const after = await ctx.page({ startingAfter: (ref.rows[0] as RowView).runId });
      const wantAfter = Math.min(DEFAULT_LIMIT, ref.complete ? n - 1 : DEFAULT_LIMIT);
      expectThat(after.rows.length === wantAfter, () => ({
        expected: `${wantAfter} rows after the newest run (default limit 10)`,
        actual: `${after.rows.length} rows`,
        exchange: after.ex,
      }));
      ctx.needBackward();
      const j = Math.min(n - 1, DEFAULT_LIMIT + 5);
      const before = await ctx.page({ endingBefore: (ref.rows[j] as RowView).runId });
      const wantBefore = Math.min(DEFAULT_LIMIT, j + newOnPage(ref, before, 'before'));
      expectThat(before.rows.length === wantBefore, () => ({
        expected: `${wantBefore} rows before position ${j} (default limit 10)`,
        actual: `${before.rows.length} rows`,
        exchange: before.ex,
      }));
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
      const random = fc.record({
        limit: validLimit(),
        at: fc.option(rowIndex(ref.rows, 0, ref.rows.length - 1), { nil: undefined }),
      });
      await checkProperty(ctx, fc.oneof(fc.constantFrom(...fixed), random), async ({ limit, at }) => {
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
      });
    },
  }),
  defineRule({
    id: 'BP-LIMIT-MAX',
    doc: 'GET /v1/runs › Params (limit max 50); Errors (invalid parameters)',
    basis: 'documented',
    summary:
      'limit 50 is accepted; any limit above 50 (51, 2^31, 2^53 included) is rejected with 422 (or 400) beside any cursor or filter, never clamped',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      for (const w of companions(ref).slice(0, 3))
        expectStatus(
          await ctx.get({ ...w, limit: 50 }),
          [200],
          `200 for limit=50 (the documented maximum)${Object.keys(w).length ? ` beside ${Object.keys(w).join(', ')}` : ''}`,
        );
      const seen = await rejectTable(
        ctx,
        'limit',
        [51, 52, 100, 2 ** 31, 2 ** 53],
        companions(ref),
        BAD_LIMIT_STATUSES,
        (v) => `limit ${v} is above the maximum of 50`,
      );
      for (const ex of seen) ctx.observe('BP-GAP-LIMIT-STATUS', `limit above 50 → ${ex.status}`);
      await checkProperty(
        ctx,
        fc.tuple(tooLargeLimit(), fc.constantFrom(...companions(ref))),
        async ([limit, other]) => {
          await expectRejected(
            ctx,
            { ...other, limit },
            BAD_LIMIT_STATUSES,
            `limit ${limit} is above the maximum of 50`,
          );
        },
        { maxRuns: 6 },
      );
    },
  }),
  defineRule({
    id: 'BP-LIMIT-MIN',
    doc: 'GET /v1/runs › Params (limit min 1); Errors (invalid parameters)',
    basis: 'documented',
    summary:
      'limit 1 is accepted; limit 0 or below (-2^31, -2^53 included) is rejected with 422 (or 400) beside any cursor or filter',
    check: async (ctx: BpContext) => {
      expectStatus(await ctx.get({ limit: 1 }), [200], '200 for limit=1 (the documented minimum)');
      const ref = await ctx.reference();
      const seen = await rejectTable(
        ctx,
        'limit',
        [0, -1, -(2 ** 31), -(2 ** 53)],
        companions(ref),
        BAD_LIMIT_STATUSES,
        (v) => `limit ${v} is below the minimum of 1`,
      );
      for (const ex of seen) ctx.observe('BP-GAP-LIMIT-STATUS', `limit below 1 → ${ex.status}`);
      await checkProperty(
        ctx,
        fc.tuple(tooSmallLimit(), fc.constantFrom(...companions(ref))),
        async ([limit, other]) => {
          await expectRejected(
            ctx,
            { ...other, limit },
            BAD_LIMIT_STATUSES,
            `limit ${limit} is below the minimum of 1`,
          );
        },
        { maxRuns: 6 },
      );
    },
  }),
  defineRule({
    id: 'BP-LIMIT-INTEGER',
    doc: 'GET /v1/runs › Params (limit is an integer); Errors (invalid parameters)',
    basis: 'documented',
    summary:
      'a limit that is not an integer ("2.5", "10abc", "abc") is rejected with 422 (or 400) beside any cursor or filter',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      const seen = await rejectTable(
        ctx,
        'limit',
        ['10abc', '2.5', 'abc', 'ten', '1_0', '5x'],
        companions(ref),
        BAD_LIMIT_STATUSES,
        (v) => `limit ${json(v)} is not an integer`,
      );
      for (const ex of seen) ctx.observe('BP-GAP-LIMIT-STATUS', `non-integer limit → ${ex.status}`);
      await checkProperty(
        ctx,
        fc.tuple(nonIntegerText(), fc.constantFrom(...companions(ref))),
        async ([limit, other]) => {
          await expectRejected(ctx, { ...other, limit }, BAD_LIMIT_STATUSES, `limit ${json(limit)} is not an integer`);
        },
        { maxRuns: 6 },
      );
    },
  }),

  // ---------------------------------------------------------------- status filter
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
      await ctx.forEveryPage(({ page, filters, direction }) => {
        const bad = filters.status === undefined ? undefined : page.rows.find((r) => r.runStatus !== filters.status);
        return bad
          ? {
              expected: `every row runStatus ${json(filters.status)} (${direction} walk, ${describeFilters(filters)})`,
              actual: `run ${bad.runId} has runStatus ${json(bad.runStatus)}`,
              exchange: page.ex,
            }
          : undefined;
      });
      // each status beside a rotating companion, succeeded beside all: a filter dropped only in combination shows here
      for (const [k, status] of STATUSES.entries()) {
        const withs = statusCompanions(ctx, ref, status);
        for (const w of status === 'succeeded' ? withs : [withs[k % withs.length] ?? {}]) {
          const ex = await ctx.get({ ...w, status, limit: 20 });
          // a cursor whose run has since changed status may be refused (BP-GAP-FILTER-CURSOR)
          if (
            ex.status >= 400 &&
            ex.status < 500 &&
            Object.keys(w).some((key) => key.endsWith('Before') || key.endsWith('After'))
          )
            continue;
          const page = readPage(ex, {});
          const bad = page.rows.find((r) => r.runStatus !== status);
          expectThat(!bad, () => ({
            expected: `every row runStatus ${json(status)} beside ${describeFilters(w as Filters)}`,
            actual: `run ${bad?.runId} has runStatus ${json(bad?.runStatus)}`,
            exchange: page.ex,
          }));
        }
      }
    },
  }),
  defineRule({
    id: 'BP-STATUS-INVALID',
    doc: 'GET /v1/runs › Params (status values); Errors (422 for invalid parameters)',
    basis: 'documented',
    summary:
      'a status outside queued|running|succeeded|failed (case variants, LIKE/regex specials included) gets 422 beside any cursor or filter',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      await rejectTable(
        ctx,
        'status',
        ['SUCCEEDED', 'Queued', 'success', 'completed', 'succeeded%', '.*', '_', 'running '],
        companions(ref, 'status'),
        [422],
        (v) => `status ${json(v)} is not a documented value`,
      );
      await checkProperty(
        ctx,
        fc.tuple(invalidStatus(), fc.constantFrom(...companions(ref, 'status'))),
        async ([status, other]) => {
          await expectRejected(ctx, { ...other, status }, [422], `status ${json(status)} is not a documented value`);
        },
        { maxRuns: 6 },
      );
    },
  }),

  // ---------------------------------------------------------------- since / until
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
      await checkProperty(ctx, fc.oneof(fc.constantFrom(...fixed), rowIndex(ref.rows, 0, end)), async (i) => {
        const row = ref.rows[i] as RowView;
        const since = second(row);
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
      const fixed = [0, ...tieStarts(ref.rows, 2)].flatMap((i) => [[i, true] as const, [i, false] as const]);
      await checkProperty(
        ctx,
        fc.oneof(fc.constantFrom(...fixed), fc.tuple(rowIndex(ref.rows), fc.boolean())),
        async ([i, atSecond]) => {
          const row = ref.rows[i] as RowView;
          const until = second(row) + (atSecond ? 0 : 1);
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
            known: ref.complete || want.length >= MAX_LIMIT,
            what: `runs created before ${until}`,
          });
          if (cmp.diff) throw new Violation(cmp.diff);
        },
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
        fc.tuple(fc.constantFrom(...seconds), fc.integer({ min: 1, max: 86_400 })),
        async ([t, gap]) => {
          await expectRejected(ctx, { since: t, until: t }, [422], `since ${t} equals until`);
          await expectRejected(ctx, { since: t + gap, until: t }, [422], `since ${t + gap} is after until ${t}`);
          expectStatus(await ctx.get({ since: t, until: t + gap }), [200], `200 for since ${t} < until ${t + gap}`);
        },
        { maxRuns: 4 },
      );
    },
  }),
  defineRule({
    id: 'BP-TIME-INTEGER',
    doc: 'GET /v1/runs › Params (since/until are integer unix timestamps); Errors',
    basis: 'documented',
    summary: 'a since or until that is not an integer unix timestamp gets 422 beside any cursor or filter',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      const values = ['2025-11-03T10:15:30Z', '1700000000.5', 'abc', '10abc', 'now'];
      for (const param of ['since', 'until'])
        await rejectTable(
          ctx,
          param,
          values,
          companions(ref, 'time'),
          [422],
          (v) => `${param} ${json(v)} is not an integer unix timestamp`,
        );
      const bad = fc.oneof(nonIntegerText(), fc.constantFrom('2025-11-03T10:15:30Z', '1700000000.5'));
      await checkProperty(
        ctx,
        fc.tuple(fc.constantFrom('since', 'until'), bad, fc.constantFrom(...companions(ref, 'time'))),
        async ([param, value, other]) => {
          await expectRejected(
            ctx,
            { ...other, [param]: value },
            [422],
            `${param} ${json(value)} is not an integer unix timestamp`,
          );
        },
        { maxRuns: 6 },
      );
    },
  }),

  // ---------------------------------------------------------------- cursors
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
      const cursor = fc.oneof(
        rowIndex(ref.rows).map((i) => (ref.rows[i] as RowView).runId),
        malformedCursor(ids(ref.rows)),
      );
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
  defineRule({
    id: 'BP-CURSOR-UUID',
    doc: 'GET /v1/runs › Errors (invalid UUID → 422)',
    basis: 'documented',
    summary: 'a cursor that is not a UUID gets 422 beside any filter',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      const id = ref.rows[0]?.runId ?? '01234567-89ab-cdef-0123-456789abcdef';
      const values = [id.slice(0, -1), `${id}0`, `${id.slice(0, -1)}g`, 'abc', '12345', 'null'];
      for (const param of ['startingAfter', 'endingBefore'])
        await rejectTable(
          ctx,
          param,
          values,
          companions(ref, 'cursor'),
          [422],
          (v) => `${param} ${json(v)} is not a UUID`,
        );
      await checkProperty(
        ctx,
        fc.tuple(
          fc.constantFrom('startingAfter', 'endingBefore'),
          malformedCursor(ids(ref.rows)),
          fc.constantFrom(...companions(ref, 'cursor')),
        ),
        async ([param, value, other]) => {
          await expectRejected(ctx, { ...other, [param]: value }, [422], `${param} ${json(value)} is not a UUID`);
        },
        { maxRuns: 6 },
      );
    },
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
      const fixed = [0, n - 1, ...tieStarts(ref.rows, 3, n - 1)].map((i) => [i, 5] as const);
      await checkProperty(
        ctx,
        fc.oneof(fc.constantFrom(...fixed), fc.tuple(rowIndex(ref.rows, 0, n), validLimit())),
        async ([i, limit]) => {
          const cursor = ref.rows[i] as RowView;
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
          if (cmp.diff) throw new Violation(cmp.diff);
        },
      );
      // old data: cursors inside windows below the walk
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
        if (cmp.diff) throw new Violation(cmp.diff);
      }
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
      const fixed = [
        [1, 5],
        [Math.min(n - 1, 5), 5],
        [Math.min(n - 1, 12), 5],
        [Math.min(n - 1, 30), 10],
        ...tieStarts(ref.rows, 2)
          .filter((j) => j > 0)
          .map((j) => [j, 3]),
      ] as const;
      await checkProperty(
        ctx,
        fc.oneof(fc.constantFrom(...fixed), fc.tuple(rowIndex(ref.rows, 1, n), validLimit())),
        async ([j, limit]) => {
          const get = (fresh: boolean) => ctx.page({ endingBefore: (ref.rows[j] as RowView).runId, limit }, { fresh });
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
        },
      );
    },
  }),
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
      const last = ref.rows.at(-1) as RowView;
      // a since window is a listing whose end we know even when the full listing is too long to walk
      const sinces = [...new Set(ref.rows.map(second))].filter((t) => ref.complete || t > second(last));
      const arb = (sinces.length ? fc.constantFrom(...sinces) : fc.constant(undefined)).chain((since) => {
        const n = (since === undefined ? ref.rows : filterRows(ctx, ref.rows, { since })).length;
        return fc.tuple(fc.integer({ min: -1, max: n - 1 }), validLimit()).map(([i, limit]) => ({ i, limit, since }));
      });
      await checkProperty(ctx, arb, async ({ i, limit, since }) => {
        const listing = since === undefined ? ref.rows : filterRows(ctx, ref.rows, { since });
        if (since === undefined && !ref.complete) return;
        await expectHasMore(ctx, ref, listing, i, limit, since === undefined ? {} : { since });
      });
    },
  }),
  defineRule({
    id: 'BP-HASMORE-FULL',
    doc: 'GET /v1/runs › Response (hasMore), Params (limit)',
    basis: 'inferred',
    summary: 'a forward page with hasMore true is full (limit rows): on every page of every walk, filtered or not',
    check: async (ctx: BpContext) => {
      await ctx.reference();
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
      await ctx.reportFinding('BP-WALK-FORWARD');
      const ref = await ctx.listing(2, 'a walk', uses({ time: false }));
      const n = ref.rows.length;
      // page sizes that end a page inside a tie group are the interesting ones
      const tieCuts = tieIndices(ref.rows)
        .map((i) => i + 1)
        .filter((l) => l <= MAX_LIMIT && l > 1);
      const fixed = [tieCuts[0] ?? 7, 7];
      await checkProperty(
        ctx,
        fc.oneof(fc.constantFrom(...fixed), tieCuts.length ? fc.constantFrom(...tieCuts) : validLimit(), validLimit()),
        async (l) => {
          const window = Math.min(n, l * MAX_WALK_PAGES);
          const walk = await ctx.walk({}, l, window + ref.head.length);
          const last = walk.pages.at(-1) as Page;
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
        },
        { maxRuns: 4 },
      );
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
      const newest = (ref.rows[0] as RowView).runId;
      await checkProperty(
        ctx,
        fc.oneof(fc.constantFrom(7, 50), validLimit()),
        async (limit) => {
          const start = Math.min(ref.rows.length, limit * MAX_WALK_PAGES) - 1;
          let cursor = (ref.rows[start] as RowView).runId;
          const collected: RowView[] = [];
          let last: Page | undefined;
          for (let pages = 0; pages <= MAX_WALK_PAGES; pages++) {
            last = await ctx.page({ endingBefore: cursor, limit });
            collected.unshift(...last.rows);
            const first = last.rows[0];
            if (!first || last.rows.some((r) => r.runId === newest)) break;
            cursor = first.runId;
          }
          const ex = (last as Page).ex;
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
        },
        { maxRuns: 3 },
      );
    },
  }),

  // ---------------------------------------------------------------- filters and cursors together
  defineRule({
    id: 'BP-FILTER-WALK',
    doc: 'GET /v1/runs › Params (status, since, until, cursors), Pagination',
    basis: 'documented',
    summary:
      'a filtered walk equals the unfiltered listing filtered by hand (status × since/until window), in recent and in old data',
    check: async (ctx: BpContext) => {
      const ref = await ctx.listing(2, 'filtered walks', uses({ status: true, since: true }));
      const rows = ref.rows;
      // the window's oldest row must have an older neighbour in the reference, or the listing must be complete
      const maxOld = ref.complete ? rows.length - 1 : Math.max(0, rows.length - 2);
      const fixed = { newest: 2, oldest: Math.min(maxOld, 40), status: 'succeeded' as const, bounded: true, pages: 4 };
      const random = fc
        .record({
          newest: rowIndex(rows, 0, maxOld + 1),
          span: fc.integer({ min: 0, max: 40 }),
          status: fc.option(statusValue(), { nil: undefined }),
          bounded: fc.boolean(),
          pages: fc.integer({ min: 1, max: 6 }),
        })
        .map(({ newest, span, status, bounded, pages }) => ({
          newest,
          oldest: Math.min(maxOld, newest + span),
          status,
          bounded,
          pages,
        }));
      await checkProperty(
        ctx,
        fc.oneof(fc.constant(fixed), random),
        async ({ newest, oldest, status, bounded, pages }) => {
          const f: Filters = {
            status,
            since: second(rows[oldest] as RowView),
            until: bounded ? second(rows[newest] as RowView) + 1 : undefined,
          };
          await filteredWalk(ctx, ref, rows, f, pages, 'top');
        },
        { maxRuns: 6 },
      );
      // first pages of the covering array: each filter beside each other filter and each limit
      await expectListingCases(ctx, ref, (c) => c.cursor === 'none');
      // old data: a window below the walk, filtered by the status most of its runs have
      for (const w of (await deepWindows(ctx, ref)).slice(0, 3)) {
        const status = mostCommonStatus(ctx, w.rows);
        if (status) await filteredWalk(ctx, ref, w.rows, { status, since: w.since, until: w.until }, 3, 'after');
      }
    },
  }),
  defineRule({
    id: 'BP-FILTER-CURSOR',
    doc: 'GET /v1/runs › Params (status with startingAfter)',
    basis: 'inferred',
    summary: 'startingAfter a run of any status, with a status filter, gives the next matching rows after that run',
    check: async (ctx: BpContext) => {
      const ref = await ctx.listing(2, 'a filtered cursor', uses({ status: true, since: true }));
      await expectListingCases(ctx, ref, (c) => c.cursor === 'after');
      const n = ref.rows.length;
      const fixed = STATUSES.map((s, k) => [Math.min(n - 2, 1 + k * 3), s, 4] as const);
      await checkProperty(
        ctx,
        fc.oneof(fc.constantFrom(...fixed), fc.tuple(rowIndex(ref.rows, 0, n - 1), statusValue(), validLimit())),
        async ([i, status, limit]) => {
          const cursor = ref.rows[i] as RowView;
          const ex = await ctx.get({ status, startingAfter: cursor.runId, limit });
          // refusing a cursor taken outside the filter is a defensible reading of the docs: record it, don't fail it
          if (ex.status >= 400 && ex.status < 500 && ctx.statusOf(cursor) !== status) {
            ctx.observe(
              'BP-GAP-FILTER-CURSOR',
              `status=${status} with a ${String(cursor.runStatus)} run as startingAfter → ${ex.status}`,
            );
            return;
          }
          const get = async (fresh: boolean) =>
            fresh ? ctx.page({ status, startingAfter: cursor.runId, limit }, { fresh }) : readPage(ex, {});
          const want = () => filterRows(ctx, ref.rows.slice(i + 1), { status });
          const known = ref.complete || want().length >= limit;
          await expectListing(ctx, ref, get, want, {
            reach: 'after',
            limit,
            known,
            what: `the next ${status} rows after the ${String(cursor.runStatus)} run at position ${i}`,
            filters: { status },
          });
        },
      );
    },
  }),
  defineRule({
    id: 'BP-FILTER-BEFORE',
    doc: 'GET /v1/runs › Params (endingBefore with status, since, until)',
    basis: 'documented',
    summary: 'endingBefore with filters returns the nearest newer rows that match the filters',
    check: async (ctx: BpContext) => {
      const ref = await ctx.listing(2, 'a filtered endingBefore', uses({ status: true, since: true }));
      ctx.needBackward();
      await expectListingCases(ctx, ref, (c) => c.cursor === 'before');
      const rows = ref.rows;
      const fixed = {
        status: 'succeeded' as string | undefined,
        sinceAt: Math.min(rows.length - 1, 40) as number | undefined,
        pick: 3,
        limit: 2,
      };
      const random = fc.record({
        status: fc.option(statusValue(), { nil: undefined }),
        sinceAt: fc.option(rowIndex(rows), { nil: undefined }),
        pick: fc.nat(),
        limit: validLimit(),
      });
      await checkProperty(ctx, fc.oneof(fc.constant(fixed), random), async ({ status, sinceAt, pick, limit }) => {
        const f: Filters = { status, since: sinceAt === undefined ? undefined : second(rows[sinceAt] as RowView) };
        const listing = filterRows(ctx, rows, f);
        if (listing.length < 2) return;
        const cursor = listing[1 + (pick % (listing.length - 1))] as RowView;
        const at = rows.indexOf(cursor);
        const get = (fresh: boolean) => ctx.page({ ...filterQuery(f), endingBefore: cursor.runId, limit }, { fresh });
        await expectListing(ctx, ref, get, () => filterRows(ctx, rows.slice(0, at), f).slice(-limit), {
          reach: 'before',
          limit,
          known: true,
          what: `the matching rows just newer than ${cursor.runId} (${cursor.createdAt}) for ${describeFilters(f)}`,
          filters: f,
        });
      });
    },
  }),
  defineRule({
    id: 'BP-EMPTY-PAGE',
    doc: 'GET /v1/runs › Response (rows: array; hasMore)',
    basis: 'documented',
    summary: 'a query that matches nothing (since in the future) gives 200 with rows [] and hasMore false',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      if (ctx.findings.has('BP-SINCE-INCLUSIVE'))
        throw new Blocked(
          ['BP-SINCE-INCLUSIVE'],
          'since does not select what it should; this check uses a since in the future',
        );
      const newest = ref.rows[0] ? second(ref.rows[0]) : 0;
      const since = Math.max(Number.isFinite(newest) ? newest : 0, Math.floor(Date.now() / 1000)) + 86_400;
      const ex = await ctx.get({ since });
      const data = (ex.body as { data?: { rows?: unknown; hasMore?: unknown } } | undefined)?.data;
      expectThat(
        ex.status === 200 && Array.isArray(data?.rows) && data.rows.length === 0 && data.hasMore === false,
        () => ({
          expected: `200 with data.rows [] and hasMore false for since=${since}`,
          actual: `${ex.status} ${brief(ex.text)}`,
          exchange: ex,
        }),
      );
    },
  }),

  // ---------------------------------------------------------------- errors and auth
  defineRule({
    id: 'BP-ERROR-ENVELOPE',
    doc: 'GET /v1/runs › Errors (422 VALIDATION_ERROR); Guide "Error handling" (status code by HTTP status, message)',
    basis: 'documented',
    summary: 'an error body is {status: <code for the HTTP status>, message: string}',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      const id = ref.rows[0]?.runId ?? '01234567-89ab-cdef-0123-456789abcdef';
      const probes: { query: Query; auth?: 'none' }[] = [
        { query: { startingAfter: id, endingBefore: id } },
        { query: { startingAfter: 'not-a-uuid' } },
        { query: { status: 'bogus' } },
        { query: { since: 1700000000, until: 1700000000 } },
        { query: { limit: 0 } },
        { query: {}, auth: 'none' },
      ];
      for (const p of probes) {
        const ex = await ctx.get(p.query, p.auth ? { auth: p.auth } : {});
        if (ex.status < 400) continue; // other rules own "should have been rejected"
        const code = errorCodeByStatus[ex.status as keyof typeof errorCodeByStatus];
        const body = ex.body as { status?: unknown; message?: unknown } | undefined;
        expectThat(
          body?.status === (code ?? body?.status) &&
            typeof body?.status === 'string' &&
            typeof body?.message === 'string',
          () => ({
            expected: `{status: "${code ?? '<code>'}", message: string}`,
            actual: brief(ex.text),
            exchange: ex,
          }),
        );
      }
    },
  }),
  defineRule({
    id: 'BP-AUTH-MISSING',
    doc: 'Guide (Bearer API key; 401 UNAUTHORIZED_ERROR)',
    basis: 'inferred',
    summary: 'a request without Authorization is refused (401/403) and carries no runs',
    check: async (ctx: BpContext) => {
      const ex = await ctx.get({}, { auth: 'none' });
      expectStatus(ex, [401, 403], '401 or 403 without a key');
    },
  }),
  defineRule({
    id: 'BP-AUTH-WRONG',
    doc: 'Guide (Bearer API key; 401 UNAUTHORIZED_ERROR)',
    basis: 'inferred',
    summary: 'a request with a wrong key is refused (401/403)',
    check: async (ctx: BpContext) =>
      expectStatus(await ctx.get({}, { auth: 'wrong' }), [401, 403], '401 or 403 for an unknown key'),
  }),
  defineRule({
    id: 'BP-DETERMINISTIC',
    doc: 'GET /v1/runs › Summary (a defined order)',
    basis: 'inferred',
    summary: 'two identical requests give identical pages (tie order included), unfiltered and filtered',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      await ctx.reportFinding('BP-DETERMINISTIC');
      const first = ref.rows[0];
      if (!first) throw new Skip('target holds no runs; a repeatable page needs some');
      // anchored after the newest stable run, so runs created meanwhile do not shift it
      for (const query of [
        { startingAfter: first.runId, limit: MAX_LIMIT },
        { status: 'succeeded', limit: MAX_LIMIT },
        { until: second(first) + 1, limit: MAX_LIMIT },
      ]) {
        if (query.until !== undefined && !Number.isFinite(query.until)) continue;
        await expectRepeatable(ctx, query);
      }
    },
  }),
  defineRule({
    id: 'BP-NO-5XX',
    doc: 'Errors (invalid parameters are 4xx)',
    basis: 'inferred',
    summary: 'no request the suite sends (fuzzed parameters, unknown run IDs included) gets a 5xx',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      const unknown = await ctx.get({ startingAfter: '00000000-0000-4000-8000-000000000000' });
      ctx.observe('BP-GAP-UNKNOWN-CURSOR', `well-formed unknown run ID as startingAfter → ${unknown.status}`);
      // values past common integer widths, sent every run: overflow bugs answer 5xx
      for (const q of BOUNDARY_PROBES) {
        const ex = await ctx.get(q);
        expectThat(ex.status < 500, () => ({
          expected: 'a 2xx or 4xx',
          actual: `${ex.status} ${brief(ex.text)}`,
          exchange: ex,
        }));
      }
      // the boundary probes above are the fixed cases; fuzzing on top is capped for the request budget
      await checkProperty(
        ctx,
        anyQuery(ids(ref.rows)),
        async (query) => {
          const ex = await ctx.get(query);
          expectThat(ex.status < 500, () => ({
            expected: 'a 2xx or 4xx',
            actual: `${ex.status} ${brief(ex.text)}`,
            exchange: ex,
          }));
        },
        { maxRuns: 12 },
      );
      ctx.expectNoServerErrorSeen();
    },
  }),
  defineRule({
    id: 'BP-RESP-JSON',
    doc: 'GET /v1/runs › Response (JSON object); Guide (JSON error envelope)',
    basis: 'inferred',
    summary: 'every answer, success or error, is JSON with a JSON content type',
    check: async (ctx: BpContext) => {
      await ctx.reference();
      ctx.expectAllJsonSeen();
    },
  }),
  defineRule({
    id: 'BP-RATE-LIMIT-HEADER',
    doc: 'Guide "Rate limits" (429 carries Retry-After)',
    basis: 'documented',
    summary: 'every 429 carries a Retry-After header',
    check: async (ctx: BpContext) => {
      await ctx.reference(); // judge real traffic even when this rule runs alone
      const { rateLimited, rateLimitedWithoutRetryAfter } = ctx.http.stats;
      if (rateLimited === 0) throw new Skip('the target sent no 429 this run');
      expectThat(rateLimitedWithoutRetryAfter === 0, () => ({
        expected: 'Retry-After on every 429',
        actual: `${rateLimitedWithoutRetryAfter} of ${rateLimited} 429s without it`,
      }));
    },
  }),
  ...isolationRules,
] as const;

export type BpRuleId = (typeof rules)[number]['id'];

/** A valid row whose one field under test is replaced, so a field rule reuses the schema's format checks. */
const validRowStub = {
  runId: '01234567-89ab-cdef-0123-456789abcdef',
  promptVersionId: 'a1b2c3d4-5678-90ab-cdef-1234567890ab',
  outputs: [],
  runStatus: 'succeeded',
  credits: null,
  runName: 'stub',
  createdAt: '2025-11-03T10:15:30.000Z',
};

async function everyRow(
  ctx: BpContext,
  ok: (r: RowView) => boolean,
  expected: string,
  show: (r: RowView) => string,
): Promise<void> {
  for (const page of await rowPages(ctx)) {
    const bad = page.rows.find((r) => !ok(r));
    expectThat(!bad, () => ({
      expected,
      actual: bad
        ? `${show(bad)} on run ${bad.runId}${show(bad).startsWith('createdAt') ? '' : ` (createdAt ${json(bad.raw.createdAt)})`}`
        : '',
      exchange: page.ex,
    }));
  }
}

const BOUNDARY_PROBES: Query[] = [
  { limit: 2 ** 31 },
  { limit: 2 ** 53 },
  { limit: '9'.repeat(30) },
  { since: 2 ** 31 },
  { until: 2 ** 53 },
  { since: -(2 ** 31) },
  { since: 0, until: 2 ** 31 + 1 },
];

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

/** CURSOR-AFTER's oracle is the until window and the createdAt seconds: blocked when either is untrustworthy. */
function cursorOracleUsable(ctx: BpContext, ref: Reference): void {
  ctx.needUntil();
  const owners = (['BP-ROW-CREATED-AT', 'BP-ORDER-NEWEST-FIRST', 'BP-DETERMINISTIC'] as const).filter((o) =>
    ctx.findings.has(o),
  );
  if (owners.length)
    throw new Blocked(owners, 'the cursor oracle selects runs by their createdAt second in listing order');
  if (ref.rows.length < 2) throw new Skip(`target holds ${ref.rows.length} runs; startingAfter needs 2`);
}

/** Two fresh identical requests compared with each other; a change of membership is drift, re-asked once. */
async function expectRepeatable(ctx: BpContext, query: Query): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const a = await ctx.page(query, { fresh: true });
    const b = await ctx.page(query, { fresh: true });
    const same = new Set(ids(a.rows));
    if (a.rows.length === b.rows.length && b.rows.every((r) => same.has(r.runId))) {
      expectSequence(
        b.ex,
        a.rows,
        b.rows,
        `the same rows in the same order as the identical request before (${describeFilters(query as Filters)})`,
      );
      return;
    }
    ctx.noteDrift(
      `runs entered or left ${JSON.stringify(query)} between two identical requests (data changed); asked again`,
    );
  }
  throw new Inconclusive(`the listing for ${JSON.stringify(query)} changed between every pair of identical requests`);
}

/**
 * until at a second that holds runs, on cursor pages that reach it: startingAfter a run newer than the window
 * and endingBefore the first run below that second. Both pages must hold nothing from second `until` on;
 * a server that compares with <= only on its cursor query path shows here (the first-page probes miss it).
 */
async function untilOnCursorPages(ctx: BpContext, ref: Reference): Promise<void> {
  const rows = ref.rows;
  // the first runs of their second (ties first: several runs sit in the excluded second), below the newest two
  const starts = rows
    .map((_, k) => k)
    .filter((k) => k >= 3 && second(rows[k] as RowView) !== second(rows[k - 1] as RowView));
  const tie = starts.find((k) => rows[k + 1] && second(rows[k + 1] as RowView) === second(rows[k] as RowView));
  const k = tie ?? starts[0];
  if (k === undefined || !Number.isFinite(second(rows[k] as RowView))) return;
  const until = second(rows[k] as RowView);
  const below = rows.findIndex((r, i) => i > k && second(r) < until);
  // two runs above the window: a page that drops until altogether shows run k-1 (newer than until) first
  const above = rows[k - 2] as RowView;
  const probes: [Query, string][] = [
    [
      { until, startingAfter: above.runId, limit: 5 },
      `startingAfter ${above.runId} (${above.createdAt}), a run newer than the window`,
    ],
  ];
  if (below !== -1 && ctx.backwardUsable)
    probes.push([
      { until, endingBefore: (rows[below] as RowView).runId, limit: 5 },
      `endingBefore ${(rows[below] as RowView).runId} (${(rows[below] as RowView).createdAt}), the first run below second ${until}`,
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

/** hasMore after row i of `listing` (i = -1: the first page) at `limit`; runs created during the run count as following. */
async function expectHasMore(
  ctx: BpContext,
  ref: Reference,
  listing: readonly RowView[],
  i: number,
  limit: number,
  f: Filters,
): Promise<void> {
  const q: Query = { ...filterQuery(f), limit, ...(i >= 0 ? { startingAfter: (listing[i] as RowView).runId } : {}) };
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
  const since = second(ref.rows[Math.min(ref.rows.length - 1, 20)] as RowView);
  const listing = filterRows(ctx, ref.rows, { since });
  const n = listing.length;
  if (n < 2 || n > MAX_LIMIT) return;
  await expectHasMore(ctx, ref, listing, -1, n, { since });
  await expectHasMore(ctx, ref, listing, 0, n - 1, { since });
  await expectHasMore(ctx, ref, listing, -1, n - 1, { since });
  // the same edges in a since+until window that ends in old data (new runs cannot enter it): servers answer
  // windows by a query path of their own, whose hasMore is its own
  const until = second(ref.rows[Math.min(ref.rows.length - 1, 2)] as RowView);
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
  for (const status of STATUSES) {
    // finished runs stay finished: their count only grows, so "more follow" holds while the run changes
    if (status !== 'succeeded' && status !== 'failed') continue;
    const matching = filterRows(ctx, ref.rows, { status });
    if (matching.length < 3) continue;
    const page = await ctx.page({ status, limit: 1 });
    expectThat(page.hasMore, () => ({
      expected: `hasMore true (${matching.length} ${status} runs, limit 1)`,
      actual: 'hasMore false',
      exchange: page.ex,
    }));
    const cursor = matching[0] as RowView;
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
  while (k > 0 && filterRows(ctx, rows, { since: second(rows[k] as RowView) }).length > ctx.pageMax) k--;
  const since = second(rows[k] as RowView);
  if (!Number.isFinite(since)) return;
  for (const status of ['succeeded', 'failed'] as const) {
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

/** Walks `f` at a limit giving about `pages` pages and compares with `rows` filtered by hand (statuses re-read on a difference). */
async function filteredWalk(
  ctx: BpContext,
  ref: Reference,
  rows: readonly RowView[],
  f: Filters,
  pages: number,
  reach: 'top' | 'after',
): Promise<void> {
  const n = filterRows(ctx, rows, f).length;
  const limit = Math.min(MAX_LIMIT, Math.max(1, Math.ceil(n / pages)));
  const get = async (fresh: boolean) => {
    let cap = n + MAX_LIMIT;
    let walk = await ctx.walk(filterQuery(f), limit, cap, { fresh });
    // runs created during the suite sit above the old ones: a walk the cap stopped among them has not reached
    // the rows compared, so it goes on past them (the pages it has are reused); bounded, new runs keep coming
    for (let more = 0; more < 3 && !walk.complete; more++) {
      const created = splitNew(ref, walk.rows, reach).fresh.length;
      if (walk.rows.length - created >= n || cap >= n + created + MAX_LIMIT) break;
      cap = n + created + MAX_LIMIT;
      walk = await ctx.walk(filterQuery(f), limit, cap, { fresh });
    }
    return { ex: (walk.pages.at(-1) as Page).ex, rows: walk.rows };
  };
  await expectListing(ctx, ref, get, () => filterRows(ctx, rows, f), {
    reach,
    known: true,
    what: `${describeFilters(f)} at limit ${limit}`,
    filters: f,
  });
}

function mostCommonStatus(ctx: BpContext, rows: readonly RowView[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(String(ctx.statusOf(r)), (counts.get(String(ctx.statusOf(r))) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}
