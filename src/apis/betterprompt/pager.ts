/**
 * BetterPrompt's adapter to the shared reference (src/shared/reference): how a page of runs is read leniently,
 * how a row is named and timed, the stable window new runs cannot enter, and the API's own cross-check oracle —
 * `until` windows, which select runs by time with no cursor, beside one probe per filter and one backward page.
 */
import { runStatusValues } from '../../../schemas/betterprompt/list-runs.schema';
import { expectReadablePage } from '../../shared/audit';
import { json } from '../../shared/expect';
import type { Exchange, Query } from '../../shared/http';
import { brief, expectThat, type ViolationDetail } from '../../shared/rule';
import type { WalkPager } from '../../shared/reference/walk';
import { firstDuplicate } from '../../shared/sequence';

/** The minimum every relation needs from a row; full shape is BP-ROW-SCHEMA's business. */
export interface RowView {
  runId: string;
  createdAt: string;
  /** createdAt in ms (NaN when unreadable: BP-ROW-CREATED-AT reports it, time rules are blocked). */
  ms: number;
  runStatus: unknown;
  raw: Record<string, unknown>;
}

export interface Page {
  ex: Exchange;
  rows: RowView[];
  hasMore: boolean;
  query: Query;
}

export interface Walk {
  rows: RowView[];
  pages: Page[];
  /** A page said hasMore false; otherwise the walk stopped at the row cap. */
  complete: boolean;
}

/**
 * The listing the relations compare against. `rows` holds only runs created before `anchor` (whole
 * seconds): runs created while the suite runs are newer, so they never enter a comparison.
 */
export interface Reference extends Walk {
  /** Exclusive upper bound (unix seconds) of the stable window; undefined when createdAt is unreadable. */
  anchor: number | undefined;
  /** Runs walked at or after the anchor (created during the run, or in its first second). */
  head: RowView[];
}

export interface Filters {
  status?: string | undefined;
  since?: number | undefined;
  until?: number | undefined;
}

/** A page of one of the walks the page rules inspect, with how it was asked for. */
export interface SeenPage {
  page: Page;
  limit: number;
  filters: Filters;
  direction: 'forward' | 'backward';
}

export const PATH = '/runs';
export const MAX_LIMIT = 50;
/** A run's createdAt second within this many seconds of our clock means the account is live: its second may still grow. */
const LIVE_SKEW_S = 120;
/** Owner rules of defects found while building the reference; the rules that need the listing are blocked by them. */
export type ListingOwner =
  | 'BP-WALK-FORWARD'
  | 'BP-ORDER-NEWEST-FIRST'
  | 'BP-HASMORE'
  | 'BP-UNTIL-EXCLUSIVE'
  | 'BP-ROW-CREATED-AT'
  | 'BP-ROW-STATUS'
  | 'BP-DETERMINISTIC'
  | 'BP-STATUS-FILTER'
  | 'BP-SINCE-INCLUSIVE'
  | 'BP-CURSOR-BEFORE'
  | 'BP-WALK-BACKWARD'
  | 'BP-HASMORE-FULL';
/** Findings that concern one parameter or field: only the rules that use it are blocked. */
const PARAMETER_OWNERS: readonly ListingOwner[] = [
  'BP-UNTIL-EXCLUSIVE',
  'BP-ROW-STATUS',
  'BP-STATUS-FILTER',
  'BP-SINCE-INCLUSIVE',
  'BP-CURSOR-BEFORE',
  'BP-WALK-BACKWARD',
  'BP-HASMORE-FULL',
];
export const BACKWARD_OWNERS: readonly ListingOwner[] = ['BP-CURSOR-BEFORE', 'BP-WALK-BACKWARD'];
/** Findings after which the reference predicts no page exactly (the audit then compares nothing with it). */
export const EXACT_OWNERS: readonly ListingOwner[] = [
  'BP-WALK-FORWARD',
  'BP-ORDER-NEWEST-FIRST',
  'BP-HASMORE',
  'BP-ROW-CREATED-AT',
  'BP-DETERMINISTIC',
  'BP-UNTIL-EXCLUSIVE',
];
/** Owners whose statement covers the whole listing: their verdict says how much of it the run walked. */
export const WHOLE_LISTING_OWNERS: readonly ListingOwner[] = [
  'BP-WALK-FORWARD',
  'BP-HASMORE',
  'BP-ORDER-NEWEST-FIRST',
  'BP-HASMORE-FULL',
];
/** What a rule compares beyond the order of the listing: each use adds the owners whose findings block it. */
export interface Uses {
  /** createdAt (default true): a createdAt defect blocks it. */
  time?: boolean;
  /** runStatus and the status filter. */
  status?: boolean;
  /** the since filter. */
  since?: boolean;
}

/**
 * The owners whose findings make the reference no basis for a rule with these {@link Uses}: every finding about the
 * listing as a whole; a finding about one parameter or field only where the rule uses it.
 */
export function uses(u: Uses = {}): ListingOwner[] {
  const all: ListingOwner[] = [
    'BP-WALK-FORWARD',
    'BP-ORDER-NEWEST-FIRST',
    'BP-HASMORE',
    'BP-UNTIL-EXCLUSIVE',
    'BP-ROW-CREATED-AT',
    'BP-ROW-STATUS',
    'BP-DETERMINISTIC',
    'BP-STATUS-FILTER',
    'BP-SINCE-INCLUSIVE',
    'BP-CURSOR-BEFORE',
    'BP-WALK-BACKWARD',
    'BP-HASMORE-FULL',
  ];
  return all.filter((o) =>
    !PARAMETER_OWNERS.includes(o)
      ? u.time !== false || o !== 'BP-ROW-CREATED-AT'
      : o === 'BP-ROW-STATUS' || o === 'BP-STATUS-FILTER' || o === 'BP-HASMORE-FULL'
        ? u.status === true
        : o === 'BP-SINCE-INCLUSIVE'
          ? u.since === true
          : false,
  );
}

/** Walks under the deep profile reach this many runs: a large account end to end. */
export const DEEP_ROWS = 20_000;

/** What the oracle reads the target through and what it has found so far (the context). */
export interface OracleHost {
  readonly pageMax: number;
  readonly findings: ReadonlyMap<ListingOwner, ViolationDetail>;
  page(query: Query, opts?: { fresh?: boolean }): Promise<Page>;
}
/** Records a defect under its owner rule. */
type Add = (owner: ListingOwner, detail: ViolationDetail) => void;

// ---------------------------------------------------------------- the cross-check oracle
/** Validates the walked reference, recording each defect under its owner rule. */
export async function crossCheckReference(host: OracleHost, ref: Reference, add: Add): Promise<void> {
  const all = [...ref.head, ...ref.rows];
  const last = lastPage(ref);
  const unreadable = all.find((r) => Number.isNaN(r.ms));
  if (unreadable) {
    add('BP-ROW-CREATED-AT', {
      expected: 'createdAt an ISO 8601 date-time on every run',
      actual: `createdAt ${json(unreadable.raw.createdAt)} on run ${unreadable.runId}`,
      exchange: last.ex,
    });
  }
  const first = ref.pages[0];
  if (first && first.rows.length > 1) {
    // the same first page again: a tie order that changes between identical requests makes every comparison noise
    const again = await host.page(first.query, { fresh: true });
    const same = new Set(ids(first.rows));
    if (
      again.rows.length === first.rows.length &&
      again.rows.every((r) => same.has(r.runId)) &&
      ids(again.rows).join() !== ids(first.rows).join()
    ) {
      const k = again.rows.findIndex((r, i) => r.runId !== first.rows[i]?.runId);
      add('BP-DETERMINISTIC', {
        expected: 'an identical request to list the same runs in the same order',
        actual: `position ${k} holds ${show(again.rows[k])} the second time, ${show(first.rows[k])} the first`,
        exchange: again.ex,
      });
      return;
    }
  }
  const badStatus = all.find((r) => !isRunStatus(r.runStatus));
  if (badStatus)
    add('BP-ROW-STATUS', {
      expected: `runStatus in ${runStatusValues.join('|')}`,
      actual: `runStatus ${json(badStatus.runStatus)} on run ${badStatus.runId}`,
      exchange: last.ex,
    });
  const dup = firstDuplicate(all.map((r) => r.runId));
  if (dup !== undefined) {
    const ex = ref.pages.find((p) => p.rows.some((r) => r.runId === dup))?.ex;
    add('BP-WALK-FORWARD', {
      expected: 'each run once in the walk by startingAfter at limit 50',
      actual: `run ${dup} seen twice (createdAt ${all.find((r) => r.runId === dup)?.createdAt})`,
      exchange: last.ex === ex ? ex : last.ex,
    });
    return;
  }
  if (unreadable) return;
  const k = all.findIndex((r, i) => i > 0 && r.ms > rowAt(all, i - 1).ms);
  if (k !== -1) {
    const ex = ref.pages.find((p) => p.rows.includes(rowAt(all, k)))?.ex;
    add('BP-ORDER-NEWEST-FIRST', {
      expected: 'createdAt non-increasing along the walk',
      actual: `position ${k} (${show(all[k])}) is newer than position ${k - 1} (${show(all[k - 1])})`,
      exchange: ex,
    });
    return;
  }
  await crossCheck(host, ref, add);
  await probeFilters(host, ref, add);
  await probeBackward(host, ref, add);
}

/**
 * One endingBefore page beside one startingAfter page at the same limit: a backward page that is not the
 * limit runs just newer than its cursor is a backward defect (the cursor row repeated: the backward walk's;
 * otherwise endingBefore's), unless forward pages break the limit the same way (BP-LIMIT-BOUND's).
 */
async function probeBackward(host: OracleHost, ref: Reference, add: Add): Promise<void> {
  const rows = ref.rows;
  const j = 12;
  const limit = 5;
  const cursor = rows[j];
  if (!cursor || !rows[0]) return;
  const back = await host.page({ endingBefore: cursor.runId, limit });
  const fwd = await host.page({ startingAfter: rows[0].runId, limit });
  const shown =
    back.rows.length > limit && fwd.rows.length > limit ? back.rows.slice(back.rows.length - limit) : back.rows;
  const want = rows.slice(j - limit, j);
  if (ids(shown).join() === ids(want).join()) return;
  const owner = shown.some((r) => r.runId === cursor.runId) ? 'BP-WALK-BACKWARD' : 'BP-CURSOR-BEFORE';
  add(owner, {
    expected: `endingBefore ${cursor.runId} (${cursor.createdAt}) at limit ${limit}: the ${limit} runs just newer, newest first ${idsWithTimes(want, 5)}`,
    actual: `${owner === 'BP-WALK-BACKWARD' ? 'the cursor run itself is on the page, so a backward walk repeats a run per page; ' : ''}got ${idsWithTimes(back.rows, 6)}`,
    exchange: back.ex,
  });
}

/** One request per filter the comparisons lean on: a filter that does not filter is its own rule's finding. */
async function probeFilters(host: OracleHost, ref: Reference, add: Add): Promise<void> {
  const rows = ref.rows;
  const sample = rows.slice(0, MAX_LIMIT);
  const status = ['succeeded', 'failed', 'queued', 'running'].find(
    (s) => sample.some((r) => r.runStatus === s) && sample.some((r) => r.runStatus !== s),
  );
  if (status && !host.findings.has('BP-ROW-STATUS')) {
    const p = await host.page({ status, limit: host.pageMax });
    const bad = p.rows.find((r) => r.runStatus !== status);
    if (bad)
      add('BP-STATUS-FILTER', {
        expected: `every row runStatus ${json(status)}`,
        actual: `run ${bad.runId} has runStatus ${json(bad.runStatus)}`,
        exchange: p.ex,
      });
    // a filtered page that is short yet says more follow: filtered listings cannot be compared page by page
    else if (p.hasMore && p.rows.length < host.pageMax)
      add('BP-HASMORE-FULL', {
        expected: `${host.pageMax} rows on a page with hasMore true (status=${status})`,
        actual: `${p.rows.length} rows`,
        exchange: p.ex,
      });
  }
  // the first run of a second, so "at or after" and "after" differ on it
  const k = rows.findIndex(
    (r, i) => i > 0 && second(r) !== second(rowAt(rows, i - 1)) && second(r) === second(rows[i + 1] ?? r),
  );
  const row = rows[k === -1 ? Math.min(rows.length - 1, 10) : k];
  if (!row) return;
  const since = second(row);
  const p = await host.page({ since, limit: host.pageMax });
  const early = p.rows.find((r) => second(r) < since);
  const included = p.rows.some((r) => r.runId === row.runId) || p.rows.length === host.pageMax;
  if (early || !included)
    add('BP-SINCE-INCLUSIVE', {
      expected: `runs created at or after ${since}, run ${row.runId} (${row.createdAt}) among them`,
      actual: early ? `run ${early.runId} created ${early.createdAt}` : `run ${row.runId} absent`,
      exchange: p.ex,
    });
}

/**
 * The independent path: an `until` window selects rows without any cursor. At each page boundary the
 * window ending at the boundary's second must hold the same runs, second by second, as the walk.
 */
async function crossCheck(host: OracleHost, ref: Reference, add: Add): Promise<void> {
  const rows = ref.rows;
  const pos = new Map(rows.map((r, i) => [r.runId, i]));
  const all = ref.pages
    .slice(0, -1)
    .map((p) => p.rows.at(-1))
    .filter((r): r is RowView => r !== undefined && pos.has(r.runId));
  // at most 20 boundaries, spread evenly: the deep profile's longer walk costs no more cross-checks
  const step = Math.max(1, Math.ceil(all.length / 20));
  const boundaries = all.filter((_, i) => i % step === 0);
  for (const b of boundaries) {
    const until = second(b) + 1;
    const w = await host.page({ until, limit: host.pageMax });
    if (untilLeak(w, until, add)) return;
    const from = rows.findIndex((r) => second(r) === second(b));
    const gap = secondsDiffer(rows.slice(from), ref.complete, w);
    if (gap) {
      add('BP-WALK-FORWARD', {
        expected: `the walk by startingAfter and the window until=${until} to hold the same runs for each second`,
        actual: `${gap}; the cursor after run ${b.runId} (${b.createdAt}) skipped or repeated runs`,
        exchange: w.ex,
      });
      return;
    }
  }
  const tail = rows.at(-1);
  if (!ref.complete || !tail) return;
  // the walk ended: nothing may be older than its last row's second
  const until = second(tail);
  const w = await host.page({ until, limit: 1 });
  if (untilLeak(w, until, add)) return;
  const older = w.rows[0];
  if (older && !pos.has(older.runId)) {
    ref.complete = false;
    add('BP-HASMORE', {
      expected: `hasMore true on the walk's last page: until=${until} shows older runs`,
      actual: `the walk ended with hasMore false after ${rows.length} runs, but run ${older.runId} (${older.createdAt}) is older than its last run ${tail.runId} (${tail.createdAt})`,
      exchange: lastPage(ref).ex,
    });
  }
}

/** Records an until defect (runs at or after `until` in the window); the window is then not used as an oracle. */
function untilLeak(w: Page, until: number, add: Add): boolean {
  const bad = w.rows.find((r) => second(r) >= until);
  if (bad)
    add('BP-UNTIL-EXCLUSIVE', {
      expected: `only runs created before ${until}`,
      actual: `run ${bad.runId} created ${bad.createdAt}`,
      exchange: w.ex,
    });
  return bad !== undefined;
}

/** Splits a walk at the stable anchor: rows created in or after the anchor second are the head. */
export function splitAtAnchor(walk: Walk): Reference {
  const newest = walk.rows[0];
  if (!newest || Number.isNaN(newest.ms) || walk.rows.some((r) => Number.isNaN(r.ms)))
    return { ...walk, anchor: undefined, head: [] };
  const nowS = Math.floor(Date.now() / 1000);
  // a recent newest second may still receive runs; an old one cannot, since new runs are created "now"
  const anchor = second(newest) >= nowS - LIVE_SKEW_S ? second(newest) : second(newest) + 1;
  const cut = walk.rows.findIndex((r) => second(r) < anchor);
  const at = cut === -1 ? walk.rows.length : cut;
  return { ...walk, rows: walk.rows.slice(at), head: walk.rows.slice(0, at), anchor };
}

/**
 * Compares a window (which starts at the first run of a second) with the walk's rows from that second on,
 * as sets per second (tie order is BP-DETERMINISTIC's business). Only seconds both cover fully are compared.
 */
function secondsDiffer(walked: readonly RowView[], walkComplete: boolean, w: Page): string | undefined {
  const bySecond = (rows: readonly RowView[]) => {
    const m = new Map<number, string[]>();
    for (const r of rows) m.set(second(r), [...(m.get(second(r)) ?? []), r.runId]);
    return m;
  };
  const a = bySecond(walked);
  const b = bySecond(w.rows);
  const lastA = walked.at(-1);
  const lastB = w.rows.at(-1);
  // a second cut by the window's page end or by the end of a capped walk is not fully seen by both
  const cut = (s: number) =>
    (w.hasMore && (!lastB || s <= second(lastB))) || (!walkComplete && (!lastA || s <= second(lastA)));
  for (const s of new Set([...a.keys(), ...b.keys()])) {
    if (cut(s)) continue;
    const mine = a.get(s) ?? [];
    const theirs = b.get(s) ?? [];
    const missing = theirs.find((id) => !mine.includes(id));
    if (missing) return `second ${s}: the window holds ${missing}, the walk does not`;
    const extra = mine.find((id) => !theirs.includes(id));
    if (extra) return `second ${s}: the walk holds ${extra}, the window does not`;
  }
  return undefined;
}

function show(r: RowView | undefined): string {
  return r ? `${r.runId} ${r.createdAt}` : 'none';
}

/** How a walk moves through runs: by `startingAfter` the last row's runId, while the page says hasMore. */
export function forwardPager(
  read: (query: Query) => Promise<Page>,
  query: Query,
  limit: number,
): WalkPager<RowView, Page> {
  return {
    rows: (page) => page.rows,
    id: (row) => row.runId,
    next: (page) => {
      const last = page.rows.at(-1);
      if (!page.hasMore || !last) return { complete: !page.hasMore };
      return () => read({ ...query, limit, startingAfter: last.runId });
    },
  };
}

export function readPage(ex: Exchange, query: Query): Page {
  expectReadablePage(ex, 'BP', 'runs');
  expectThat(ex.status === 200, () => ({
    expected: '200 with a page of runs',
    actual: `${ex.status} ${brief(ex.text)}`,
    exchange: ex,
  }));
  const data = (ex.body as { data?: { rows?: unknown; hasMore?: unknown } } | undefined)?.data;
  // rows null on an empty page is BP-EMPTY-PAGE's finding; read it as no rows so other rules keep running
  if (data && data.rows === null) data.rows = [];
  expectThat(Array.isArray(data?.rows) && typeof data?.hasMore === 'boolean', () => ({
    expected: 'body.data.rows (array) and body.data.hasMore (boolean)',
    actual: brief(ex.text),
    exchange: ex,
  }));
  // lenient: a row-level defect (a field of the wrong type) is the owning field rule's finding, not every rule's
  const rows = (data.rows as unknown[]).map(rowView);
  return { ex, rows, hasMore: data.hasMore as boolean, query };
}

/** One row read leniently: what the relations need, with the raw object for the field rules. */
export function rowView(raw: unknown): RowView {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const createdAt = typeof r.createdAt === 'string' ? r.createdAt : '';
  return {
    runId: typeof r.runId === 'string' ? r.runId : json(r.runId),
    createdAt,
    ms: createdAt ? Date.parse(createdAt) : Number.NaN,
    runStatus: r.runStatus,
    raw: r,
  };
}

/** createdAt in whole unix seconds, the unit of since/until. */
export function second(row: RowView): number {
  return Math.floor(row.ms / 1000);
}

/** Whether a value is one of the documented run statuses. */
export function isRunStatus(v: unknown): v is (typeof runStatusValues)[number] {
  return runStatusValues.some((s) => s === v);
}

/** rows[i] where the caller knows i is in range; an index outside it is a suite bug, and says so. */
export function rowAt(rows: readonly RowView[], i: number): RowView {
  const row = rows[i];
  if (row === undefined) throw new Error(`row ${i} of ${rows.length} asked for: an index out of range (a suite bug)`);
  return row;
}

/** The last page of a walk (a walk has at least one). */
export function lastPage(walk: Walk): Page {
  const page = walk.pages.at(-1);
  if (page === undefined) throw new Error('a walk without pages (a suite bug)');
  return page;
}

export function ids(rows: readonly RowView[]): string[] {
  return rows.map((r) => r.runId);
}

/** "id (createdAt)" for pagination messages: ties are the usual cause, so the time sits beside every id. */
export function idsWithTimes(rows: readonly RowView[], max = 6): string {
  const shown = rows.slice(0, max).map((r) => `${r.runId} (${r.createdAt})`);
  return `[${shown.join(', ')}${rows.length > max ? `, … ${rows.length - max} more` : ''}]`;
}
