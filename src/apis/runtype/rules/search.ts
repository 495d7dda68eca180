/**
 * Runtype rules on the search filter (GET /v1/prompts › Params (search: by name or text)).
 */
import { expectStatus, isClientError, json } from '../../../shared/expect';
import { checkProperty } from '../../../shared/property';
import { Blocked, brief, defineRule, expectThat, Skip } from '../../../shared/rule';
import { boundaryTerms, noMatchTerm, type SearchTerm, searchTerm } from '../arbitraries';
import type { RtContext } from '../context';
import {
  containsAnyCase,
  containsExact,
  ids,
  listQuery,
  MAX_LIMIT,
  matchesFilters,
  type Page,
  readPage,
  type Walk,
} from '../pager';
import { bodyField } from './shared';

/** Every prompt on the page has the term in its name or text, in any case (RT-SEARCH-MATCH). */
function expectAllMatch(page: Page, search: string, expected: string): void {
  const bad = page.items.find((it) => !containsAnyCase(it, search));
  expectThat(!bad, () => ({
    expected,
    actual: bad ? (matchesFilters(bad, { search }) ?? '') : '',
    exchange: page.ex,
  }));
}

/**
 * A boundary term (LIKE or regex specials, one character, 300 characters) matches literally (RT-SEARCH-MATCH);
 * refusing a term is the server's choice (the docs set no limits), a 5xx is RT-NO-5XX's finding.
 */
async function judgeBoundaryTerm(ctx: RtContext, search: string): Promise<void> {
  const query = listQuery({ limit: MAX_LIMIT, search });
  const ex = await ctx.get(query);
  if (ex.status >= 500) return;
  if (isClientError(ex)) {
    ctx.observe('RT-GAP-EMPTY-PARAM', `search=${brief(search, 24)} → ${ex.status}`);
    return;
  }
  expectAllMatch(
    ctx.record(readPage(ex, query)),
    search,
    `every prompt has ${json(search)} (literally, any case) in name or text`,
  );
}

/** Every page of a walk with search=t matches t (RT-SEARCH-MATCH); a term in another case tells the search's case rule. */
async function expectSearchWalk(ctx: RtContext, ref: Walk, t: SearchTerm): Promise<void> {
  const walk = await ctx.walk({ search: t.term }, MAX_LIMIT, Math.min(ctx.settings.walkMaxRows, 300));
  for (const page of walk.pages) expectAllMatch(page, t.term, `every prompt has "${t.term}" in name or text`);
  if (t.caseChanged && ref.complete && walk.complete) observeSearchCase(ctx, ref, t.term, walk.items.length);
}

/** How many prompts a term in another case found, against the exact-case and any-case counts (RT-GAP-SEARCH-CASE). */
function observeSearchCase(ctx: RtContext, ref: Walk, term: string, n: number): void {
  const exact = ref.items.filter((it) => containsExact(it, term)).length;
  const folded = ref.items.filter((it) => containsAnyCase(it, term)).length;
  if (folded <= exact) return;
  ctx.observe(
    'RT-GAP-SEARCH-CASE',
    n >= folded
      ? 'case-insensitive: a term in another case found it in any case'
      : n <= exact
        ? 'case-sensitive: a term in another case found only exact-case matches'
        : 'mixed: a term in another case found some other-case matches',
  );
}

export const searchRules = [
  defineRule({
    id: 'RT-SEARCH-MATCH',
    doc: 'GET /v1/prompts › Params (search: by name or text)',
    basis: 'documented',
    summary:
      'with search=t every prompt has t in its name or text (any case), on every page; LIKE (% _) and regex (.*+()[]) specials, other case, one character and 300 characters included',
    check: async (ctx: RtContext) => {
      const ref = await ctx.listing(1, 'search');
      // boundary terms first, every run: LIKE and regex specials must match literally
      for (const search of boundaryTerms(ref.items)) await judgeBoundaryTerm(ctx, search);
      const term = searchTerm(ref.items);
      if (!term) throw new Skip('no prompt has a word of 3+ characters in its name or text');
      await checkProperty(ctx, term, (t) => expectSearchWalk(ctx, ref, t), { maxRuns: 4 });
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
          const data = bodyField(ex, 'data');
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
] as const;
