/**
 * The vocabulary the BetterPrompt rules are written in: drift-aware listing comparisons, the walks every
 * page rule inspects ("for every page of every walk"), the validation table, and windows into old data.
 */
import type { runStatusValues } from '../../../schemas/betterprompt/list-runs.schema';
import { pairwise, type Row } from '../../shared/covering';
import { expectStatus } from '../../shared/expect';
import { at } from '../../shared/guards';
import type { Exchange, Query } from '../../shared/http';
import { RowsViolation } from '../../shared/reference/drift';
import { Violation, type ViolationDetail } from '../../shared/rule';
import { sequenceDiff } from '../../shared/sequence';
import type { BpContext } from './context';
import {
  type Filters,
  ids,
  idsWithTimes,
  type Page,
  type Reference,
  type RowView,
  rowAt,
  type SeenPage,
  second,
} from './pager';

export type RunStatus = (typeof runStatusValues)[number];
export type { Filters, SeenPage } from './pager';

/** Rows of a listing that a query with these filters must return, in order (statuses as the suite knows them now). */
export function filterRows(ctx: BpContext, rows: readonly RowView[], f: Filters): RowView[] {
  return rows.filter(
    (r) =>
      (f.status === undefined || ctx.statusOf(r) === f.status) &&
      (f.since === undefined || second(r) >= f.since) &&
      (f.until === undefined || second(r) < f.until),
  );
}

export function filterQuery(f: Filters): Query {
  return {
    ...(f.status === undefined ? {} : { status: f.status }),
    ...(f.since === undefined ? {} : { since: f.since }),
    ...(f.until === undefined ? {} : { until: f.until }),
  };
}

/**
 * How a page was reached, which says where runs created during the suite may appear: at the top of a
 * first page (`top`), next to the newest rows of a backward page (`before`), never after a cursor (`after`).
 */
export type Reach = 'top' | 'after' | 'before';

/** Splits off the leading runs created at or after the anchor (new during the run); the rest is compared. */
export function splitNew(ref: Reference, rows: readonly RowView[], reach: Reach): { fresh: RowView[]; old: RowView[] } {
  if (ref.anchor === undefined || reach === 'after') return { fresh: [], old: [...rows] };
  const anchor = ref.anchor;
  const k = rows.findIndex((r) => second(r) < anchor);
  const at = k === -1 ? rows.length : k;
  // a new run below an old one stays in `old`: the comparison then reports it (an order defect)
  return { fresh: rows.slice(0, at), old: rows.slice(at) };
}

/**
 * Whether the prediction holds every row the page may show: true, false (only its head is compared), or
 * 'when-full' — when the reference is complete or predicts at least `limit` rows (an incomplete reference
 * predicts nothing past its tail).
 */
export type Known = boolean | 'when-full';

export interface Comparison {
  diff?: ViolationDetail;
  /** Runs in one listing but not the other: the ones whose status a re-read can settle. */
  concerned: RowView[];
  /**
   * The page holds fewer rows than the limit while it says more follow, and differs from the prediction only by the
   * rows it left out at its far end: a page-size fault (BP-LIMIT-BOUND, BP-HASMORE-FULL), not this comparison's.
   */
  short?: boolean;
  /**
   * Every difference is a row the page holds that the caller's listing does not, within the span the listing covers:
   * another account's row (a leak, the isolation rules' finding) or nothing the caller owns.
   */
  stranger?: boolean;
}

/** Rules whose failure explains rows on a page that the caller's own listing does not hold. */
const STRANGER_OWNERS = ['BP-ISO-FILTER', 'BP-ISO-CURSOR', 'BP-ISO-DISJOINT'];

/** Rules whose failure explains a page short of the limit that says more follow. */
const SHORT_PAGE_OWNERS = ['BP-LIMIT-BOUND', 'BP-HASMORE-FULL'];

/**
 * A comparison's verdict: a difference stands at once, unless it is only a short page or only rows the caller's
 * listing does not hold (see {@link Comparison}): then the running rule reports it only when none of the rules that
 * explain it (page size; isolation) failed.
 */
export function expectCompared(ctx: BpContext, cmp: Comparison, concernedRetry = false): void {
  if (!cmp.diff) return;
  if (cmp.short || cmp.stranger) {
    ctx.reportUnless(ctx.currentRule ?? 'BP-LIMIT-BOUND', cmp.diff, cmp.short ? SHORT_PAGE_OWNERS : STRANGER_OWNERS);
    return;
  }
  throw concernedRetry ? new RowsViolation(cmp.diff, cmp.concerned) : new Violation(cmp.diff);
}

/**
 * Compares a page (or a walk's rows) with the rows the reference predicts. `want` is the predicted listing
 * from where the page starts; `known` says it is complete (else only its length is compared).
 */
export function compareRows(
  ref: Reference,
  ex: Exchange,
  got: readonly RowView[],
  want: readonly RowView[],
  o: { reach: Reach; limit?: number; known: Known; what: string },
): Comparison {
  // rows beyond limit are BP-LIMIT-BOUND's finding: compare the limit rows nearest the page's start (or the cursor)
  const shown =
    o.limit === undefined || got.length <= o.limit
      ? got
      : o.reach === 'before'
        ? got.slice(got.length - o.limit)
        : got.slice(0, o.limit);
  const { fresh, old } = splitNew(ref, shown, o.reach);
  const room = o.limit === undefined ? want.length : Math.max(0, o.limit - fresh.length);
  const expected = o.reach === 'before' ? want : want.slice(0, room);
  // judged with the prediction this comparison uses: statuses re-read meanwhile may have shortened it
  const whole =
    o.known === 'when-full' ? ref.complete || want.length >= (o.limit ?? Number.POSITIVE_INFINITY) : o.known;
  const actual = whole ? old : old.slice(0, expected.length);
  const [e, a] = [ids(expected), ids(actual)];
  const diff = sequenceDiff(e, a);
  if (diff === undefined) return { concerned: [] };
  const wantIds = new Set(e);
  const gotIds = new Set(a);
  const missing = expected.filter((r) => !gotIds.has(r.runId));
  const extras = actual.filter((r) => !wantIds.has(r.runId));
  const concerned = [...missing, ...extras];
  const listed = new Set([...ref.rows, ...ref.head].map((r) => r.runId));
  const tail = ref.rows.at(-1);
  // the rows a stranger pushed off a full page are the expected ones at its far end
  const pushedOff = expected.slice(o.reach === 'before' ? 0 : expected.length - missing.length);
  const stranger =
    extras.length > 0 &&
    missing.length <= extras.length &&
    missing.every((r) => pushedOff.includes(r)) &&
    extras.every((r) => !listed.has(r.runId) && (ref.complete || (tail !== undefined && second(r) > second(tail))));
  const extra = fresh.length
    ? ` (after ${fresh.length} run${fresh.length === 1 ? '' : 's'} created during the suite, not compared)`
    : '';
  // the page is the prediction cut short at its far end
  const cut = (o.reach === 'before' ? e.slice(e.length - a.length) : e.slice(0, a.length)).join() === a.join();
  const short = o.limit !== undefined && got.length < o.limit && at(ex.body, 'data', 'hasMore') === true && cut;
  return {
    ...(short ? { short } : {}),
    ...(stranger ? { stranger } : {}),
    diff: {
      expected: `${o.what}: ${expected.length} rows ${idsWithTimes(expected, 4)}`,
      actual: `${diff}${extra}; got ${idsWithTimes(actual, 4)}`,
      exchange: ex,
    },
    concerned,
  };
}

/**
 * Predicted listing compared with what came back ({@link BpContext.settled}): a difference confined to runs whose
 * membership depends on their status is re-read before it is reported; any other difference stands at once.
 */
export async function expectListing(
  ctx: BpContext,
  ref: Reference,
  get: (fresh: boolean) => Promise<{ ex: Exchange; rows: readonly RowView[] }>,
  want: () => RowView[],
  o: { reach: Reach; limit?: number; known: Known; what: string; filters?: Filters },
): Promise<void> {
  await ctx.settled(async (fresh) => {
    const got = await get(fresh);
    // self-evident, never excused by drift: every row returned matches the filters it was asked for
    const stray = o.filters ? outsideFilters(got.rows, o.filters) : undefined;
    if (stray) {
      const detail = {
        expected: `only runs matching ${describeFilters(o.filters ?? {})} (${o.what})`,
        actual: stray,
        exchange: got.ex,
      };
      // rows just outside the window, and only those, are the bound's own off-by-one (its rule and the audit see it)
      const edges = o.filters ? edgeOwners(got.rows, o.filters) : undefined;
      if (!edges) throw new Violation(detail);
      ctx.reportUnless(ctx.currentRule ?? 'BP-FILTER-WALK', detail, edges);
      return;
    }
    expectCompared(ctx, compareRows(ref, got.ex, got.rows, want(), o), true);
  });
}

/**
 * When every row outside `f` sits one second past a bound (in second `until`, or in second `since - 1`) and matches
 * the status: the bounds' rules, whose off-by-one that is; undefined when any stray row is elsewhere.
 */
function edgeOwners(rows: readonly RowView[], f: Filters): string[] | undefined {
  const owners = new Set<string>();
  for (const r of rows) {
    const s = second(r);
    const inWindow = (f.since === undefined || s >= f.since) && (f.until === undefined || s < f.until);
    if (inWindow) continue;
    if (f.status !== undefined && r.runStatus !== f.status) return undefined;
    if (f.until !== undefined && s === f.until) owners.add('BP-UNTIL-EXCLUSIVE');
    else if (f.since !== undefined && s === f.since - 1) owners.add('BP-SINCE-INCLUSIVE');
    else return undefined;
  }
  return owners.size ? [...owners] : undefined;
}

/** The first row that does not match `f` by its own fields, described; undefined when all match. */
export function outsideFilters(rows: readonly RowView[], f: Filters): string | undefined {
  const bad = rows.find(
    (r) =>
      (f.status !== undefined && r.runStatus !== f.status) ||
      (f.since !== undefined && second(r) < f.since) ||
      (f.until !== undefined && second(r) >= f.until),
  );
  return bad ? `run ${bad.runId} (createdAt ${bad.createdAt}, runStatus ${JSON.stringify(bad.runStatus)})` : undefined;
}

/** Expected hasMore for a page reached from the top: runs created during the suite count as rows that follow. */
export function newOnPage(ref: Reference, page: Page, reach: Reach): number {
  return splitNew(ref, page.rows, reach).fresh.length;
}

// ---------------------------------------------------------------- every page of every walk

/**
 * The walks whose every page the page rules inspect: forward by each status, forward in a since/until
 * window with a status, and backward, unfiltered and filtered. Memoised: walked once per run.
 */
export function everyWalk(ctx: BpContext, ref: Reference): Promise<SeenPage[]> {
  return ctx.memo('every-walk', async () => {
    const out = ref.pages.map((page): SeenPage => ({ page, limit: ctx.pageMax, filters: {}, direction: 'forward' }));
    const rows = ref.rows;
    if (!rows.length) return out;
    const statusWalks: [RunStatus, number][] = [
      ['queued', 7],
      ['running', 3],
      ['succeeded', 9],
      ['failed', 5],
    ];
    const pages = ctx.settings.depth === 'deep' ? 12 : 4;
    for (const [status, limit] of statusWalks) {
      const w = await ctx.walk({ status }, limit, limit * pages);
      for (const page of w.pages) out.push({ page, limit, filters: { status }, direction: 'forward' });
    }
    // a window a few pages long, with a status: the combination where filters get dropped
    const since = second(rowAt(rows, Math.min(rows.length - 1, 60)));
    const until = second(rowAt(rows, Math.min(rows.length - 1, 5))) + 1;
    const win: Filters = { status: 'succeeded', since, until };
    if (since < until) {
      const w = await ctx.walk(filterQuery(win), 4, 4 * pages);
      for (const page of w.pages) out.push({ page, limit: 4, filters: win, direction: 'forward' });
    }
    const backward: [number, Filters][] = [
      [10, {}],
      [4, { status: 'succeeded' }],
    ];
    for (const [limit, filters] of backward) {
      for (const page of await walkBack(ctx, ref, filters, limit, pages))
        out.push({ page, limit, filters, direction: 'backward' });
    }
    return out;
  });
}

/** Walks back by endingBefore (first row of each page) from deep in the listing, up to `pages` pages. */
export async function walkBack(
  ctx: BpContext,
  ref: Reference,
  filters: Filters,
  limit: number,
  pages: number,
): Promise<Page[]> {
  const listing = filterRows(ctx, ref.rows, filters);
  let cursor = listing[Math.min(listing.length - 1, limit * pages)];
  const out: Page[] = [];
  for (let k = 0; k < pages && cursor; k++) {
    const page = await ctx.page({ ...filterQuery(filters), endingBefore: cursor.runId, limit });
    out.push(page);
    cursor = page.rows[0];
  }
  return out;
}

/** "status=…&since=…" for messages; a query's other parameters (cursors, limit) read the same way. */
export function describeFilters(f: Filters | Query): string {
  const parts = Object.entries(f).filter(([, v]) => v !== undefined);
  return parts.length ? parts.map(([k, v]) => `${k}=${v}`).join('&') : 'no filter';
}

// ---------------------------------------------------------------- validation table

/**
 * The valid parameters an invalid one is sent beside: none, each cursor kind, each filter. Validation that
 * runs only on first pages, or only without filters, shows in one of these rows.
 */
export function companions(ref: Reference, without?: 'status' | 'time' | 'cursor'): Query[] {
  const rows = ref.rows;
  const out: Query[] = [{}];
  const mid = rows[Math.min(rows.length - 1, 3)];
  if (mid && without !== 'cursor') out.push({ startingAfter: mid.runId }, { endingBefore: mid.runId });
  if (without !== 'status') out.push({ status: 'succeeded' });
  if (mid && without !== 'time') out.push({ since: second(mid) }, { until: second(mid) + 1 });
  return out;
}

/**
 * Sends each bad value beside a companion (value i with companion i mod n, and the first value with every
 * companion): parameter × bad values × accompanying parameters, the same at every seed.
 */
export async function rejectTable(
  ctx: BpContext,
  param: string,
  values: readonly (string | number)[],
  withs: readonly Query[],
  statuses: readonly number[],
  why: (v: string | number) => string,
): Promise<Exchange[]> {
  const cases: [string | number, Query][] = values.map((v, i) => [v, withs[i % withs.length] ?? {}]);
  const first = values[0];
  if (first !== undefined) for (const w of withs.slice(1)) cases.push([first, w]);
  const out: Exchange[] = [];
  for (const [v, w] of cases) {
    const ex = await ctx.get({ ...w, [param]: v });
    expectStatus(
      ex,
      statuses,
      `${statuses.join(' or ')} (${why(v)}${Object.keys(w).length ? `, beside ${Object.keys(w).join(', ')}` : ''})`,
    );
    out.push(ex);
  }
  return out;
}

// ---------------------------------------------------------------- old data

/** A contiguous listing below the walked window: complete for every second in [since, until). */
export interface DeepWindow {
  rows: RowView[];
  page: Page;
  since: number;
  until: number;
}

/**
 * Windows into data older than the walk reaches, found by stepping `until` back geometrically from the
 * walk's oldest second (each step four times the span the walk covered) and bisecting toward the oldest run.
 * Cheap: one request per probe; none when the walk saw every run.
 */
export async function deepWindows(ctx: BpContext, ref: Reference): Promise<DeepWindow[]> {
  const windows = await deepWindowsOnce(ctx, ref);
  // the rules reading old data through these windows say how far below the walk they reached
  const runs = new Set(windows.flatMap((w) => w.rows.map((r) => r.runId))).size;
  const note = ctx.listingCoverage({ runs, windows: windows.length });
  if (note !== undefined) ctx.noteCoverage(note);
  return windows;
}

function deepWindowsOnce(ctx: BpContext, ref: Reference): Promise<DeepWindow[]> {
  return ctx.memo('deep-windows', async () => {
    const newest = ref.rows[0];
    const oldest = ref.rows.at(-1);
    if (ref.complete || !newest || !oldest || Number.isNaN(oldest.ms)) return [];
    // a probe the target refuses (a 5xx, a 4xx) ends the search: other rules own that answer
    const probe = async (until: number) => {
      try {
        return await ctx.page({ until, limit: ctx.pageMax });
      } catch (e) {
        if (e instanceof Violation) return undefined;
        throw e;
      }
    };
    const span = Math.max(60, second(newest) - second(oldest));
    const out: DeepWindow[] = [];
    const probes = ctx.settings.depth === 'deep' ? 10 : 5;
    let until = second(oldest);
    let emptyAt: number | undefined;
    for (let k = 0, step = span; k < probes && until > 0; k++, step *= 4) {
      const page = await probe(until);
      if (!page) break;
      if (!page.rows.length) {
        emptyAt = until;
        break;
      }
      const w = toWindow(page, until);
      if (w) out.push(w);
      until -= step;
    }
    // bisect between the last window with runs and the first without: the oldest runs live there
    const lastFull = out.at(-1);
    if (emptyAt !== undefined && lastFull) {
      let lo = emptyAt;
      let hi = lastFull.since;
      for (let k = 0; k < 4 && hi - lo > 1; k++) {
        const mid = Math.floor((lo + hi) / 2);
        const page = await probe(mid);
        if (!page) break;
        if (page.rows.length) {
          const w = toWindow(page, mid);
          if (w) out.push(w);
          hi = mid;
        } else lo = mid;
      }
    }
    return out;
  });
}

function toWindow(page: Page, until: number): DeepWindow | undefined {
  const last = page.rows.at(-1);
  if (!last || page.rows.some((r) => Number.isNaN(r.ms) || second(r) >= until)) return undefined;
  // the oldest second may continue on the next page: keep only seconds the page holds whole
  const since = page.hasMore ? second(last) + 1 : 0;
  const rows = page.rows.filter((r) => second(r) >= since);
  return rows.length ? { rows, page, since, until } : undefined;
}

// ---------------------------------------------------------------- combinations by design

/** The parameter space of a listing request, each factor with its boundary and typical values. */
export const LISTING_FACTORS = {
  limit: [1, 5, 50],
  cursor: ['none', 'after', 'before'],
  status: ['none', 'succeeded', 'failed', 'queued'],
  window: ['none', 'since', 'until', 'both'],
} as const;
export type ListingCase = Row<typeof LISTING_FACTORS>;

/** A pairwise covering array over {@link LISTING_FACTORS}: every value meets every other value in some request. */
export function listingCases(seed = 1): ListingCase[] {
  return pairwise(LISTING_FACTORS, { seed });
}

/**
 * One covering-array row as a concrete request with the page the reference predicts for it: the window
 * spans the newest ~40 stable runs, cursors sit a few matching runs into the filtered listing.
 */
export function listingRequest(
  ctx: BpContext,
  ref: Reference,
  c: ListingCase,
): { query: Query; want: () => RowView[]; reach: Reach; known: boolean; what: string; filters: Filters } | undefined {
  const rows = ref.rows;
  const lo = rows[Math.min(rows.length - 1, 40)];
  const hi = rows[Math.min(rows.length - 1, 2)];
  if (!lo || !hi) return undefined;
  const f: Filters = {
    status: c.status === 'none' ? undefined : c.status,
    since: c.window === 'since' || c.window === 'both' ? second(lo) : undefined,
    until: c.window === 'until' || c.window === 'both' ? second(hi) + 1 : undefined,
  };
  if (f.since !== undefined && f.until !== undefined && f.since >= f.until) return undefined;
  const listing = filterRows(ctx, rows, f);
  const cursor = listing[Math.min(listing.length - 1, 3)];
  if (c.cursor !== 'none' && !cursor) return undefined;
  const at = cursor ? rows.indexOf(cursor) : -1;
  const what = `${describeFilters(f)}, limit ${c.limit}${c.cursor === 'none' ? '' : `, ${c.cursor === 'after' ? 'startingAfter' : 'endingBefore'} ${cursor?.runId} (${cursor?.createdAt})`}`;
  const base = { ...filterQuery(f), limit: c.limit };
  // a listing bounded by since (or unbounded but complete) is known to its end; otherwise only its head is
  const known = f.since !== undefined || ref.complete;
  if (c.cursor === 'after' && cursor)
    return {
      query: { ...base, startingAfter: cursor.runId },
      want: () => filterRows(ctx, rows.slice(at + 1), f),
      reach: 'after',
      known,
      what,
      filters: f,
    };
  if (c.cursor === 'before' && cursor)
    return {
      query: { ...base, endingBefore: cursor.runId },
      want: () => filterRows(ctx, rows.slice(0, at), f).slice(-c.limit),
      reach: 'before',
      known: true,
      what,
      filters: f,
    };
  // runs created during the suite appear on a first page unless until bounds it
  return {
    query: base,
    want: () => filterRows(ctx, rows, f),
    reach: f.until === undefined ? 'top' : 'after',
    known,
    what,
    filters: f,
  };
}

/** Sends the covering-array rows `pick` selects and compares each page with the prediction (statuses re-read on a difference). */
export async function expectListingCases(
  ctx: BpContext,
  ref: Reference,
  pick: (c: ListingCase) => boolean,
): Promise<void> {
  for (const c of listingCases().filter(pick)) {
    const r = listingRequest(ctx, ref, c);
    if (!r) continue;
    const get = (fresh: boolean) => ctx.page(r.query, { fresh });
    await expectListing(ctx, ref, get, r.want, {
      reach: r.reach,
      limit: c.limit,
      known: r.known,
      what: r.what,
      filters: r.filters,
    });
  }
}
