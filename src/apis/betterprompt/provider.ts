/**
 * Embedded BetterPrompt reference provider: a faithful implementation of `GET /v1/runs`
 * with a sorted index (a page costs O(log n + limit), not a scan), and fault knobs for the self-tests.
 */
import { runStatusValues } from '../../../schemas/betterprompt/list-runs.schema';
import { bearerToken, type Chaos, prng, type ProviderRequest, type ProviderResponse, type RunningServer, shuffleTies, startJsonServer, uuidFrom } from '../../shared/server';
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
  | 'rate-limit-no-retry-after';

export interface BpProviderOptions {
  /** Rows to seed. @defaultValue 137 (14 default pages, 3 full ones, ties, every status) */
  rows?: number;
  /** @defaultValue 'test-key' */
  apiKey?: string;
  /** @defaultValue 1 */
  seed?: number;
  knobs?: readonly BpKnob[];
  chaos?: Chaos;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INT_RE = /^-?\d+$/;
const BASE_MS = Date.parse('2025-11-03T10:15:30.000Z');
const MAX_LIMIT = 50;
const DEFAULT_LIMIT = 10;

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

export function createBpHandler(opts: BpProviderOptions = {}): BpHandler {
  const knobs = new Set(opts.knobs ?? []);
  const has = (k: BpKnob) => knobs.has(k);
  const apiKey = opts.apiKey ?? 'test-key';
  const build = (rows: readonly Run[]) => {
    const sorted = sortRuns([...rows]);
    return new RunIndex(has('order-oldest-first') ? sorted.reverse() : sorted);
  };
  let index = build(seedRuns(opts.rows ?? 137, opts.seed));
  let served = 0;
  const setRuns = (rows: readonly Run[]) => {
    index = build(rows);
  };

  const fail = (status: number, code: string, message: string): Result =>
    has('error-envelope-plain') ? { status, body: { error: message } } : { status, body: { status: code, message } };
  const invalid = (message: string) => fail(422, 'VALIDATION_ERROR', message);

  const handle = (req: ProviderRequest): Result => {
    served++;
    if (req.method !== 'GET' || !/^\/(v1\/)?runs\/?$/.test(req.path)) return fail(404, 'NOT_FOUND_ERROR', 'no such route');
    const token = bearerToken(req.headers);
    const authorised = has('auth-any-key') ? token !== undefined : token === apiKey;
    if (!authorised && !(has('auth-optional') && token === undefined)) return fail(401, 'UNAUTHORIZED_ERROR', 'missing or invalid API key');
    if (has('rate-limit-no-retry-after') && served % 3 === 0) return fail(429, 'TOO_MANY_REQUESTS_ERROR', 'slow down');
    const q = req.query;

    // ---- validation (docs: 422 VALIDATION_ERROR for invalid parameters)
    const after = q.get('startingAfter');
    const before = q.get('endingBefore');
    if (after !== null && before !== null && !has('cursor-conflict-ok')) return invalid('startingAfter and endingBefore cannot be combined');

    let limit = has('default-limit-20') ? 20 : DEFAULT_LIMIT;
    const rawLimit = q.get('limit');
    if (rawLimit !== null) {
      const n = has('limit-parse-int') ? Number.parseInt(rawLimit, 10) : INT_RE.test(rawLimit) ? Number(rawLimit) : Number.NaN;
      const max = has('limit-max-100') ? 100 : MAX_LIMIT;
      const min = has('limit-zero-ok') ? 0 : 1;
      if (!Number.isInteger(n) || n < min || n > max) return invalid('limit must be an integer between 1 and 50');
      limit = n;
    }

    const status = q.get('status');
    const statusKey = status !== null && has('status-case-insensitive') ? status.toLowerCase() : status;
    if (statusKey !== null && !(runStatusValues as readonly string[]).includes(statusKey)) return invalid('status must be one of queued, running, succeeded, failed');

    const time = (name: 'since' | 'until'): number | undefined | 'bad' => {
      const raw = q.get(name);
      if (raw === null) return undefined;
      if (INT_RE.test(raw)) return Number(raw);
      return has('time-non-integer-ignored') ? undefined : 'bad';
    };
    const since = time('since');
    const until = time('until');
    if (since === 'bad' || until === 'bad') return invalid('since and until must be integer unix timestamps');
    if (since !== undefined && until !== undefined && (has('since-equal-until-ok') ? since > until : since >= until)) return invalid('since must be less than until');

    const cursor = after ?? before;
    if (cursor !== null && !UUID_RE.test(cursor) && !has('cursor-any-string')) return invalid('cursor must be a run ID (UUID)');

    // ---- selection: a global window [lo, hi) of positions, newest first
    const cursorWithWindow = cursor !== null && has('window-ignored-with-cursor');
    // second granularity: t < until, t >= since (the faults compare whole seconds the wrong way)
    let lo = until === undefined || cursorWithWindow ? 0 : index.firstOlderThan((has('until-inclusive') ? until + 1 : until) * 1000, false);
    let hi = since === undefined || cursorWithWindow ? index.rows.length : index.firstOlderThan((has('since-exclusive') ? since + 1 : since) * 1000, false);
    const filterByStatus = statusKey !== null && !has('status-filter-ignored') && !has('filter-after-page');
    let ignoreStatus = false;

    let confusedStart: number | undefined;
    if (cursor !== null) {
      let p = index.position.get(cursor);
      if (p === undefined && has('cursor-any-string') && !UUID_RE.test(cursor)) p = -1;
      if (p === undefined) {
        if (has('crash-on-unknown-cursor')) throw new Error(`cannot read properties of undefined (run ${cursor})`);
        return fail(404, 'NOT_FOUND_ERROR', 'cursor does not match a run');
      }
      if (has('cursor-index-in-filtered-list') && filterByStatus && after !== null) confusedStart = p + 1;
      if (after !== null) {
        let start = p + 1;
        if (has('cursor-off-by-one')) start++;
        if (has('cursor-tie-skip')) start = index.firstOlderThan(index.ms[p] ?? 0, false);
        lo = Math.max(lo, start);
      } else {
        hi = Math.min(hi, has('ending-before-inclusive') ? p + 1 : p);
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
    const e = Math.max(s, list ? lowerBound(list, hi) : hi);
    const take = has('limit-plus-one') ? limit + 1 : limit;
    const backward = after === null && before !== null;
    const from = backward && !has('ending-before-newest') ? Math.max(s, e - take) : s;
    const to = Math.min(e, from + take);
    let picked: number[] = [];
    for (let i = from; i < to; i++) picked.push(list ? (list[i] ?? 0) : i);
    let hasMore = backward ? from > s : to < e;
    if (has('hasmore-when-full')) hasMore = picked.length === limit;
    if (has('filter-after-page') && statusKey !== null) picked = picked.filter((i) => index.rows[i]?.runStatus === statusKey);
    let rows = picked.map((i) => index.rows[i] as Run);
    if (has('shuffle-ties')) rows = shuffleTies(rows);

    const shown = rows.length === 0 && has('empty-rows-null') ? null : rows.map((r) => present(r, has));
    const body = { status: has('envelope-status-lowercase') ? 'success' : 'SUCCESS', data: { rows: shown, hasMore } };
    return { status: 200, body, ...(has('content-type-html') ? { headers: { 'Content-Type': 'text/html' } } : {}) };
  };
  return { handle, setRuns };
}

function present(r: Run, has: (k: BpKnob) => boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r };
  if (has('row-missing-run-name')) delete out.runName;
  if (has('credits-string') && r.credits !== null) out.credits = String(r.credits);
  if (has('created-at-not-iso')) out.createdAt = r.createdAt.replace('T', ' ').replace(/\.\d+Z$/, '');
  if (has('run-status-uppercase')) out.runStatus = r.runStatus.toUpperCase();
  return out;
}

export type BpProvider = RunningServer & Pick<BpHandler, 'setRuns'>;

export async function startBpProvider(opts: BpProviderOptions = {}): Promise<BpProvider> {
  const { handle, setRuns } = createBpHandler(opts);
  const server = await startJsonServer(handle, opts.chaos);
  return Object.assign(server, { setRuns });
}
