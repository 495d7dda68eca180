/**
 * The Runtype `GET /v1/prompts` rule catalogue. Suites, reports and self-tests read this list;
 * nothing else enumerates the rules. IDs are stable and never reused.
 *
 * Doc references: "Params" = endpoint page › Query parameters, "Response" = › Response and its example,
 * "Auth" = › Authentication, "Errors" = › Errors, "Summary" = the line under the example,
 * "Facts" = published-facts.md (Runtype). Cursors are opaque everywhere: no rule decodes one.
 */
import fc from 'fast-check';
import { docExample, examplePromptFields } from '../../../schemas/runtype/list-prompts.schema';
import { schemaErrors } from '../../shared/ajv';
import { expectStatus, isClientError, json } from '../../shared/expect';
import type { Exchange } from '../../shared/http';
import { checkProperty } from '../../shared/property';
import {
  Blocked,
  brief,
  defineRule,
  expectThat,
  Inconclusive,
  Skip,
  Violation,
  type ViolationDetail,
} from '../../shared/rule';
import { pairwise } from '../../shared/covering';
import { SteadyViolation } from '../../shared/reference/drift';
import { sequenceDiff } from '../../shared/sequence';
import {
  anyQuery,
  boundaryTerms,
  filterCombo,
  flowValue,
  garbageCursor,
  INVALID_LIMITS,
  invalidLimit,
  modelValue,
  noMatchTerm,
  searchFilter,
  searchTerm,
  singleFilter,
  tieBoundaries,
  tieCuttingLimits,
  TOO_LARGE_LIMITS,
  tooLargeLimit,
  UNKNOWN_FLOW_ID,
  UNKNOWN_MODEL,
  validLimit,
  walkLimit,
} from './arbitraries';
import type { RtContext } from './context';
import {
  CHECK_LIMIT,
  commonFilters,
  containsAnyCase,
  containsExact,
  DEFAULT_LIMIT,
  describeFilters,
  type Filters,
  fold,
  idAt,
  ids,
  type ListParams,
  listQuery,
  MAX_LIMIT,
  matchesFilters,
  modeLabel,
  type Page,
  pageOffsets,
  type PromptView,
  readPage,
  type Reference,
  type Walk,
} from './pager';
import { isolationRules } from './isolation';
import { listingCoverage, type OldSample, oldDataSample } from './old-data';
import { isListPrompts, isPrompt } from './schema';

/** Walks in properties take at most this many pages (the request budget of a live run). */
const WALK_PAGES = 6;
/** Cases for the properties that walk the unfiltered listing; the same arbitrary and count share cached walks. */
const WALK_RUNS = 2;
/** A term that matches nothing, for the fixed probes. */
const NO_MATCH = 'zq-nomatch-00000000-xv';

// ---------------------------------------------------------------- helpers

/** Longest walk a property may take: WALK_PAGES pages, never beyond CONFORMANCE_WALK_MAX_ROWS. */
function rowsFor(ctx: RtContext, limit: number): number {
  return Math.min(ctx.settings.walkMaxRows, limit * WALK_PAGES);
}

/** The whole listing is known and short enough for a property's walk to finish (the deep profile knows more). */
function fitsWalk(ctx: RtContext, ref: Walk): boolean {
  return ref.complete && ref.items.length <= ctx.settings.walkMaxRows;
}

/** Items a first page at `limit` must hold, when the reference knows. */
function firstPageSize(ref: Walk, limit: number): number | undefined {
  if (ref.complete) return Math.min(limit, ref.items.length);
  return ref.items.length >= limit ? limit : undefined;
}

/** The shared unfiltered walks: same arbitrary, same seed, so rules reuse each other's cached pages. */
async function sharedWalks(
  ctx: RtContext,
  ref: Walk,
  check: (walk: Walk, limit: number, ref: Reference) => void | Promise<void>,
  runs = WALK_RUNS,
): Promise<void> {
  const n = Math.min(ref.items.length, ctx.settings.walkMaxRows);
  await checkProperty(
    ctx,
    walkLimit(n, WALK_PAGES, fitsWalk(ctx, ref)),
    (limit) =>
      ctx.settled(async () => check(await ctx.walk({}, limit, rowsFor(ctx, limit)), limit, await ctx.trusted())),
    { maxRuns: runs },
  );
}

/** A filtered first page, or undefined when the filter names the unknown flowId and the target refuses it (a gap). */
async function filteredPage(ctx: RtContext, params: ListParams): Promise<Page | undefined> {
  const query = listQuery(params);
  const ex = await ctx.get(query);
  if (params.flowId === UNKNOWN_FLOW_ID) {
    ctx.observe('RT-GAP-FLOW-IDS', `a flowId that matches no flow → ${ex.status}`);
    if (isClientError(ex)) return undefined;
  }
  return ctx.record(readPage(ex, query));
}

/**
 * Filter sets (as {@link describeFilters} names them) whose totalCount a complete walk at limit 100 of at most 300
 * prompts confirms, with the count unchanged on every page: there a page's hasMore can be judged by its totalCount.
 */
async function countedFilterSets(ctx: RtContext): Promise<Set<string>> {
  const sets = new Map<string, Filters>();
  for (const page of ctx.pagesRead) sets.set(describeFilters(pageFilters(page)), pageFilters(page));
  const out = new Set<string>();
  for (const [key, f] of sets) {
    const first = await filteredPage(ctx, { limit: MAX_LIMIT, ...f });
    if (!first || (first.info.totalCount ?? Infinity) > 300) continue;
    const walk = await ctx.walk(f, MAX_LIMIT, 300);
    const tc = walk.pages[0]?.info.totalCount;
    if (
      walk.complete &&
      walk.excusedRepeats === 0 &&
      walk.items.length === tc &&
      walk.pages.every((p) => p.info.totalCount === tc)
    )
      out.add(key);
  }
  return out;
}

/** The filters a page was read with. */
function pageFilters(page: Page): Filters {
  const { search, model, flowId } = page.query as Record<string, string | undefined>;
  return { search, model, flowId };
}

/** The page size a page was read at: its own pagination.limit, else what was asked, else the default. */
function pageLimit(page: Page): number {
  const asked = Number(page.query.limit);
  return page.info.limit !== undefined && page.info.limit >= 1
    ? page.info.limit
    : Number.isInteger(asked) && asked >= 1
      ? asked
      : DEFAULT_LIMIT;
}

/** A filtered walk, or undefined as in {@link filteredPage}. */
async function filteredWalk(ctx: RtContext, f: Filters, limit: number, maxRows: number): Promise<Walk | undefined> {
  if (!(await filteredPage(ctx, { limit, ...f }))) return undefined;
  return ctx.walk(f, limit, maxRows);
}

/**
 * A self-evident invariant of one answer (every prompt on a page matches its filter): drift never explains a breach,
 * so it is reported without re-reading ({@link SteadyViolation}).
 */
function expectSteady(cond: boolean, detail: () => ViolationDetail): asserts cond {
  if (!cond) throw new SteadyViolation(detail());
}

function expectNoDuplicate(walk: Walk): void {
  expectThat(walk.duplicate === undefined, () => ({
    expected: 'each prompt once in a walk',
    actual: `prompt ${idAt(walk, walk.duplicate)} seen twice (${walk.pages.length} pages at limit ${walk.limit ?? 'default'}, ${describeFilters(walk.filters)})`,
    exchange: walk.pages.at(-1)?.ex,
  }));
}

/**
 * The walk lists the reference's prompts in the reference's order from its start, and all of them when both ended.
 * Prompts the reference lacks are allowed as far as totalCount grew (created during the run, wherever the order puts
 * them). A gap or disorder is reported at once ({@link SteadyViolation}) when drift cannot explain it: the count never
 * fell, no more prompts appeared than it grew, and a fresh reading still lists the prompt the walk skipped. Otherwise
 * it is a plain violation, which {@link RtContext.settled} re-reads before it reports.
 */
async function expectSameListing(ctx: RtContext, walk: Walk, ref: Walk, what: string): Promise<void> {
  const last = walk.pages.at(-1) as Page;
  const refTotal = ref.pages[0]?.info.totalCount ?? ref.items.length;
  const counts = walk.pages.map((p) => p.info.totalCount ?? refTotal);
  const grew = Math.max(0, ...counts.map((c) => c - refTotal));
  const known = new Set(ids(ref.items));
  const fresh = walk.items.filter((it) => !known.has(it.id));
  const old = walk.items.filter((it) => known.has(it.id));
  const report = async (detail: ViolationDetail, skipped: string | undefined): Promise<never> => {
    const steady =
      !counts.some((c) => c < refTotal) && (skipped === undefined || (await ctx.stillListed(skipped, walk.filters)));
    throw steady ? new SteadyViolation(detail) : new Violation(detail);
  };
  // more new prompts than the count grew: prompts moved in and out (edits, deletions); re-read before judging
  if (fresh.length > grew)
    throw new Violation({
      expected: `${what}: only prompts of the walk at limit 100, or as many new ones as totalCount grew (${grew})`,
      actual: `prompt ${idAt(walk, fresh[0]?.id)} is not in the walk at limit 100`,
      exchange: last.ex,
    });
  const span = Math.min(old.length, ref.items.length);
  const listed = new Set(ids(old));
  const diff = sequenceDiff(ids(ref.items.slice(0, span)), ids(old.slice(0, span)));
  if (diff !== undefined)
    await report(
      {
        expected: `${what}: the first ${span} prompts in the order the walk at limit 100 lists them`,
        actual: diff,
        exchange: last.ex,
      },
      ref.items.slice(0, span).find((it) => !listed.has(it.id))?.id,
    );
  const missing = ref.complete && walk.complete ? ref.items.find((it) => !listed.has(it.id)) : undefined;
  if (missing)
    await report(
      {
        expected: `${what}: every prompt the walk at limit 100 lists`,
        actual: `${old.length} of ${ref.items.length}; missing ${missing.id} (createdAt ${json(missing.raw.createdAt)})`,
        exchange: last.ex,
      },
      missing.id,
    );
}

/** Same set of prompts: reports the first one missing, then the first one extra. */
function expectSameSet(
  ex: Exchange | undefined,
  want: readonly PromptView[],
  got: readonly PromptView[],
  what: string,
): void {
  const gotIds = new Set(ids(got));
  const wantIds = new Set(ids(want));
  const missing = want.find((it) => !gotIds.has(it.id));
  const extra = got.find((it) => !wantIds.has(it.id));
  expectThat(!missing && !extra, () => ({
    expected: `${what}: ${want.length} prompts`,
    actual: `${got.length} prompts; ${missing ? `missing ${missing.id} (${brief(missing.name, 40)})` : `extra ${extra?.id} (${brief(extra?.name, 40)})`}`,
    exchange: ex,
  }));
}

/**
 * Filtered prompts must be in the unfiltered listing: checked by id when the reference is complete, and
 * by owner always (where prompts carry a userId, a filter must not reach another user's prompts).
 */
function expectSubset(ex: Exchange | undefined, ref: Walk, got: readonly PromptView[], f: Filters): void {
  const owner = ref.items.find((it) => it.userId !== undefined)?.userId;
  if (ref.items.some((it) => it.userId !== undefined && it.userId !== owner))
    throw new Blocked(['RT-OWNER'], 'the unfiltered listing already holds prompts of several users');
  const stranger = owner === undefined ? undefined : got.find((it) => it.userId !== undefined && it.userId !== owner);
  expectThat(!stranger, () => ({
    expected: `with ${describeFilters(f)}, only prompts of the listing's user ${owner}`,
    actual: `prompt ${stranger?.id} has userId ${stranger?.userId}`,
    exchange: ex,
  }));
  if (!ref.complete) return;
  const all = new Set(ids(ref.items));
  const extra = got.find((it) => !all.has(it.id));
  expectThat(!extra, () => ({
    expected: `with ${describeFilters(f)}, only prompts of the unfiltered listing`,
    actual: `prompt ${extra?.id} (userId ${brief(extra?.raw.userId)}) is not in the unfiltered listing`,
    exchange: ex,
  }));
}

/** Adding a filter never widens a result: totalCount no larger, and when the wider result fits one page, a subset of it. */
async function expectNarrower(ctx: RtContext, wide: Filters, narrow: Filters): Promise<void> {
  const a = await filteredPage(ctx, { limit: MAX_LIMIT, ...wide });
  const b = await filteredPage(ctx, { limit: MAX_LIMIT, ...narrow });
  if (!a || !b) return;
  const ta = a.info.totalCount;
  const tb = b.info.totalCount;
  expectThat(ta === undefined || tb === undefined || tb <= ta, () => ({
    expected: `totalCount with ${describeFilters(narrow)} ≤ ${ta} (with ${describeFilters(wide)} alone)`,
    actual: `totalCount ${json(tb)}`,
    exchange: b.ex,
  }));
  if (a.info.hasMore !== false) return;
  const inWide = new Set(ids(a.items));
  const extra = b.items.find((it) => !inWide.has(it.id));
  expectThat(!extra, () => ({
    expected: `adding a filter never widens: with ${describeFilters(narrow)} only prompts listed with ${describeFilters(wide)}`,
    actual: `prompt ${extra?.id} (model ${json(extra?.raw.model)}, name ${json(extra?.name)}) is not listed with ${describeFilters(wide)}`,
    exchange: b.ex,
  }));
}

function expectFilterTotal(page: Page, ref: Walk, f: Filters): void {
  const all = (ref.pages[0] as Page).info.totalCount;
  const tc = page.info.totalCount;
  expectThat(tc !== undefined && all !== undefined && tc <= all, () => ({
    expected: `totalCount with ${describeFilters(f)} ≤ the unfiltered ${all}`,
    actual: `totalCount ${brief(tc)}`,
    exchange: page.ex,
  }));
}

function pick(o: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
}

/** A field of the doc's example prompt replaced by `raw`'s, so a field rule reuses the schema's own check. */
function fieldValid(field: (typeof examplePromptFields)[number], raw: Record<string, unknown>): boolean {
  const stub: Record<string, unknown> = { ...docExample.data[0] };
  if (field in raw) stub[field] = raw[field];
  else delete stub[field];
  return isPrompt(stub);
}

/**
 * The pages whose every prompt the item rules judge: the reference walk's, and beyond it the old-data sample;
 * the rule's verdict says how much of the listing that covered.
 */
async function itemPages(ctx: RtContext): Promise<Page[]> {
  const ref = await ctx.reference();
  const sample = await oldDataSample(ctx, ref);
  coverWhole(ctx, ref, sample);
  return [...ref.pages, ...sample.pages];
}

/** Notes, for a rule whose statement covers the whole listing, how much of it this run read. */
function coverWhole(ctx: RtContext, ref: Walk, sample?: OldSample): void {
  const note = listingCoverage(ctx, ref, sample);
  if (note !== undefined) ctx.noteCoverage(note);
}

async function everyItem(
  ctx: RtContext,
  ok: (it: PromptView) => boolean,
  expected: string,
  show: (it: PromptView) => string,
): Promise<void> {
  for (const page of await itemPages(ctx)) {
    const bad = page.items.find((it) => !ok(it));
    expectThat(!bad, () => ({ expected, actual: bad ? `${show(bad)} on prompt ${bad.id}` : '', exchange: page.ex }));
  }
}

/** 4xx with a JSON body, or a 200 page that honours the 100-item maximum; never a 5xx (RT-GAP-LIMIT). */
function judgeLimit(ctx: RtContext, ex: Exchange, value: string): void {
  expectThat(ex.status < 500, () => ({
    expected: `a 400 (or another 4xx) or a clamped page for limit=${value}, never a 5xx`,
    actual: `${ex.status} ${brief(ex.text)}`,
    exchange: ex,
  }));
  if (isClientError(ex)) {
    ctx.observe('RT-GAP-LIMIT', `limit=${brief(value, 24)} → ${ex.status}`);
    return;
  }
  const page = readPage(ex, {});
  const lim = page.info.limit;
  ctx.observe('RT-GAP-LIMIT', `limit=${brief(value, 24)} → 200 with pagination.limit ${lim}`);
  expectThat(lim !== undefined && Number.isInteger(lim) && lim >= 1 && lim <= MAX_LIMIT, () => ({
    expected: `pagination.limit clamped into 1..100 for limit=${value}`,
    actual: `pagination.limit ${brief((ex.body as { pagination?: { limit?: unknown } }).pagination?.limit)}`,
    exchange: ex,
  }));
  if (page.items.length > lim)
    throw new Blocked(['RT-LIMIT-BOUND'], `a page holds ${page.items.length} prompts at pagination.limit ${lim}`);
}

/** A cursor the target issued (from the reference, else from a limit-1 first page): limits are judged on cursor pages too. */
async function someCursor(ctx: RtContext, ref: Walk): Promise<string | undefined> {
  const issued = ref.pages.map((p) => p.info.nextCursor).find((c): c is string => typeof c === 'string');
  if (issued !== undefined || ref.items.length < 2) return issued;
  const next = (await ctx.page({ limit: 1 })).info.nextCursor;
  return typeof next === 'string' ? next : undefined;
}

/** Half the time the cursor, else none. */
function withCursor(cursor: string | undefined): fc.Arbitrary<string | undefined> {
  return cursor === undefined ? fc.constant(undefined) : fc.option(fc.constant(cursor), { nil: undefined });
}

/** totalPages = ceil(totalCount / limit); for an empty result 0 or 1 (RT-GAP-EMPTY-RESULT). */
function expectTotalPages(page: Page, asked: number): void {
  // the page's own limit: a wrong default is RT-LIMIT-DEFAULT's business
  const limit = page.info.limit !== undefined && page.info.limit >= 1 ? page.info.limit : asked;
  const { totalCount: tc, totalPages: tp } = page.info;
  const want = tc === undefined ? undefined : Math.ceil(tc / limit);
  expectThat(tc !== undefined && (tp === want || (tc === 0 && tp === 1)), () => ({
    expected: `totalPages ceil(${tc ?? '?'} / ${limit}) = ${want ?? '?'}`,
    actual: `totalPages ${brief(tp)} with totalCount ${brief(tc)}`,
    exchange: page.ex,
  }));
}

/** Walks forward, then back by prevCursor alone or with each configured direction value; fails when no way walks back. */
async function walkBackAnyMode(ctx: RtContext, filters: Filters, limit: number): Promise<void> {
  const walk = await ctx.walk(filters, limit, rowsFor(ctx, limit));
  if (walk.pages.length < 2) return;
  const tried: string[] = [];
  let firstFailure: { why: string; ex: Exchange | undefined; steady?: boolean } | undefined;
  for (const mode of ctx.cursorModes()) {
    const { failure } = await ctx.walkBack(walk, mode);
    if (!failure) {
      ctx.observe('RT-GAP-CURSOR', `prevCursor followed ${modeLabel(mode)} walks back page by page`);
      if (mode.direction !== undefined)
        ctx.observe('RT-GAP-DIRECTION', `prevCursor needed direction=${mode.direction}`);
      return;
    }
    tried.push(`${modeLabel(mode)}: ${failure.why}`);
    firstFailure ??= failure;
  }
  const V = firstFailure?.steady ? SteadyViolation : Violation;
  throw new V({
    expected: `prevCursor to give back the ${walk.pages.length} pages of the walk at limit ${limit} (${describeFilters(filters)}) in reverse (alone or with direction ${ctx.rt.directionValues.join('|')})`,
    actual: brief(tried.join(' · '), 600),
    exchange: firstFailure?.ex,
  });
}

/** hasMore ⇔ nextCursor non-null; hasPrev ⇔ prevCursor non-null. */
function expectLinks(page: Page): void {
  const { hasMore, nextCursor, hasPrev, prevCursor } = page.info;
  expectThat(hasMore === (typeof nextCursor === 'string'), () => ({
    expected: 'nextCursor non-null exactly when hasMore is true',
    actual: `hasMore ${brief(hasMore)}, nextCursor ${brief(nextCursor ?? 'absent')}`,
    exchange: page.ex,
  }));
  expectThat(hasPrev === (typeof prevCursor === 'string'), () => ({
    expected: 'prevCursor non-null exactly when hasPrev is true',
    actual: `hasPrev ${brief(hasPrev)}, prevCursor ${brief(prevCursor ?? 'absent')}`,
    exchange: page.ex,
  }));
}

/**
 * hasMore ⇔ prompts follow the page (currentOffset + items < totalCount), hasPrev ⇔ currentOffset > 0.
 * Judged on each page's own figures; whether currentOffset is the true position is RT-PAGE-POSITION's business.
 */
function expectHasMore(walk: Walk): void {
  const offsets = pageOffsets(walk);
  const tc = walk.pages[0]?.info.totalCount;
  const filtered = Object.values(walk.filters).some((v) => v !== undefined);
  // a walk that ended and disagrees with totalCount: the count is the culprit, owned by the totalCount rules
  if (
    walk.complete &&
    walk.excusedRepeats === 0 &&
    tc !== walk.items.length &&
    walk.pages.every((p) => p.info.totalCount === tc)
  )
    throw new Blocked(
      [filtered ? 'RT-FILTER-TOTAL' : 'RT-TOTAL-COUNT'],
      `totalCount ${tc} but the walk (${describeFilters(walk.filters)}) lists ${walk.items.length} prompts`,
    );
  walk.pages.forEach((page, k) => {
    const at = page.info.currentOffset ?? offsets[k] ?? 0;
    const total = page.info.totalCount ?? (walk.complete ? walk.items.length : undefined);
    if (total === undefined) return;
    const more = at + page.items.length < total;
    expectThat(page.info.hasMore === more, () => ({
      expected: `hasMore ${more} (${at} + ${page.items.length} of ${total} prompts, ${describeFilters(walk.filters)}, limit ${walk.limit})`,
      actual: `hasMore ${brief(page.info.hasMore)}`,
      exchange: page.ex,
    }));
    if (k > 0)
      expectThat(page.info.hasPrev === at > 0, () => ({
        expected: `hasPrev ${at > 0} (page starts at ${at})`,
        actual: `hasPrev ${brief(page.info.hasPrev)}`,
        exchange: page.ex,
      }));
  });
}

/**
 * (filters, limit) pairs whose last page is exactly full, in at most 4 pages: where "hasMore = page is full" shows.
 * Counts come from the complete reference, or else from the first filtered pages' totalCount (a live target).
 */
async function exactlyFullWalks(
  ctx: RtContext,
  ref: Walk,
): Promise<{ filters: Filters; limit: number; count: number }[]> {
  const models = [...new Set(ref.items.map((it) => it.model).filter((m): m is string => !!m))];
  const candidates: Filters[] = [
    {},
    ...models.slice(0, 4).map((model) => ({ model })),
    ...ctx
      .knownFlowIds(ref.items)
      .slice(0, 4)
      .map((flowId) => ({ flowId })),
  ];
  const out: { filters: Filters; limit: number; count: number }[] = [];
  for (const filters of candidates) {
    const c = ref.complete
      ? ref.items.filter(
          (it) => !matchesFilters(it, filters) && (filters.flowId === undefined || it.flowId === filters.flowId),
        ).length
      : (await filteredPage(ctx, { limit: MAX_LIMIT, ...filters }))?.info.totalCount;
    if (c === undefined || c < 1 || c > ctx.settings.walkMaxRows) continue;
    for (let limit = Math.ceil(c / 4); limit <= Math.min(MAX_LIMIT, c); limit++)
      if (c % limit === 0) out.push({ filters, limit, count: c });
  }
  return out;
}

/** A page size dividing `count` (so the last page is exactly full), as near `limit` as there is one from count/4 up. */
function divisorNear(count: number, limit: number): number {
  const ds = Array.from(
    { length: Math.max(0, Math.min(MAX_LIMIT, count) - Math.ceil(count / 4) + 1) },
    (_, k) => Math.ceil(count / 4) + k,
  ).filter((l) => l >= 1 && count % l === 0);
  return ds.sort((a, b) => Math.abs(a - limit) - Math.abs(b - limit))[0] ?? limit;
}

function observeOrder(ctx: RtContext, ref: Walk): void {
  const ms = ref.items.map((it) => it.ms);
  if (ms.some((t) => Number.isNaN(t))) {
    ctx.observe('RT-GAP-ORDER', 'some prompts have no readable createdAt; order not judged');
    return;
  }
  const desc = ms.every((t, i) => i === 0 || t <= (ms[i - 1] as number));
  const asc = ms.every((t, i) => i === 0 || t >= (ms[i - 1] as number));
  ctx.observe(
    'RT-GAP-ORDER',
    desc ? 'listed newest first by createdAt' : asc ? 'listed oldest first by createdAt' : 'not ordered by createdAt',
  );
  const ties = tieBoundaries(ref.items).length;
  ctx.observe(
    'RT-GAP-ORDER',
    ties ? 'prompts sharing a createdAt were seen (walks cut through them)' : 'no two prompts seen share a createdAt',
  );
}

function observeFields(ctx: RtContext, items: readonly PromptView[]): void {
  for (const field of examplePromptFields) {
    const absent = items.filter((it) => !(field in it.raw)).length;
    const nulls = items.filter((it) => it.raw[field] === null).length;
    if (absent) ctx.observe('RT-GAP-PROMPT-FIELDS', `${field} absent on ${absent} of ${items.length} prompts`);
    if (nulls) ctx.observe('RT-GAP-PROMPT-FIELDS', `${field} null on ${nulls} of ${items.length} prompts`);
  }
}

function observeErrorBody(ctx: RtContext, ex: Exchange): void {
  if (ex.status < 400) return;
  const body = ex.body;
  const shape =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? `{${Object.keys(body).sort().join(', ')}}`
      : ex.isJson
        ? typeof body
        : 'not JSON';
  ctx.observe('RT-GAP-ERROR-BODY', `${ex.status} body ${shape}`);
}

/** Opaque to the rules; recorded only to compare with the sibling endpoints' base64 JSON {id, offset}. */
function observeCursorFormat(ctx: RtContext, cursor: string): void {
  let shape = 'opaque (not base64 JSON)';
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof v === 'object' && v !== null) shape = `base64 JSON with keys ${Object.keys(v).sort().join(', ')}`;
  } catch {
    // not JSON: opaque
  }
  ctx.observe('RT-GAP-CURSOR-FORMAT', `nextCursor is ${shape}`);
}

/** filtersApplied's values (one level into objects and arrays), trimmed and case-folded. */
function appliedValues(fa: Record<string, unknown>): string[] {
  return Object.values(fa)
    .flatMap((v) => (Array.isArray(v) ? v : typeof v === 'object' && v !== null ? Object.values(v) : [v]))
    .filter((v): v is string => typeof v === 'string')
    .map((v) => fold(v.trim()));
}

// ---------------------------------------------------------------- the catalogue

export const rules = [
  // ---------------------------------------------------------------- response shape
  defineRule({
    id: 'RT-RESP-SHAPE',
    doc: 'GET /v1/prompts › Response (data, filtersApplied, pagination) and the example',
    basis: 'documented',
    summary: 'a 200 body is {data: [], filtersApplied: {}, pagination: {the nine example fields, typed}}',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      const empty = await ctx.get(listQuery({ search: NO_MATCH }));
      for (const ex of [...ref.pages.map((p) => p.ex), empty]) {
        if (ex.status !== 200) continue; // other rules own "should have been 200"
        const body = ex.body as Record<string, unknown> | undefined;
        // items are RT-PROMPT-SCHEMA's business: judge the envelope alone
        const envelope =
          typeof body === 'object' && body !== null && Array.isArray(body.data) ? { ...body, data: [] } : body;
        expectThat(isListPrompts(envelope), () => ({
          expected: 'a body valid against schemas/runtype list-prompts',
          actual: schemaErrors(isListPrompts.errors),
          exchange: ex,
        }));
      }
    },
  }),
  defineRule({
    id: 'RT-PROMPT-SCHEMA',
    doc: 'GET /v1/prompts › Response (data: list of prompts; field types as in the example)',
    basis: 'documented',
    summary: 'every prompt validates against the prompt schema (id, name, text, timestamps; example field types)',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      observeFields(ctx, ref.items);
      for (const page of await itemPages(ctx)) {
        // id, estimatedCost and the dates have rules of their own: judge the rest
        const rest = (it: PromptView) => ({
          ...it.raw,
          ...pick(docExample.data[0] as Record<string, unknown>, ['id', 'estimatedCost', 'createdAt', 'updatedAt']),
        });
        for (const it of page.items)
          expectThat(isPrompt(rest(it)), () => ({
            expected: 'every prompt valid against schemas/runtype prompt',
            actual: `prompt ${it.id}: ${schemaErrors(isPrompt.errors)}`,
            exchange: page.ex,
          }));
      }
    },
  }),
  defineRule({
    id: 'RT-PROMPT-COST',
    doc: 'GET /v1/prompts › Response example (estimatedCost: "0.0025")',
    basis: 'documented',
    summary: 'estimatedCost, when set, is a decimal string, not a JSON number',
    check: (ctx: RtContext) =>
      everyItem(
        ctx,
        (it) => fieldValid('estimatedCost', it.raw),
        'estimatedCost as a decimal string such as "0.0025"',
        (it) => `estimatedCost ${brief(it.raw.estimatedCost)} (${typeof it.raw.estimatedCost})`,
      ),
  }),
  defineRule({
    id: 'RT-PROMPT-DATES',
    doc: 'GET /v1/prompts › Response example (createdAt, updatedAt: "2024-06-10T09:15:00Z")',
    basis: 'documented',
    summary: 'createdAt and updatedAt are ISO 8601 date-times',
    check: (ctx: RtContext) =>
      everyItem(
        ctx,
        (it) => fieldValid('createdAt', it.raw) && fieldValid('updatedAt', it.raw),
        'createdAt and updatedAt as ISO 8601 (e.g. 2024-06-10T09:15:00Z)',
        (it) => `createdAt ${brief(it.raw.createdAt)}, updatedAt ${brief(it.raw.updatedAt)}`,
      ),
  }),
  defineRule({
    id: 'RT-PROMPT-UPDATED',
    doc: 'GET /v1/prompts › Response example (createdAt 2024-06-10, updatedAt 2024-06-12)',
    basis: 'inferred',
    summary: 'a prompt is not updated before it was created: updatedAt ≥ createdAt',
    check: (ctx: RtContext) =>
      everyItem(
        ctx,
        (it) => {
          const u = typeof it.raw.updatedAt === 'string' ? Date.parse(it.raw.updatedAt) : Number.NaN;
          // unreadable dates are RT-PROMPT-DATES' business
          return Number.isNaN(u) || Number.isNaN(it.ms) || u >= it.ms;
        },
        'updatedAt not before createdAt',
        (it) => `createdAt ${json(it.raw.createdAt)}, updatedAt ${json(it.raw.updatedAt)}`,
      ),
  }),
  defineRule({
    id: 'RT-PROMPT-ID',
    doc: 'GET /v1/prompts › Response example (id: "a1b2c3d4-e5f6-7890-abcd-1234567890ef")',
    basis: 'documented',
    summary: 'every prompt id is a UUID',
    check: (ctx: RtContext) =>
      everyItem(
        ctx,
        (it) => fieldValid('id', it.raw),
        'id as a UUID',
        (it) => `id ${brief(it.raw.id)}`,
      ),
  }),
  defineRule({
    id: 'RT-OWNER',
    doc: 'GET /v1/prompts › Summary (returns prompts for the authenticated user)',
    basis: 'documented',
    summary: 'every prompt listed belongs to one user: all userIds that are set are equal',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      const first = ref.items.find((it) => it.userId !== undefined);
      for (const page of ref.pages) {
        const other = page.items.find((it) => it.userId !== undefined && it.userId !== first?.userId);
        expectThat(!other, () => ({
          expected: `only prompts of the key's user (userId ${first?.userId})`,
          actual: `prompt ${other?.id} has userId ${other?.userId}`,
          exchange: page.ex,
        }));
      }
    },
  }),

  // ---------------------------------------------------------------- limit
  defineRule({
    id: 'RT-LIMIT-DEFAULT',
    doc: 'GET /v1/prompts › Params (limit: default 50); Response example (pagination.limit 50 for a request without limit)',
    basis: 'documented',
    summary:
      'without limit a page holds 50 prompts (fewer only if fewer exist) and pagination.limit is 50, on the first page and the next',
    check: (ctx: RtContext) =>
      // sizes expected from the reference: a listing that grew meanwhile is re-read, not blamed
      ctx.settled(async () => {
        const ref = await ctx.reference();
        const page = await ctx.page({});
        const want = firstPageSize(ref, DEFAULT_LIMIT);
        if (page.items.length > (page.info.limit ?? DEFAULT_LIMIT))
          throw new Blocked(
            ['RT-LIMIT-BOUND'],
            `a page holds ${page.items.length} prompts at pagination.limit ${page.info.limit}`,
          );
        expectThat(page.info.limit === DEFAULT_LIMIT, () => ({
          expected: 'pagination.limit 50 (the default)',
          actual: `pagination.limit ${brief(page.info.limit)}`,
          exchange: page.ex,
        }));
        expectThat(want === undefined ? page.items.length <= DEFAULT_LIMIT : page.items.length === want, () => ({
          expected: `${want ?? '≤ 50'} prompts (default limit 50)`,
          actual: `${page.items.length} prompts`,
          exchange: page.ex,
        }));
        // the default holds on the pages nextCursor leads to as well, not only on the first one
        const walk = await ctx.walk({}, undefined, 2 * DEFAULT_LIMIT);
        const second = walk.pages[1];
        if (!second) return;
        const rest = ref.items.length - DEFAULT_LIMIT;
        const want2 = ref.complete ? Math.min(DEFAULT_LIMIT, rest) : rest >= DEFAULT_LIMIT ? DEFAULT_LIMIT : undefined;
        expectThat(second.info.limit === DEFAULT_LIMIT, () => ({
          expected: 'pagination.limit 50 (the default) on the second page',
          actual: `pagination.limit ${brief(second.info.limit)}`,
          exchange: second.ex,
        }));
        expectThat(want2 === undefined ? second.items.length <= DEFAULT_LIMIT : second.items.length === want2, () => ({
          expected: `${want2 ?? '≤ 50'} prompts on the second page (default limit 50)`,
          actual: `${second.items.length} prompts`,
          exchange: second.ex,
        }));
      }),
  }),
  defineRule({
    id: 'RT-LIMIT-BOUND',
    doc: 'GET /v1/prompts › Params (limit: max results per page); Response (pagination.limit)',
    basis: 'documented',
    summary:
      'with limit 1..100 a page holds at most limit prompts (exactly that many while more exist) and pagination.limit echoes it',
    check: async (ctx: RtContext) => {
      await ctx.reportFinding('RT-LIMIT-BOUND');
      const ref = await ctx.reference();
      const cursors = ref.pages
        .flatMap((p) => [p.info.nextCursor, p.info.prevCursor])
        .filter((c): c is string => typeof c === 'string');
      const cursor = cursors.length
        ? fc.option(fc.constantFrom(...cursors), { nil: undefined, freq: 2 })
        : fc.constant(undefined);
      const judge = ({ limit, cursor: c }: { limit: number; cursor: string | undefined }) =>
        ctx.settled(async () => {
          const ref = await ctx.reference();
          const query = listQuery({ limit, cursor: c });
          const ex = await ctx.get(query);
          if (c !== undefined && isClientError(ex)) {
            // a cursor from a limit-100 page sent with another limit: the docs do not say it must work
            ctx.observe('RT-GAP-CURSOR', `a cursor reused with another limit → ${ex.status}`);
            return;
          }
          if (c !== undefined) ctx.observe('RT-GAP-CURSOR', `a cursor reused with another limit → ${ex.status}`);
          const page = readPage(ex, query);
          const want = c === undefined ? firstPageSize(ref, limit) : undefined;
          expectThat(page.items.length <= limit, () => ({
            expected: `≤ ${limit} prompts`,
            actual: `${page.items.length} prompts`,
            exchange: ex,
          }));
          expectThat(want === undefined || page.items.length === want, () => ({
            expected: `${want} prompts on the first page at limit ${limit}`,
            actual: `${page.items.length} prompts`,
            exchange: ex,
          }));
          expectThat(page.info.limit === limit, () => ({
            expected: `pagination.limit ${limit}`,
            actual: `pagination.limit ${brief(page.info.limit)}`,
            exchange: ex,
          }));
        });
      // every run: the bounds 1 and 100, without and with a cursor; then drawn sizes and cursors
      const issued = cursors[0];
      for (const limit of [1, MAX_LIMIT]) for (const c of [undefined, issued]) await judge({ limit, cursor: c });
      await checkProperty(ctx, fc.record({ limit: validLimit(), cursor }), judge, { maxRuns: 6 });
    },
  }),
  defineRule({
    id: 'RT-LIMIT-MAX',
    doc: 'GET /v1/prompts › Params (limit: max 100); Errors (400)',
    basis: 'documented',
    summary:
      'limit=100 gives up to 100 prompts; above 100 (with or without a cursor) the answer is a 4xx or a page of at most 100, never more, never a 5xx',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      await ctx.settled(async () => {
        const ref = await ctx.reference();
        const page = await ctx.page({ limit: MAX_LIMIT });
        const want = firstPageSize(ref, MAX_LIMIT);
        if (page.items.length > MAX_LIMIT && page.info.limit === MAX_LIMIT)
          throw new Blocked(['RT-LIMIT-BOUND'], `a page holds ${page.items.length} prompts at pagination.limit 100`);
        expectThat(want === undefined || page.items.length === want, () => ({
          expected: `${want} prompts at limit=100`,
          actual: `${page.items.length} prompts`,
          exchange: page.ex,
        }));
      });
      const cursor = await someCursor(ctx, ref);
      // every run: one beyond, past 2^31 and 2^53, each without and with a cursor
      for (const limit of TOO_LARGE_LIMITS)
        for (const c of [undefined, cursor]) judgeLimit(ctx, await ctx.get(listQuery({ limit, cursor: c })), limit);
      await checkProperty(
        ctx,
        fc.tuple(tooLargeLimit(), withCursor(cursor)),
        async ([limit, c]) => judgeLimit(ctx, await ctx.get(listQuery({ limit, cursor: c })), String(limit)),
        { maxRuns: 4 },
      );
    },
  }),
  defineRule({
    id: 'RT-LIMIT-INVALID',
    doc: 'GET /v1/prompts › Params (limit: string, max results per page); Errors (400 Bad Request)',
    basis: 'documented',
    summary:
      'a limit that is not a positive integer ("0", "-1", "abc", "2.5"), with or without a cursor, gets a 4xx with a JSON body, or a page within 1..100; never a 5xx',
    check: async (ctx: RtContext) => {
      const cursor = await someCursor(ctx, await ctx.reference());
      // every run: limit=0 without and with a cursor, the other boundaries alternately alone and beside one (a table
      // row each, not the product: the properties below draw the other pairs)
      for (const [i, limit] of INVALID_LIMITS.entries())
        for (const c of i === 0 ? [undefined, cursor] : [i % 2 ? cursor : undefined])
          judgeLimit(ctx, await ctx.get(listQuery({ limit, cursor: c })), limit);
      await checkProperty(
        ctx,
        fc.tuple(invalidLimit(), withCursor(cursor)),
        async ([limit, c]) => judgeLimit(ctx, await ctx.get(listQuery({ limit, cursor: c })), limit),
        { maxRuns: 4 },
      );
    },
  }),

  defineRule({
    id: 'RT-ERROR-CONTEXT',
    doc: 'GET /v1/prompts › Params; Errors (400 Bad Request)',
    basis: 'inferred',
    summary:
      'a bad limit, cursor or direction gets the same kind of answer (4xx or page) alone and beside valid filters or a cursor',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      const cursor = await someCursor(ctx, ref);
      const c = commonFilters(ref.items, ctx.knownFlowIds(ref.items));
      const bad: ListParams[] = [
        ...['0', '-1', 'abc', '2.5'].map((limit) => ({ limit })),
        { cursor: 'not a cursor!' },
        { direction: 'sideways' },
      ];
      const company = (name: string): ListParams =>
        name === 'search'
          ? { search: c.search }
          : name === 'model'
            ? { model: c.model }
            : name === 'flowId'
              ? { flowId: c.flowId }
              : { cursor };
      // parameter × bad value × accompanying parameters, pairwise: each bad value beside each filter and the cursor
      const rows = pairwise(
        { bad, a: ['search', 'model'], b: ['flowId', 'cursor'] },
        {
          seed: ctx.settings.seed,
          allowed: (r) => !(r.b === 'cursor' && (r.bad.cursor !== undefined || cursor === undefined)),
        },
      );
      for (const { bad: b, a, b: other } of rows) {
        const beside = { ...company(a), ...company(other) };
        // the company alone must be a page, or a refusal says nothing about the bad value
        if ((await ctx.get(listQuery(beside))).status !== 200) continue;
        const alone = await ctx.get(listQuery(b));
        const together = await ctx.get(listQuery({ ...beside, ...b }));
        if (alone.status >= 500 || together.status >= 500) continue; // RT-NO-5XX's
        expectThat(isClientError(alone) === isClientError(together), () => ({
          expected: `the same kind of answer for ${json(b)} alone (${alone.status}) and beside ${describeFilters(beside)}${beside.cursor ? ' and a cursor' : ''}`,
          actual: `${together.status} ${brief(together.text, 120)}`,
          exchange: together,
        }));
      }
    },
  }),

  // ---------------------------------------------------------------- pagination arithmetic
  defineRule({
    id: 'RT-PAGE-FIRST',
    doc: 'GET /v1/prompts › Response example (first page: currentOffset 0, currentPage 1, hasPrev false, prevCursor null)',
    basis: 'documented',
    summary:
      'a first page (no cursor), filtered or not, has currentOffset 0, currentPage 1, hasPrev false and prevCursor null',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      const arb = fc.record({
        filters: filterCombo(ref.items, ctx.knownFlowIds(ref.items)),
        limit: fc.option(validLimit(), { nil: undefined }),
      });
      const judge = (page: Page) => {
        const i = page.info;
        if (i.totalCount === 0)
          ctx.observe('RT-GAP-EMPTY-RESULT', `empty result → currentPage ${i.currentPage}, totalPages ${i.totalPages}`);
        const pageOk = i.currentPage === 1 || (i.totalCount === 0 && i.currentPage === 0);
        expectThat(i.currentOffset === 0 && pageOk && i.hasPrev === false && i.prevCursor === null, () => ({
          expected: 'currentOffset 0, currentPage 1, hasPrev false, prevCursor null',
          actual: `currentOffset ${brief(i.currentOffset)}, currentPage ${brief(i.currentPage)}, hasPrev ${brief(i.hasPrev)}, prevCursor ${brief(i.prevCursor ?? 'absent')}`,
          exchange: page.ex,
        }));
      };
      judge(ref.pages[0] as Page);
      await checkProperty(
        ctx,
        arb,
        async ({ filters, limit }) => {
          const page = await filteredPage(ctx, { limit, ...filters });
          if (page) judge(page);
        },
        { maxRuns: 4 },
      );
      await ctx.forEveryPage((page) => {
        if (page.query.cursor === undefined) judge(page);
      });
    },
  }),
  defineRule({
    id: 'RT-PAGE-POSITION',
    doc: 'GET /v1/prompts › Response (pagination.currentOffset, currentPage)',
    basis: 'inferred',
    summary:
      'the k-th page of a walk at limit l reports currentOffset (k-1)·l and currentPage k; every page, however reached (prevCursor too), has currentPage floor(currentOffset / limit) + 1',
    check: async (ctx: RtContext) => {
      const ref = await ctx.listing(2, 'page positions');
      await sharedWalks(ctx, ref, (walk, limit) =>
        walk.pages.forEach((page, k) => {
          if (k === 0) return; // the first page is RT-PAGE-FIRST's
          const { currentOffset: o, currentPage: p } = page.info;
          expectThat(o === k * limit && p === k + 1, () => ({
            expected: `page ${k + 1} at limit ${limit}: currentOffset ${k * limit}, currentPage ${k + 1}`,
            actual: `currentOffset ${brief(o)}, currentPage ${brief(p)}`,
            exchange: page.ex,
          }));
        }),
      );
      await ctx.forEveryPage((page) => {
        const { currentOffset: o, currentPage: p } = page.info;
        if (o === undefined || o === 0) return; // first pages: RT-PAGE-FIRST
        const l = pageLimit(page);
        const want = Math.floor(o / l) + 1;
        expectThat(p === want, () => ({
          expected: `currentPage ${want} (floor(currentOffset ${o} / limit ${l}) + 1)${page.query.cursor ? ' on a page reached by a cursor' : ''}`,
          actual: `currentPage ${json(p)}`,
          exchange: page.ex,
        }));
      });
    },
  }),
  defineRule({
    id: 'RT-PAGE-TOTALPAGES',
    doc: 'GET /v1/prompts › Response (pagination.totalPages, totalCount, limit; example 120 at 50 → 3)',
    basis: 'inferred',
    summary: 'totalPages = ceil(totalCount / limit) on every page, filtered or not',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      for (const page of ref.pages) expectTotalPages(page, MAX_LIMIT);
      // page sizes dividing totalCount exactly (1 always does): where floor + 1 and ceil part ways
      const total = ref.pages[0]?.info.totalCount;
      if (total !== undefined && total > 0) {
        const divisor = Array.from(
          { length: Math.min(MAX_LIMIT, total) },
          (_, k) => Math.min(MAX_LIMIT, total) - k,
        ).find((l) => l > 1 && total % l === 0);
        for (const limit of divisor === undefined ? [1] : [1, divisor])
          expectTotalPages(await ctx.page({ limit }), limit);
      }
      await sharedWalks(ctx, ref, (walk, limit) => {
        for (const page of walk.pages) expectTotalPages(page, limit);
      });
      await ctx.forEveryPage((page) => expectTotalPages(page, pageLimit(page)));
      const arb = fc.record({
        filters: filterCombo(ref.items, ctx.knownFlowIds(ref.items)),
        limit: fc.option(validLimit(), { nil: undefined }),
      });
      await checkProperty(
        ctx,
        arb,
        async ({ filters, limit }) => {
          const page = await filteredPage(ctx, { limit, ...filters });
          if (page) expectTotalPages(page, limit ?? DEFAULT_LIMIT);
        },
        { maxRuns: 4 },
      );
    },
  }),
  defineRule({
    id: 'RT-PAGE-LINKS',
    doc: 'GET /v1/prompts › Response (hasMore/nextCursor, hasPrev/prevCursor; example: hasPrev false with prevCursor null)',
    basis: 'inferred',
    summary: 'on every page hasMore is true exactly when nextCursor is non-null, hasPrev exactly when prevCursor is',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      for (const page of ref.pages) expectLinks(page);
      await sharedWalks(ctx, ref, (walk) => {
        for (const page of walk.pages) expectLinks(page);
      });
      await ctx.forEveryPage(expectLinks);
      await checkProperty(
        ctx,
        filterCombo(ref.items, ctx.knownFlowIds(ref.items), { nonEmpty: true }),
        async (filters) => {
          const page = await filteredPage(ctx, { limit: MAX_LIMIT, ...filters });
          if (page) expectLinks(page);
        },
        { maxRuns: 3 },
      );
    },
  }),
  defineRule({
    id: 'RT-PAGE-HASMORE',
    doc: 'GET /v1/prompts › Response (pagination.hasMore, hasPrev, totalCount)',
    basis: 'inferred',
    summary:
      'hasMore is true exactly when prompts follow the page (false on an exactly-full last page), never on an empty page; hasPrev exactly when prompts precede it, on every page however reached',
    check: async (ctx: RtContext) => {
      await ctx.reportFinding('RT-PAGE-HASMORE');
      const ref = await ctx.listing(1, 'hasMore');
      coverWhole(ctx, ref);
      await sharedWalks(ctx, ref, expectHasMore);
      // every page, however reached: prompts precede a page that does not start the listing; a page says more only with prompts on it
      await ctx.forEveryPage(() => undefined); // the walk plan first, so its filter sets are counted too
      const counted = await countedFilterSets(ctx);
      await ctx.forEveryPage((page) => {
        const { currentOffset: o, hasPrev, hasMore, totalCount: tc } = page.info;
        // hasMore ⇔ prompts follow, where the filter set's totalCount is vouched for by a complete walk
        if (o !== undefined && tc !== undefined && counted.has(describeFilters(pageFilters(page))))
          expectThat(hasMore === o + page.items.length < tc, () => ({
            expected: `hasMore ${o + page.items.length < tc} (${o} + ${page.items.length} of ${tc} prompts, ${describeFilters(pageFilters(page))}, limit ${pageLimit(page)}${page.query.cursor ? ', reached by a cursor' : ''}; or totalCount is wrong)`,
            actual: `hasMore ${json(hasMore)}`,
            exchange: page.ex,
          }));
        if (o !== undefined && o > 0)
          expectThat(hasPrev === true, () => ({
            expected: `hasPrev true on a page at currentOffset ${o} (${describeFilters(pageFilters(page))})`,
            actual: `hasPrev ${json(hasPrev)}`,
            exchange: page.ex,
          }));
        expectThat(!(page.items.length === 0 && hasMore === true), () => ({
          expected: 'a page that says hasMore to hold prompts (following nextCursor makes progress)',
          actual: 'no prompts and hasMore true',
          exchange: page.ex,
        }));
      });
      // filters and page sizes whose last page is exactly full, from counts seen: where "hasMore = page is full" shows
      const fits = await exactlyFullWalks(ctx, ref);
      if (!fits.length) return;
      await checkProperty(
        ctx,
        fc.constantFrom(...fits),
        ({ filters, limit, count }) =>
          ctx.settled(async () => {
            // the count now: prompts created since the reference would leave the last page short of full
            const now = (await filteredPage(ctx, { limit: MAX_LIMIT, ...filters }))?.info.totalCount ?? count;
            const fit = now === count ? limit : divisorNear(now, limit);
            expectHasMore(await ctx.walk(filters, fit, now + fit));
          }),
        { maxRuns: 6 },
      );
    },
  }),

  defineRule({
    id: 'RT-TOTAL-COUNT',
    doc: 'GET /v1/prompts › Response (pagination.totalCount; example: 120 prompts, 3 pages of 50)',
    basis: 'documented',
    summary:
      'totalCount is the number of prompts listed: walks at limit 100 and 70 that agree list exactly totalCount, and every page of one walk says the same',
    check: async (ctx: RtContext) => {
      // the reference's cross-check owns the comparison: two walks agreeing on N make a different totalCount the culprit
      await ctx.reportFinding('RT-TOTAL-COUNT');
      const ref = await ctx.trusted();
      const first = ref.pages[0] as Page;
      coverWhole(ctx, ref);
      if (!ref.complete) return; // a listing beyond the walk cap has no end to count to
      const odd = ref.pages.find((p) => p.info.totalCount !== first.info.totalCount);
      if (odd)
        throw new Inconclusive(
          `totalCount moved ${first.info.totalCount} → ${odd.info.totalCount} during the walk (prompts added or removed)`,
        );
      expectThat(first.info.totalCount === ref.items.length, () => ({
        expected: `totalCount ${ref.items.length} (the prompts the walk at limit 100 lists)`,
        actual: `totalCount ${json(first.info.totalCount)}`,
        exchange: first.ex,
      }));
    },
  }),

  // ---------------------------------------------------------------- walks
  defineRule({
    id: 'RT-WALK-FORWARD',
    doc: 'GET /v1/prompts › Params (cursor), Response (nextCursor, hasMore, totalCount)',
    basis: 'documented',
    summary:
      'following nextCursor from the first page yields exactly totalCount distinct prompts, the listing’s, and ends with hasMore false',
    check: async (ctx: RtContext) => {
      await ctx.reportFinding('RT-WALK-FORWARD');
      const ref0 = await ctx.listing(2, 'a walk');
      coverWhole(ctx, ref0);
      observeOrder(ctx, ref0);
      await sharedWalks(ctx, ref0, async (walk, limit, ref) => {
        const first = walk.pages[0] as Page;
        const last = walk.pages.at(-1) as Page;
        expectNoDuplicate(walk);
        expectThat(walk.stalled === undefined, () => ({
          expected: 'every page after nextCursor to hold prompts, or hasMore false',
          actual: `page ${(walk.stalled ?? 0) + 1} at limit ${limit} added nothing and said hasMore true`,
          exchange: walk.pages[walk.stalled ?? 0]?.ex,
        }));
        // no gap, no overlap, even where the listing is too long to finish: both walks read one listing from its start
        await expectSameListing(ctx, walk, ref, `the walk at limit ${limit}`);
        const total = first.info.totalCount;
        // a listing that fits the walk bound must end inside it; a larger live listing has no exact expectation
        if (total !== undefined && total <= rowsFor(ctx, limit))
          expectThat(walk.complete, () => ({
            expected: `hasMore false within ${walk.pages.length} pages of ${limit} (totalCount ${total})`,
            actual: `hasMore ${brief(last.info.hasMore)}, nextCursor ${brief(last.info.nextCursor)}`,
            exchange: last.ex,
          }));
      });
    },
  }),
  defineRule({
    id: 'RT-WALK-BACKWARD',
    doc: 'GET /v1/prompts › Params (cursor, direction), Response (prevCursor, hasPrev)',
    basis: 'inferred',
    summary:
      'following prevCursor back from the last page gives the walk’s pages in reverse (alone, or with a configured direction value)',
    check: async (ctx: RtContext) => {
      const ref = await ctx.listing(2, 'a backward walk');
      const n = Math.min(ref.items.length, ctx.settings.walkMaxRows);
      // always the most pages the bound allows (every prevCursor back to the first page), then a filtered walk
      const small = Math.max(1, Math.ceil(n / WALK_PAGES));
      const common = commonFilters(ref.items, ctx.knownFlowIds(ref.items));
      const cases: { filters: Filters; limit: number }[] = [
        { filters: {}, limit: Math.min(small, MAX_LIMIT) },
        { filters: {}, limit: Math.min(CHECK_LIMIT, Math.max(1, n - 1)) },
      ];
      const f = common.model === undefined ? {} : { model: common.model };
      const fc0 = (await filteredPage(ctx, { limit: MAX_LIMIT, ...f }))?.info.totalCount ?? 0;
      // within the documented 1–100: a large filtered listing walks back in pages of at most the maximum
      if (fc0 > 1)
        cases.push({
          filters: f,
          limit: Math.min(MAX_LIMIT, Math.max(1, Math.ceil(Math.min(fc0, ctx.settings.walkMaxRows) / 4))),
        });
      for (const { filters, limit } of cases) await ctx.settled(() => walkBackAnyMode(ctx, filters, limit));
    },
  }),
  defineRule({
    id: 'RT-WALK-TIES',
    doc: 'GET /v1/prompts › Params (cursor), Response (createdAt)',
    basis: 'inferred',
    summary:
      'walks whose page edges cut through prompts sharing a createdAt, filtered or not, list every prompt once, in the same order as at limit 100',
    check: async (ctx: RtContext) => {
      await ctx.reportFinding('RT-WALK-TIES');
      const ref = await ctx.listing(3, 'tie groups');
      const n = Math.min(ref.items.length, ctx.settings.walkMaxRows);
      // the page sizes cutting the most tie groups: each cut is a chance for an unordered tie to show
      const minLimit = fitsWalk(ctx, ref) ? Math.max(1, Math.ceil(n / WALK_PAGES)) : 1;
      const limits = tieCuttingLimits(ref.items, minLimit, WALK_PAGES).slice(0, 6);
      if (!limits.length) throw new Skip('no page size ends a page inside a group of prompts sharing a createdAt');
      await checkProperty(
        ctx,
        fc.constantFrom(...limits),
        (limit) =>
          ctx.settled(async () => {
            const ref = await ctx.trusted();
            const walk = await ctx.walk({}, limit, rowsFor(ctx, limit));
            expectNoDuplicate(walk);
            // one listing has one order, whatever the page size (no direction is assumed: RT-GAP-ORDER)
            await expectSameListing(
              ctx,
              walk,
              ref,
              `the walk at limit ${limit} (its page edges inside groups sharing a createdAt)`,
            );
          }),
        { maxRuns: 2 },
      );
      // a filtered listing holds its ties in one order too: the common model's, at the size cutting most of them
      const { model } = commonFilters(ref.items, []);
      if (model !== undefined)
        await ctx.settled(async () => {
          const full = await ctx.walk({ model }, MAX_LIMIT, 300);
          if (!full.complete || full.items.length < 3) return;
          const [cut] = tieCuttingLimits(
            full.items,
            Math.max(1, Math.ceil(full.items.length / WALK_PAGES)),
            WALK_PAGES,
          );
          if (cut === undefined) return;
          const walk = await ctx.walk({ model }, cut, rowsFor(ctx, cut));
          expectNoDuplicate(walk);
          await expectSameListing(
            ctx,
            walk,
            full,
            `the walk at limit ${cut} with model=${json(model)} (its page edges inside groups sharing a createdAt)`,
          );
        });
    },
  }),

  // ---------------------------------------------------------------- filters
  defineRule({
    id: 'RT-SEARCH-MATCH',
    doc: 'GET /v1/prompts › Params (search: by name or text)',
    basis: 'documented',
    summary:
      'with search=t every prompt has t in its name or text (any case), on every page; LIKE (% _) and regex (.*+()[]) specials, other case, one character and 300 characters included',
    check: async (ctx: RtContext) => {
      const ref = await ctx.listing(1, 'search');
      // boundary terms first, every run: LIKE and regex specials must match literally
      for (const search of boundaryTerms(ref.items)) {
        const query = listQuery({ limit: MAX_LIMIT, search });
        const ex = await ctx.get(query);
        if (ex.status >= 500) continue; // RT-NO-5XX's finding
        if (isClientError(ex)) {
          // refusing a term (too long, special characters) is the server's choice; the docs set no limits
          ctx.observe('RT-GAP-EMPTY-PARAM', `search=${brief(search, 24)} → ${ex.status}`);
          continue;
        }
        const page = ctx.record(readPage(ex, query));
        const bad = page.items.find((it) => !containsAnyCase(it, search));
        expectThat(!bad, () => ({
          expected: `every prompt has ${json(search)} (literally, any case) in name or text`,
          actual: matchesFilters(bad as PromptView, { search }) ?? '',
          exchange: ex,
        }));
      }
      const term = searchTerm(ref.items);
      if (!term) throw new Skip('no prompt has a word of 3+ characters in its name or text');
      await checkProperty(
        ctx,
        term,
        async (t) => {
          const walk = await ctx.walk({ search: t.term }, MAX_LIMIT, Math.min(ctx.settings.walkMaxRows, 300));
          for (const page of walk.pages) {
            const bad = page.items.find((it) => !containsAnyCase(it, t.term));
            expectThat(!bad, () => ({
              expected: `every prompt has "${t.term}" in name or text`,
              actual: matchesFilters(bad as PromptView, { search: t.term }) ?? '',
              exchange: page.ex,
            }));
          }
          if (!t.caseChanged || !ref.complete || !walk.complete) return;
          const exact = ref.items.filter((it) => containsExact(it, t.term)).length;
          const folded = ref.items.filter((it) => containsAnyCase(it, t.term)).length;
          if (folded > exact) {
            const n = walk.items.length;
            ctx.observe(
              'RT-GAP-SEARCH-CASE',
              n >= folded
                ? 'case-insensitive: a term in another case found it in any case'
                : n <= exact
                  ? 'case-sensitive: a term in another case found only exact-case matches'
                  : 'mixed: a term in another case found some other-case matches',
            );
          }
        },
        { maxRuns: 4 },
      );
    },
  }),
  defineRule({
    id: 'RT-SEARCH-FINDS',
    doc: 'GET /v1/prompts › Params (search: by name or text)',
    basis: 'documented',
    summary: 'search=t, in the exact case seen, returns every prompt with t in its name or in its text',
    check: async (ctx: RtContext) => {
      const ref = await ctx.listing(1, 'search');
      const term = searchTerm(ref.items, { exactCase: true });
      if (!term) throw new Skip('no prompt has a word of 3+ characters in its name or text');
      await checkProperty(
        ctx,
        term,
        (t) =>
          ctx.settled(async () => {
            const ref = await ctx.trusted();
            const walk = await ctx.walk({ search: t.term }, MAX_LIMIT, Math.min(ctx.settings.walkMaxRows, 300));
            if (!walk.complete) return; // more matches than the walk bound: absence proves nothing
            const found = new Set(ids(walk.items));
            const must = ref.complete
              ? ref.items.filter((it) => containsExact(it, t.term))
              : ref.items.filter((it) => it.id === t.sourceId);
            const missing = must.find((it) => !found.has(it.id));
            expectThat(!missing, () => ({
              expected: `prompt ${missing?.id} among the ${must.length} with "${t.term}" in name or text`,
              actual: `absent (${walk.items.length} found); its name ${brief(missing?.name, 50)}, text ${brief(missing?.text, 60)}`,
              exchange: walk.pages.at(-1)?.ex,
            }));
          }),
        { maxRuns: 5 },
      );
    },
  }),
  defineRule({
    id: 'RT-SEARCH-EMPTY',
    doc: 'GET /v1/prompts › Response (data: list of objects)',
    basis: 'inferred',
    summary:
      'a search that matches nothing gets 200 with data [] (not null), totalCount 0, hasMore false, nextCursor null',
    check: (ctx: RtContext) =>
      checkProperty(
        ctx,
        noMatchTerm(),
        async (search) => {
          const query = listQuery({ search });
          const ex = await ctx.get(query);
          expectStatus(ex, [200], `200 for search="${search}" (matches nothing)`);
          const data = (ex.body as { data?: unknown } | undefined)?.data;
          expectThat(Array.isArray(data), () => ({
            expected: 'data [] (an empty list)',
            actual: `data ${brief(data ?? 'absent')}`,
            exchange: ex,
          }));
          const page = readPage(ex, query);
          if (page.items.length) return; // something matched after all: RT-SEARCH-MATCH judges it
          const i = page.info;
          if (i.totalCount !== 0 && i.hasMore === false && i.nextCursor === null)
            throw new Blocked(['RT-FILTER-TOTAL'], `an empty result says totalCount ${brief(i.totalCount)}`);
          expectThat(i.totalCount === 0 && i.hasMore === false && i.nextCursor === null, () => ({
            expected: 'totalCount 0, hasMore false, nextCursor null',
            actual: `totalCount ${brief(i.totalCount)}, hasMore ${brief(i.hasMore)}, nextCursor ${brief(i.nextCursor ?? 'absent')}`,
            exchange: ex,
          }));
        },
        { maxRuns: 2 },
      ),
  }),
  defineRule({
    id: 'RT-MODEL-FILTER',
    doc: 'GET /v1/prompts › Params (model: filter by model ID)',
    basis: 'documented',
    summary: 'model=m returns exactly the prompts whose model is m (exact match: "gpt-4" does not match "gpt-4-turbo")',
    check: async (ctx: RtContext) => {
      const ref = await ctx.listing(1, 'the model filter');
      const arb = modelValue([...new Set(ref.items.map((it) => it.model).filter((m): m is string => !!m))]);
      if (!arb) throw new Skip('no prompt seen carries a model');
      // every run: a model no prompt has lists nothing (or is refused: the docs do not say)
      const unknown = await ctx.get(listQuery({ limit: MAX_LIMIT, model: UNKNOWN_MODEL }));
      ctx.observe('RT-GAP-MODEL-CASE', `a model no prompt has → ${unknown.status}`);
      if (unknown.status === 200) {
        const page = ctx.record(readPage(unknown, {}));
        expectThat(page.items.length === 0, () => ({
          expected: `no prompts for model ${json(UNKNOWN_MODEL)}`,
          actual: `${page.items.length} prompts, the first with model ${json(page.items[0]?.raw.model)}`,
          exchange: unknown,
        }));
      }
      await checkProperty(
        ctx,
        arb,
        (model) =>
          ctx.settled(async () => {
            const ref = await ctx.trusted();
            const walk = await ctx.walk({ model }, MAX_LIMIT, Math.min(ctx.settings.walkMaxRows, 300));
            for (const page of walk.pages) {
              const bad = page.items.find((it) => it.model !== model);
              expectSteady(!bad, () => ({
                expected: `only prompts with model "${model}"`,
                actual: `prompt ${bad?.id} has model ${brief(bad?.raw.model)}`,
                exchange: page.ex,
              }));
            }
            if (ref.complete && walk.complete)
              expectSameSet(
                walk.pages.at(-1)?.ex,
                ref.items.filter((it) => it.model === model),
                walk.items,
                `the prompts with model "${model}"`,
              );
          }),
        { maxRuns: 8 },
      );
    },
  }),
  defineRule({
    id: 'RT-FLOW-FILTER',
    doc: 'GET /v1/prompts › Params (flowId: filter by flow ID)',
    basis: 'documented',
    summary:
      'flowId=f returns a subset of the listing with totalCount ≤ the unfiltered one; prompts that expose flowId all have f',
    check: async (ctx: RtContext) => {
      const ref = await ctx.listing(1, 'the flowId filter');
      const flows = ctx.knownFlowIds(ref.items);
      const exposed = ref.items.some((it) => it.flowId !== undefined);
      ctx.observe(
        'RT-GAP-FLOW-IDS',
        exposed
          ? 'prompts carry a flowId field'
          : `prompts carry no flowId field; ${ctx.rt.flowIds.length ? 'flowIds from RUNTYPE_FLOW_IDS' : 'only an unknown flowId can be tried (set RUNTYPE_FLOW_IDS)'}`,
      );
      // every run: a flowId no flow has lists nothing that shows another flow (or is refused)
      const unknown = await filteredPage(ctx, { limit: MAX_LIMIT, flowId: UNKNOWN_FLOW_ID });
      const shown = unknown?.items.find((it) => it.flowId !== undefined);
      expectThat(!shown, () => ({
        expected: `no prompts of another flow for flowId ${UNKNOWN_FLOW_ID}`,
        actual: `prompt ${shown?.id} has flowId ${json(shown?.flowId)}`,
        exchange: unknown?.ex,
      }));
      await checkProperty(
        ctx,
        flowValue(flows),
        (flowId) =>
          ctx.settled(async () => {
            const ref = await ctx.trusted();
            const walk = await filteredWalk(ctx, { flowId }, MAX_LIMIT, Math.min(ctx.settings.walkMaxRows, 300));
            if (!walk) return;
            const first = walk.pages[0] as Page;
            for (const page of walk.pages) {
              const bad = page.items.find((it) => it.flowId !== undefined && it.flowId !== flowId);
              expectSteady(!bad, () => ({
                expected: `only prompts of flow ${flowId}`,
                actual: `prompt ${bad?.id} has flowId ${bad?.flowId}`,
                exchange: page.ex,
              }));
            }
            expectFilterTotal(first, ref, { flowId });
            expectSubset(first.ex, ref, walk.items, { flowId });
            if (exposed && ref.complete && walk.complete)
              expectSameSet(
                walk.pages.at(-1)?.ex,
                ref.items.filter((it) => it.flowId === flowId),
                walk.items,
                `the prompts of flow ${flowId}`,
              );
          }),
        { maxRuns: 6 },
      );
    },
  }),
  defineRule({
    id: 'RT-FILTER-SUBSET',
    doc: 'GET /v1/prompts › Summary (the user’s prompts, optionally filtered by flow, search or model)',
    basis: 'documented',
    summary:
      'any combination of search, model and flowId lists a subset of the unfiltered listing, with totalCount ≤ its totalCount; adding a filter never widens a result',
    check: async (ctx: RtContext) => {
      const ref = await ctx.listing(1, 'filters');
      const combo = filterCombo(ref.items, ctx.knownFlowIds(ref.items), { nonEmpty: true });
      // search alone weighs as much as every combination: a full-text path is where the user scope gets lost
      const search = searchFilter(ref.items);
      await checkProperty(
        ctx,
        search ? fc.oneof(search, combo) : combo,
        (filters) =>
          ctx.settled(async () => {
            const ref = await ctx.trusted();
            const page = await filteredPage(ctx, { limit: MAX_LIMIT, ...filters });
            if (!page) return;
            expectFilterTotal(page, ref, filters);
            expectSubset(page.ex, ref, page.items, filters);
          }),
        { maxRuns: 12 },
      );
      // every run: each filter alone, then with each other filter added: the result never widens
      const c = commonFilters(ref.items, ctx.knownFlowIds(ref.items));
      const keys = Object.keys(c) as (keyof Filters)[];
      for (const k of keys)
        for (const g of keys.filter((x) => x !== k))
          await ctx.settled(() => expectNarrower(ctx, { [k]: c[k] }, { [k]: c[k], [g]: c[g] }));
    },
  }),
  defineRule({
    id: 'RT-FILTER-TOTAL',
    doc: 'GET /v1/prompts › Params (filters), Response (pagination.totalCount)',
    basis: 'inferred',
    summary: 'under filters totalCount counts the filtered prompts: a complete filtered walk yields exactly totalCount',
    check: async (ctx: RtContext) => {
      const ref = await ctx.listing(1, 'filtered totals');
      await checkProperty(
        ctx,
        filterCombo(ref.items, ctx.knownFlowIds(ref.items), { nonEmpty: true }),
        (filters) =>
          ctx.settled(async () => {
            const walk = await filteredWalk(ctx, filters, MAX_LIMIT, Math.min(ctx.settings.walkMaxRows, 300));
            if (!walk?.complete) return;
            const first = walk.pages[0] as Page;
            expectThat(walk.items.length === first.info.totalCount, () => ({
              expected: `totalCount ${walk.items.length} (the prompts listed with ${describeFilters(filters)})`,
              actual: `totalCount ${brief(first.info.totalCount)}`,
              exchange: first.ex,
            }));
          }),
        { maxRuns: 6 },
      );
    },
  }),
  defineRule({
    id: 'RT-FILTER-WALK',
    doc: 'GET /v1/prompts › Params (filters with cursor), Response (nextCursor)',
    basis: 'inferred',
    summary:
      'a filtered walk over several pages keeps every filter sent (each alone and combined) on every page and lists each prompt once; a combined listing on one page holds every prompt matching all its filters',
    check: async (ctx: RtContext) => {
      const ref = await ctx.listing(2, 'filtered walks');
      const flows = ctx.knownFlowIds(ref.items);
      const filters = fc.oneof(singleFilter(ref.items, flows), filterCombo(ref.items, flows, { nonEmpty: true }));
      const expectFiltered = (page: Page, f: Filters, what: string) => {
        const bad = page.items.map((it) => matchesFilters(it, f)).find((why) => why !== undefined);
        expectSteady(!bad, () => ({
          expected: `every page ${what} filtered by ${describeFilters(f)}`,
          actual: bad ?? '',
          exchange: page.ex,
        }));
      };
      const walkFiltered = async (f: Filters, pages: number) => {
        const first = await filteredPage(ctx, { limit: MAX_LIMIT, ...f });
        if (!first) return;
        expectFiltered(first, f, 'at limit 100');
        const count = Math.min(first.info.totalCount ?? 0, ctx.settings.walkMaxRows);
        if (count < 2) return; // too few to span pages
        const limit = Math.min(MAX_LIMIT, Math.ceil(count / pages));
        // the pages asked for (and one more), enough to cross page edges: a live listing need not be walked to its end
        const walk = await ctx.walk(f, limit, Math.min(rowsFor(ctx, limit), limit * (pages + 1)));
        expectNoDuplicate(walk);
        for (const page of walk.pages) expectFiltered(page, f, `of the walk at limit ${limit}`);
        // whether the walk adds up to totalCount is RT-FILTER-TOTAL's business
      };
      // fixed cases first, so every run checks each filter over several pages and every combination on one page
      const common = commonFilters(ref.items, flows);
      for (const [key, value] of Object.entries(common) as [keyof Filters, string][])
        await ctx.settled(() => walkFiltered({ [key]: value }, 3));
      const keys = Object.keys(common) as (keyof Filters)[];
      for (let mask = 1; mask < 1 << keys.length; mask++) {
        const chosen = keys.filter((_, b) => mask & (1 << b));
        if (chosen.length < 2) continue;
        const f: Filters = Object.fromEntries(chosen.map((k) => [k, common[k]]));
        const page = await filteredPage(ctx, { limit: MAX_LIMIT, ...f });
        if (page) expectFiltered(page, f, 'at limit 100');
      }
      // the model beside the first and last word of a name of that model: a combined query that searches one field
      // only shows here; the response audit judges whether each whole page holds every prompt it must
      const named = ref.items.find((it) => it.model === common.model && /\S\s+\S/.test(it.name ?? ''));
      const words = named?.name?.trim().split(/\s+/) ?? [];
      for (const search of new Set([words[0], words.at(-1)].filter((w): w is string => (w?.length ?? 0) >= 3))) {
        const f: Filters = { search, model: common.model };
        const page = await filteredPage(ctx, { limit: MAX_LIMIT, ...f });
        if (page) expectFiltered(page, f, 'at limit 100');
      }
      // every filtered page reached by a cursor this run (forward, backward, by any rule) keeps its filters; a filter
      // that fails on first pages as well is the filter's own rule's business (RT-SEARCH-MATCH, RT-MODEL-FILTER, …)
      const firstFails = new Set<string>();
      const key = (f: Filters) => describeFilters(f);
      const broken = (page: Page) => page.items.some((it) => matchesFilters(it, pageFilters(page)) !== undefined);
      for (const page of ctx.pagesRead)
        if (page.query.cursor === undefined && broken(page)) firstFails.add(key(pageFilters(page)));
      await ctx.forEveryPage((page) => {
        const f = pageFilters(page);
        const filtered = f.search !== undefined || f.model !== undefined || f.flowId !== undefined;
        if (filtered && page.query.cursor !== undefined && !firstFails.has(key(f)))
          expectFiltered(page, f, 'reached by a cursor');
      });
      await checkProperty(
        ctx,
        fc.record({ filters, pages: fc.integer({ min: 2, max: 4 }) }),
        ({ filters: f, pages }) => ctx.settled(() => walkFiltered(f, pages)),
        { maxRuns: 5 },
      );
    },
  }),
  defineRule({
    id: 'RT-FILTERS-APPLIED',
    doc: 'GET /v1/prompts › Response (filtersApplied: map from strings to any)',
    basis: 'inferred',
    summary: 'filtersApplied is an object holding the value of every filter sent (search, model, flowId)',
    check: async (ctx: RtContext) => {
      const ref = await ctx.listing(1, 'filtersApplied');
      await checkProperty(
        ctx,
        filterCombo(ref.items, ctx.knownFlowIds(ref.items), { nonEmpty: true }),
        async (filters) => {
          const page = await filteredPage(ctx, { limit: MAX_LIMIT, ...filters });
          if (!page) return;
          const fa = page.filtersApplied;
          expectThat(typeof fa === 'object' && fa !== null && !Array.isArray(fa), () => ({
            expected: 'filtersApplied an object',
            actual: brief(fa ?? 'absent'),
            exchange: page.ex,
          }));
          const obj = fa as Record<string, unknown>;
          ctx.observe(
            'RT-GAP-FILTERS-APPLIED',
            `sent ${Object.keys(filters).sort().join('+')} → keys ${Object.keys(obj).sort().join(', ') || '(none)'}`,
          );
          const values = appliedValues(obj);
          for (const [key, value] of Object.entries(filters) as [string, string][]) {
            expectThat(values.includes(fold(value.trim())), () => ({
              expected: `filtersApplied to hold ${key} "${value}"`,
              actual: `filtersApplied ${brief(fa)}`,
              exchange: page.ex,
            }));
          }
        },
        { maxRuns: 6 },
      );
    },
  }),

  // ---------------------------------------------------------------- errors, auth, robustness
  defineRule({
    id: 'RT-CURSOR-GARBAGE',
    doc: 'GET /v1/prompts › Params (cursor); Errors (400 Bad Request)',
    basis: 'documented',
    summary:
      'a cursor no server could have issued ("not a cursor!", "{\\"offset\\":") gets a 4xx, never a 5xx or a page',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      const real = ref.pages[0]?.info.nextCursor;
      if (typeof real === 'string') observeCursorFormat(ctx, real);
      await checkProperty(
        ctx,
        garbageCursor(),
        async (cursor) => {
          const ex = await ctx.get(listQuery({ cursor }));
          observeErrorBody(ctx, ex);
          // a JSON body is RT-RESP-JSON's business
          expectThat(isClientError(ex), () => ({
            expected: `a 400 (or another 4xx) for cursor "${cursor}"`,
            actual: `${ex.status} ${brief(ex.text)}`,
            exchange: ex,
          }));
        },
        { maxRuns: 6 },
      );
    },
  }),
  defineRule({
    id: 'RT-AUTH-MISSING',
    doc: 'GET /v1/prompts › Auth (Bearer API key); Errors (401, 403)',
    basis: 'documented',
    summary: 'a request without Authorization is refused (401/403) and carries no prompts',
    check: async (ctx: RtContext) => {
      const ex = await ctx.get(listQuery({}), { auth: 'none' });
      ctx.observe('RT-GAP-AUTH', `no Authorization header → ${ex.status}`);
      expectStatus(ex, [401, 403], '401 or 403 without a key');
      expectThat(!Array.isArray((ex.body as { data?: unknown } | undefined)?.data), () => ({
        expected: 'no data in a refusal',
        actual: brief(ex.text),
        exchange: ex,
      }));
    },
  }),
  defineRule({
    id: 'RT-AUTH-WRONG',
    doc: 'GET /v1/prompts › Auth (Bearer API key); Errors (401, 403)',
    basis: 'documented',
    summary: 'a request with a wrong key is refused (401/403) and carries no prompts',
    check: async (ctx: RtContext) => {
      const ex = await ctx.get(listQuery({}), { auth: 'wrong' });
      ctx.observe('RT-GAP-AUTH', `an unknown Bearer key → ${ex.status}`);
      expectStatus(ex, [401, 403], '401 or 403 for an unknown key');
      expectThat(!Array.isArray((ex.body as { data?: unknown } | undefined)?.data), () => ({
        expected: 'no data in a refusal',
        actual: brief(ex.text),
        exchange: ex,
      }));
    },
  }),
  defineRule({
    id: 'RT-DETERMINISTIC',
    doc: 'GET /v1/prompts › Params (cursor pagination needs a stable order)',
    basis: 'inferred',
    summary: 'identical requests give identical pages (order of prompts sharing a createdAt included)',
    check: async (ctx: RtContext) => {
      await ctx.reportFinding('RT-DETERMINISTIC');
      const ref = await ctx.trusted();
      // the pages with the most prompts sharing a createdAt (where an unstable sort shows), and a filtered page
      const byTies = [...ref.pages].sort((a, b) => tieBoundaries(b.items).length - tieBoundaries(a.items).length);
      const { model, search } = commonFilters(ref.items, []);
      const queries = [...byTies.slice(0, 2).map((p) => p.query), listQuery({ limit: MAX_LIMIT, model, search })];
      for (const query of queries)
        await ctx.settled(async () => {
          const page = readPage(await ctx.get(query), query);
          for (let k = 0; k < 2; k++) {
            const again = readPage(await ctx.get(query, { fresh: true }), query);
            const same =
              (ids(again.items).join() === ids(page.items).join() &&
                again.info.totalCount === page.info.totalCount &&
                again.info.hasMore === page.info.hasMore) ||
              shiftedByNewPrompts(page, again);
            expectThat(same, () => ({
              expected: `the same page as before: [${brief(ids(page.items).join(','), 100)}]`,
              actual: `[${brief(ids(again.items).join(','), 100)}], totalCount ${again.info.totalCount}, hasMore ${again.info.hasMore}`,
              exchange: again.ex,
            }));
          }
        });
    },
  }),
  defineRule({
    id: 'RT-NO-5XX',
    doc: 'GET /v1/prompts › Errors (bad requests are 400)',
    basis: 'inferred',
    summary: 'no request the suite sends (fuzzed parameters, regex and SQL metacharacters, any direction) gets a 5xx',
    check: async (ctx: RtContext) => {
      const ref = await ctx.reference();
      const no5xx = (ex: Exchange) =>
        expectThat(ex.status < 500, () => ({
          expected: 'a 2xx or 4xx',
          actual: `${ex.status} ${brief(ex.text)}`,
          exchange: ex,
        }));
      for (const direction of ctx.rt.directionValues) {
        const ex = await ctx.get(listQuery({ limit: 1, direction }));
        ctx.observe('RT-GAP-DIRECTION', `direction=${direction} (no cursor) → ${ex.status}`);
        no5xx(ex);
      }
      const probes: ListParams[] = [
        { search: '(' },
        { search: '[' },
        { search: "'" },
        { search: '' },
        { model: '' },
        { limit: 'abc' },
        { cursor: 'not a cursor!' },
        { direction: 'sideways' },
        { flowId: UNKNOWN_FLOW_ID },
      ];
      for (const p of probes) {
        const ex = await ctx.get(listQuery(p));
        if (p.search === '') ctx.observe('RT-GAP-EMPTY-PARAM', `search= (empty) → ${ex.status}`);
        no5xx(ex);
      }
      const cursors = ref.pages.map((p) => p.info.nextCursor).filter((c): c is string => typeof c === 'string');
      const models = [...new Set(ref.items.map((it) => it.model).filter((m): m is string => !!m))].slice(0, 3);
      await checkProperty(ctx, anyQuery({ cursors, models }), async (query) => no5xx(await ctx.get(query)), {
        maxRuns: 6,
      });
      ctx.expectNoServerErrorSeen();
    },
  }),
  defineRule({
    id: 'RT-RESP-JSON',
    doc: 'GET /v1/prompts › Response (JSON object); Errors',
    basis: 'inferred',
    summary: 'every answer, success or error, is JSON with a JSON content type',
    check: async (ctx: RtContext) => {
      await ctx.reference();
      await ctx.get(listQuery({}), { auth: 'none' });
      await ctx.get(listQuery({ cursor: 'not a cursor!' }));
      await ctx.get(listQuery({ limit: 'abc' }));
      for (const ex of ctx.seen) observeErrorBody(ctx, ex);
      ctx.expectAllJsonSeen();
    },
  }),
  ...isolationRules,
] as const;

export type RtRuleId = (typeof rules)[number]['id'];

/**
 * Whether `again` is `page` read at the same offset after `d` prompts were added above it (totalCount grew by d,
 * newest first): its last prompts are the page's first ones in the same order, ties included. Evidence of drift
 * that still checks the order where the two readings overlap, so an unstable sort is not excused.
 */
function shiftedByNewPrompts(page: Page, again: Page): boolean {
  const d = (again.info.totalCount ?? Number.NaN) - (page.info.totalCount ?? Number.NaN);
  const n = again.items.length;
  // a full page keeps its length; a short last page grows by the prompts added
  if (!(d > 0) || d >= n || (n !== page.items.length && n !== page.items.length + d)) return false;
  return (
    ids(again.items).slice(d).join() ===
    ids(page.items)
      .slice(0, n - d)
      .join()
  );
}
