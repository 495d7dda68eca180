/**
 * Arbitraries for `GET /v1/prompts`, named for what they produce. Values that need data
 * (search terms, models, flowIds, cursors, tie boundaries) are drawn from prompts the target returned.
 */
import fc from 'fast-check';
import { type Filters, MAX_LIMIT, type PromptView } from './pager';

/** A limit sent with or without a cursor (the reject tables' case). */
export interface LimitQuery {
  limit: number | string;
  cursor: string | undefined;
}

/** A well-formed flowId that no target holds (RFC 4122 nil-ish, version 4 shape). */
export const UNKNOWN_FLOW_ID = '00000000-0000-4000-8000-000000000000';

/** A model ID shaped like the real ones that no target serves. */
export const UNKNOWN_MODEL = 'zz-unknown-model-0';

/** An in-range limit, biased to the bounds 1 and 100. */
export function validLimit(): fc.Arbitrary<number> {
  return fc.oneof(fc.constantFrom(1, 2, 99, 100), fc.integer({ min: 1, max: MAX_LIMIT }));
}

/** Integers above the documented maximum of 100. */
export function tooLargeLimit(): fc.Arbitrary<number> {
  return fc.oneof(fc.constantFrom(101, 102, 150, 200, 1000), fc.integer({ min: 101, max: 2 ** 31 - 1 }));
}

/** limit text that is not a positive integer: zero, negatives, decimals, words, lenient-parser bait. */
export function invalidLimit(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom('0', '-1', 'abc', '2.5', '10abc', '', ' ', 'ten', '0x10', 'null', '-0', 'NaN', 'Infinity'),
    fc.integer({ min: -1_000_000, max: 0 }).map(String),
    fc
      .tuple(fc.integer({ min: 1, max: MAX_LIMIT }), fc.constantFrom('.5', 'x', 'abc', ' px', 'e'))
      .map(([i, s]) => `${i}${s}`),
  );
}

/**
 * Page sizes for walks of the unfiltered listing, never 100 (that re-reads the reference) and, for a small
 * listing, below its size so cursors get followed. A complete listing of `total` is walked to its end in
 * at most `maxPages`; a larger one (`complete` false) is walked for `maxPages` at any size.
 */
export function walkLimit(total: number, maxPages: number, complete: boolean): fc.Arbitrary<number> {
  const max = Math.max(1, Math.min(MAX_LIMIT - 1, total - 1));
  const min = complete ? Math.min(max, Math.max(1, Math.ceil(total / maxPages))) : Math.min(max, 10);
  return fc.oneof(fc.constantFrom(min, max), fc.integer({ min, max }));
}

/** Positions b where items b-1 and b share a createdAt: a page ending there splits a tie group. */
export function tieBoundaries(items: readonly PromptView[]): number[] {
  const out: number[] = [];
  for (let b = 1; b < items.length; b++) {
    const a = items[b - 1] as PromptView;
    const c = items[b] as PromptView;
    if (Number.isFinite(a.ms) && a.ms === c.ms) out.push(b);
  }
  return out;
}

/**
 * Page sizes (≥ minLimit) whose page edges, within the first `maxPages` pages, fall inside groups of
 * equal createdAt; those cutting the most groups first.
 */
export function tieCuttingLimits(items: readonly PromptView[], minLimit: number, maxPages: number): number[] {
  const cuts = new Map<number, number>();
  for (const b of tieBoundaries(items))
    for (let l = Math.max(minLimit, Math.ceil(b / (maxPages - 1))); l <= Math.min(MAX_LIMIT - 1, b); l++)
      if (b % l === 0) cuts.set(l, (cuts.get(l) ?? 0) + 1);
  return [...cuts].sort(([l1, c1], [l2, c2]) => c2 - c1 || l1 - l2).map(([l]) => l);
}

export interface SearchTerm {
  term: string;
  /** The term is not in the case it was seen in. */
  caseChanged: boolean;
  /** The prompt it was taken from, and where. */
  sourceId: string;
  field: 'name' | 'text';
}

/**
 * A piece (≥ 3 characters, inside one word) of a name or text actually seen, sometimes in another case.
 * Undefined when no prompt has a usable word.
 */
export function searchTerm(
  items: readonly PromptView[],
  opts: { exactCase?: boolean } = {},
): fc.Arbitrary<SearchTerm> | undefined {
  const sources = items.flatMap((it) =>
    (['name', 'text'] as const).flatMap((field) => {
      const words = (it[field] ?? '').split(/\s+/).filter((w) => w.length >= 3);
      return words.length ? [{ id: it.id, field, words }] : [];
    }),
  );
  if (!sources.length) return undefined;
  const cases = opts.exactCase
    ? fc.constant('exact' as const)
    : fc.constantFrom('exact', 'exact', 'lower', 'upper', 'swap');
  return fc
    .record({ s: fc.nat(), w: fc.nat(), start: fc.nat(), len: fc.integer({ min: 3, max: 12 }), how: cases })
    .map(({ s, w, start, len, how }) => {
      const src = sources[s % sources.length] as (typeof sources)[number];
      const word = src.words[w % src.words.length] as string;
      const from = start % (word.length - 2);
      const piece = word.slice(from, from + len);
      const term =
        how === 'lower'
          ? piece.toLowerCase()
          : how === 'upper'
            ? piece.toUpperCase()
            : how === 'swap'
              ? swapCase(piece)
              : piece;
      return { term, caseChanged: term !== piece, sourceId: src.id, field: src.field };
    });
}

function swapCase(s: string): string {
  return [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** A term no prompt plausibly contains. */
export function noMatchTerm(): fc.Arbitrary<string> {
  return fc.stringMatching(/^[0-9a-f]{8}$/).map((h) => `zq-nomatch-${h}-xv`);
}

/** A model seen, or a prefix of one (exact matching must not widen "gpt-4" to "gpt-4-turbo"). */
export function modelValue(models: readonly string[]): fc.Arbitrary<string> | undefined {
  if (!models.length) return undefined;
  const seen = fc.constantFrom(...models);
  const long = models.filter((m) => m.length >= 3);
  if (!long.length) return seen;
  const prefix = fc.tuple(fc.constantFrom(...long), fc.nat()).map(([m, k]) => m.slice(0, 2 + (k % (m.length - 2))));
  return fc.oneof(seen, prefix);
}

/** A flowId known to exist, or one that surely does not. */
export function flowValue(flowIds: readonly string[]): fc.Arbitrary<string> {
  return flowIds.length
    ? fc.oneof(
        { arbitrary: fc.constantFrom(...flowIds), weight: 3 },
        { arbitrary: fc.constant(UNKNOWN_FLOW_ID), weight: 1 },
      )
    : fc.constant(UNKNOWN_FLOW_ID);
}

/** Any combination of search, model and flowId built from data seen; `nonEmpty` forces at least one. */
export function filterCombo(
  items: readonly PromptView[],
  flowIds: readonly string[],
  opts: { nonEmpty?: boolean } = {},
): fc.Arbitrary<Filters> {
  const term = searchTerm(items);
  const model = modelValue([...new Set(items.map((it) => it.model).filter((m): m is string => !!m))]);
  // each filter present about half the time, so combinations still match something
  const combo = fc.record({
    search: term
      ? fc.option(
          term.map((t) => t.term),
          { nil: undefined, freq: 2 },
        )
      : fc.constant(undefined),
    model: model ? fc.option(model, { nil: undefined, freq: 2 }) : fc.constant(undefined),
    flowId: fc.option(flowValue(flowIds), { nil: undefined, freq: 2 }),
  });
  const clean = combo.map((f): Filters => Object.fromEntries(Object.entries(f).filter(([, v]) => v !== undefined)));
  return opts.nonEmpty ? clean.filter((f) => Object.keys(f).length > 0) : clean;
}

/** A single search filter from a term seen (any case). */
export function searchFilter(items: readonly PromptView[]): fc.Arbitrary<Filters> | undefined {
  return searchTerm(items)?.map((t): Filters => ({ search: t.term }));
}

/** Exactly one of search, model, flowId: filtered listings large enough to span pages. */
export function singleFilter(items: readonly PromptView[], flowIds: readonly string[]): fc.Arbitrary<Filters> {
  const term = searchTerm(items);
  const model = modelValue([...new Set(items.map((it) => it.model).filter((m): m is string => !!m))]);
  const flows = flowIds.length ? [fc.constantFrom(...flowIds).map((flowId): Filters => ({ flowId }))] : [];
  const each = [
    ...(term ? [term.map((t): Filters => ({ search: t.term }))] : []),
    ...(model ? [model.map((m): Filters => ({ model: m }))] : []),
    ...flows,
  ];
  return each.length ? fc.oneof(...each) : fc.constant<Filters>({});
}

/** Cursor text no cursor scheme produces: punctuation or spaces inside, not base64, not JSON. */
export function garbageCursor(): fc.Arbitrary<string> {
  const alnum = fc.stringMatching(/^[A-Za-z0-9]{0,12}$/);
  return fc.oneof(
    fc.constantFrom('not a cursor!', '!!!', '***', '<cursor>', '{"offset":', '%%%', '~~~~'),
    fc
      .tuple(alnum, fc.constantFrom('!', '*', '~', '@', '$', ' ', '(', '<', '"', '{', '^'), alnum)
      .map(([a, c, b]) => `${a}${c}${b}`),
  );
}

/** Real cursors altered: one character changed, cut short, extended. Any answer but a 5xx is fine. */
export function tamperedCursor(real: readonly string[]): fc.Arbitrary<string> {
  if (!real.length) return garbageCursor();
  return fc
    .tuple(fc.constantFrom(...real), fc.nat(), fc.constantFrom('flip', 'cut', 'extend', 'reverse'))
    .map(([c, k, how]) => {
      const i = c.length ? k % c.length : 0;
      if (how === 'cut') return c.slice(0, i);
      if (how === 'extend') return `${c}A${c.slice(0, 3)}`;
      if (how === 'reverse') return [...c].reverse().join('');
      return `${c.slice(0, i)}${c[i] === 'A' ? 'B' : 'A'}${c.slice(i + 1)}`;
    });
}

/** Values that break naive parsers: regex and SQL metacharacters, empties, huge, unicode. */
function hostileText(): fc.Arbitrary<string> {
  return fc.constantFrom(
    '',
    ' ',
    '(',
    '[',
    '*',
    '\\',
    '?',
    '+',
    ')',
    '{',
    '%',
    '%00',
    "'",
    '"',
    "';--",
    '🙂',
    'a'.repeat(300),
    'null',
    'undefined',
    '[]',
    '{}',
    'NaN',
    '-1',
    '0',
    '1e309',
  );
}

/** A query of random, mostly-invalid parameters: the no-5xx fuzz. */
export function anyQuery(sample: {
  cursors: readonly string[];
  models: readonly string[];
}): fc.Arbitrary<Record<string, string>> {
  const text = fc.oneof(hostileText(), fc.string({ maxLength: 12 }), fc.integer().map(String));
  const fields = {
    limit: fc.oneof(text, invalidLimit(), tooLargeLimit().map(String)),
    cursor: fc.oneof(text, garbageCursor(), tamperedCursor(sample.cursors)),
    direction: fc.oneof(text, fc.constantFrom('next', 'prev', 'NEXT', 'back')),
    search: text,
    model: sample.models.length ? fc.oneof(text, fc.constantFrom(...sample.models)) : text,
    flowId: fc.oneof(text, fc.constant(UNKNOWN_FLOW_ID)),
    unknownParam: text,
  };
  return fc.record(fields, { requiredKeys: [] }).filter((q) => Object.keys(q).length > 0) as fc.Arbitrary<
    Record<string, string>
  >;
}

/** limit values every run sends, whatever the seed: zero, negatives, words, decimals, exponent and hex forms, empty. */
export const INVALID_LIMITS = ['0', '-1', '', 'abc', '2.5', '1e2', '0x10'] as const;

/** limit values above the maximum every run sends: one beyond, past 2^31, past 2^53. */
export const TOO_LARGE_LIMITS = ['101', String(2 ** 31), '9007199254740993'] as const;

/**
 * Search terms every run sends, built from a word seen (≥ 5 characters): SQL LIKE specials where a letter was
 * (`Cu_tomer`, `Cu%omer`), regex specials (`Cus.*`, `Cus+`, `(Cus)`, `[Cu]`), the word in upper case, one
 * character, and a term longer than any field. A correct server matches them literally.
 */
export function boundaryTerms(items: readonly PromptView[]): string[] {
  const word = items
    .flatMap((it) => `${it.name ?? ''} ${it.text ?? ''}`.split(/\s+/))
    .find((w) => /^[A-Za-z]{5,}$/.test(w));
  if (!word) return ['a', 'x'.repeat(300)];
  const w = word;
  return [
    `${w.slice(0, 2)}_${w.slice(3)}`,
    `${w.slice(0, 2)}%${w.slice(4)}`,
    `${w.slice(0, 3)}.*`,
    `${w.slice(0, 3)}+`,
    `(${w.slice(0, 3)})`,
    `[${w.slice(0, 2)}]`,
    w.toUpperCase(),
    w.slice(0, 1),
    'x'.repeat(300),
  ];
}

/** The cursor half the time, else none (always none without one). */
export function optionalCursor(cursor: string | undefined): fc.Arbitrary<string | undefined> {
  return cursor === undefined ? fc.constant(undefined) : fc.option(fc.constant(cursor), { nil: undefined });
}

/** A limit above 100, alone or beside the issued cursor. */
export function tooLargeLimitQuery(cursor: string | undefined): fc.Arbitrary<LimitQuery> {
  return fc.tuple(tooLargeLimit(), optionalCursor(cursor)).map(([limit, c]) => ({ limit, cursor: c }));
}

/** A limit that is not a positive integer, alone or beside the issued cursor. */
export function invalidLimitQuery(cursor: string | undefined): fc.Arbitrary<LimitQuery> {
  return fc.tuple(invalidLimit(), optionalCursor(cursor)).map(([limit, c]) => ({ limit, cursor: c }));
}

/** An in-range limit, without a cursor a third of the time, else beside one the target issued. */
export function inRangeLimitQuery(
  cursors: readonly string[],
): fc.Arbitrary<{ limit: number; cursor: string | undefined }> {
  const cursor = cursors.length
    ? fc.option(fc.constantFrom(...cursors), { nil: undefined, freq: 2 })
    : fc.constant(undefined);
  return fc.record({ limit: validLimit(), cursor });
}

/** A first page's query: some filters (or none) and a limit (or the default). */
export function firstPageQuery(
  items: readonly PromptView[],
  flowIds: readonly string[],
): fc.Arbitrary<{ filters: Filters; limit: number | undefined }> {
  return fc.record({ filters: filterCombo(items, flowIds), limit: fc.option(validLimit(), { nil: undefined }) });
}

/** Non-empty filter sets, search alone weighing as much as every combination (where a user scope gets lost). */
export function subsetFilters(items: readonly PromptView[], flowIds: readonly string[]): fc.Arbitrary<Filters> {
  const combo = filterCombo(items, flowIds, { nonEmpty: true });
  const search = searchFilter(items);
  return search ? fc.oneof(search, combo) : combo;
}

/** A filtered walk to take: one filter or several, over 2 to 4 pages. */
export function filteredWalkPlan(
  items: readonly PromptView[],
  flowIds: readonly string[],
): fc.Arbitrary<{ filters: Filters; pages: number }> {
  const filters = fc.oneof(singleFilter(items, flowIds), filterCombo(items, flowIds, { nonEmpty: true }));
  return fc.record({ filters, pages: fc.integer({ min: 2, max: 4 }) });
}
