/** The BetterPrompt self-test cases, shared by the vitest files and the seed sweep: every fault, its owner, its data. */
import type { IsolationKnob } from '../../shared/accounts';
import type { Drift } from '../../shared/api';
import type { RunReport } from '../../shared/report';
import { extraFaults } from './faults';
import { betterprompt } from './index';
import type { BpKnob } from './provider';
import type { BpRuleId } from './rules';

export interface FaultCase {
  rule: BpRuleId;
  knob: BpKnob | IsolationKnob;
  description: string;
  /** Rows the provider needs for the fault to show (old-data faults). */
  rows?: number;
}

/** One fault per rule (faults.ts `faults`). */
export const mainFaults: readonly FaultCase[] = betterprompt.rules.map((r) => ({
  rule: r.id,
  ...betterprompt.faults[r.id],
}));
/** Every fault: one per rule, then the extra ones. */
export const faultCases: readonly FaultCase[] = [...mainFaults, ...extraFaults];

/** A staging account receiving traffic: a new run every 20 requests, a status change every 25, an edit every 30. */
export const busyAccount: Drift = { addEvery: 20, statusEvery: 25, editEvery: 30 };

/**
 * Faults that fail more than one rule besides their owner, and why (the cause is the same defect seen by
 * rules that each check a different documented sentence, not a reference they share).
 */
export const wideFaults: Partial<Record<BpKnob | IsolationKnob, string>> = {
  'limit-unchecked-with-cursor':
    'one validation path for cursor pages: limits below 1 and non-integers slip through it too',
  'limit-huge-500': 'a 5xx is also a BP-NO-5XX failure, and negative limits past -2^31 overflow too',
  'status-dropped-with-window': 'filtered walks and filtered endingBefore pages combine status with since/until',
  'status-dropped-on-cursor': 'every filtered rule pages with a cursor',
  'auth-optional':
    'a request with no usable token is let through on every path: the missing-key, malformed-header and every-path rules each send one',
  'crash-on-unknown-cursor':
    "the isolation rules send the other account's run IDs as cursors, which are unknown to this account",
  'filter-no-owner':
    "the until windows the reference is cross-checked with hold the other account's runs, so the walk looks short beside them (a window row is not yet checked to be the caller's own)",
  'owner-dropped-backward':
    'the reference is probed backward once while it is built, before the other account is known: that probe sees strange runs and blames endingBefore',
  'window-ignored-with-cursor':
    'the window is dropped on every cursor page: filtered endingBefore pages and hasMore in since windows see it',
};

export const failedIn = (report: RunReport): string[] =>
  report.apis.flatMap((a) => a.results.filter((r) => r.status === 'fail').map((r) => r.id));
export const statusIn = (report: RunReport, id: string): string | undefined =>
  report.apis[0]?.results.find((r) => r.id === id)?.status;
