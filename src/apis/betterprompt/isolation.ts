/**
 * Tenant isolation for BetterPrompt `GET /v1/runs`: the faults the accounts wrapper injects, the documentation
 * gaps, and the two-account adapter of the embedded provider. The rules are in rules/isolation.ts, re-exported
 * here for the cross-API isolation self-tests.
 */
import type { AccountsAdapter, IsolationKnob } from '../../shared/accounts';
import type { Fault } from '../../shared/api';
import type { DocGap } from '../../shared/rule';
import { type BpKnob, createBpHandler, seedRuns } from './provider';
import type { BpIsolationRuleId } from './rules/isolation';
import type { Run } from './schema';

export { type BpIsolationRuleId, isolationRules } from './rules/isolation';

/** One realistic isolation bug per rule, injected by the accounts wrapper (src/shared/accounts.ts). */
export const isolationFaults: Record<BpIsolationRuleId, Fault<IsolationKnob>> = {
  'BP-ISO-DISJOINT': {
    knob: 'first-page-cache-shared',
    description: 'caches first pages by URL, not by account: the second account gets the first one’s page',
  },
  'BP-ISO-CURSOR': {
    knob: 'cursor-global',
    description: "looks the cursor up in every account: another account's run ID pages that account's runs",
  },
  'BP-ISO-FILTER': {
    knob: 'filter-no-owner',
    description: 'drops the owner condition from filtered queries (status, since, until)',
  },
  'BP-AUTH-EVERY-PATH': {
    knob: 'auth-skipped-with-cursor',
    description: 'skips authentication when a cursor is present (trusting it as proof of an earlier page)',
  },
  'BP-AUTH-MALFORMED': {
    knob: 'auth-non-bearer-unchecked',
    description: 'verifies only "Bearer <token>" headers; any other Authorization value gets the default account',
  },
  'BP-AUTH-NEAR-KEY': {
    knob: 'key-prefix-match',
    description: 'finds the key by its first 16 characters and never compares the rest',
  },
};

export const isolationGaps: readonly DocGap[] = [
  {
    id: 'BP-GAP-FOREIGN-CURSOR',
    doc: 'GET /v1/runs › Params (startingAfter, endingBefore)',
    summary: "What a cursor naming another account's run gets (404, 422, an empty page) is not stated.",
    handling:
      "Any 4xx, or a page of the caller's own runs, is accepted (BP-ISO-CURSOR); the answers seen are listed below.",
  },
];

/** The embedded provider's accounts: one BetterPrompt handler each, dispatched by key (src/shared/accounts.ts). */
export const bpAccounts: AccountsAdapter<Run, BpKnob> = {
  defaultRows: 137,
  create: (o) => {
    const { handle, setRuns } = createBpHandler({ ...o, seed: o.dataSeed });
    return { handle, setRows: setRuns };
  },
  seed: (rows, dataSeed) => seedRuns(rows, dataSeed),
  id: (r) => r.runId,
  cursorParams: ['startingAfter', 'endingBefore'],
  cursorRowId: (value) => value,
  filterParams: ['status', 'since', 'until'],
  backwardParams: ['endingBefore'],
};
