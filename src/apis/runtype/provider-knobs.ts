/**
 * What the embedded Runtype provider can be told: its fault knobs (one deliberate deviation each), its variants
 * (choices the docs leave open) and its options. Types only, so the rules' fault table and the self-tests name a
 * knob without loading the handler.
 */
import type { Chaos } from '../../shared/server';
import type { Drift } from '../../shared/api';

/** One deliberate deviation each; `faults.ts` maps every rule to the knob that breaks it. */
export type RtKnob =
  | 'prev-cursor-omitted'
  | 'estimated-tokens-string'
  | 'estimated-cost-number'
  | 'dates-not-iso'
  | 'id-numeric'
  | 'other-users-prompts'
  | 'default-limit-20'
  | 'limit-plus-one'
  | 'limit-max-200'
  | 'limit-unvalidated'
  | 'has-prev-on-first'
  | 'current-page-zero-based'
  | 'total-pages-floor'
  | 'next-cursor-on-last-page'
  | 'hasmore-off-by-one'
  | 'filtered-hasmore-early'
  | 'cursor-skips-one'
  | 'odd-limit-repeat'
  | 'prev-cursor-off-by-one'
  | 'tie-order-by-page'
  | 'search-ignored'
  | 'search-name-only'
  | 'data-null-when-empty'
  | 'model-substring'
  | 'flow-filter-ignored'
  | 'search-ignores-owner'
  | 'filter-total-unfiltered'
  | 'filter-dropped-with-cursor'
  | 'filters-applied-empty'
  | 'garbage-cursor-500'
  | 'auth-optional'
  | 'auth-any-key'
  | 'shuffle-ties'
  | 'search-as-regex'
  | 'errors-plain-text'
  // realistic faults that hide in combinations, boundaries, page reached, old data (extraFaults in faults.ts)
  | 'model-dropped-with-search'
  | 'has-prev-lost-late-filtered'
  | 'total-pages-exact-divisor'
  | 'current-page-off-backward'
  | 'limit-clamp-first-page-only'
  | 'search-like-wildcards'
  | 'old-rows-tokens-string'
  | 'archive-rows-cost-number'
  | 'old-rows-id-order'
  | 'total-count-plus-two'
  | 'updated-before-created'
  | 'limit-lenient-with-search'
  | 'search-after-paging'
  | 'model-count-prefix'
  | 'limit-max-refused'
  | 'search-name-only-with-flow'
  // faults only the response audit's completeness check sees (auditFaults in faults.ts)
  | 'search-skips-last-name-word'
  | 'search-text-only-with-model';

/**
 * Other behaviours a correct server may choose where the docs are silent. The clean provider uses none;
 * the self-test checks that the catalogue passes each, so no rule leans on the reference's own choices.
 */
export type RtVariant =
  | 'prev-needs-direction'
  | 'case-sensitive-search'
  | 'oldest-first'
  | 'reject-large-limit'
  | 'hide-flow-id'
  | 'sparse-fields'
  | 'unknown-flow-404'
  | 'cursor-carries-filters'
  | 'empty-total-pages-one'
  | 'search-name-first';

export interface RtProviderOptions {
  /** Prompts to seed. @defaultValue 137 (three default pages, the last one short; ties; six models; four flows) */
  rows?: number;
  /** @defaultValue 'test-key' */
  apiKey?: string;
  /** Seed of the generated data (alias of `dataSeed`, which wins). @defaultValue 1 */
  seed?: number;
  dataSeed?: number;
  /** Data that changes while the suite runs: new prompts, edits, model switches. */
  drift?: Drift;
  knobs?: readonly RtKnob[];
  /** Alternative correct behaviours (none by default). */
  variants?: readonly RtVariant[];
  chaos?: Chaos;
}
