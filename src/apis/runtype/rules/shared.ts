/**
 * Helpers several Runtype rules share: walk sizes, the shared unfiltered walks, filtered first pages, the cursor the
 * reject tables send beside bad values, coverage notes. A helper one rule uses sits beside that rule.
 */
import { isClientError } from '../../../shared/expect';
import { isRecord } from '../../../shared/guards';
import type { Exchange, Query } from '../../../shared/http';
import { expectAnsweredAsUnknown } from '../../../shared/isolation';
import { checkProperty } from '../../../shared/property';
import { SteadyViolation } from '../../../shared/reference/drift';
import { UNKNOWN_FLOW_ID, walkLimit } from '../arbitraries';
import type { RtContext } from '../context';
import {
  describeFilters,
  type Filters,
  idAt,
  type ListParams,
  listQuery,
  type Page,
  readPage,
  type Reference,
  type Walk,
} from '../pager';
import { listingCoverage, type OldSample } from '../old-data';

/** Walks in properties take at most this many pages (the request budget of a live run). */
export const WALK_PAGES = 6;
/** Cases for the properties that walk the unfiltered listing; the same arbitrary and count share cached walks. */
export const WALK_RUNS = 2;

/** Longest walk a property may take: WALK_PAGES pages, never beyond CONFORMANCE_WALK_MAX_ROWS. */
export function rowsFor(ctx: RtContext, limit: number): number {
  return Math.min(ctx.settings.walkMaxRows, limit * WALK_PAGES);
}

/** The whole listing is known and short enough for a property's walk to finish (the deep profile knows more). */
export function fitsWalk(ctx: RtContext, ref: Walk): boolean {
  return ref.complete && ref.items.length <= ctx.settings.walkMaxRows;
}

/** The shared unfiltered walks: same arbitrary, same seed, so rules reuse each other's cached pages. */
export async function sharedWalks(
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
export async function filteredPage(ctx: RtContext, params: ListParams): Promise<Page | undefined> {
  const query = listQuery(params);
  const ex = await ctx.get(query);
  if (params.flowId === UNKNOWN_FLOW_ID) {
    ctx.observe('RT-GAP-FLOW-IDS', `a flowId that matches no flow → ${ex.status}`);
    if (isClientError(ex)) return undefined;
  }
  return ctx.record(readPage(ex, query));
}

export { isRecord } from '../../../shared/guards';

/** A field of a JSON body (`data`, `pagination`), or undefined when the body is not an object. */
export function bodyField(ex: Exchange, key: string): unknown {
  return isRecord(ex.body) ? ex.body[key] : undefined;
}

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The filters a page was read with. */
export function pageFilters(page: Page): Filters {
  const { search, model, flowId } = page.query;
  return { search: text(search), model: text(model), flowId: text(flowId) };
}

const isFilterKey = (k: string): k is keyof Filters => k === 'search' || k === 'model' || k === 'flowId';

/** The filters set, as [key, value] in the order they were set. */
export function filterEntries(f: Filters): [keyof Filters, string][] {
  return Object.entries(f).filter((e): e is [keyof Filters, string] => isFilterKey(e[0]) && typeof e[1] === 'string');
}

/**
 * A walk lists each prompt once. The walk excuses a repeat only where totalCount grew between the two pages (an
 * offset cursor over a listing that gained prompts): a repeat it kept is one no arrival explains, so drift cannot
 * settle it ({@link SteadyViolation}); an odd-limit duplicate on a busy account was excused as change before.
 */
export function expectNoDuplicate(walk: Walk): void {
  if (walk.duplicate === undefined) return;
  throw new SteadyViolation({
    expected: 'each prompt once in a walk',
    actual: `prompt ${idAt(walk, walk.duplicate)} seen twice, totalCount unchanged between the two pages (${walk.pages.length} pages at limit ${walk.limit ?? 'default'}, ${describeFilters(walk.filters)})`,
    exchange: walk.pages.at(-1)?.ex,
  });
}

/** Notes, for a rule whose statement covers the whole listing, how much of it this run read. */
export function coverWhole(ctx: RtContext, ref: Walk, sample?: OldSample): void {
  const note = listingCoverage(ctx, ref, sample);
  if (note !== undefined) ctx.noteCoverage(note);
}

/** A cursor the target issued (from the reference, else from a limit-1 first page): limits are judged on cursor pages too. */
export async function someCursor(ctx: RtContext, ref: Walk): Promise<string | undefined> {
  const issued = ref.pages.map((p) => p.info.nextCursor).find((c): c is string => typeof c === 'string');
  if (issued !== undefined || ref.items.length < 2) return issued;
  const next = (await ctx.page({ limit: 1 })).info.nextCursor;
  return typeof next === 'string' ? next : undefined;
}

/**
 * No existence leak through flowId: the first account's flow, refused to the second key, is answered as a flowId
 * no account holds (same status, same body keys). Only a flow the second account does not list is compared.
 */
export async function expectFlowAnsweredAsUnknown(
  ctx: RtContext,
  queries: readonly Query[],
  ownFlows: ReadonlySet<string | undefined>,
): Promise<void> {
  const query = queries.find((q) => typeof q.flowId === 'string' && !ownFlows.has(q.flowId));
  if (!query) return;
  const foreign = await ctx.get(query, { auth: 'second' });
  const unknown = await ctx.get({ limit: query.limit, flowId: UNKNOWN_FLOW_ID }, { auth: 'second' });
  expectAnsweredAsUnknown(foreign, unknown, `the first account's flowId ${String(query.flowId)} with the second key`);
}
