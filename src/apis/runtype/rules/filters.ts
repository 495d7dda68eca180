/**
 * Runtype rules on the model and flowId filters and on filters combined, alone and over walks (GET /v1/prompts ›
 * Params; Summary).
 */
import { json } from '../../../shared/expect';
import type { Exchange } from '../../../shared/http';
import { checkProperty } from '../../../shared/property';
import { Blocked, brief, defineRule, expectThat, Skip, Violation, type ViolationDetail } from '../../../shared/rule';
import { ChangedViolation, SteadyViolation } from '../../../shared/reference/drift';
import {
  filterCombo,
  filteredWalkPlan,
  subsetFilters,
  flowValue,
  modelValue,
  UNKNOWN_FLOW_ID,
  UNKNOWN_MODEL,
} from '../arbitraries';
import type { RtContext } from '../context';
import {
  commonFilters,
  describeFilters,
  type Filters,
  fold,
  ids,
  type ListParams,
  listQuery,
  MAX_LIMIT,
  matchesFilters,
  type Page,
  type PromptView,
  readPage,
  type Walk,
} from '../pager';
import { expectNoDuplicate, filteredPage, filterEntries, isRecord, pageFilters, rowsFor } from './shared';

/**
 * A self-evident invariant of one answer (every prompt on a page matches its filter): drift never explains a breach,
 * so it is reported without re-reading ({@link SteadyViolation}).
 */
function expectSteady(cond: boolean, detail: () => ViolationDetail): asserts cond {
  if (!cond) throw new SteadyViolation(detail());
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
  let a = await filteredPage(ctx, { limit: MAX_LIMIT, ...wide });
  const b = await filteredPage(ctx, { limit: MAX_LIMIT, ...narrow });
  if (!a || !b) return;
  // the wide listing read before the narrow one (or answered from the cache) misses prompts that arrived since:
  // a difference is judged against the wide listing read again after the narrow one
  const wider = (x: Page) =>
    (x.info.totalCount ?? 0) < (b.info.totalCount ?? 0) ||
    (x.info.hasMore === false && b.items.some((it) => !x.items.some((y) => y.id === it.id)));
  if (wider(a)) a = await ctx.page({ limit: MAX_LIMIT, ...wide }, { fresh: true });
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

async function expectFilterTotal(ctx: RtContext, page: Page, ref: Walk, f: Filters): Promise<void> {
  let all = ref.pages[0]?.info.totalCount;
  const tc = page.info.totalCount;
  // prompts that arrived after the reference was read count under the filter: compare with the count read after it
  if (tc !== undefined && all !== undefined && tc > all)
    all = (await ctx.page({ limit: MAX_LIMIT }, { fresh: true })).info.totalCount;
  expectThat(tc !== undefined && all !== undefined && tc <= all, () => ({
    expected: `totalCount with ${describeFilters(f)} ≤ the unfiltered ${all}`,
    actual: `totalCount ${brief(tc)}`,
    exchange: page.ex,
  }));
}

/** A filtered walk, or undefined as in {@link filteredPage}. */
async function filteredWalk(ctx: RtContext, f: Filters, limit: number, maxRows: number): Promise<Walk | undefined> {
  if (!(await filteredPage(ctx, { limit, ...f }))) return undefined;
  return ctx.walk(f, limit, maxRows);
}

/**
 * Whether a filtered walk that lists other than totalCount prompts measures the count: a second complete walk at
 * another page size, at the same count, must list as many. Walks that disagree end early or late (hasMore,
 * nextCursor: RT-PAGE-HASMORE's and the walk rules' finding), so the count is not the culprit (RT-FILTER-TOTAL).
 */
async function expectWalksAgree(ctx: RtContext, walk: Walk, rows: number): Promise<void> {
  const n = walk.items.length;
  const limit = Math.min(MAX_LIMIT - 1, Math.max(1, Math.ceil((n + 1) / 4)));
  const again = await ctx.walk(walk.filters, limit, rows);
  const count = walk.pages[0]?.info.totalCount;
  if (!again.complete || again.pages[0]?.info.totalCount !== count || again.items.length === n) return;
  const why = `filtered walks at limits ${walk.limit} and ${limit} (${describeFilters(walk.filters)}) end after ${n} and ${again.items.length} prompts at one totalCount ${count}: a walk ends early or late, so the count cannot be judged`;
  ctx.blockedByFailed(['RT-PAGE-HASMORE', 'RT-WALK-FORWARD', 'RT-PAGE-LINKS'], why);
  // no paging rule failed: the count's check reports it, with both walks named (the first may be the one cut short)
  throw new Violation({
    expected: `walks of one filtered listing at limits ${walk.limit} and ${limit} to list the same ${count} prompts`,
    actual: why,
    exchange: again.pages.at(-1)?.ex,
  });
}

/** filtersApplied's values (one level into objects and arrays), trimmed and case-folded. */
function appliedValues(fa: Record<string, unknown>): string[] {
  return Object.values(fa)
    .flatMap((v) => (Array.isArray(v) ? v : typeof v === 'object' && v !== null ? Object.values(v) : [v]))
    .filter((v): v is string => typeof v === 'string')
    .map((v) => fold(v.trim()));
}

/** A model no prompt has lists nothing, or is refused: the docs do not say (RT-MODEL-FILTER, every run). */
async function expectUnknownModelEmpty(ctx: RtContext): Promise<void> {
  const unknown = await ctx.get(listQuery({ limit: MAX_LIMIT, model: UNKNOWN_MODEL }));
  ctx.observe('RT-GAP-MODEL-CASE', `a model no prompt has → ${unknown.status}`);
  if (unknown.status !== 200) return;
  const page = ctx.record(readPage(unknown, {}));
  expectThat(page.items.length === 0, () => ({
    expected: `no prompts for model ${json(UNKNOWN_MODEL)}`,
    actual: `${page.items.length} prompts, the first with model ${json(page.items[0]?.raw.model)}`,
    exchange: unknown,
  }));
}

/** A walk with model=m lists only prompts of model m, and all of them when both it and the reference ended (RT-MODEL-FILTER). */
function expectModelWalk(ctx: RtContext, model: string): Promise<void> {
  return ctx.settled(async () => {
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
  });
}

/**
 * The model listings partition the listing (RT-FILTER-TOTAL): each model's totalCount is at least the prompts of that
 * model the reference holds, and the totals add up to the unfiltered totalCount — exactly when the reference is whole
 * and every prompt in it names a model, else at most. A count query written apart from the page query (a prefix
 * match, a stale counter) shows here for every model at once, also where no model's walk fits in the budget.
 * One page per model at limit 100: the model walks' first pages, so mostly answered from the cache.
 */
async function expectModelsAddUp(ctx: RtContext): Promise<void> {
  const ref = await ctx.trusted();
  const before = ref.pages[0]?.info.totalCount;
  const models = [...new Set(ref.items.map((it) => it.model))].filter((m): m is string => typeof m === 'string' && !!m);
  if (typeof before !== 'number' || !models.length) return;
  const totals: [string, number][] = [];
  for (const model of models.sort()) {
    const page = await filteredPage(ctx, { limit: MAX_LIMIT, model });
    const t = page?.info.totalCount;
    if (!page || typeof t !== 'number') return;
    const held = ref.items.filter((it) => it.model === model).length;
    expectThat(t >= held, () => ({
      expected: `totalCount at least ${held} with model=${json(model)} (the prompts of that model the listing holds)`,
      actual: `totalCount ${t}`,
      exchange: page.ex,
    }));
    totals.push([model, t]);
  }
  const sum = totals.reduce((n, [, t]) => n + t, 0);
  const unnamed = ref.items.filter((it) => typeof it.model !== 'string' || it.model === '').length;
  const whole = ref.complete && unnamed === 0;
  if (whole ? sum === before : sum <= before) return;
  // the unfiltered count read again after the model counts: prompts that arrived meanwhile are counted in some
  // model total, so on a changing account the sum lies between the two readings
  const now = await ctx.page({ limit: MAX_LIMIT }, { fresh: true });
  const after = now.info.totalCount;
  if (typeof after !== 'number') return;
  const lo = Math.min(before, after);
  const hi = Math.max(before, after);
  const why = !ref.complete ? 'the listing was not read whole' : `${unnamed} prompts name no model`;
  const range = lo === hi ? `${lo}` : `between ${lo} and ${hi} (it moved while the models were read)`;
  const off = whole ? Math.max(lo - sum, sum - hi, 0) : Math.max(sum - hi, 0);
  if (off === 0) return;
  const detail = {
    expected: `the model totals to add up to the unfiltered totalCount ${range}${whole ? '' : ` at most (${why})`}`,
    actual: `${sum} (${totals.map(([m, t]) => `${m} ${t}`).join(', ')})`,
    exchange: now.ex,
  };
  // a prompt that switched model between two of the reads counts twice or not at all: within what the count
  // moved, that is the change showing, not a fault
  if (hi > lo && off <= hi - lo)
    throw new ChangedViolation(detail, `totalCount moved ${before} → ${after} during the comparison`);
  // every count read once more: a prompt that switched model during the first reading moved two counts for good,
  // so a second reading equal to the first, count for count, was taken while nothing moved — the sum stands
  // — and each switch that bent the first sum by one moved some count by at least one: a sum off by more than all
  // the counts moved together is not the change showing
  const moved: string[] = [];
  let movement = hi - lo;
  const counted = async (query: ListParams, was: number, what: string) => {
    const again = (await ctx.page(query, { fresh: true })).info.totalCount;
    if (again === was) return;
    moved.push(`${what} ${was} → ${json(again)}`);
    movement += typeof again === 'number' ? Math.abs(again - was) : Number.POSITIVE_INFINITY;
  };
  for (const [model, t] of totals) await counted({ limit: MAX_LIMIT, model }, t, `model ${model}`);
  await counted({ limit: MAX_LIMIT }, after, 'totalCount');
  if (off <= movement) throw new ChangedViolation(detail, `counts moved between two readings: ${moved.join(', ')}`);
  const again = moved.length
    ? `; the counts moved by ${movement} in all between two readings`
    : ', the same at a second reading of every count';
  throw new SteadyViolation({ ...detail, actual: `${detail.actual}${again}` });
}

/** A flowId no flow has lists nothing that shows another flow, or is refused (RT-FLOW-FILTER, every run). */
async function expectUnknownFlowEmpty(ctx: RtContext): Promise<void> {
  const unknown = await filteredPage(ctx, { limit: MAX_LIMIT, flowId: UNKNOWN_FLOW_ID });
  const shown = unknown?.items.find((it) => it.flowId !== undefined);
  expectThat(!shown, () => ({
    expected: `no prompts of another flow for flowId ${UNKNOWN_FLOW_ID}`,
    actual: `prompt ${shown?.id} has flowId ${json(shown?.flowId)}`,
    exchange: unknown?.ex,
  }));
}

/**
 * A walk with flowId=f shows no other flow, counts no more than the unfiltered listing, stays in it, and (where prompts
 * expose flowId) lists every prompt of f when both it and the reference ended (RT-FLOW-FILTER).
 */
function expectFlowWalk(ctx: RtContext, flowId: string, exposed: boolean): Promise<void> {
  return ctx.settled(async () => {
    const ref = await ctx.trusted();
    const walk = await filteredWalk(ctx, { flowId }, MAX_LIMIT, Math.min(ctx.settings.walkMaxRows, 300));
    const first = walk?.pages[0];
    if (!walk || !first) return;
    for (const page of walk.pages) {
      const bad = page.items.find((it) => it.flowId !== undefined && it.flowId !== flowId);
      expectSteady(!bad, () => ({
        expected: `only prompts of flow ${flowId}`,
        actual: `prompt ${bad?.id} has flowId ${bad?.flowId}`,
        exchange: page.ex,
      }));
    }
    await expectFilterTotal(ctx, first, ref, { flowId });
    expectSubset(first.ex, ref, walk.items, { flowId });
    if (exposed && ref.complete && walk.complete)
      expectSameSet(
        walk.pages.at(-1)?.ex,
        ref.items.filter((it) => it.flowId === flowId),
        walk.items,
        `the prompts of flow ${flowId}`,
      );
  });
}

/** Every prompt on a page matches the page's filters (RT-FILTER-WALK); a breach is steady, not drift. */
function expectFiltered(page: Page, f: Filters, what: string): void {
  const bad = page.items.map((it) => matchesFilters(it, f)).find((why) => why !== undefined);
  expectSteady(!bad, () => ({
    expected: `every page ${what} filtered by ${describeFilters(f)}`,
    actual: bad ?? '',
    exchange: page.ex,
  }));
}

/**
 * A filtered first page at limit 100, then a walk over about `pages` pages of the same filters: every page filtered,
 * each prompt once (RT-FILTER-WALK). Whether the walk adds up to totalCount is RT-FILTER-TOTAL's business.
 */
async function walkFiltered(ctx: RtContext, f: Filters, pages: number): Promise<void> {
  const first = await filteredPage(ctx, { limit: MAX_LIMIT, ...f });
  if (!first) return;
  expectFiltered(first, f, 'at limit 100');
  const count = Math.min(first.info.totalCount ?? 0, ctx.settings.walkMaxRows);
  if (count < 2) return; // too few to span pages
  const limit = Math.min(MAX_LIMIT, Math.ceil(count / pages));
  // the pages asked for (and one more), enough to cross page edges: a live listing need not be walked to its end
  const walk = await ctx.walk(f, limit, Math.min(rowsFor(ctx, limit), limit * (pages + 1)));
  // a prompt listed twice at a page edge of unfiltered walks too is the cursor's fault, found there
  if (walk.duplicate !== undefined)
    ctx.blockedByFailed(
      ['RT-WALK-FORWARD', 'RT-WALK-TIES'],
      'walks list a prompt twice at a page edge without any filter too',
    );
  expectNoDuplicate(walk);
  for (const page of walk.pages) expectFiltered(page, f, `of the walk at limit ${limit}`);
}

/** Every combination of two or more of the common filters, on one page at limit 100 (RT-FILTER-WALK). */
async function expectCombinationsFiltered(ctx: RtContext, common: Filters): Promise<void> {
  const keys = filterEntries(common).map(([k]) => k);
  for (let mask = 1; mask < 1 << keys.length; mask++) {
    const chosen = keys.filter((_, b) => mask & (1 << b));
    if (chosen.length < 2) continue;
    const f: Filters = Object.fromEntries(chosen.map((k) => [k, common[k]]));
    const page = await filteredPage(ctx, { limit: MAX_LIMIT, ...f });
    if (page) expectFiltered(page, f, 'at limit 100');
  }
}

/**
 * A flow beside a word from the text of one of its prompts (RT-FILTER-WALK): flowId=f&search=w must list that
 * prompt. Membership comes from the flow's own listing, so this holds where prompts do not show their flow and the
 * reference cannot say which prompts a flow holds; a flow-scoped search that forgets the text clause shows here.
 * Two requests (the flow's page is usually cached), for the first flow known: the query path is the same for every flow.
 */
async function expectFlowBesideTextWord(ctx: RtContext, flows: readonly string[]): Promise<void> {
  for (const flowId of flows.slice(0, 1)) {
    const flow = await filteredPage(ctx, { limit: MAX_LIMIT, flowId });
    const hit = flow ? textOnlyWord(flow.items) : undefined;
    if (!hit) continue;
    const { item, word } = hit;
    const combined = await filteredPage(ctx, { limit: MAX_LIMIT, flowId, search: word });
    if (combined?.info.hasMore !== false || combined.items.some((it) => it.id === item.id)) continue;
    // the prompt as its flow lists it now: edited meanwhile (another text), it no longer has to match
    const now = await ctx.page({ limit: MAX_LIMIT, flowId }, { fresh: true });
    const same = now.items.find((it) => it.id === item.id);
    if (!same || same.raw.updatedAt !== item.raw.updatedAt || same.text !== item.text) {
      ctx.noteDrift(`prompt ${item.id} left flow ${flowId} or was edited while its text was searched`);
      continue;
    }
    // a search that misses texts everywhere is the search rule's finding, not the combination's
    ctx.reportUnless(
      'RT-FILTER-WALK',
      {
        expected: `prompt ${item.id} among flowId=${flowId}&search=${word} (listed in that flow, ${json(word)} in its text ${json(brief(item.text, 80))})`,
        actual: `${combined.items.length} prompts without it, hasMore false`,
        exchange: combined.ex,
      },
      ['RT-SEARCH-FINDS', 'RT-SEARCH-MATCH', 'RT-FLOW-FILTER'],
    );
    return;
  }
}

/** A prompt with a word of five or more letters in its text that its name does not hold (any case). */
function textOnlyWord(items: readonly PromptView[]): { item: PromptView; word: string } | undefined {
  for (const item of items) {
    const name = (item.name ?? '').toLowerCase();
    const word = (item.text ?? '').match(/\p{L}{5,}/gu)?.find((w) => !name.includes(w.toLowerCase()));
    if (word) return { item, word };
  }
  return undefined;
}

/**
 * The model beside the first and last word of a name of that model (RT-FILTER-WALK): a combined query that searches
 * one field only shows here; the response audit judges whether each whole page holds every prompt it must.
 */
async function expectModelBesideNameWords(
  ctx: RtContext,
  items: readonly PromptView[],
  model: string | undefined,
): Promise<void> {
  const named = items.find((it) => it.model === model && /\S\s+\S/.test(it.name ?? ''));
  const words = named?.name?.trim().split(/\s+/) ?? [];
  for (const search of new Set([words[0], words.at(-1)].filter((w): w is string => (w?.length ?? 0) >= 3))) {
    const f: Filters = { search, model };
    const page = await filteredPage(ctx, { limit: MAX_LIMIT, ...f });
    if (page) expectFiltered(page, f, 'at limit 100');
  }
}

/**
 * Every filtered page reached by a cursor this run (forward, backward, by any rule) keeps its filters (RT-FILTER-WALK);
 * a filter that fails on first pages as well is the filter's own rule's business (RT-SEARCH-MATCH, RT-MODEL-FILTER, …).
 */
async function expectCursorPagesFiltered(ctx: RtContext): Promise<void> {
  const broken = (page: Page) => page.items.some((it) => matchesFilters(it, pageFilters(page)) !== undefined);
  const firstFails = new Set<string>();
  for (const page of ctx.pagesRead)
    if (page.query.cursor === undefined && broken(page)) firstFails.add(describeFilters(pageFilters(page)));
  await ctx.forEveryPage((page) => {
    const f = pageFilters(page);
    const filtered = f.search !== undefined || f.model !== undefined || f.flowId !== undefined;
    if (filtered && page.query.cursor !== undefined && !firstFails.has(describeFilters(f)))
      expectFiltered(page, f, 'reached by a cursor');
  });
}

export const filterRules = [
  defineRule({
    id: 'RT-MODEL-FILTER',
    doc: 'GET /v1/prompts › Params (model: filter by model ID)',
    basis: 'documented',
    summary: 'model=m returns exactly the prompts whose model is m (exact match: "gpt-4" does not match "gpt-4-turbo")',
    check: async (ctx: RtContext) => {
      const ref = await ctx.listing(1, 'the model filter');
      const arb = modelValue([...new Set(ref.items.map((it) => it.model).filter((m): m is string => !!m))]);
      if (!arb) throw new Skip('no prompt seen carries a model');
      await expectUnknownModelEmpty(ctx);
      await checkProperty(ctx, arb, (model) => expectModelWalk(ctx, model), { maxRuns: 8 });
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
      await expectUnknownFlowEmpty(ctx);
      await checkProperty(ctx, flowValue(flows), (flowId) => expectFlowWalk(ctx, flowId, exposed), { maxRuns: 6 });
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
      await checkProperty(
        ctx,
        subsetFilters(ref.items, ctx.knownFlowIds(ref.items)),
        (filters) =>
          ctx.settled(async () => {
            const ref = await ctx.trusted();
            const page = await filteredPage(ctx, { limit: MAX_LIMIT, ...filters });
            if (!page) return;
            await expectFilterTotal(ctx, page, ref, filters);
            expectSubset(page.ex, ref, page.items, filters);
          }),
        { maxRuns: 12 },
      );
      // every run: each filter alone, then with each other filter added: the result never widens
      const c = commonFilters(ref.items, ctx.knownFlowIds(ref.items));
      const keys = filterEntries(c).map(([k]) => k);
      for (const k of keys)
        for (const g of keys.filter((x) => x !== k))
          await ctx.settled(() => expectNarrower(ctx, { [k]: c[k] }, { [k]: c[k], [g]: c[g] }));
    },
  }),
  defineRule({
    id: 'RT-FILTER-TOTAL',
    doc: 'GET /v1/prompts › Params (filters), Response (pagination.totalCount)',
    basis: 'inferred',
    summary:
      'under filters totalCount counts the filtered prompts: a complete filtered walk yields exactly totalCount; each model counts at least the prompts of it listed, and the models together add up to the unfiltered totalCount',
    check: async (ctx: RtContext) => {
      const ref = await ctx.listing(1, 'filtered totals');
      await checkProperty(
        ctx,
        filterCombo(ref.items, ctx.knownFlowIds(ref.items), { nonEmpty: true }),
        (filters) =>
          ctx.settled(async () => {
            const rows = Math.min(ctx.settings.walkMaxRows, 300);
            const walk = await filteredWalk(ctx, filters, MAX_LIMIT, rows);
            const first = walk?.pages[0];
            if (!walk?.complete || !first) return;
            if (walk.items.length !== first.info.totalCount) await expectWalksAgree(ctx, walk, rows);
            expectThat(walk.items.length === first.info.totalCount, () => ({
              expected: `totalCount ${walk.items.length} (the prompts listed with ${describeFilters(filters)})`,
              actual: `totalCount ${brief(first.info.totalCount)}`,
              exchange: first.ex,
            }));
          }),
        { maxRuns: 6 },
      );
      try {
        await ctx.settled(() => expectModelsAddUp(ctx));
      } catch (e) {
        if (!(e instanceof Violation)) throw e;
        // a model listing that holds the wrong prompts, or another account's, is its own rule's finding
        ctx.reportUnless('RT-FILTER-TOTAL', e.detail, [
          'RT-MODEL-FILTER',
          'RT-FILTER-SUBSET',
          'RT-TOTAL-COUNT',
          'RT-OWNER',
          'RT-ISO-FILTER',
          'RT-ISO-COUNT',
        ]);
      }
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
      // fixed cases first, so every run checks each filter over several pages and every combination on one page
      const common = commonFilters(ref.items, flows);
      for (const [key, value] of filterEntries(common)) await ctx.settled(() => walkFiltered(ctx, { [key]: value }, 3));
      await expectCombinationsFiltered(ctx, common);
      await expectModelBesideNameWords(ctx, ref.items, common.model);
      await expectFlowBesideTextWord(ctx, flows);
      await expectCursorPagesFiltered(ctx);
      // drawn walks beyond them: other values and combinations (the walk plan's and every rule's cursor pages of the
      // common ones are judged above)
      await checkProperty(
        ctx,
        filteredWalkPlan(ref.items, flows),
        ({ filters, pages }) => ctx.settled(() => walkFiltered(ctx, filters, pages)),
        { maxRuns: 3 },
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
          expectThat(isRecord(fa), () => ({
            expected: 'filtersApplied an object',
            actual: brief(fa ?? 'absent'),
            exchange: page.ex,
          }));
          ctx.observe(
            'RT-GAP-FILTERS-APPLIED',
            `sent ${Object.keys(filters).sort().join('+')} → keys ${Object.keys(fa).sort().join(', ') || '(none)'}`,
          );
          const values = appliedValues(fa);
          for (const [key, value] of filterEntries(filters)) {
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
] as const;
