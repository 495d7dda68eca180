/**
 * Filters and cursors together (doc: GET /v1/runs › Params › status, since, until beside startingAfter and
 * endingBefore; Pagination; Response › rows): a filtered walk or cursor page lists exactly the matching rows.
 */
import { runStatusValues } from '../../../../schemas/betterprompt/list-runs.schema';
import { checkProperty } from '../../../shared/property';
import { json } from '../../../shared/expect';
import { RowsViolation } from '../../../shared/reference/drift';
import { Blocked, brief, defineRule, expectThat, Violation } from '../../../shared/rule';
import {
  cursorStatusLimit,
  type FilteredBefore,
  type FilterWindow,
  filteredBefore,
  filterWindow,
  fixedOr,
} from '../arbitraries';
import {
  deepWindows,
  describeFilters,
  expectListing,
  expectListingCases,
  type Filters,
  filterQuery,
  filterRows,
  type RunStatus,
  splitNew,
} from '../compare';
import type { BpContext } from '../context';
import {
  ids,
  lastPage,
  MAX_LIMIT,
  type Page,
  type Reference,
  type RowView,
  readPage,
  rowAt,
  second,
  uses,
} from '../pager';
import { field } from './shared';

/** Why a status filter that lists wrong rows blocks the filtered-paging rules: every one of them sends status. */
const STATUS_WRONG = 'the status filter lists wrong rows; this rule judges status-filtered pages';
/** Why startingAfter pages that skip or repeat runs block the filtered startingAfter checks: they break those too. */
const AFTER_WRONG =
  'startingAfter pages skip or repeat runs without any filter; this rule judges filtered startingAfter pages';

export const filterPagingRules = [
  defineRule({
    id: 'BP-FILTER-WALK',
    doc: 'GET /v1/runs › Params (status, since, until, cursors), Pagination',
    basis: 'documented',
    summary:
      'a filtered walk equals the unfiltered listing filtered by hand (status × since/until window), in recent and in old data; the four status listings of a window together hold each of its runs once',
    check: async (ctx: BpContext) => {
      ctx.blockedByFailed(['BP-STATUS-FILTER'], STATUS_WRONG);
      const ref = await ctx.listing(2, 'filtered walks', uses({ status: true, since: true }));
      const rows = ref.rows;
      // the window's oldest row must have an older neighbour in the reference, or the listing must be complete
      // since = the oldest row's second: that second must be whole in the reference (the walk may stop inside a
      // second that holds many runs), so the window's oldest row sits above the reference's last second
      const tail = rows.at(-1);
      const whole = tail ? rows.findLastIndex((r) => second(r) > second(tail)) : -1;
      const maxOld = ref.complete ? rows.length - 1 : Math.max(0, whole);
      const fixed: FilterWindow = {
        newest: 2,
        oldest: Math.min(maxOld, 40),
        status: 'succeeded',
        bounded: true,
        pages: 4,
      };
      // first pages first (no cursor): they stand whatever startingAfter does
      await expectListingCases(ctx, ref, (c) => c.cursor === 'none');
      await expectStatusPartition(ctx, ref);
      ctx.blockedByFailed(['BP-CURSOR-AFTER'], AFTER_WRONG);
      await checkProperty(
        ctx,
        fixedOr([fixed], filterWindow(rows, maxOld)),
        ({ newest, oldest, status, bounded, pages }) => {
          const f: Filters = {
            status,
            since: second(rowAt(rows, oldest)),
            until: bounded ? second(rowAt(rows, newest)) + 1 : undefined,
          };
          return filteredWalk(ctx, ref, rows, f, pages, 'top');
        },
        { maxRuns: 6 },
      );
      await filteredWalksInOldData(ctx, ref);
    },
  }),
  defineRule({
    id: 'BP-FILTER-CURSOR',
    doc: 'GET /v1/runs › Params (status with startingAfter)',
    basis: 'inferred',
    summary: 'startingAfter a run of any status, with a status filter, gives the next matching rows after that run',
    check: async (ctx: BpContext) => {
      ctx.blockedByFailed(['BP-STATUS-FILTER'], STATUS_WRONG);
      ctx.blockedByFailed(['BP-CURSOR-AFTER'], AFTER_WRONG);
      const ref = await ctx.listing(2, 'a filtered cursor', uses({ status: true, since: true }));
      await expectListingCases(ctx, ref, (c) => c.cursor === 'after');
      const n = ref.rows.length;
      const fixed = runStatusValues.map((s, k): readonly [number, RunStatus, number] => [
        Math.min(n - 2, 1 + k * 3),
        s,
        4,
      ]);
      await checkProperty(ctx, fixedOr(fixed, cursorStatusLimit(ref.rows, n - 1)), ([i, status, limit]) =>
        expectStatusAfter(ctx, ref, i, status, limit),
      );
    },
  }),
  defineRule({
    id: 'BP-FILTER-BEFORE',
    doc: 'GET /v1/runs › Params (endingBefore with status, since, until)',
    basis: 'documented',
    summary: 'endingBefore with filters returns the nearest newer rows that match the filters',
    check: async (ctx: BpContext) => {
      ctx.blockedByFailed(['BP-STATUS-FILTER'], STATUS_WRONG);
      const ref = await ctx.listing(2, 'a filtered endingBefore', uses({ status: true, since: true }));
      ctx.needBackward();
      await expectListingCases(ctx, ref, (c) => c.cursor === 'before');
      const fixed: FilteredBefore = {
        status: 'succeeded',
        sinceAt: Math.min(ref.rows.length - 1, 40),
        pick: 3,
        limit: 2,
      };
      await checkProperty(ctx, fixedOr([fixed], filteredBefore(ref.rows)), (c) => expectFilteredBefore(ctx, ref, c));
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
      const data = field(ex.body, 'data');
      const rows = field(data, 'rows');
      expectThat(
        ex.status === 200 && Array.isArray(rows) && rows.length === 0 && field(data, 'hasMore') === false,
        () => ({
          expected: `200 with data.rows [] and hasMore false for since=${since}`,
          actual: `${ex.status} ${brief(ex.text)}`,
          exchange: ex,
        }),
      );
    },
  }),
];

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
    ended = walk.complete ? walk.rows : undefined;
    return { ex: lastPage(walk).ex, rows: walk.rows };
  };
  let ended: readonly RowView[] | undefined;
  try {
    await expectListing(ctx, ref, get, () => filterRows(ctx, rows, f), {
      reach,
      known: true,
      what: `${describeFilters(f)} at limit ${limit}`,
      filters: f,
    });
  } catch (e) {
    // a walk that said hasMore false while the rows it lists run on in the expected listing ended early: once
    // BP-HASMORE failed, that is its finding, not the filter's
    const want = ids(filterRows(ctx, rows, f));
    // runs created during the suite sit above the compared ones: the walk's compared runs are what must be a prefix
    const compared = new Set(want);
    const got = ended ? ids(ended).filter((id) => compared.has(id)) : undefined;
    if (e instanceof Violation && got && got.length < want.length && got.every((id, k) => id === want[k]))
      ctx.blockedByFailed(['BP-HASMORE'], 'a filtered walk ended early, its last page saying hasMore false');
    throw e;
  }
}

/** Rules whose failure explains a status partition that does not add up: a filter or window that lists wrong rows. */
const PARTITION_EXPLAINED_BY = [
  'BP-STATUS-FILTER',
  'BP-ROW-STATUS',
  'BP-SINCE-INCLUSIVE',
  'BP-UNTIL-EXCLUSIVE',
  'BP-LIMIT-BOUND',
  'BP-HASMORE-FULL',
  'BP-DETERMINISTIC',
  'BP-ISO-FILTER',
];

/**
 * The status listings partition a window (BP-FILTER-WALK): status=queued, running, succeeded and failed over one
 * since/until window of the reference hold each of its runs exactly once. Needs no knowledge of any run's status,
 * so a run that moved during the suite cannot be mistaken for a fault; read in lifecycle order, a run that moves
 * between two reads shows twice (never nowhere), and the re-read of its status settles it. Four requests.
 */
async function expectStatusPartition(ctx: BpContext, ref: Reference): Promise<void> {
  const w = partitionWindow(ref);
  if (!w) return;
  const where = `since=${w.since}&until=${w.until}`;
  try {
    await ctx.settled(async (fresh) => {
      const listed = new Map<string, { status: RunStatus; page: Page }[]>();
      const pages = new Map<RunStatus, Page>();
      for (const status of runStatusValues) {
        const page = await ctx.page({ status, since: w.since, until: w.until, limit: MAX_LIMIT }, { fresh });
        pages.set(status, page);
        for (const r of page.rows) listed.set(r.runId, [...(listed.get(r.runId) ?? []), { status, page }]);
      }
      const expected = `the four status listings of ${where} to hold each of its ${w.rows.length} runs once`;
      const missing = w.rows.find((r) => !listed.has(r.runId));
      if (missing) {
        const status = String(ctx.statusOf(missing));
        throw new RowsViolation(
          {
            expected,
            actual: `run ${missing.runId} (${missing.createdAt}, runStatus ${json(status)}) is in none of them`,
            exchange: (pages.get(status as RunStatus) ?? pages.get('succeeded'))?.ex,
          },
          [missing],
        );
      }
      const twice = [...listed.entries()].find(([, at]) => at.length > 1);
      const inWindow = new Set(w.rows.map((r) => r.runId));
      const extra = [...listed.entries()].find(([id]) => !inWindow.has(id));
      const [id, at] = twice ?? extra ?? [];
      if (id === undefined || !at?.[0]) return;
      const row = at[0].page.rows.find((r) => r.runId === id);
      throw new RowsViolation(
        {
          expected,
          actual: twice
            ? `run ${id} (${row?.createdAt}) is in ${at.map((a) => a.status).join(' and ')}`
            : `run ${id} (${row?.createdAt}) is listed under ${at[0].status} but the window of the listing does not hold it`,
          exchange: at.at(-1)?.page.ex,
        },
        row ? [row] : [],
      );
    });
  } catch (e) {
    if (!(e instanceof Violation)) throw e;
    ctx.reportUnless('BP-FILTER-WALK', e.detail, PARTITION_EXPLAINED_BY);
  }
}

/** A window of whole seconds [since, until) and the runs of `rows` it holds. */
interface SecondsWindow {
  rows: RowView[];
  since: number;
  until: number;
}

function windowOf(rows: readonly RowView[], since: number, until: number): SecondsWindow {
  return { rows: rows.filter((r) => second(r) >= since && second(r) < until), since, until };
}

/**
 * A window of whole seconds near the top of the reference holding at most 40 runs (one page per status), its
 * oldest second whole in the reference (an older run follows it, or the walk ended).
 */
function partitionWindow(ref: Reference): SecondsWindow | undefined {
  const rows = ref.rows.filter((r) => Number.isFinite(r.ms));
  const top = rows[Math.min(3, rows.length - 1)];
  if (!top) return undefined;
  const until = second(top) + 1;
  const below = rows.filter((r) => second(r) < until);
  // the most runs from the top, up to 40, that end where a second ends: the next run is older, or the walk ended
  let k = Math.min(40, below.length);
  while (k > 0 && !(k < below.length ? second(rowAt(below, k)) < second(rowAt(below, k - 1)) : ref.complete)) k--;
  return k ? windowOf(rows, second(rowAt(below, k - 1)), until) : undefined;
}

/**
 * BP-FILTER-WALK in old data: a window below the walk, filtered by the status most of its runs have. When the
 * walk read the whole account (the deep profile), the windows are taken from its part past the default walk cap.
 */
async function filteredWalksInOldData(ctx: BpContext, ref: Reference): Promise<void> {
  const deep = await deepWindows(ctx, ref);
  const windows = deep.length ? deep.slice(0, 3) : oldWindowsOf(ref, ctx.settings.walkMaxRows);
  for (const w of windows) {
    const status = mostCommonStatus(ctx, w.rows);
    if (status) await filteredWalk(ctx, ref, w.rows, { status, since: w.since, until: w.until }, 3, 'after');
  }
}

/**
 * Windows of whole seconds in a complete reference past the first `cap` runs: its middle stretch and its oldest
 * runs, about 40 runs each (every run of each second they touch). None when the reference is short or not whole.
 */
function oldWindowsOf(ref: Reference, cap: number): SecondsWindow[] {
  const rows = ref.rows.filter((r) => Number.isFinite(r.ms));
  if (!ref.complete || rows.length <= cap + 40) return [];
  const at = (from: number) =>
    windowOf(rows, second(rowAt(rows, Math.min(rows.length - 1, from + 40))), second(rowAt(rows, from)) + 1);
  return [at(Math.floor((cap + rows.length) / 2)), at(rows.length - 41)];
}

/** The status most of `rows` have now (as the suite knows them), for a filtered walk that lists many. */
function mostCommonStatus(ctx: BpContext, rows: readonly RowView[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(String(ctx.statusOf(r)), (counts.get(String(ctx.statusOf(r))) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** BP-FILTER-CURSOR at row i: status=`status` after it lists the next matching rows (a refusal is recorded when the run does not match). */
async function expectStatusAfter(
  ctx: BpContext,
  ref: Reference,
  i: number,
  status: RunStatus,
  limit: number,
): Promise<void> {
  const cursor = rowAt(ref.rows, i);
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
  await expectListing(ctx, ref, get, want, {
    reach: 'after',
    limit,
    known: 'when-full',
    what: `the next ${status} rows after the ${String(cursor.runStatus)} run at position ${i}`,
    filters: { status },
  });
}

/** BP-FILTER-BEFORE for one case: endingBefore a matching row lists the `limit` matching rows just newer than it. */
async function expectFilteredBefore(ctx: BpContext, ref: Reference, c: FilteredBefore): Promise<void> {
  const rows = ref.rows;
  const f: Filters = { status: c.status, since: c.sinceAt === undefined ? undefined : second(rowAt(rows, c.sinceAt)) };
  const listing = filterRows(ctx, rows, f);
  if (listing.length < 2) return;
  const cursor = rowAt(listing, 1 + (c.pick % (listing.length - 1)));
  const at = rows.indexOf(cursor);
  const get = (fresh: boolean) =>
    ctx.page({ ...filterQuery(f), endingBefore: cursor.runId, limit: c.limit }, { fresh });
  await expectListing(ctx, ref, get, () => filterRows(ctx, rows.slice(0, at), f).slice(-c.limit), {
    reach: 'before',
    limit: c.limit,
    known: true,
    what: `the matching rows just newer than ${cursor.runId} (${cursor.createdAt}) for ${describeFilters(f)}`,
    filters: f,
  });
}
