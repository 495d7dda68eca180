/** One fault per rule: the reference provider with exactly that behaviour broken. A missing entry fails to compile. */
import type { IsolationKnob } from '../../shared/accounts';
import type { Drift, ExtraFault, Fault } from '../../shared/api';
import { isolationFaults } from './isolation';
import type { RtKnob } from './provider';
import type { RtRuleId } from './rules';

export const faults: Record<RtRuleId, Fault<RtKnob | IsolationKnob>> = {
  'RT-RESP-SHAPE': {
    knob: 'prev-cursor-omitted',
    description: 'drops prevCursor from pagination when it is null (undefined, not null)',
  },
  'RT-PROMPT-SCHEMA': { knob: 'estimated-tokens-string', description: 'sends estimatedTokens as a string ("150")' },
  'RT-PROMPT-COST': { knob: 'estimated-cost-number', description: 'sends estimatedCost as a JSON number (0.0025)' },
  'RT-PROMPT-DATES': {
    knob: 'dates-not-iso',
    description: 'sends createdAt/updatedAt as "2024-06-10 09:15:00" (no T, no zone)',
  },
  'RT-PROMPT-UPDATED': {
    knob: 'updated-before-created',
    description:
      'sends, for one batch of prompts, an updatedAt three hours before createdAt (local time written without a zone)',
  },
  'RT-PROMPT-ID': { knob: 'id-numeric', description: 'exposes numeric row ids ("42") instead of UUIDs' },
  'RT-OWNER': { knob: 'other-users-prompts', description: "lists another user's prompts too" },
  'RT-LIMIT-DEFAULT': { knob: 'default-limit-20', description: 'uses a default page size of 20' },
  'RT-LIMIT-BOUND': { knob: 'limit-plus-one', description: 'returns limit + 1 prompts' },
  'RT-LIMIT-MAX': { knob: 'limit-max-200', description: 'accepts limit up to 200 (101 gives 101 prompts)' },
  'RT-LIMIT-INVALID': {
    knob: 'limit-unvalidated',
    description: 'parses limit with parseInt and no checks ("abc" crashes, "-1" slices from the end)',
  },
  'RT-ERROR-CONTEXT': {
    knob: 'limit-lenient-with-search',
    description: 'parses limit leniently on the search path: limit=abc with search gives a page, alone a 400',
  },
  'RT-PAGE-FIRST': { knob: 'has-prev-on-first', description: 'says hasPrev true on the first page' },
  'RT-PAGE-POSITION': { knob: 'current-page-zero-based', description: 'counts currentPage from 0' },
  'RT-PAGE-TOTALPAGES': { knob: 'total-pages-floor', description: 'computes totalPages with floor instead of ceil' },
  'RT-PAGE-LINKS': {
    knob: 'next-cursor-on-last-page',
    description: 'sends a nextCursor on the last page (hasMore false)',
  },
  'RT-PAGE-HASMORE': {
    knob: 'hasmore-off-by-one',
    description: 'computes hasMore as offset + limit <= total (true on an exactly-full last page)',
  },
  'RT-TOTAL-COUNT': {
    knob: 'total-count-plus-two',
    description: 'reports totalCount two higher without filters (a cached count that still includes deleted prompts)',
  },
  'RT-WALK-FORWARD': {
    knob: 'cursor-skips-one',
    description: 'puts offset + limit + 1 in nextCursor, skipping a prompt at every page edge',
  },
  'RT-WALK-BACKWARD': { knob: 'prev-cursor-off-by-one', description: 'puts offset - limit + 1 in prevCursor' },
  'RT-WALK-TIES': {
    knob: 'tie-order-by-page',
    description: 'orders by createdAt without a tie-breaker (tie order differs page to page)',
  },
  'RT-PAGE-ORDER': {
    knob: 'old-rows-id-order',
    description:
      'lists the prompts of a page that come from the old store (beyond the newest 1,000) in id order, in the places they hold on the page',
    rows: 1_500,
  },
  'RT-SEARCH-MATCH': { knob: 'search-ignored', description: 'ignores search' },
  'RT-SEARCH-FINDS': { knob: 'search-name-only', description: 'searches the name only, not the text' },
  'RT-SEARCH-EMPTY': { knob: 'data-null-when-empty', description: 'answers data: null when nothing matches' },
  'RT-MODEL-FILTER': {
    knob: 'model-substring',
    description: 'matches model as a substring ("gpt-4o" also lists "gpt-4o-mini")',
  },
  'RT-FLOW-FILTER': { knob: 'flow-filter-ignored', description: 'ignores flowId' },
  'RT-FILTER-SUBSET': { knob: 'search-ignores-owner', description: "searches every user's prompts" },
  'RT-FILTER-TOTAL': {
    knob: 'filter-total-unfiltered',
    description: 'reports the unfiltered totalCount under filters',
  },
  'RT-FILTER-WALK': { knob: 'filter-dropped-with-cursor', description: 'drops the filters once a cursor is given' },
  'RT-FILTERS-APPLIED': { knob: 'filters-applied-empty', description: 'always answers filtersApplied {}' },
  'RT-CURSOR-GARBAGE': { knob: 'garbage-cursor-500', description: 'crashes with 500 on a cursor it cannot decode' },
  'RT-AUTH-MISSING': { knob: 'auth-optional', description: 'lets a request without Authorization through' },
  'RT-AUTH-WRONG': { knob: 'auth-any-key', description: 'accepts any bearer token' },
  'RT-DETERMINISTIC': { knob: 'shuffle-ties', description: 'returns prompts sharing a createdAt in random order' },
  'RT-NO-5XX': { knob: 'search-as-regex', description: 'builds a RegExp from search ("(" crashes with 500)' },
  'RT-RESP-JSON': { knob: 'errors-plain-text', description: 'answers errors as text/plain' },
  ...isolationFaults,
};

/** Further realistic faults, each owned by one rule: faults that hide in combinations, boundaries, pages reached backward, old data. */
export const extraFaults: readonly ExtraFault<RtRuleId, RtKnob>[] = [
  {
    rule: 'RT-FILTER-WALK',
    knob: 'model-dropped-with-search',
    description: 'drops the model filter when a search is also given',
  },
  {
    rule: 'RT-PAGE-TOTALPAGES',
    knob: 'total-pages-exact-divisor',
    description: 'computes totalPages as floor(total / limit) + 1 (one too many when limit divides totalCount)',
  },
  {
    rule: 'RT-PAGE-POSITION',
    knob: 'current-page-off-backward',
    description: 'counts currentPage from 0 on pages reached by prevCursor',
  },
  {
    rule: 'RT-PAGE-HASMORE',
    knob: 'has-prev-lost-late-filtered',
    description: 'says hasPrev false (prevCursor null) on filtered pages past the second',
  },
  {
    rule: 'RT-LIMIT-MAX',
    knob: 'limit-clamp-first-page-only',
    description: 'clamps limit to 100 only without a cursor (limit=150 with a cursor gives 150)',
  },
  {
    rule: 'RT-SEARCH-MATCH',
    knob: 'search-like-wildcards',
    description: 'treats % and _ in search as SQL LIKE wildcards',
  },
  {
    rule: 'RT-PAGE-HASMORE',
    knob: 'search-after-paging',
    description: 'applies search after paging, so pages come back short or empty while hasMore stays true',
  },
  {
    rule: 'RT-FILTER-WALK',
    knob: 'search-name-only-with-flow',
    description:
      'searches names only when a flowId is also given (the flow-scoped query path loses the text clause); prompts need not show their flow',
  },
  {
    rule: 'RT-PAGE-HASMORE',
    knob: 'filtered-hasmore-early',
    description:
      'says hasMore false (nextCursor null) one page early under any filter: a filtered walk ends short of totalCount, which is right',
  },
  {
    rule: 'RT-WALK-FORWARD',
    knob: 'odd-limit-repeat',
    description:
      'starts the next page on the last prompt of the page before at odd limits (a rounding in the cursor); each page says truly where it starts',
  },
  {
    rule: 'RT-LIMIT-MAX',
    knob: 'limit-max-refused',
    description:
      'refuses limit=100, the documented maximum, with 400 (an off-by-one bound): the rules that page at 100 are blocked by it, not failed',
  },
  {
    rule: 'RT-FILTER-TOTAL',
    knob: 'model-count-prefix',
    description:
      'counts, in totalCount under a model filter, every prompt whose model starts with it (a count query apart from the page query: gpt-4o counts gpt-4o-mini too)',
  },
  {
    rule: 'RT-PROMPT-SCHEMA',
    knob: 'old-rows-tokens-string',
    description: 'sends estimatedTokens as a string on prompts beyond the newest 1,000 (old data)',
    rows: 1_500,
  },
  {
    rule: 'RT-PROMPT-COST',
    knob: 'archive-rows-cost-number',
    description: 'sends estimatedCost as a JSON number on prompts beyond the newest 10,000 (the archive tier)',
    rows: 12_000,
  },
];

/** Two-account faults beyond one per rule: existence leaks through the other account's cursor and flowId. */
export const isolationExtraFaults: readonly ExtraFault<RtRuleId, IsolationKnob>[] = [
  {
    rule: 'RT-ISO-CURSOR',
    knob: 'foreign-cursor-refused-apart',
    description:
      "refuses another account's cursor with 401 while a cursor no account was issued gets 400 (the answer tells which cursors are real)",
  },
  {
    rule: 'RT-ISO-FILTER',
    knob: 'foreign-filter-refused-apart',
    description:
      "refuses another account's flowId with 401 while a flowId that exists nowhere gets an empty page (the answer tells which flows exist)",
  },
];

/**
 * Faults the response audit's completeness check sees in whatever request shows them (any rule's search or
 * model page that holds a whole listing): their self-tests run the whole catalogue, not the owner alone.
 */
export const auditFaults: readonly ExtraFault<RtRuleId, RtKnob>[] = [
  {
    rule: 'RT-SEARCH-FINDS',
    knob: 'search-skips-last-name-word',
    description: "never finds a name's last word (a tokenizer that drops the final token)",
  },
  {
    rule: 'RT-FILTER-WALK',
    knob: 'search-text-only-with-model',
    description: 'searches texts only when a model is also given (the combined query loses the name clause)',
  },
];

/** Data changing during a self-test run as on a busy staging account: a change every 20 requests (a run sends ~250). */
export const drifts: Readonly<Record<string, Drift>> = {
  'a new prompt arrives every 20 requests': { addEvery: 20 },
  'a prompt is edited (name, text, updatedAt) every 20 requests': { editEvery: 20 },
  'a prompt switches model every 20 requests': { statusEvery: 20 },
};
