/**
 * Runtype rules on walks: following nextCursor forward, prevCursor back, and page edges inside groups sharing a
 * createdAt (GET /v1/prompts › Params (cursor, direction)).
 */
import fc from 'fast-check';
import { json } from '../../../shared/expect';
import type { Exchange } from '../../../shared/http';
import { checkProperty } from '../../../shared/property';
import { brief, defineRule, expectThat, Skip, Violation, type ViolationDetail } from '../../../shared/rule';
import { ChangedViolation, SteadyViolation } from '../../../shared/reference/drift';
import { sequenceDiff } from '../../../shared/sequence';
import { tieBoundaries, tieCuttingLimits } from '../arbitraries';
import type { RtContext } from '../context';
import {
  CHECK_LIMIT,
  commonFilters,
  describeFilters,
  type Filters,
  idAt,
  ids,
  MAX_LIMIT,
  mayRankOwnWay,
  modeLabel,
  orderBreak,
  orderSeen,
  promptsFollow,
  type Walk,
} from '../pager';
import { oldDataSample } from '../old-data';
import { coverWhole, expectNoDuplicate, filteredPage, fitsWalk, rowsFor, sharedWalks, WALK_PAGES } from './shared';

/**
 * The walk lists the reference's prompts in the reference's order from its start, and all of them when both ended.
 * Prompts the reference lacks are allowed as far as totalCount grew (created during the run, wherever the order puts
 * them). A gap or disorder is reported at once ({@link SteadyViolation}) when drift cannot explain it: the count never
 * fell, no more prompts appeared than it grew, and a fresh reading still lists the prompt the walk skipped. Otherwise
 * it is a plain violation, which {@link RtContext.settled} re-reads before it reports.
 */
async function expectSameListing(ctx: RtContext, walk: Walk, ref: Walk, what: string): Promise<void> {
  const last = walk.pages.at(-1);
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
      exchange: last?.ex,
    });
  const span = Math.min(old.length, ref.items.length);
  const listed = new Set(ids(old));
  const diff = sequenceDiff(ids(ref.items.slice(0, span)), ids(old.slice(0, span)));
  if (diff !== undefined)
    await report(
      {
        expected: `${what}: the first ${span} prompts in the order the walk at limit 100 lists them`,
        actual: diff,
        exchange: last?.ex,
      },
      ref.items.slice(0, span).find((it) => !listed.has(it.id))?.id,
    );
  const missing = ref.complete && walk.complete ? ref.items.find((it) => !listed.has(it.id)) : undefined;
  if (missing)
    await report(
      {
        expected: `${what}: every prompt the walk at limit 100 lists`,
        actual: `${old.length} of ${ref.items.length}; missing ${missing.id} (createdAt ${json(missing.raw.createdAt)})`,
        exchange: last?.ex,
      },
      missing.id,
    );
}

/** Walks forward, then back by prevCursor alone or with each configured direction value; fails when no way walks back. */
async function walkBackAnyMode(ctx: RtContext, filters: Filters, limit: number): Promise<void> {
  const walk = await ctx.walk(filters, limit, rowsFor(ctx, limit));
  if (walk.pages.length < 2) return;
  const tried: string[] = [];
  let firstFailure: { why: string; ex: Exchange | undefined; steady?: boolean; joined?: string } | undefined;
  // once a way of sending prevCursor worked this run, it is the target's way: a walk back that then fails (the
  // listing moved) is not retried with every other direction value (each a request that proves nothing)
  for (const mode of ctx.backModes()) {
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
  const detail = {
    expected: `prevCursor to give back the ${walk.pages.length} pages of the walk at limit ${limit} (${describeFilters(filters)}) in reverse (alone or with direction ${ctx.rt.directionValues.join('|')})`,
    actual: brief(tried.join(' · '), 600),
    exchange: firstFailure?.ex,
  };
  if (firstFailure?.joined !== undefined)
    throw new ChangedViolation(
      detail,
      `prompt ${firstFailure.joined} joined the ${describeFilters(filters)} listing while it was walked back`,
    );
  throw new (firstFailure?.steady ? SteadyViolation : Violation)(detail);
}

function observeOrder(ctx: RtContext, ref: Walk): void {
  const ms = ref.items.map((it) => it.ms);
  if (ms.some((t) => Number.isNaN(t))) {
    ctx.observe('RT-GAP-ORDER', 'some prompts have no readable createdAt; order not judged');
    return;
  }
  const desc = ms.every((t, i) => i === 0 || t <= (ms[i - 1] ?? t));
  const asc = ms.every((t, i) => i === 0 || t >= (ms[i - 1] ?? t));
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

/**
 * A tie walk that differs from the listing because its own pages break the listing's createdAt order: that is
 * RT-PAGE-ORDER's finding (blocked once it failed; otherwise reported only if it does not fail). Any other
 * difference is rethrown.
 */
async function deferToOrder(ctx: RtContext, walk: Walk, e: unknown): Promise<void> {
  if (!(e instanceof Violation) || e instanceof ChangedViolation) throw e;
  const seen = orderSeen(ctx, (await ctx.reference()).items);
  const lenient = mayRankOwnWay(walk.filters);
  if (!seen || !walk.pages.some((p) => orderBreak(p, seen.order, seen.at, lenient) !== undefined)) throw e;
  ctx.blockedByFailed(['RT-PAGE-ORDER'], "the walk's own pages break the listing's createdAt order");
  ctx.reportUnless('RT-WALK-TIES', e.detail, ['RT-PAGE-ORDER']);
}

/**
 * A walk that ended where its last page's own figures (currentOffset + prompts < totalCount) say prompts follow ends
 * early by hasMore: once RT-PAGE-HASMORE failed, the walk cannot show how ties are cut.
 */
function blockedByEarlyEnd(ctx: RtContext, walk: Walk): void {
  const last = walk.pages.at(-1);
  if (walk.complete && last && promptsFollow(last))
    ctx.blockedByFailed(
      ['RT-PAGE-HASMORE'],
      `the walk at limit ${walk.limit} ended early, its last page saying hasMore false`,
    );
}

/** A walk whose page edges cut tie groups lists the trusted listing's prompts once, in its order (RT-WALK-TIES). */
function expectTiesWalk(ctx: RtContext, limit: number): Promise<void> {
  return ctx.settled(async () => {
    const ref = await ctx.trusted();
    const walk = await ctx.walk({}, limit, rowsFor(ctx, limit));
    blockedByEarlyEnd(ctx, walk);
    expectNoDuplicate(walk);
    // one listing has one order, whatever the page size (no direction is assumed: RT-GAP-ORDER)
    await expectSameListing(
      ctx,
      walk,
      ref,
      `the walk at limit ${limit} (its page edges inside groups sharing a createdAt)`,
    ).catch((e) => deferToOrder(ctx, walk, e));
  });
}

/**
 * A filtered listing holds its ties in one order too (RT-WALK-TIES): the model's walk at limit 100, then again at the
 * size cutting most of its tie groups.
 */
function expectModelTiesWalk(ctx: RtContext, model: string): Promise<void> {
  return ctx.settled(async () => {
    const full = await ctx.walk({ model }, MAX_LIMIT, 300);
    if (!full.complete || full.items.length < 3) return;
    const [cut] = tieCuttingLimits(full.items, Math.max(1, Math.ceil(full.items.length / WALK_PAGES)), WALK_PAGES);
    if (cut === undefined) return;
    const walk = await ctx.walk({ model }, cut, rowsFor(ctx, cut));
    blockedByEarlyEnd(ctx, walk);
    expectNoDuplicate(walk);
    await expectSameListing(
      ctx,
      walk,
      full,
      `the walk at limit ${cut} with model=${json(model)} (its page edges inside groups sharing a createdAt)`,
    ).catch((e) => deferToOrder(ctx, walk, e));
  });
}

export const walkRules = [
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
        const last = walk.pages.at(-1);
        expectNoDuplicate(walk);
        expectThat(walk.stalled === undefined, () => ({
          expected: 'every page after nextCursor to hold prompts, or hasMore false',
          actual: `page ${(walk.stalled ?? 0) + 1} at limit ${limit} added nothing and said hasMore true`,
          exchange: walk.pages[walk.stalled ?? 0]?.ex,
        }));
        // no gap, no overlap, even where the listing is too long to finish: both walks read one listing from its start
        await expectSameListing(ctx, walk, ref, `the walk at limit ${limit}`);
        const total = walk.pages[0]?.info.totalCount;
        // a listing that fits the walk bound must end inside it; a larger live listing has no exact expectation
        if (total !== undefined && total <= rowsFor(ctx, limit))
          expectThat(walk.complete, () => ({
            expected: `hasMore false within ${walk.pages.length} pages of ${limit} (totalCount ${total})`,
            actual: `hasMore ${brief(last?.info.hasMore)}, nextCursor ${brief(last?.info.nextCursor)}`,
            exchange: last?.ex,
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
      const cases: { filters: Filters; limit: number }[] = [{ filters: {}, limit: Math.min(small, MAX_LIMIT) }];
      // a second unfiltered size only where the first is small: two walks back in pages of 70 and 100 read one path
      if (small < CHECK_LIMIT) cases.push({ filters: {}, limit: Math.min(CHECK_LIMIT, Math.max(1, n - 1)) });
      const f = common.model === undefined ? {} : { model: common.model };
      const fc0 = (await filteredPage(ctx, { limit: MAX_LIMIT, ...f }))?.info.totalCount ?? 0;
      // within the documented 1–100: a large filtered listing walks back in pages of at most the maximum (its own
      // walk, read just before: the walk plan's pages of it are older, and the listing may have moved since)
      if (fc0 > 1)
        cases.push({
          filters: f,
          limit: Math.min(MAX_LIMIT, Math.max(1, Math.ceil(Math.min(fc0, ctx.settings.walkMaxRows) / 4))),
        });
      for (const { filters, limit } of cases) await ctx.settled(() => walkBackAnyMode(ctx, filters, limit));
    },
  }),
  defineRule({
    id: 'RT-PAGE-ORDER',
    doc: 'GET /v1/prompts › Params (cursor pagination needs one order), Response (createdAt)',
    basis: 'inferred',
    summary:
      'every page keeps the order the walked listing shows by createdAt (newest or oldest first): pages far into the listing, pages reached by a cursor, model pages, and search or flow pages beyond a ranking of their own',
    check: async (ctx: RtContext) => {
      // a deep walk whose two page sizes differ because old pages keep their own order: found building the reference
      await ctx.reportFinding('RT-PAGE-ORDER');
      const ref = await ctx.listing(3, 'the listing order');
      const seen = orderSeen(ctx, ref.items);
      if (!seen) throw new Skip('the walked listing is not ordered by createdAt (RT-GAP-ORDER): no order to keep');
      // old data: pages of prompts far beyond the walk, where an old store may keep its own order
      const sample = await oldDataSample(ctx, ref);
      coverWhole(ctx, ref, sample);
      await ctx.forEveryPage((page) => {
        const why = orderBreak(page, seen.order, seen.at, mayRankOwnWay(page.query));
        return why === undefined
          ? undefined
          : {
              expected: `every page ${seen.order} by createdAt, as the walked listing is`,
              actual: why,
              exchange: page.ex,
            };
      });
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
      // a walk that lists a prompt twice or skips one at a page edge breaks every tie-cutting walk too
      ctx.blockedByFailed(['RT-WALK-FORWARD'], 'forward walks list a prompt twice or skip one at a page edge');
      const ref = await ctx.listing(3, 'tie groups');
      const n = Math.min(ref.items.length, ctx.settings.walkMaxRows);
      // the page sizes cutting the most tie groups: each cut is a chance for an unordered tie to show
      const minLimit = fitsWalk(ctx, ref) ? Math.max(1, Math.ceil(n / WALK_PAGES)) : 1;
      const limits = tieCuttingLimits(ref.items, minLimit, WALK_PAGES).slice(0, 6);
      if (!limits.length) throw new Skip('no page size ends a page inside a group of prompts sharing a createdAt');
      await checkProperty(ctx, fc.constantFrom(...limits), (limit) => expectTiesWalk(ctx, limit), { maxRuns: 2 });
      const { model } = commonFilters(ref.items, []);
      if (model !== undefined) await expectModelTiesWalk(ctx, model);
    },
  }),
] as const;
