/**
 * The BetterPrompt `GET /v1/runs` rule catalogue. Suites, reports and self-tests read this list;
 * nothing else enumerates the rules. IDs are stable and never reused.
 *
 * Doc references: "Params" = endpoint page › Query parameters, "Warning" = the page's WARNING box,
 * "Response" = › Response, "Pagination" = › Pagination, "Errors" = › Error responses,
 * "Guide" = vendor guides summarised in published-facts.md.
 */
import fc from 'fast-check';
import { errorCodeByStatus, runStatusValues } from '../../../schemas/betterprompt/list-runs.schema';
import { schemaErrors } from '../../shared/ajv';
import { expectStatus } from '../../shared/expect';
import type { Exchange, Query } from '../../shared/http';
import { checkProperty } from '../../shared/property';
import { brief, defineRule, expectThat, Skip } from '../../shared/rule';
import { firstDuplicate, sequenceDiff } from '../../shared/sequence';
import { anyQuery, invalidStatus, malformedCursor, nonIntegerText, rowIndex, statusValue, tieIndices, tooLargeLimit, tooSmallLimit, validLimit } from './arbitraries';
import { type BpContext, ids, MAX_LIMIT, type Page, type RowView, readPage, second } from './context';
import { isolationRules } from './isolation';
import { isListRuns, isRun } from './schema';

const DEFAULT_LIMIT = 10;
/** Longest walk a walk rule makes, in pages: bounds requests on a live target of any size. */
const MAX_WALK_PAGES = 15;
/** The docs do not say whether a bad limit is 400 or 422 (published facts); either is accepted and recorded. */
const BAD_LIMIT_STATUSES = [400, 422];


function expectSequence(ex: Exchange, expected: readonly RowView[], actual: readonly RowView[], what: string): void {
  const diff = sequenceDiff(ids(expected), ids(actual));
  expectThat(diff === undefined, () => ({ expected: `${what}: ${expected.length} rows [${brief(ids(expected).join(','), 120)}]`, actual: diff ?? '', exchange: ex }));
}

/** Rows of the reference that a query with these filters must return, in order. */
function filterRows(rows: readonly RowView[], f: { status?: string | undefined; since?: number | undefined; until?: number | undefined }): RowView[] {
  return rows.filter(
    (r) => (f.status === undefined || r.runStatus === f.status) && (f.since === undefined || second(r) >= f.since) && (f.until === undefined || second(r) < f.until),
  );
}

async function expectRejected(ctx: BpContext, query: Query, statuses: readonly number[], why: string): Promise<Exchange> {
  const ex = await ctx.get(query);
  expectStatus(ex, statuses, `${statuses.join(' or ')} (${why})`);
  return ex;
}

export const rules = [
  // ---------------------------------------------------------------- response shape
  defineRule({
    id: 'BP-RESP-ENVELOPE',
    doc: 'GET /v1/runs › Response (200: status "SUCCESS", data.rows, data.hasMore)',
    basis: 'documented',
    summary: 'a 200 body is {status: "SUCCESS", data: {rows: [], hasMore: boolean}}',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      for (const page of [...ref.pages, await ctx.page({})]) {
        const body = page.ex.body as { status?: unknown };
        expectThat(body.status === 'SUCCESS', () => ({ expected: 'status "SUCCESS"', actual: `status ${brief(body.status)}`, exchange: page.ex }));
      }
    },
  }),
  defineRule({
    id: 'BP-ROW-SCHEMA',
    doc: 'GET /v1/runs › Response (row fields and types)',
    basis: 'documented',
    summary: 'every page validates against the list-runs JSON Schema (all documented row fields, their types)',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      for (const page of ref.pages) {
        expectThat(isListRuns(page.ex.body), () => ({ expected: 'a body valid against schemas/betterprompt list-runs', actual: schemaErrors(isListRuns.errors), exchange: page.ex }));
      }
    },
  }),
  defineRule({
    id: 'BP-ROW-CREDITS',
    doc: 'GET /v1/runs › Response (credits: integer, or null when free)',
    basis: 'documented',
    summary: 'credits is an integer or null',
    check: (ctx: BpContext) => everyRow(ctx, (r) => r.raw.credits === null || Number.isInteger(r.raw.credits), 'credits integer or null', (r) => `credits ${brief(r.raw.credits)}`),
  }),
  defineRule({
    id: 'BP-ROW-CREATED-AT',
    doc: 'GET /v1/runs › Response (createdAt: ISO 8601)',
    basis: 'documented',
    summary: 'createdAt is an ISO 8601 date-time',
    check: (ctx: BpContext) =>
      everyRow(ctx, (r) => isRun({ ...validRowStub, createdAt: r.raw.createdAt }), 'createdAt as ISO 8601 date-time (e.g. 2025-11-03T10:15:30.000Z)', (r) => `createdAt ${brief(r.raw.createdAt)}`),
  }),
  defineRule({
    id: 'BP-ROW-STATUS',
    doc: 'GET /v1/runs › Response (runStatus; Params › status lists the values)',
    basis: 'documented',
    summary: 'runStatus is one of queued, running, succeeded, failed',
    check: (ctx: BpContext) =>
      everyRow(ctx, (r) => (runStatusValues as readonly unknown[]).includes(r.runStatus), `runStatus in ${runStatusValues.join('|')}`, (r) => `runStatus ${brief(r.runStatus)}`),
  }),
  defineRule({
    id: 'BP-ORDER-NEWEST-FIRST',
    doc: 'GET /v1/runs › Summary (ordered by creation time, newest first)',
    basis: 'documented',
    summary: 'rows are ordered by createdAt, newest first, within and across pages',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      for (const page of ref.pages) {
        const i = page.rows.findIndex((r, k) => k > 0 && r.ms > (page.rows[k - 1] as RowView).ms);
        expectThat(i === -1, () => ({ expected: 'createdAt non-increasing', actual: `row ${i} (${page.rows[i]?.createdAt}) is newer than row ${i - 1} (${page.rows[i - 1]?.createdAt})`, exchange: page.ex }));
      }
      const j = ref.rows.findIndex((r, k) => k > 0 && r.ms > (ref.rows[k - 1] as RowView).ms);
      expectThat(j === -1, () => ({ expected: 'each page older than the one before', actual: `walk position ${j} is newer than position ${j - 1}`, exchange: ref.pages.at(-1)?.ex }));
    },
  }),

  // ---------------------------------------------------------------- limit
  defineRule({
    id: 'BP-LIMIT-DEFAULT',
    doc: 'GET /v1/runs › Params (limit default 10)',
    basis: 'documented',
    summary: 'without limit, a page holds 10 rows when at least 10 exist, on the first page and after either cursor',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      const page = await ctx.page({});
      const want = Math.min(DEFAULT_LIMIT, ref.complete ? ref.rows.length : DEFAULT_LIMIT);
      expectThat(page.rows.length === want, () => ({ expected: `${want} rows (default limit 10)`, actual: `${page.rows.length} rows`, exchange: page.ex }));
      // the default holds on cursor pages too, not only on the first one
      const n = ref.rows.length;
      if (n < 2) return;
      const after = await ctx.page({ startingAfter: (ref.rows[0] as RowView).runId });
      const wantAfter = Math.min(DEFAULT_LIMIT, ref.complete ? n - 1 : DEFAULT_LIMIT);
      expectThat(after.rows.length === wantAfter, () => ({ expected: `${wantAfter} rows after the newest run (default limit 10)`, actual: `${after.rows.length} rows`, exchange: after.ex }));
      const j = Math.min(n - 1, DEFAULT_LIMIT + 5);
      const before = await ctx.page({ endingBefore: (ref.rows[j] as RowView).runId });
      const wantBefore = Math.min(DEFAULT_LIMIT, j);
      expectThat(before.rows.length === wantBefore, () => ({ expected: `${wantBefore} rows before position ${j} (default limit 10)`, actual: `${before.rows.length} rows`, exchange: before.ex }));
    },
  }),
  defineRule({
    id: 'BP-LIMIT-BOUND',
    doc: 'GET /v1/runs › Params (limit: number of runs to return)',
    basis: 'documented',
    summary: 'a page holds at most `limit` rows, and exactly `limit` while more rows follow',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(2, 'limit bounds');
      await checkProperty(ctx, fc.record({ limit: validLimit(), at: fc.option(rowIndex(ref.rows, 0, ref.rows.length - 1), { nil: undefined }) }), async ({ limit, at }) => {
        const cursor = at === undefined ? undefined : ref.rows[at];
        const page = await ctx.page({ limit, ...(cursor ? { startingAfter: cursor.runId } : {}) });
        const available = ref.rows.length - (at === undefined ? 0 : at + 1);
        const known = ref.complete || available > limit;
        const want = Math.min(limit, available);
        expectThat(page.rows.length <= limit, () => ({ expected: `≤ ${limit} rows`, actual: `${page.rows.length} rows`, exchange: page.ex }));
        expectThat(!known || page.rows.length === want, () => ({ expected: `${want} rows (${available} follow the cursor)`, actual: `${page.rows.length} rows`, exchange: page.ex }));
      });
    },
  }),
  defineRule({
    id: 'BP-LIMIT-MAX',
    doc: 'GET /v1/runs › Params (limit max 50); Errors (invalid parameters)',
    basis: 'documented',
    summary: 'limit 50 is accepted; any limit above 50 is rejected with 422 (or 400), never clamped',
    check: async (ctx: BpContext) => {
      expectStatus(await ctx.get({ limit: 50 }), [200], '200 for limit=50 (the documented maximum)');
      const ref = await ctx.reference();
      await checkProperty(ctx, fc.tuple(tooLargeLimit(), companion(ref.rows)), async ([limit, other]) => {
        const ex = await expectRejected(ctx, { ...other, limit }, BAD_LIMIT_STATUSES, `limit ${limit} is above the maximum of 50`);
        ctx.observe('BP-GAP-LIMIT-STATUS', `limit=${limit} → ${ex.status}`);
      });
    },
  }),
  defineRule({
    id: 'BP-LIMIT-MIN',
    doc: 'GET /v1/runs › Params (limit min 1); Errors (invalid parameters)',
    basis: 'documented',
    summary: 'limit 1 is accepted; limit 0 or below is rejected with 422 (or 400)',
    check: async (ctx: BpContext) => {
      expectStatus(await ctx.get({ limit: 1 }), [200], '200 for limit=1 (the documented minimum)');
      const ref = await ctx.reference();
      await checkProperty(ctx, fc.tuple(tooSmallLimit(), companion(ref.rows)), async ([limit, other]) => {
        const ex = await expectRejected(ctx, { ...other, limit }, BAD_LIMIT_STATUSES, `limit ${limit} is below the minimum of 1`);
        ctx.observe('BP-GAP-LIMIT-STATUS', `limit=${limit} → ${ex.status}`);
      });
    },
  }),
  defineRule({
    id: 'BP-LIMIT-INTEGER',
    doc: 'GET /v1/runs › Params (limit is an integer); Errors (invalid parameters)',
    basis: 'documented',
    summary: 'a limit that is not an integer ("2.5", "10abc", "abc") is rejected with 422 (or 400)',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      await checkProperty(ctx, fc.tuple(nonIntegerText(), companion(ref.rows)), async ([limit, other]) => {
        const ex = await expectRejected(ctx, { ...other, limit }, BAD_LIMIT_STATUSES, `limit "${limit}" is not an integer`);
        ctx.observe('BP-GAP-LIMIT-STATUS', `limit=${limit} → ${ex.status}`);
      });
    },
  }),

  // ---------------------------------------------------------------- status filter
  defineRule({
    id: 'BP-STATUS-FILTER',
    doc: 'GET /v1/runs › Params (status filter)',
    basis: 'documented',
    summary: 'with status=s every row has runStatus s, on the first page and after a cursor',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(1, 'the status filter');
      // the cursor comes from the filtered listing itself, as a client's would (see BP-FILTER-CURSOR for the rest)
      const arb = statusValue().chain((status) => fc.record({ status: fc.constant(status), at: cursorWithin(ref.rows, { status }) }));
      await checkProperty(ctx, arb, async ({ status, at }) => {
        const cursor = at === undefined ? {} : { startingAfter: (ref.rows[at] as RowView).runId };
        const page = await ctx.page({ status, limit: MAX_LIMIT, ...cursor });
        const bad = page.rows.find((r) => r.runStatus !== status);
        expectThat(!bad, () => ({ expected: `every row runStatus "${status}"`, actual: `row ${bad?.runId} has runStatus ${brief(bad?.runStatus)}`, exchange: page.ex }));
      });
    },
  }),
  defineRule({
    id: 'BP-STATUS-INVALID',
    doc: 'GET /v1/runs › Params (status values); Errors (422 for invalid parameters)',
    basis: 'documented',
    summary: 'a status outside queued|running|succeeded|failed (case variants included) gets 422',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      await checkProperty(ctx, fc.tuple(invalidStatus(), companion(ref.rows, 'status')), async ([status, other]) => {
        await expectRejected(ctx, { ...other, status }, [422], `status "${status}" is not a documented value`);
      });
    },
  }),

  // ---------------------------------------------------------------- since / until
  defineRule({
    id: 'BP-SINCE-INCLUSIVE',
    doc: 'GET /v1/runs › Params (since: created at or after)',
    basis: 'documented',
    summary: 'since=t returns exactly the runs created at or after second t (a run in second t included)',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(1, 'since');
      await checkProperty(ctx, rowIndex(ref.rows, 0, Math.min(ref.rows.length, MAX_LIMIT)), async (i) => {
        const row = ref.rows[i] as RowView;
        const since = second(row);
        const page = await ctx.page({ since, limit: MAX_LIMIT });
        const want = filterRows(ref.rows, { since }).slice(0, MAX_LIMIT);
        expectThat(
          page.rows.some((r) => r.runId === row.runId),
          () => ({ expected: `run ${row.runId} (createdAt ${row.createdAt}) included for since=${since}`, actual: `absent; ${page.rows.length} rows`, exchange: page.ex }),
        );
        expectSequence(page.ex, want, page.rows, `runs created at or after ${since}`);
      });
    },
  }),
  defineRule({
    id: 'BP-UNTIL-EXCLUSIVE',
    doc: 'GET /v1/runs › Params (until: created before)',
    basis: 'documented',
    summary: 'until=t returns exactly the runs created before second t (a run in second t excluded, in t-1 included)',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(1, 'until');
      await checkProperty(ctx, fc.tuple(rowIndex(ref.rows), fc.boolean()), async ([i, atSecond]) => {
        const row = ref.rows[i] as RowView;
        const until = second(row) + (atSecond ? 0 : 1);
        const page = await ctx.page({ until, limit: MAX_LIMIT });
        const bad = page.rows.find((r) => second(r) >= until);
        expectThat(!bad, () => ({ expected: `only runs created before ${until}`, actual: `run ${bad?.runId} created ${bad?.createdAt}`, exchange: page.ex }));
        const want = filterRows(ref.rows, { until }).slice(0, MAX_LIMIT);
        // rows older than the walked window are unknown: compare only what the reference covers
        const known = ref.complete ? want : want.filter((r) => r.ms >= (ref.rows.at(-1) as RowView).ms);
        expectSequence(page.ex, known, page.rows.slice(0, known.length), `runs created before ${until}`);
      });
    },
  }),
  defineRule({
    id: 'BP-SINCE-BEFORE-UNTIL',
    doc: 'GET /v1/runs › Warning (since must be less than until)',
    basis: 'documented',
    summary: 'since ≥ until (equal included) gets 422; since < until is accepted',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(1, 'since/until ordering');
      await checkProperty(ctx, fc.tuple(rowIndex(ref.rows), fc.integer({ min: 1, max: 86_400 })), async ([i, gap]) => {
        const t = second(ref.rows[i] as RowView);
        await expectRejected(ctx, { since: t, until: t }, [422], `since ${t} equals until`);
        await expectRejected(ctx, { since: t + gap, until: t }, [422], `since ${t + gap} is after until ${t}`);
        expectStatus(await ctx.get({ since: t, until: t + gap }), [200], `200 for since ${t} < until ${t + gap}`);
      });
    },
  }),
  defineRule({
    id: 'BP-TIME-INTEGER',
    doc: 'GET /v1/runs › Params (since/until are integer unix timestamps); Errors',
    basis: 'documented',
    summary: 'a since or until that is not an integer unix timestamp gets 422',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      const bad = fc.oneof(nonIntegerText(), fc.constantFrom('2025-11-03T10:15:30Z', '1700000000.5'));
      await checkProperty(ctx, fc.tuple(fc.constantFrom('since', 'until'), bad, companion(ref.rows, 'since')), async ([param, value, other]) => {
        await expectRejected(ctx, { ...other, [param]: value }, [422], `${param} "${value}" is not an integer unix timestamp`);
      });
    },
  }),

  // ---------------------------------------------------------------- cursors
  defineRule({
    id: 'BP-CURSOR-CONFLICT',
    doc: 'GET /v1/runs › Warning (startingAfter and endingBefore not together); Errors',
    basis: 'documented',
    summary: 'startingAfter and endingBefore in one request get 422',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(1, 'cursor conflicts');
      const cursor = fc.oneof(rowIndex(ref.rows).map((i) => (ref.rows[i] as RowView).runId), malformedCursor(ids(ref.rows)));
      await checkProperty(ctx, fc.tuple(cursor, cursor, fc.boolean()), async ([a, b, reversed]) => {
        const query = reversed ? { endingBefore: b, startingAfter: a } : { startingAfter: a, endingBefore: b };
        await expectRejected(ctx, query, [422], 'both cursors given');
      });
    },
  }),
  defineRule({
    id: 'BP-CURSOR-UUID',
    doc: 'GET /v1/runs › Errors (invalid UUID → 422)',
    basis: 'documented',
    summary: 'a cursor that is not a UUID gets 422',
    check: async (ctx: BpContext) => {
      const ref = await ctx.reference();
      await checkProperty(ctx, fc.tuple(fc.constantFrom('startingAfter', 'endingBefore'), malformedCursor(ids(ref.rows)), companion(ref.rows, 'startingAfter')), async ([param, value, other]) => {
        await expectRejected(ctx, { ...other, [param]: value }, [422], `${param} "${value}" is not a UUID`);
      });
    },
  }),
  defineRule({
    id: 'BP-CURSOR-AFTER',
    doc: 'GET /v1/runs › Params (startingAfter: runs created before this run); Pagination',
    basis: 'documented',
    summary: 'startingAfter=id returns the rows right after id in the listing: no gap, no overlap, ties included',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(2, 'startingAfter');
      await checkProperty(ctx, fc.tuple(rowIndex(ref.rows, 0, ref.rows.length - 1), validLimit()), async ([i, limit]) => {
        const page = await ctx.page({ startingAfter: (ref.rows[i] as RowView).runId, limit });
        const want = ref.rows.slice(i + 1, i + 1 + limit);
        expectSequence(page.ex, want, ref.complete ? page.rows : page.rows.slice(0, want.length), `the ${want.length} rows after position ${i}`);
      });
    },
  }),
  defineRule({
    id: 'BP-CURSOR-BEFORE',
    doc: 'GET /v1/runs › Params (endingBefore: runs created after this run)',
    basis: 'documented',
    summary: 'endingBefore=id returns the rows right before id (the nearest newer ones, newest first)',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(2, 'endingBefore');
      await checkProperty(ctx, fc.tuple(rowIndex(ref.rows, 1, ref.rows.length), validLimit()), async ([j, limit]) => {
        const page = await ctx.page({ endingBefore: (ref.rows[j] as RowView).runId, limit });
        expectSequence(page.ex, ref.rows.slice(Math.max(0, j - limit), j), page.rows, `the rows just newer than position ${j}`);
        ctx.observe('BP-GAP-BACKWARD-HASMORE', `endingBefore page with ${Math.max(0, j - limit)} newer rows left → hasMore ${page.hasMore}`);
      });
    },
  }),
  defineRule({
    id: 'BP-HASMORE',
    doc: 'GET /v1/runs › Response (hasMore: more results beyond this page); Pagination',
    basis: 'documented',
    summary: 'on forward pages hasMore is true exactly when more rows follow (false on an exactly-full last page)',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(1, 'hasMore');
      const last = ref.rows.at(-1) as RowView;
      // a since window is a listing whose end we know even when the full listing is too long to walk
      const sinces = [...new Set(ref.rows.map(second))].filter((t) => ref.complete || t > second(last));
      const sinceArb = sinces.length ? fc.constantFrom(...sinces) : fc.constant(undefined);
      const listingArb = ref.complete ? fc.option(sinceArb, { nil: undefined }) : sinceArb;
      const arb = listingArb.chain((since) => {
          const listing = since === undefined ? ref.rows : filterRows(ref.rows, { since });
          const n = listing.length;
          const known = since !== undefined || ref.complete;
          // cursors near the end, with limit = rows left (± 1): where "hasMore = page is full" bugs show
          const tail = fc.tuple(fc.integer({ min: 1, max: Math.max(1, Math.min(MAX_LIMIT, n)) }), fc.constantFrom(0, 1, -1)).map(([r, d]) => ({ i: n - 1 - r, limit: r + d }));
          const anywhere = fc.tuple(fc.integer({ min: -1, max: n - 1 }), validLimit()).map(([i, limit]) => ({ i, limit }));
          return (known && n > 0 ? fc.oneof(tail, anywhere) : anywhere).map((c) => ({ ...c, since, listing, known }));
        });
      await checkProperty(ctx, arb, async ({ i, limit, since, listing, known }) => {
        const remaining = listing.length - (i + 1);
        if (limit < 1 || limit > MAX_LIMIT || i < -1) return;
        const more = remaining > limit;
        if (!known && !more) return; // beyond the walked window: unknown
        const q: Query = { limit, ...(since === undefined ? {} : { since }), ...(i >= 0 ? { startingAfter: (listing[i] as RowView).runId } : {}) };
        const page = await ctx.page(q);
        expectThat(page.hasMore === more, () => ({ expected: `hasMore ${more} (${remaining} rows follow, limit ${limit})`, actual: `hasMore ${page.hasMore}`, exchange: page.ex }));
      });
    },
  }),
  defineRule({
    id: 'BP-HASMORE-FULL',
    doc: 'GET /v1/runs › Response (hasMore), Params (limit)',
    basis: 'inferred',
    summary: 'a page with hasMore true is full (limit rows), filtered or not',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(1, 'full pages');
      const filters = statusSinceFilter(ref.rows);
      const arb = filters.chain((f) => fc.tuple(fc.constant(f.status), validLimit(), cursorWithin(ref.rows, f), fc.constant(f.since)));
      await checkProperty(ctx, arb, async ([status, limit, at, since]) => {
        const q: Query = { limit, ...(status ? { status } : {}), ...(since === undefined ? {} : { since }), ...(at === undefined ? {} : { startingAfter: (ref.rows[at] as RowView).runId }) };
        const page = await ctx.page(q);
        expectThat(!page.hasMore || page.rows.length === limit, () => ({ expected: `${limit} rows on a page with hasMore true`, actual: `${page.rows.length} rows`, exchange: page.ex }));
      });
    },
  }),
  defineRule({
    id: 'BP-WALK-FORWARD',
    doc: 'GET /v1/runs › Pagination (follow the last runId until hasMore is false)',
    basis: 'documented',
    summary: 'walking forward at any page size yields every row once, in order, the same rows as the reference',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(2, 'a walk');
      const n = ref.rows.length;
      // page sizes that end a page inside a tie group are the interesting ones
      const tieCuts = tieIndices(ref.rows).map((i) => i + 1).filter((l) => l <= MAX_LIMIT);
      const limit = tieCuts.length ? fc.oneof(fc.constantFrom(...tieCuts), validLimit()) : validLimit();
      await checkProperty(
        ctx,
        limit,
        async (l) => {
          const window = Math.min(n, l * MAX_WALK_PAGES);
          const walk = await ctx.walk({}, l, window);
          const last = walk.pages.at(-1) as Page;
          const dup = firstDuplicate(ids(walk.rows));
          expectThat(dup === undefined, () => ({ expected: 'each run once', actual: `run ${dup} seen twice`, exchange: last.ex }));
          const whole = ref.complete && window === n;
          expectSequence(last.ex, ref.rows.slice(0, window), whole ? walk.rows : walk.rows.slice(0, window), `walk at limit ${l}`);
          if (whole) expectThat(walk.complete, () => ({ expected: 'hasMore false on the last page', actual: 'hasMore true', exchange: last.ex }));
        },
        { maxRuns: 5 },
      );
    },
  }),
  defineRule({
    id: 'BP-WALK-BACKWARD',
    doc: 'GET /v1/runs › Params (endingBefore), Pagination',
    basis: 'documented',
    summary: 'walking back by endingBefore (first row of each page) yields the same rows, each once',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(2, 'a backward walk');
      const newest = (ref.rows[0] as RowView).runId;
      await checkProperty(
        ctx,
        validLimit(),
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
          expectThat(dup === undefined, () => ({ expected: 'each run once', actual: `run ${dup} seen twice`, exchange: ex }));
          expectSequence(ex, ref.rows.slice(0, start), collected, `backward walk at limit ${limit} from position ${start}`);
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
    summary: 'a filtered walk equals the unfiltered listing filtered by hand (status × since/until window)',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(2, 'filtered walks');
      const rows = ref.rows;
      // the window's oldest row must have an older neighbour in the reference, or the listing must be complete
      const maxOld = ref.complete ? rows.length - 1 : Math.max(0, rows.length - 2);
      const arb = fc
        .record({ newest: rowIndex(rows, 0, maxOld + 1), span: fc.integer({ min: 0, max: 40 }), status: fc.option(statusValue(), { nil: undefined }), bounded: fc.boolean(), pages: fc.integer({ min: 1, max: 6 }) })
        .map(({ newest, span, status, bounded, pages }) => ({ newest, oldest: Math.min(maxOld, newest + span), status, bounded, pages }));
      await checkProperty(
        ctx,
        arb,
        async ({ newest, oldest, status, bounded, pages }) => {
          const since = second(rows[oldest] as RowView);
          const until = bounded ? second(rows[newest] as RowView) + 1 : undefined;
          const want = filterRows(rows, { status, since, until });
          const limit = Math.min(MAX_LIMIT, Math.max(1, Math.ceil(want.length / pages)));
          const walk = await ctx.walk({ since, ...(until === undefined ? {} : { until }), ...(status ? { status } : {}) }, limit, want.length + MAX_LIMIT);
          expectSequence((walk.pages.at(-1) as Page).ex, want, walk.rows, `status=${status ?? '*'} since=${since} until=${until ?? '-'} at limit ${limit}`);
        },
        { maxRuns: 8 },
      );
    },
  }),
  defineRule({
    id: 'BP-FILTER-CURSOR',
    doc: 'GET /v1/runs › Params (status with startingAfter)',
    basis: 'inferred',
    summary: 'startingAfter a run of any status, with a status filter, gives the next matching rows after that run',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(2, 'a filtered cursor');
      await checkProperty(ctx, fc.tuple(rowIndex(ref.rows, 0, ref.rows.length - 1), statusValue(), validLimit()), async ([i, status, limit]) => {
        const cursor = ref.rows[i] as RowView;
        const ex = await ctx.get({ status, startingAfter: cursor.runId, limit });
        // refusing a cursor taken outside the filter is a defensible reading of the docs: record it, don't fail it
        if (ex.status >= 400 && ex.status < 500 && cursor.runStatus !== status) {
          ctx.observe('BP-GAP-FILTER-CURSOR', `status=${status} with a ${String(cursor.runStatus)} run as startingAfter → ${ex.status}`);
          return;
        }
        const page = readPage(ex, {});
        const want = filterRows(ref.rows.slice(i + 1), { status }).slice(0, limit);
        expectSequence(page.ex, want, ref.complete ? page.rows : page.rows.slice(0, want.length), `the next ${status} rows after the ${String(cursor.runStatus)} run at position ${i}`);
      });
    },
  }),

  defineRule({
    id: 'BP-FILTER-BEFORE',
    doc: 'GET /v1/runs › Params (endingBefore with status, since, until)',
    basis: 'documented',
    summary: 'endingBefore with filters returns the nearest newer rows that match the filters',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(2, 'a filtered endingBefore');
      const filters = statusSinceFilter(ref.rows);
      await checkProperty(ctx, fc.tuple(filters, fc.nat(), validLimit()), async ([f, pick, limit]) => {
        const listing = filterRows(ref.rows, f);
        if (listing.length < 2) return;
        const j = 1 + (pick % (listing.length - 1));
        const q: Query = { endingBefore: (listing[j] as RowView).runId, limit, ...(f.status ? { status: f.status } : {}), ...(f.since === undefined ? {} : { since: f.since }) };
        const page = await ctx.page(q);
        expectSequence(page.ex, listing.slice(Math.max(0, j - limit), j), page.rows, `the matching rows just newer than position ${j} of the filtered listing`);
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
      const newest = ref.rows[0] ? second(ref.rows[0]) : 0;
      const since = Math.max(newest, Math.floor(Date.now() / 1000)) + 86_400;
      const ex = await ctx.get({ since });
      const data = (ex.body as { data?: { rows?: unknown; hasMore?: unknown } } | undefined)?.data;
      expectThat(ex.status === 200 && Array.isArray(data?.rows) && data.rows.length === 0 && data.hasMore === false, () => ({
        expected: `200 with data.rows [] and hasMore false for since=${since}`,
        actual: `${ex.status} ${brief(ex.text)}`,
        exchange: ex,
      }));
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
        expectThat(body?.status === (code ?? body?.status) && typeof body?.status === 'string' && typeof body?.message === 'string', () => ({
          expected: `{status: "${code ?? '<code>'}", message: string}`,
          actual: brief(ex.text),
          exchange: ex,
        }));
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
    check: async (ctx: BpContext) => expectStatus(await ctx.get({}, { auth: 'wrong' }), [401, 403], '401 or 403 for an unknown key'),
  }),
  defineRule({
    id: 'BP-DETERMINISTIC',
    doc: 'GET /v1/runs › Summary (a defined order)',
    basis: 'inferred',
    summary: 'identical requests give identical pages (tie order included)',
    check: async (ctx: BpContext) => {
      const ref = await ctx.referenceWith(2, 'a repeatable page');
      // anchored after the newest run seen, so runs created meanwhile on a live target do not shift it
      const query: Query = { startingAfter: (ref.rows[0] as RowView).runId, limit: MAX_LIMIT };
      const want = ref.rows.slice(1, 1 + MAX_LIMIT);
      for (let k = 0; k < 2; k++) {
        const again = await ctx.page(query, { fresh: true });
        expectSequence(again.ex, want, ref.complete ? again.rows : again.rows.slice(0, want.length), 'the same rows in the same order as before');
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
      await checkProperty(ctx, anyQuery(ids(ref.rows)), async (query) => {
        const ex = await ctx.get(query);
        expectThat(ex.status < 500, () => ({ expected: 'a 2xx or 4xx', actual: `${ex.status} ${brief(ex.text)}`, exchange: ex }));
      });
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
      expectThat(rateLimitedWithoutRetryAfter === 0, () => ({ expected: 'Retry-After on every 429', actual: `${rateLimitedWithoutRetryAfter} of ${rateLimited} 429s without it` }));
    },
  }),
  ...isolationRules,
] as const;

export type BpRuleId = (typeof rules)[number]['id'];

/**
 * At most one valid parameter to send beside an invalid one, so validation is checked on cursor and
 * filtered requests too, not only on the bare first page. `without` names the kind already under test.
 */
function companion(rows: readonly RowView[], without?: 'status' | 'since' | 'startingAfter'): fc.Arbitrary<Query> {
  const options: fc.Arbitrary<Query>[] = [fc.constant({}), fc.constant({})];
  const first = rows[0];
  if (first && without !== 'startingAfter') options.push(rowIndex(rows).map((i) => ({ startingAfter: (rows[i] as RowView).runId })));
  if (without !== 'status') options.push(statusValue().map((status) => ({ status })));
  if (first && without !== 'since') options.push(rowIndex(rows).map((i) => ({ since: second(rows[i] as RowView) })));
  return fc.oneof(...options);
}

/** Maybe a status, maybe a since at a seen row's second: the filters a filtered page or cursor combines. */
function statusSinceFilter(rows: readonly RowView[]): fc.Arbitrary<{ status: (typeof runStatusValues)[number] | undefined; since: number | undefined }> {
  return fc
    .tuple(fc.option(statusValue(), { nil: undefined }), fc.option(rowIndex(rows), { nil: undefined }))
    .map(([status, sinceAt]) => ({ status, since: sinceAt === undefined ? undefined : second(rows[sinceAt] as RowView) }));
}

/** Maybe a cursor index, drawn from the rows the filters select (a client pages within its own listing). */
function cursorWithin(rows: readonly RowView[], f: Parameters<typeof filterRows>[1]): fc.Arbitrary<number | undefined> {
  const idx = rows.flatMap((r, i) => (filterRows([r], f).length ? [i] : []));
  return idx.length ? fc.option(fc.constantFrom(...idx), { nil: undefined }) : fc.constant(undefined);
}

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

async function everyRow(ctx: BpContext, ok: (r: RowView) => boolean, expected: string, show: (r: RowView) => string): Promise<void> {
  const ref = await ctx.reference();
  for (const page of ref.pages) {
    const bad = page.rows.find((r) => !ok(r));
    expectThat(!bad, () => ({ expected, actual: bad ? `${show(bad)} on run ${bad.runId}` : '', exchange: page.ex }));
  }
}
