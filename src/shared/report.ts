/** The report model every reporter reads. Everything in it is already redacted. */
import type { ApiName } from './api';
import type { Exchange, HttpStats } from './http';
import type { Basis, ViolationDetail } from './rule';

/**
 * `known`: failed, but listed in the baseline as a known deviation that has not expired.
 * `blocked`: could not conclude because another rule's fault broke what it relies on (`blockedBy`).
 * `inconclusive`: data changed during the run and re-reads could not settle drift from fault.
 */
export type RuleStatus = 'pass' | 'fail' | 'skip' | 'known' | 'blocked' | 'inconclusive';

export const RULE_STATUSES: readonly RuleStatus[] = ['fail', 'known', 'blocked', 'inconclusive', 'skip', 'pass'];

export interface ReportedExchange {
  request: { method: string; url: string; curl: string };
  response: { status: number; contentType: string | undefined; retryAfter?: string; body: string };
}

export interface ReportedViolation {
  expected: string;
  actual: string;
  exchange?: ReportedExchange;
  counterexample?: string;
  shrinks?: number;
  seed?: number;
  path?: string;
  /** The command that re-runs exactly this case. */
  replay: string;
}

export interface RuleResult {
  id: string;
  api: ApiName;
  summary: string;
  doc: string;
  basis: Basis;
  status: RuleStatus;
  /** Why skipped, blocked or inconclusive, or the baseline entry's reason for a known deviation (or that the entry expired). */
  reason?: string;
  /** For `blocked`: the rules whose failure kept this one from concluding. */
  blockedBy?: string[];
  /** Differences this rule explained as data that changed during the run (re-read and confirmed), not faults. */
  drift?: string[];
  /** For a rule whose statement covers the whole listing: how much of it was checked, when not all of it. */
  coverage?: string;
  /** Set when a baseline entry matched this rule: the entry's expiry date (YYYY-MM-DD, UTC). */
  expires?: string;
  violation?: ReportedViolation;
  requests: number;
  cacheHits: number;
  retries: number;
  ms: number;
}

export interface GapResult {
  id: string;
  doc: string;
  summary: string;
  handling: string;
  observed: string[];
}

export interface ApiReport {
  api: ApiName;
  title: string;
  target: { kind: 'embedded' | 'configured'; url: string };
  results: RuleResult[];
  gaps: GapResult[];
  stats: HttpStats;
  /** Set when the run stopped early (budget, deadline, interrupt): the reason. */
  incomplete?: string;
  /** Where to start reading: a failed root-cause rule, and which other failures may follow from it. */
  hints?: string[];
}

export interface RunReport {
  tool: 'prompt-api-conformance';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  seed: number;
  runs: number;
  apis: ApiReport[];
  totals: Record<RuleStatus, number>;
  incomplete?: string;
  /** An API whose target could not be checked at all, while other APIs ran: the one-line error. */
  targetError?: string;
  /** What the known-deviations file did to this run (see src/shared/baseline.ts). */
  baseline?: BaselineSummary;
}

/** A baseline entry as the report names it. */
export interface BaselineRef {
  rule: string;
  api: ApiName;
  reason: string;
  expires: string;
}

export interface BaselineSummary {
  file: string;
  /** Failures reported as `known` because an unexpired entry lists them. */
  known: BaselineRef[];
  /** Entries past their expiry whose rule still fails: the failure counts again. */
  expired: BaselineRef[];
  /** Entries whose rule ran and passed: the entry can be removed. */
  stale: BaselineRef[];
}

const BODY_MAX = 600;

export function reportExchange(ex: Exchange): ReportedExchange {
  const retryAfter = ex.headers['retry-after'];
  return {
    request: { method: ex.request.method, url: ex.request.url, curl: ex.request.curl },
    response: {
      status: ex.status,
      contentType: ex.headers['content-type'],
      ...(retryAfter ? { retryAfter } : {}),
      body: ex.text.length > BODY_MAX ? `${ex.text.slice(0, BODY_MAX)}… (${ex.text.length} chars)` : ex.text,
    },
  };
}

export function reportViolation(d: ViolationDetail, replay: string): ReportedViolation {
  return {
    expected: d.expected,
    actual: d.actual,
    ...(d.exchange ? { exchange: reportExchange(d.exchange) } : {}),
    ...(d.counterexample !== undefined ? { counterexample: JSON.stringify(d.counterexample) } : {}),
    ...(d.shrinks !== undefined ? { shrinks: d.shrinks } : {}),
    ...(d.seed !== undefined ? { seed: d.seed } : {}),
    ...(d.path !== undefined ? { path: d.path } : {}),
    replay,
  };
}

export function totals(apis: readonly ApiReport[]): Record<RuleStatus, number> {
  const t: Record<RuleStatus, number> = { pass: 0, fail: 0, skip: 0, known: 0, blocked: 0, inconclusive: 0 };
  for (const a of apis) for (const r of a.results) t[r.status]++;
  return t;
}
