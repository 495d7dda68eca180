/**
 * Provider states, as setup sentences. Consumer tests name them in `given(...)`; the verifier's state
 * handlers (one per sentence) seed exactly that data. Keeping both sides on these constants stops drift.
 */
export const bpStates = {
  severalPages: 'runs exist on more than one page',
  failedRuns: 'failed runs exist',
  window: 'runs exist between 10:00 and 10:15:30 UTC on 3 November 2025',
  // any account satisfies it: the window is chosen from the data (a gap between runs, or before the oldest)
  emptyWindow: 'no runs were created in a time window',
} as const;

export const rtStates = {
  severalPages: 'prompts exist on more than one page',
  searchAndModel: "prompts on gpt-4-turbo match the search 'support'",
  noMatch: 'no prompt matches the search',
} as const;

/** Window of `bpStates.window` as Unix seconds: 2025-11-03T10:00:00Z to 10:15:30Z. */
export const BP_WINDOW = { since: 1762164000, until: 1762164930 } as const;
/**
 * The mock's example of `bpStates.emptyWindow`, [since, until) in Unix seconds: the provider state hands over a
 * window that holds no run on the provider verified (a second between two runs, or before the oldest).
 */
export const EMPTY_WINDOW = { since: 1762164301, until: 1762164302 } as const;
/** A search no seeded prompt matches. */
export const NO_MATCH_SEARCH = 'no-such-prompt-7f3a';
