/**
 * Old data at a fixed small cost. Runtype has no time filter and its cursors are opaque (published facts), so a
 * page far into the listing cannot be asked for directly; a *sparse* filter can: a search term whose matches,
 * extrapolated from the walked part, fit one page at limit 100 lists prompts from the whole listing, oldest
 * included, in one request. The default profile reads a few such pages every run; the deep profile walks the
 * listing itself (up to {@link DEEP_ROWS}) and samples only beyond that.
 */
import { Violation } from '../../shared/rule';
import type { RtContext } from './context';
import { DEEP_ROWS, fold, ids, MAX_LIMIT, type Page, type PromptView, type Walk } from './pager';

/** Sparse-term pages read per run when the walk did not reach the end of the listing. */
export const SAMPLE_PAGES = 3;
/** Matches a sample term may be expected to have: one page at limit 100, with room for the estimate's error. */
const MAX_EXPECTED = 80;
/** Fewer expected matches than this spread too thinly to be worth a request. */
const MIN_EXPECTED = 8;
/** Candidate terms weighed per run: bounds the time spent choosing (the walked prompts × candidates). */
const MAX_CANDIDATES = 400;

export interface OldSample {
  /** The sampled pages (also recorded for the page-metadata rules). */
  pages: Page[];
  /** Prompts on them that the walk did not reach. */
  beyondWalk: PromptView[];
  terms: string[];
}

/** The run's sample of prompts beyond the walk (none when the walk read the whole listing). Memoised. */
export function oldDataSample(ctx: RtContext, ref: Walk): Promise<OldSample> {
  return ctx.memo('old-data-sample', async () => {
    const total = ref.pages[0]?.info.totalCount;
    if (ref.complete || total === undefined || total <= ref.items.length || !ref.items.length)
      return { pages: [], beyondWalk: [], terms: [] };
    const terms = sparseTerms(ref.items, total, SAMPLE_PAGES);
    const pages: Page[] = [];
    for (const search of terms) {
      try {
        pages.push(await ctx.page({ limit: MAX_LIMIT, search }));
      } catch (e) {
        // a refused search page is the search rules' finding; the sample goes on without it
        if (!(e instanceof Violation)) throw e;
      }
    }
    const walked = new Set(ids(ref.items));
    const beyond = new Map<string, PromptView>();
    for (const it of pages.flatMap((p) => p.items)) if (!walked.has(it.id)) beyond.set(it.id, it);
    return { pages, beyondWalk: [...beyond.values()], terms };
  });
}

/**
 * Up to `k` terms taken from the walked prompts (words, whole names, whole texts) whose match count over the whole
 * listing, estimated as matches in the walk × totalCount ÷ prompts walked, fits one page: the densest such first,
 * each matching a different set of walked prompts.
 */
export function sparseTerms(items: readonly PromptView[], total: number, k: number): string[] {
  const candidates = new Set<string>();
  for (const it of items) {
    for (const f of [it.name, it.text]) {
      if (!f) continue;
      candidates.add(f);
      for (const w of f.split(/[^\p{L}\p{N}]+/u)) if (w.length >= 4) candidates.add(w);
    }
    if (candidates.size >= MAX_CANDIDATES) break;
  }
  const scale = total / items.length;
  // folded once: a candidate is weighed against every walked prompt
  const texts = items.map((it) => ({ id: it.id, f: [it.name, it.text].map((x) => (x ? fold(x) : '')) }));
  const scored = [...candidates]
    .map((term) => {
      const t = fold(term);
      const hits = texts.filter((x) => x.f.some((f) => f.includes(t)));
      return { term, hits: hits.map((x) => x.id).join(), expected: hits.length * scale };
    })
    .filter((c) => c.expected >= MIN_EXPECTED && c.expected <= MAX_EXPECTED)
    .sort((a, b) => b.expected - a.expected || (a.term < b.term ? -1 : 1));
  const out: string[] = [];
  const sets = new Set<string>();
  for (const c of scored) {
    if (sets.has(c.hits)) continue;
    sets.add(c.hits);
    out.push(c.term);
    if (out.length >= k) break;
  }
  return out;
}

/**
 * What a rule over the whole listing covered, for its verdict: nothing to say when an ordinary run read it all;
 * the cost when the deep profile did; otherwise how far the walk went, what the sample added, and what to run.
 */
export function listingCoverage(ctx: RtContext, ref: Walk, sample?: OldSample): string | undefined {
  const total = ref.pages[0]?.info.totalCount;
  const n = ref.items.length;
  const deep = ctx.settings.depth === 'deep';
  if (ref.complete)
    return deep ? `read ${fmt(n)} of ${fmt(total ?? n)} prompts in ${ref.pages.length} requests` : undefined;
  const of = total === undefined ? '' : ` of ${fmt(total)}`;
  const sampled = sample?.beyondWalk.length
    ? ` and ${fmt(sample.beyondWalk.length)} older prompts sampled by ${sample.pages.length} search pages`
    : '';
  const rest = deep
    ? `the deep profile stops at ${fmt(Math.max(ctx.settings.walkMaxRows, DEEP_ROWS))}`
    : 'run CONFORMANCE_DEPTH=deep for the rest';
  return `checked over the first ${fmt(n)}${of} prompts${sampled}; ${rest}`;
}

function fmt(n: number): string {
  return n.toLocaleString('en');
}
