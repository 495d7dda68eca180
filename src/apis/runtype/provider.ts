/**
 * Embedded Runtype reference provider: a faithful implementation of `GET /v1/prompts`, its handler in the doc's
 * stages (authorise → parse and validate → select → present) over a sorted index (an unfiltered, model, flowId or
 * combined page costs O(limit) once its filter set is selected: per-model and per-flow position lists intersected,
 * a search scanned once per term), with fault knobs for the self-tests, each in the stage it breaks, and drift
 * conditions (new prompts, edits, model switches every n requests). Choices where the docs are silent (the suite's
 * rules must not depend on them, and {@link RtVariant} checks they don't): newest first, ties by id; cursors
 * base64url JSON {id, offset} like the sibling endpoints (a prevCursor also says so); `direction` accepts next|prev
 * and is redundant with a cursor; limit above 100 is clamped, below 1 or non-numeric is a 400; search is
 * case-insensitive and literal; empty parameter values count as absent; an unknown flowId lists nothing; filters
 * are read from the query on every request.
 */
import {
  bearerToken,
  prng,
  type ProviderRequest,
  type ProviderResponse,
  type RunningServer,
  shuffleTies,
  startJsonServer,
} from '../../shared/server';
import { decodeCursor, encodeCursor, type FilterSet } from './provider-cursor';
import {
  BASE_MS,
  flowOf,
  foreignCopies,
  intersect,
  iso,
  NONE,
  OWNER,
  PromptIndex,
  promptAt,
  randomModel,
  randomName,
  randomText,
  type Selection,
  scan,
  seedPrompts,
} from './provider-data';
import type { RtKnob, RtProviderOptions, RtVariant } from './provider-knobs';
import type { Prompt } from './schema';

// the seed is part of the provider's surface: the pact states and the accounts wrapper seed through it
export { seedPrompts } from './provider-data';

export type { RtKnob, RtProviderOptions, RtVariant } from './provider-knobs';

const MAX_LIMIT = 100;
const DEFAULT_LIMIT = 50;
/** Where "old data" starts: beyond the rows a walk capped at 1,000 reads. */
const OLD_ROWS = 1000;
/** Where the archive tier starts: beyond the rows a deep walk of a mid-sized account would sample rather than read. */
const ARCHIVE_ROWS = 10_000;
/** Knobs and variants that change how a prompt is presented; without any, a stored prompt is sent as it is. */
const PRESENTING = new Set<string>([
  'estimated-tokens-string',
  'estimated-cost-number',
  'dates-not-iso',
  'id-numeric',
  'old-rows-tokens-string',
  'archive-rows-cost-number',
  'updated-before-created',
  'hide-flow-id',
  'sparse-fields',
]);

/** FNV-1a: a deterministic per-page order for the tie-order-by-page fault. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/** Array.prototype.slice bounds, so the limit-unvalidated fault behaves like the bug it models. */
function sliceBounds(length: number, start: number, end: number): [number, number] {
  const s = start < 0 ? Math.max(length + start, 0) : Math.min(start, length);
  const e = end < 0 ? Math.max(length + end, 0) : Math.min(end, length);
  return [s, Math.max(s, e)];
}

type Result = ProviderResponse;

export interface RtHandler {
  handle: (req: ProviderRequest) => Result;
  /** Replaces the data (pact provider states seed exactly what they name). */
  setPrompts: (prompts: readonly Prompt[]) => void;
}

interface Query extends FilterSet {
  limit: number;
  offset: number;
  withCursor: boolean;
  /** The cursor was a prevCursor (cursors say which way they were issued). */
  fromPrev: boolean;
}

/** What the select stage hands to present: the index read and the matching positions. */
interface Selected {
  idx: PromptIndex;
  list: Selection;
}

/**
 * The handler in the doc's order — authorise → parse and validate → select → present — with each fault's
 * switch inside the stage it breaks, and the drift conditions applied between requests.
 */
export function createRtHandler(opts: RtProviderOptions = {}): RtHandler {
  const knobs = new Set(opts.knobs ?? []);
  const has = (k: RtKnob) => knobs.has(k);
  const variants = new Set(opts.variants ?? []);
  const is = (v: RtVariant) => variants.has(v);
  const apiKey = opts.apiKey ?? 'test-key';
  const newestFirst = !is('oldest-first');
  // a clean server sends stored prompts as they are: no per-row copy, so a page costs the same at any data size
  const presents = [...knobs, ...variants].some((k) => PRESENTING.has(k));
  const show = (r: Prompt, idx: PromptIndex) => (presents ? present(r, idx, has, is) : r);
  let data: Prompt[] = [];
  let index: PromptIndex;
  let everyone: PromptIndex | undefined;
  // a selection is computed once per filter set; later pages reuse it, as a server's query cache would
  const selections = new Map<string, Selection>();
  const searches = new Map<string, Int32Array>();
  const MEMO = 64;
  const setPrompts = (given: readonly Prompt[]) => {
    // sparse-fields: some prompts have no text and no model in the data itself, so filters agree with what is shown
    data = is('sparse-fields')
      ? given.map((p, i) => (i % 5 === 3 ? { ...p, text: null, model: null } : p))
      : [...given];
    reindex();
  };
  const reindex = () => {
    // another user's prompts exist only for the faults that leak them
    const leak = has('other-users-prompts') || has('search-ignores-owner');
    const all = leak ? [...data, ...foreignCopies(data)] : data;
    index = new PromptIndex(has('other-users-prompts') ? all : data, newestFirst);
    everyone = has('search-ignores-owner') ? new PromptIndex(all, newestFirst) : undefined;
    selections.clear();
    searches.clear();
  };
  setPrompts(seedPrompts(opts.rows ?? 137, opts.dataSeed ?? opts.seed));

  // ---- drift: the account receives traffic while the suite runs (counted in requests answered)
  const drift = opts.drift ?? {};
  const driftRand = prng(0xd1f7 + (opts.dataSeed ?? opts.seed ?? 1));
  const flows = [...new Set(data.map(flowOf).filter((f): f is string => !!f))];
  let answered = 0;
  const due = (n: number | undefined) => n !== undefined && n > 0 && answered % n === 0;
  const afterRequest = () => {
    answered++;
    let changed = false;
    if (due(drift.addEvery)) {
      const newest = data.reduce((m, p) => Math.max(m, Date.parse(p.createdAt)), BASE_MS);
      const added = promptAt(driftRand, flows, newest + 1000 * (1 + Math.floor(driftRand() * 60)), data.length);
      // the account's own user: a second account's prompts carry its user id (src/shared/accounts.ts seeds them)
      data.push({ ...added, userId: data[0]?.userId ?? OWNER });
      changed = true;
    }
    // an edit renames and rewrites a prompt; a "status" change for a prompt is a switch of model; both touch updatedAt
    if (due(drift.editEvery))
      changed =
        editOne((p) => ({
          ...p,
          name: randomName(driftRand),
          text: randomText(driftRand),
        })) || changed;
    if (due(drift.statusEvery)) changed = editOne((p) => ({ ...p, model: randomModel(driftRand) })) || changed;
    if (changed) reindex();
  };
  const editOne = (edit: (p: Prompt) => Prompt): boolean => {
    const at = Math.floor(driftRand() * data.length);
    const p = data[at];
    if (!p) return false;
    const updated =
      Math.max(Date.parse(p.updatedAt), Date.parse(p.createdAt)) + 1000 * (1 + Math.floor(driftRand() * 600));
    data[at] = { ...edit(p), updatedAt: iso(updated) };
    return true;
  };

  const fail = (status: number, error: string, message: string): Result =>
    has('errors-plain-text')
      ? { status, raw: `${error}: ${message}`, headers: { 'Content-Type': 'text/plain' } }
      : { status, body: { error, message } };
  const bad = (message: string) => fail(400, 'Bad Request', message);

  // ---- 1. authorise
  const authorise = (req: ProviderRequest): Result | undefined => {
    const token = bearerToken(req.headers);
    const authorised = has('auth-any-key') ? token !== undefined : token === apiKey;
    if (!authorised && !(has('auth-optional') && token === undefined))
      return fail(401, 'Unauthorized', 'missing or invalid API key');
    return undefined;
  };

  // ---- 2. parse and validate
  const parseLimit = (raw: string | undefined, q: URLSearchParams): number | Result => {
    if (raw === undefined) return has('default-limit-20') ? 20 : DEFAULT_LIMIT;
    if (has('limit-unvalidated')) {
      const n = Number.parseInt(raw, 10);
      if (Number.isNaN(n)) throw new RangeError(`Invalid array length: ${raw}`);
      return n;
    }
    // the search path's own lenient parser: a bad limit falls back to the default instead of a 400
    if (has('limit-lenient-with-search') && q.get('search')?.trim() && !/^\d+$/.test(raw)) return DEFAULT_LIMIT;
    if (!/^\d+$/.test(raw) || Number(raw) < 1) return bad('limit must be an integer from 1 to 100');
    if (is('reject-large-limit') && Number(raw) > MAX_LIMIT) return bad('limit must be at most 100');
    // the fault: an off-by-one bound (limit < 100) refuses the documented maximum itself
    if (has('limit-max-refused') && Number(raw) >= MAX_LIMIT) return bad('limit must be less than 100');
    // the clamp sits in the first-page branch only: a cursor page takes limit as sent
    if (has('limit-clamp-first-page-only') && q.get('cursor')?.trim()) return Number(raw);
    return Math.min(Number(raw), has('limit-max-200') ? 200 : MAX_LIMIT);
  };

  /** The request's parameters, or the 400 that refuses them. */
  const parse = (q: URLSearchParams): Query | Result => {
    const present = (name: string) => {
      const v = q.get(name)?.trim();
      return v ? v : undefined;
    };
    const limit = parseLimit(present('limit'), q);
    if (typeof limit !== 'number') return limit;
    const direction = q.get('direction');
    if (direction !== null && direction !== 'next' && direction !== 'prev')
      return bad('direction must be next or prev');
    const filters: FilterSet = { search: present('search'), model: present('model'), flowId: present('flowId') };
    const rawCursor = present('cursor');
    if (rawCursor === undefined) return { limit, offset: 0, withCursor: false, fromPrev: false, ...filters };
    const c = decodeCursor(rawCursor, has('garbage-cursor-500'));
    if (c === undefined) return bad('cursor is not a valid pagination cursor');
    const fromPrev = c.p === true;
    if (is('cursor-carries-filters')) {
      if (filters.search ?? filters.model ?? filters.flowId)
        return bad('a cursor already carries its filters; send it alone');
      return { limit, offset: c.offset, withCursor: true, fromPrev, ...c.f };
    }
    // prev-needs-direction: a cursor is a boundary; direction=prev lists the page that ends there
    const backward = is('prev-needs-direction') && direction === 'prev';
    return {
      limit,
      offset: backward ? Math.max(0, c.offset - limit) : c.offset,
      withCursor: true,
      fromPrev: fromPrev || backward,
      ...filters,
    };
  };

  // ---- 3. select
  const select = (q: Query): Selected | Result => {
    const idx = q.search !== undefined && everyone ? everyone : index;
    if (is('unknown-flow-404') && q.flowId !== undefined && !idx.byFlow.has(q.flowId))
      return fail(404, 'Not Found', 'no such flow');
    const key = JSON.stringify([idx === index, q.withCursor, q.search, q.model, q.flowId]);
    let list = selections.get(key);
    if (list === undefined) {
      list = selectUncached(idx, q);
      // search-name-first: a search ranks name matches before text matches, each part in listing order
      if (is('search-name-first') && q.search !== undefined && list !== null)
        list = nameMatchesFirst(idx, list, q.search);
      if (selections.size >= MEMO) selections.delete(selections.keys().next().value as string);
      selections.set(key, list);
    }
    return { idx, list };
  };

  /** Positions matching the filters: per-model and per-flow sorted lists intersected, a memoised scan per search term. */
  const selectUncached = (idx: PromptIndex, q: Query): Selection => {
    const dropped = q.withCursor && has('filter-dropped-with-cursor');
    // the combined-filter query builder forgets the model clause when a search is present
    const model = dropped || (has('model-dropped-with-search') && q.search !== undefined) ? undefined : q.model;
    const flowId = dropped || has('flow-filter-ignored') ? undefined : q.flowId;
    const search = dropped || has('search-ignored') ? undefined : q.search;
    let list: Selection = null;
    if (model !== undefined && has('model-substring'))
      list = scan(idx, null, (p) => typeof p.model === 'string' && p.model.includes(model));
    else if (model !== undefined && flowId !== undefined) list = idx.byModelFlow.get(`${model}\u0000${flowId}`) ?? NONE;
    else if (model !== undefined) list = idx.byModel.get(model) ?? NONE;
    if (flowId !== undefined && (list === null || has('model-substring')))
      list = intersect(list, idx.byFlow.get(flowId) ?? NONE);
    // the fault: the combined query builder searches texts only once a model is also given (name clause lost)
    if (search !== undefined && model !== undefined && has('search-text-only-with-model')) {
      const t = search.toLowerCase();
      return intersect(
        list,
        scan(idx, null, (p) => (p.text ?? '').toLowerCase().includes(t)),
      );
    }
    // the fault: the flow-scoped search (a second query path) matches names only
    if (search !== undefined && flowId !== undefined && has('search-name-only-with-flow')) {
      const t = search.toLowerCase();
      return intersect(
        list,
        scan(idx, null, (p) => p.name.toLowerCase().includes(t)),
      );
    }
    if (search !== undefined) list = intersect(list, searchAll(idx, search));
    return list;
  };

  /**
   * Every position whose name or text holds the term, memoised per term and index. The literal matchers draw their
   * candidates from the token index (only prompts holding every word of the term) and confirm each; the faults
   * that read the term as a pattern scan every prompt, as the bugs they model would.
   */
  const searchAll = (idx: PromptIndex, term: string): Int32Array => {
    const key = `${idx === index}\u0000${term}`;
    const hit = searches.get(key);
    if (hit) return hit;
    const literal = !has('search-as-regex') && !(has('search-like-wildcards') && /[%_]/.test(term));
    const candidates = literal ? idx.tokens().candidates(term) : null;
    const list = scan(idx, candidates, searchMatcher(term));
    if (searches.size >= MEMO) searches.delete(searches.keys().next().value as string);
    searches.set(key, list);
    return list;
  };

  const searchMatcher = (term: string): ((p: Prompt) => boolean) => {
    if (has('search-as-regex')) {
      const re = new RegExp(term, 'i');
      return (p) => re.test(p.name) || re.test(p.text ?? '');
    }
    if (has('search-like-wildcards') && /[%_]/.test(term)) {
      // LIKE '%term%' without escaping: % and _ match any text and any character
      const re = new RegExp(
        term
          .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
          .replace(/%/g, '.*')
          .replace(/_/g, '.'),
        'i',
      );
      return (p) => re.test(p.name) || re.test(p.text ?? '');
    }
    if (is('case-sensitive-search')) return (p) => p.name.includes(term) || (p.text ?? '').includes(term);
    const t = term.toLowerCase();
    if (has('search-name-only')) return (p) => p.name.toLowerCase().includes(t);
    // the fault: a tokenizer that drops the final token of a name, so a name's last word is never found there
    if (has('search-skips-last-name-word'))
      return (p) =>
        p.name
          .toLowerCase()
          .replace(/\s*\S+\s*$/, '')
          .includes(t) || (p.text ?? '').toLowerCase().includes(t);
    return (p) => p.name.toLowerCase().includes(t) || (p.text ?? '').toLowerCase().includes(t);
  };

  /** The model-count-prefix fault: a count query written apart from the page query, matching the model as a prefix. */
  const modelCount = (q: Query, idx: PromptIndex): number | undefined => {
    const model = q.model;
    if (!has('model-count-prefix') || model === undefined || q.search !== undefined || q.flowId !== undefined)
      return undefined;
    return idx.rows.filter((p: Prompt) => typeof p.model === 'string' && p.model.startsWith(model)).length;
  };

  // ---- 4. present
  const presentPage = (q: Query, selected: Selected): Result => {
    // the search applied after paging: pages of the listing without it, filtered, so some come back short or empty
    if (has('search-after-paging') && q.search !== undefined) return searchAfterPaging(q, selected);
    const { idx, list } = selected;
    const total = list ? list.length : idx.rows.length;
    const [from, to] = sliceBounds(total, q.offset, q.offset + (has('limit-plus-one') ? q.limit + 1 : q.limit));
    const positions: number[] = [];
    for (let i = from; i < to; i++) positions.push(list ? (list[i] ?? 0) : i);
    let rows = (list === null && has('tie-order-by-page') ? tiesByPage(idx, from, to, q.limit) : positions).map(
      (i) => idx.rows[i] as Prompt,
    );
    if (has('shuffle-ties')) rows = shuffleTies(rows);
    if (has('old-rows-id-order')) rows = oldRowsById(rows, idx);
    const filters: FilterSet = {
      ...(q.search ? { search: q.search } : {}),
      ...(q.model ? { model: q.model } : {}),
      ...(q.flowId ? { flowId: q.flowId } : {}),
    };
    const filtered = Object.keys(filters).length > 0;
    const reportedTotal =
      (filtered && has('filter-total-unfiltered') ? index.rows.length : (modelCount(q, idx) ?? total)) +
      (!filtered && has('total-count-plus-two') ? 2 : 0);
    const body = {
      data: has('data-null-when-empty') && rows.length === 0 ? null : rows.map((r) => show(r, idx)),
      filtersApplied: has('filters-applied-empty') ? {} : filters,
      pagination: pagination({ q, from, rows, filters, reportedTotal, total }, has, is),
    };
    return { status: 200, body };
  };

  const searchAfterPaging = (q: Query, { idx, list }: Selected): Result => {
    const base = select({ ...q, search: undefined });
    if ('status' in base) return base;
    const baseTotal = base.list ? base.list.length : idx.rows.length;
    const [from, to] = sliceBounds(baseTotal, q.offset, q.offset + q.limit);
    const matches = searchMatcher(q.search ?? '');
    const rows: Prompt[] = [];
    for (let i = from; i < to; i++) {
      const p = idx.rows[base.list ? (base.list[i] ?? 0) : i] as Prompt;
      if (matches(p)) rows.push(p);
    }
    const total = list ? list.length : idx.rows.length;
    const filters: FilterSet = {
      search: q.search,
      ...(q.model ? { model: q.model } : {}),
      ...(q.flowId ? { flowId: q.flowId } : {}),
    };
    const pag = pagination({ q, from, rows, filters, reportedTotal: total, total }, has, is);
    const more = from + q.limit < baseTotal;
    return {
      status: 200,
      body: {
        data: rows.map((r) => show(r, idx)),
        filtersApplied: filters,
        pagination: {
          ...pag,
          hasMore: more,
          nextCursor: more ? encodeCursor({ id: rows.at(-1)?.id ?? '', offset: from + q.limit }) : null,
        },
      },
    };
  };

  const answer = (req: ProviderRequest): Result => {
    if (req.method !== 'GET' || !/^\/(v1\/)?prompts\/?$/.test(req.path)) return fail(404, 'Not Found', 'no such route');
    const refused = authorise(req);
    if (refused) return refused;
    const q = parse(req.query);
    if ('status' in q) return q;
    const selected = select(q);
    if ('status' in selected) return selected;
    return presentPage(q, selected);
  };
  const handle = (req: ProviderRequest): Result => {
    try {
      return answer(req);
    } finally {
      afterRequest();
    }
  };
  return { handle, setPrompts };
}

interface PageFacts {
  q: Query;
  from: number;
  rows: readonly Prompt[];
  filters: FilterSet;
  reportedTotal: number;
  total: number;
}

function pagination(
  { q, from, rows, filters, reportedTotal, total }: PageFacts,
  has: (k: RtKnob) => boolean,
  is: (v: RtVariant) => boolean,
): Record<string, unknown> {
  const { limit } = q;
  // filtered-hasmore-early: a filtered listing says it ends one page before it does (a count query that is off)
  const early = has('filtered-hasmore-early') && Object.keys(filters).length > 0 ? limit : 0;
  const hasMore = has('hasmore-off-by-one') ? from + limit <= total : from + rows.length + early < total;
  const carry = is('cursor-carries-filters') ? { f: filters } : {};
  // odd-limit-repeat: at an odd limit the next page starts on this page's last prompt (a rounding in the cursor)
  const nextOffset =
    from + limit + (has('cursor-skips-one') ? 1 : 0) - (has('odd-limit-repeat') && limit % 2 === 1 ? 1 : 0);
  // prev-needs-direction: prevCursor is the page's start, read with direction=prev as "the page ending here"
  const prevOffset = is('prev-needs-direction')
    ? from
    : Math.max(0, from - limit + (has('prev-cursor-off-by-one') ? 1 : 0));
  // a filtered page past the second forgets it has predecessors (the "first page" test reads the wrong offset)
  const lostPrev = has('has-prev-lost-late-filtered') && Object.keys(filters).length > 0 && from >= 2 * limit;
  const hasPrev = has('has-prev-on-first') ? from >= 0 : from > 0 && !lostPrev;
  const prevCursor = hasPrev ? encodeCursor({ id: rows[0]?.id ?? '', offset: prevOffset, p: true, ...carry }) : null;
  const pages = reportedTotal / limit;
  const totalPages = has('total-pages-floor')
    ? Math.floor(pages)
    : has('total-pages-exact-divisor')
      ? Math.floor(pages) + 1
      : Math.ceil(pages);
  // currentPage from the offset, except that a backward page counts from 0
  const zeroBased = has('current-page-zero-based') || (has('current-page-off-backward') && q.fromPrev);
  return {
    currentOffset: from,
    hasMore,
    hasPrev,
    limit,
    nextCursor:
      hasMore || has('next-cursor-on-last-page')
        ? encodeCursor({ id: rows.at(-1)?.id ?? '', offset: nextOffset, ...carry })
        : null,
    // the fault: a null left undefined, which JSON.stringify drops
    prevCursor: prevCursor === null && has('prev-cursor-omitted') ? undefined : prevCursor,
    currentPage: Math.floor(from / limit) + (zeroBased ? 0 : 1),
    totalCount: reportedTotal,
    totalPages: is('empty-total-pages-one') ? Math.max(1, totalPages) : totalPages,
  };
}

/** Optional example fields a sparse server leaves out, or sends as null, on some prompts. */
const SPARSE = [
  'systemPrompt',
  'userPrompt',
  'order',
  'responseFormat',
  'estimatedCost',
  'estimatedTokens',
  'userId',
] as const;

function present(
  r: Prompt,
  idx: PromptIndex,
  has: (k: RtKnob) => boolean,
  is: (v: RtVariant) => boolean,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...r };
  if (has('estimated-tokens-string') && typeof r.estimatedTokens === 'number')
    out.estimatedTokens = String(r.estimatedTokens);
  if (has('estimated-cost-number') && typeof r.estimatedCost === 'string') out.estimatedCost = Number(r.estimatedCost);
  if (has('dates-not-iso')) {
    out.createdAt = r.createdAt.replace('T', ' ').replace('Z', '');
    out.updatedAt = r.updatedAt.replace('T', ' ').replace('Z', '');
  }
  if (has('id-numeric')) out.id = String((idx.position.get(r.id) ?? 0) + 1);
  // rows migrated from the old store (beyond the newest 1,000) keep their token counts as text
  if (
    has('old-rows-tokens-string') &&
    (idx.position.get(r.id) ?? 0) >= OLD_ROWS &&
    typeof r.estimatedTokens === 'number'
  )
    out.estimatedTokens = String(r.estimatedTokens);
  // the archive tier (beyond the newest 10,000) stores cost as a float column and sends it as a number
  if (
    has('archive-rows-cost-number') &&
    (idx.position.get(r.id) ?? 0) >= ARCHIVE_ROWS &&
    typeof r.estimatedCost === 'string'
  )
    out.estimatedCost = Number(r.estimatedCost);
  // one batch's updatedAt was written in local time without a zone: hours before its createdAt
  if (has('updated-before-created') && r.order === 7) out.updatedAt = iso(Date.parse(r.createdAt) - 3 * 3_600_000);
  if (is('hide-flow-id')) delete out.flowId;
  if (is('sparse-fields')) {
    // every 4th prompt omits the optional fields, every 4th (offset by 2) sends them as null
    const at = idx.position.get(r.id) ?? 0;
    if (at % 4 === 0) for (const k of SPARSE) delete out[k];
    if (at % 4 === 2) for (const k of SPARSE) out[k] = null;
  }
  return out;
}

/** The search-name-first variant's ranking: positions whose prompt's name holds the term first, stable otherwise. */
function nameMatchesFirst(idx: PromptIndex, list: Int32Array, term: string): Int32Array {
  const t = term.toLowerCase();
  const named = (i: number) => (idx.rows[i]?.name ?? '').toLowerCase().includes(t);
  const all = [...list];
  return Int32Array.from([...all.filter(named), ...all.filter((i) => !named(i))]);
}

/**
 * The old-rows-id-order fault: a page's prompts from the old store (beyond the newest 1,000) come back in id order,
 * in the places those prompts hold on the page (the old store's query has no ORDER BY createdAt).
 */
function oldRowsById(rows: Prompt[], idx: PromptIndex): Prompt[] {
  const at = rows.flatMap((r, k) => ((idx.position.get(r.id) ?? 0) >= OLD_ROWS ? [k] : []));
  const sorted = at.map((k) => rows[k] as Prompt).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const out = [...rows];
  at.forEach((k, j) => {
    out[k] = sorted[j] as Prompt;
  });
  return out;
}

/**
 * The tie-order-by-page fault: like ORDER BY createdAt without a tie-breaker, a tie group cut by the
 * page edge comes back in an order that depends on the page, so walks repeat some members and skip others.
 */
function tiesByPage(idx: PromptIndex, from: number, to: number, limit: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) {
    const gs = idx.tieStart[i] ?? i;
    const ge = idx.tieEnd[i] ?? i + 1;
    if (gs >= from && ge <= to) {
      out.push(i);
      continue;
    }
    const group = Array.from({ length: ge - gs }, (_, k) => gs + k).sort(
      (a, b) => hash(`${idx.rows[a]?.id}:${from}:${limit}`) - hash(`${idx.rows[b]?.id}:${from}:${limit}`),
    );
    out.push(group[i - gs] ?? i);
  }
  return out;
}

export type RtProvider = RunningServer & Pick<RtHandler, 'setPrompts'>;

export async function startRtProvider(opts: RtProviderOptions = {}): Promise<RtProvider> {
  const { handle, setPrompts } = createRtHandler(opts);
  const server = await startJsonServer(handle, opts.chaos);
  return Object.assign(server, { setPrompts });
}
