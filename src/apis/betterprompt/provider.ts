/**
 * Embedded BetterPrompt reference provider: a faithful implementation of `GET /v1/runs`
 * with a sorted index (a page costs O(log n + limit), not a scan), and fault knobs for the self-tests.
 */
import { runStatusValues } from '../../../schemas/betterprompt/list-runs.schema';
import type { Drift } from '../../shared/api';
import {
  bearerToken,
  type Chaos,
  prng,
  type ProviderRequest,
  type ProviderResponse,
  type RunningServer,
  shuffleTies,
  startJsonServer,
  uuidFrom,
} from '../../shared/server';
import type { Run } from './schema';

/** One deliberate deviation each; `faults.ts` maps every rule to the knob that breaks it. */
export type BpKnob =
  | 'content-type-html'
  | 'envelope-status-lowercase'
  | 'row-missing-run-name'
  | 'credits-string'
  | 'created-at-not-iso'
  | 'run-status-uppercase'
  | 'order-oldest-first'
  | 'default-limit-20'
  | 'limit-plus-one'
  | 'limit-max-100'
  | 'limit-zero-ok'
  | 'limit-parse-int'
  | 'status-filter-ignored'
  | 'status-case-insensitive'
  | 'since-exclusive'
  | 'until-inclusive'
  | 'since-equal-until-ok'
  | 'time-non-integer-ignored'
  | 'cursor-conflict-ok'
  | 'cursor-any-string'
  | 'cursor-tie-skip'
  | 'ending-before-newest'
  | 'hasmore-when-full'
  | 'filter-after-page'
  | 'cursor-off-by-one'
  | 'cursor-cache-off-by-one'
  | 'ending-before-inclusive'
  | 'window-ignored-with-cursor'
  | 'cursor-index-in-filtered-list'
  | 'ending-before-ignores-filters'
  | 'empty-rows-null'
  | 'error-envelope-plain'
  | 'auth-optional'
  | 'auth-any-key'
  | 'crash-on-unknown-cursor'
  | 'shuffle-ties'
  | 'rate-limit-no-retry-after'
  // faults that hide in combinations, boundaries, page kinds and old data (extraFaults in faults.ts)
  | 'limit-51-ok'
  | 'limit-huge-500'
  | 'limit-unchecked-with-cursor'
  | 'default-limit-cursor-20'
  | 'status-dropped-with-window'
  | 'status-dropped-on-cursor'
  | 'status-unchecked-with-cursor'
  | 'ending-before-ignores-limit'
  | 'ending-before-oldest-first'
  | 'since-milliseconds'
  | 'hasmore-false-filtered'
  | 'hasmore-false-deep'
  | 'old-credits-string'
  | 'old-rows-missing-filtered'
  | 'timestamp-overflow-500'
  | 'created-at-epoch-ms'
  | 'limit-max-49'
  | 'until-inclusive-on-cursor'
  | 'hasmore-unfiltered'
  | 'limit-50-short'
  | 'archive-status-uppercase'
  // faults only a combination shows (the response audit's, auditFaults in faults.ts)
  | 'until-inclusive-with-since'
  | 'since-exclusive-with-until'
  | 'hasmore-false-with-window'
  | 'body-cut-on-cursor';

export interface BpProviderOptions {
  /** Rows to seed. @defaultValue 137 (14 default pages, 3 full ones, ties, every status) */
  rows?: number;
  /** @defaultValue 'test-key' */
  apiKey?: string;
  /** Seed of the generated data (`dataSeed` wins when both are given). @defaultValue 1 */
  seed?: number;
  dataSeed?: number;
  knobs?: readonly BpKnob[];
  chaos?: Chaos;
  /** Data that changes while the suite runs (new runs, status changes, edits), counted in requests answered. */
  drift?: Drift;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT_RE = /^-?\d+$/;
const BASE_MS = Date.parse('2025-11-03T10:15:30.000Z');
const MAX_LIMIT = 50;
const DEFAULT_LIMIT = 10;
/** Rows older than this many seeded rows are "old data" for the faults that live only there (beyond a 1,000-row walk). */
export const OLD_DATA_FROM = 1200;
/** Rows older than this many seeded rows are the archive tier (beyond the 10,000th run). */
export const ARCHIVE_FROM = 10_000;
/** The truncating hasMore fault says "no more" from this position on. */
const HASMORE_CAP = 100;

/** Seeded rows, newest first, ties broken by runId descending. */
export function seedRuns(count: number, seed = 1): Run[] {
  const rand = prng(seed);
  const rows: Run[] = [];
  let t = BASE_MS;
  for (let i = 0; i < count; i++) {
    const r = rand();
    // ~20% exact ties, ~20% same second, the rest 1–3 s apart
    if (r >= 0.4) t -= 1000 + Math.floor(rand() * 2000);
    else if (r >= 0.2) t -= Math.floor(rand() * (t % 1000));
    const status = runStatusValues[Math.floor(rand() * 4)] ?? 'succeeded';
    rows.push({
      runId: uuidFrom(rand),
      promptVersionId: uuidFrom(rand),
      outputs: rand() < 0.8 ? [{ type: 'text', data: `output ${i}` }] : [],
      runStatus: status,
      credits: rand() < 0.25 ? null : Math.floor(rand() * 500),
      runName: `Run ${i}`,
      createdAt: new Date(t).toISOString(),
    });
  }
  return sortRuns(rows);
}

export function sortRuns(rows: Run[]): Run[] {
  // parse each date once, not once per comparison: seeding a million rows is otherwise dominated by Date.parse
  const keyed = rows.map((r) => ({ r, t: Date.parse(r.createdAt) }));
  keyed.sort((a, b) => b.t - a.t || (a.r.runId < b.r.runId ? 1 : -1));
  return keyed.map((k) => k.r);
}

/** The sorted index: positions by id, times by position, per-status position lists. */
export class RunIndex {
  readonly position = new Map<string, number>();
  readonly ms: Float64Array;
  readonly byStatus = new Map<string, Int32Array>();

  constructor(readonly rows: readonly Run[]) {
    this.ms = new Float64Array(rows.length);
    const lists = new Map<string, number[]>();
    rows.forEach((r, i) => {
      this.position.set(r.runId, i);
      this.ms[i] = Date.parse(r.createdAt);
      const l = lists.get(r.runStatus) ?? [];
      if (!lists.has(r.runStatus)) lists.set(r.runStatus, l);
      l.push(i);
    });
    for (const [k, v] of lists) this.byStatus.set(k, Int32Array.from(v));
  }

  /** First position whose time is below `ms` (times descend). */
  firstOlderThan(ms: number, inclusive: boolean): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.ms[mid] ?? 0;
      if (inclusive ? t <= ms : t < ms) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** First index in the ascending list whose value is ≥ `v`. */
function lowerBound(list: Int32Array, v: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] ?? 0) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

type Result = ProviderResponse;

export interface BpHandler {
  handle: (req: ProviderRequest) => Result;
  /** Replaces the data (pact provider states seed exactly what they name). */
  setRuns: (rows: readonly Run[]) => void;
}

/** A request that passed validation: what the select stage works from. */
interface Parsed {
  limit: number;
  /** The status filter as the server keys it (null: none). */
  status: string | null;
  since: number | undefined;
  until: number | undefined;
  after: string | null;
  before: string | null;
  /** The limit was sent (not the default). */
  limitGiven: boolean;
}

/**
 * The handler in stages: authorise → parse and validate → select → present. Each fault knob sits in the
 * stage it breaks, and the drift conditions change the data between requests, as traffic on a live account does.
 */
export function createBpHandler(opts: BpProviderOptions = {}): BpHandler {
  const knobs = new Set(opts.knobs ?? []);
  const has = (k: BpKnob) => knobs.has(k);
  const apiKey = opts.apiKey ?? 'test-key';
  const dataSeed = opts.dataSeed ?? opts.seed ?? 1;
  const build = (rows: readonly Run[]) => {
    const sorted = sortRuns([...rows]);
    return new RunIndex(has('order-oldest-first') ? sorted.reverse() : sorted);
  };
  const seeded = seedRuns(opts.rows ?? 137, dataSeed);
  // "old data": rows created before the OLD_DATA_FROM-th seeded row (none on small data sets)
  const before = (n: number) =>
    seeded.length > n ? Date.parse((seeded[n] as Run).createdAt) : Number.NEGATIVE_INFINITY;
  const oldBeforeMs = { old: before(OLD_DATA_FROM), archive: before(ARCHIVE_FROM) };
  let runs: Run[] = seeded;
  let index = build(runs);
  let served = 0;
  // cursor-cache-off-by-one: the last unfiltered forward page served, by its last run, with the position after it
  let hot: { runId: string; next: number } | undefined;
  const setRuns = (rows: readonly Run[]) => {
    runs = [...rows];
    index = build(runs);
  };
  const drift = createDrift(opts.drift ?? {}, dataSeed);

  const fail = (status: number, code: string, message: string): Result =>
    has('error-envelope-plain') ? { status, body: { error: message } } : { status, body: { status: code, message } };
  const invalid = (message: string) => fail(422, 'VALIDATION_ERROR', message);

  /** Stage 1: the route and the key. */
  const authorise = (req: ProviderRequest): Result | undefined => {
    if (req.method !== 'GET' || !/^\/(v1\/)?runs\/?$/.test(req.path))
      return fail(404, 'NOT_FOUND_ERROR', 'no such route');
    const token = bearerToken(req.headers);
    const authorised = has('auth-any-key') ? token !== undefined : token === apiKey;
    if (!authorised && !(has('auth-optional') && token === undefined))
      return fail(401, 'UNAUTHORIZED_ERROR', 'missing or invalid API key');
    if (has('rate-limit-no-retry-after') && served % 3 === 0) return fail(429, 'TOO_MANY_REQUESTS_ERROR', 'slow down');
    return undefined;
  };

  /** Stage 2: parse and validate (docs: 422 VALIDATION_ERROR for invalid parameters). */
  const parse = (q: URLSearchParams): Parsed | Result => {
    const after = q.get('startingAfter');
    const before = q.get('endingBefore');
    const withCursor = after !== null || before !== null;
    if (after !== null && before !== null && !has('cursor-conflict-ok'))
      return invalid('startingAfter and endingBefore cannot be combined');

    let limit = has('default-limit-20') || (has('default-limit-cursor-20') && withCursor) ? 20 : DEFAULT_LIMIT;
    const rawLimit = q.get('limit');
    if (rawLimit !== null) {
      const n = has('limit-parse-int')
        ? Number.parseInt(rawLimit, 10)
        : INT_RE.test(rawLimit)
          ? Number(rawLimit)
          : Number.NaN;
      // the fault: the limit read into a 32-bit column type overflows before the range check
      if (has('limit-huge-500') && Math.abs(n) >= 2 ** 31) throw new Error(`integer out of range: ${rawLimit}`);
      const max = has('limit-max-100') ? 100 : has('limit-51-ok') ? 51 : has('limit-max-49') ? 49 : MAX_LIMIT;
      const min = has('limit-zero-ok') ? 0 : 1;
      const checked = !(has('limit-unchecked-with-cursor') && withCursor);
      if (checked && (!Number.isInteger(n) || n < min || n > max))
        return invalid('limit must be an integer between 1 and 50');
      // the unchecked path clamps instead, as a second code path for cursor pages would
      limit = checked ? n : Math.min(MAX_LIMIT, Math.max(1, Number.isInteger(n) ? n : DEFAULT_LIMIT));
    }

    const raw = q.get('status');
    const status = raw !== null && has('status-case-insensitive') ? raw.toLowerCase() : raw;
    const statusChecked = !(has('status-unchecked-with-cursor') && withCursor);
    if (status !== null && statusChecked && !(runStatusValues as readonly string[]).includes(status))
      return invalid('status must be one of queued, running, succeeded, failed');

    const time = (name: 'since' | 'until'): number | undefined | 'bad' => {
      const v = q.get(name);
      if (v === null) return undefined;
      if (INT_RE.test(v)) {
        if (has('timestamp-overflow-500') && Math.abs(Number(v)) >= 2 ** 31)
          throw new Error(`timestamp out of range: ${v}`);
        return Number(v);
      }
      return has('time-non-integer-ignored') ? undefined : 'bad';
    };
    const since = time('since');
    const until = time('until');
    if (since === 'bad' || until === 'bad') return invalid('since and until must be integer unix timestamps');
    if (since !== undefined && until !== undefined && (has('since-equal-until-ok') ? since > until : since >= until))
      return invalid('since must be less than until');

    const cursor = after ?? before;
    if (cursor !== null && !UUID_RE.test(cursor) && !has('cursor-any-string'))
      return invalid('cursor must be a run ID (UUID)');
    return { limit, status, since, until, after, before, limitGiven: rawLimit !== null };
  };

  /** Stage 3: select the page's rows and hasMore from the sorted index. */
  const select = (p: Parsed): { rows: Run[]; hasMore: boolean } | Result => {
    const { after, before, status: statusKey, limit } = p;
    const cursor = after ?? before;
    const cursorWithWindow = cursor !== null && has('window-ignored-with-cursor');
    // no status, since or until: the plain listing, whose pages the cursor-cache-off-by-one page cache keeps
    const plain = statusKey === null && p.since === undefined && p.until === undefined;
    // the fault: since read as milliseconds (a 2023 timestamp in ms is 1970-01-20 in seconds)
    const since = p.since !== undefined && has('since-milliseconds') ? Math.floor(p.since / 1000) : p.since;
    const { until } = p;
    // second granularity: t < until, t >= since (the faults compare whole seconds the wrong way)
    // the faults: until compared with <= everywhere, or only on cursor pages (a second query path)
    const window = p.since !== undefined && p.until !== undefined;
    const untilInclusive =
      has('until-inclusive') ||
      (has('until-inclusive-on-cursor') && cursor !== null) ||
      (has('until-inclusive-with-since') && window);
    let lo =
      until === undefined || cursorWithWindow
        ? 0
        : index.firstOlderThan((untilInclusive ? until + 1 : until) * 1000, false);
    let hi =
      since === undefined || cursorWithWindow
        ? index.rows.length
        : index.firstOlderThan(
            (has('since-exclusive') || (has('since-exclusive-with-until') && window) ? since + 1 : since) * 1000,
            false,
          );
    const statusDropped =
      has('status-filter-ignored') ||
      has('filter-after-page') ||
      (has('status-dropped-with-window') && (p.since !== undefined || p.until !== undefined)) ||
      (has('status-dropped-on-cursor') && cursor !== null);
    const filterByStatus =
      statusKey !== null && !statusDropped && (runStatusValues as readonly string[]).includes(statusKey);
    let ignoreStatus = false;

    let confusedStart: number | undefined;
    if (cursor !== null) {
      let at = index.position.get(cursor);
      if (at === undefined && has('cursor-any-string') && !UUID_RE.test(cursor)) at = -1;
      if (at === undefined) {
        if (has('crash-on-unknown-cursor')) throw new Error(`cannot read properties of undefined (run ${cursor})`);
        return fail(404, 'NOT_FOUND_ERROR', 'cursor does not match a run');
      }
      if (has('cursor-index-in-filtered-list') && filterByStatus && after !== null) confusedStart = at + 1;
      if (after !== null) {
        let start = at + 1;
        if (has('cursor-off-by-one')) start++;
        // the fault: a walk's next cursor (the last run of the page served just before) is resolved from a page
        // cache whose stored position is one row too far; a cursor from anywhere else takes the keyset query
        if (plain && hot?.runId === after) start = hot.next;
        if (has('cursor-tie-skip')) start = index.firstOlderThan(index.ms[at] ?? 0, false);
        lo = Math.max(lo, start);
      } else {
        hi = Math.min(hi, has('ending-before-inclusive') ? at + 1 : at);
        if (has('ending-before-ignores-filters')) {
          lo = 0;
          ignoreStatus = true;
        }
      }
    }

    // positions [s, e) within the (possibly status-filtered) list
    const list = filterByStatus && !ignoreStatus ? (index.byStatus.get(statusKey) ?? new Int32Array()) : undefined;
    // the fault: a position in the full listing used as an index into the filtered one
    const s = confusedStart ?? (list ? lowerBound(list, lo) : lo);
    let e = Math.max(s, list ? lowerBound(list, hi) : hi);
    // the fault: a filtered query's index only covers recent rows (old rows fall out of it)
    if (list && has('old-rows-missing-filtered'))
      e = Math.min(e, Math.max(s, lowerBound(list, index.firstOlderThan(oldBeforeMs.old, false))));
    const backward = after === null && before !== null;
    // the fault limit-50-short: a page buffer one row short at the maximum (49 rows for limit=50, hasMore still right)
    const take =
      backward && has('ending-before-ignores-limit')
        ? MAX_LIMIT
        : has('limit-plus-one')
          ? limit + 1
          : has('limit-50-short') && limit === MAX_LIMIT
            ? limit - 1
            : limit;
    const from = backward && !has('ending-before-newest') ? Math.max(s, e - take) : s;
    const to = Math.min(e, from + take);
    let picked: number[] = [];
    for (let i = from; i < to; i++) picked.push(list ? (list[i] ?? 0) : i);
    let hasMore = backward ? from > s : to < e;
    if (has('hasmore-when-full')) hasMore = picked.length === limit;
    if (has('hasmore-false-filtered') && statusKey !== null) hasMore = false;
    if (has('hasmore-false-with-window') && window && statusKey === null) hasMore = false;
    // the fault: on filtered startingAfter pages hasMore counts the rows after the page without the status filter
    if (has('hasmore-unfiltered') && list && after !== null)
      hasMore = index.rows.length - ((index.position.get(after) ?? 0) + 1) > limit;
    // the fault: hasMore from a capped count query, so a long listing "ends" early
    if (has('hasmore-false-deep') && !backward && (picked.at(-1) ?? 0) >= HASMORE_CAP - 1) hasMore = false;
    if (has('filter-after-page') && statusKey !== null)
      picked = picked.filter((i) => index.rows[i]?.runStatus === statusKey);
    let rows = picked.map((i) => index.rows[i] as Run);
    const last = rows.at(-1);
    if (has('cursor-cache-off-by-one') && !backward && plain)
      hot = last ? { runId: last.runId, next: to + 1 } : undefined;
    if (backward && has('ending-before-oldest-first')) rows.reverse();
    if (has('shuffle-ties')) rows = shuffleTies(rows);
    return { rows, hasMore };
  };

  /** Stage 4: present the page (row fields, envelope, headers). */
  const presentPage = ({ rows, hasMore }: { rows: Run[]; hasMore: boolean }): Result => {
    const shown = rows.length === 0 && has('empty-rows-null') ? null : rows.map((r) => present(r, has, oldBeforeMs));
    const body = { status: has('envelope-status-lowercase') ? 'success' : 'SUCCESS', data: { rows: shown, hasMore } };
    return { status: 200, body, ...(has('content-type-html') ? { headers: { 'Content-Type': 'text/html' } } : {}) };
  };

  const handle = (req: ProviderRequest): Result => {
    // the data changes between answers, never inside one
    if (drift.tick(served, runs)) index = build(runs);
    served++;
    const refused = authorise(req);
    if (refused) return refused;
    const parsed = parse(req.query);
    if (!('limit' in parsed)) return parsed;
    const selected = select(parsed);
    const page =
      'rows' in selected && Array.isArray(selected.rows)
        ? presentPage(selected as { rows: Run[]; hasMore: boolean })
        : (selected as Result);
    // the fault: a proxy buffer cuts long cursor pages short (the body stops mid-JSON)
    if (has('body-cut-on-cursor') && parsed.after !== null && page.status === 200) {
      const text = JSON.stringify(page.body);
      return { ...page, body: undefined, raw: text.slice(0, Math.floor(text.length / 2)) };
    }
    return page;
  };
  return { handle, setRuns };
}

/**
 * Traffic on a live account: after every n-th answered request a new run arrives (newest, queued), a queued
 * or running run moves on, or a finished run is edited. Mutates `runs` in place; says whether anything changed.
 */
function createDrift(d: Drift, seed: number): { tick: (served: number, runs: Run[]) => boolean } {
  const rand = prng(seed * 7919 + 17);
  let added = 0;
  const every = (n: number | undefined, served: number) => n !== undefined && n > 0 && served > 0 && served % n === 0;
  const pick = (runs: Run[], ok: (r: Run) => boolean): number => {
    // sample from the newest 1,200 runs: where a walk and its comparisons see a change
    const span = Math.min(runs.length, 1200);
    for (let k = 0; k < 50; k++) {
      const i = Math.floor(rand() * span);
      if (ok(runs[i] as Run)) return i;
    }
    return runs.findIndex(ok);
  };
  return {
    tick: (served, runs) => {
      let changed = false;
      if (every(d.addEvery, served)) {
        // "now", but never older than the newest run: new runs are the newest, as on a live account
        const newest = runs.reduce((m, r) => Math.max(m, Date.parse(r.createdAt)), 0);
        const t = Math.max(Date.now(), newest + 1);
        runs.push({
          runId: uuidFrom(rand),
          promptVersionId: uuidFrom(rand),
          outputs: [],
          runStatus: 'queued',
          credits: null,
          runName: `New run ${++added}`,
          createdAt: new Date(t).toISOString(),
        });
        changed = true;
      }
      if (every(d.statusEvery, served)) {
        const i = pick(runs, (r) => r.runStatus === 'queued' || r.runStatus === 'running');
        const r = runs[i];
        if (r) {
          runs[i] = { ...r, runStatus: r.runStatus === 'queued' ? 'running' : rand() < 0.7 ? 'succeeded' : 'failed' };
          changed = true;
        }
      }
      if (every(d.editEvery, served)) {
        const i = pick(runs, (r) => r.runStatus === 'succeeded' || r.runStatus === 'failed');
        const r = runs[i];
        if (r) {
          runs[i] = { ...r, runName: `${r.runName} (edited)`, credits: r.credits === null ? 1 : r.credits + 1 };
          changed = true;
        }
      }
      return changed;
    },
  };
}

function present(
  r: Run,
  has: (k: BpKnob) => boolean,
  oldBeforeMs: { old: number; archive: number },
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r };
  if (has('row-missing-run-name')) delete out.runName;
  const old = Date.parse(r.createdAt) < oldBeforeMs.old;
  // the fault: the archive tier (past the 10,000th run) stores statuses in upper case and serves them as stored
  if (has('archive-status-uppercase') && Date.parse(r.createdAt) < oldBeforeMs.archive)
    out.runStatus = r.runStatus.toUpperCase();
  if ((has('credits-string') || (has('old-credits-string') && old)) && r.credits !== null)
    out.credits = String(r.credits);
  if (has('created-at-not-iso')) out.createdAt = r.createdAt.replace('T', ' ').replace(/\.\d+Z$/, '');
  if (has('created-at-epoch-ms')) out.createdAt = Date.parse(r.createdAt);
  if (has('run-status-uppercase')) out.runStatus = r.runStatus.toUpperCase();
  return out;
}

export type BpProvider = RunningServer & Pick<BpHandler, 'setRuns'>;

export async function startBpProvider(opts: BpProviderOptions = {}): Promise<BpProvider> {
  const { handle, setRuns } = createBpHandler(opts);
  const server = await startJsonServer(handle, opts.chaos);
  return Object.assign(server, { setRuns });
}
