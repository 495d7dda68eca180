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
  /**
   * Set on a `skip` the rule got because the run had stopped (deadline, budget, interrupt): why it stopped.
   * Readers test this field, never the reason's wording.
   */
  notRun?: string;
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

/**
 * The one word on top of every report. FAIL: a rule failed (a finding, whatever else happened). INCOMPLETE: the
 * run stopped early or a target could not be checked, so skipped rules were not checked. INCONCLUSIVE: only data
 * that kept changing kept rules from concluding. PASS: none of these.
 */
export type Verdict = 'PASS' | 'FAIL' | 'INCOMPLETE' | 'INCONCLUSIVE';

/** The CLI's exit code per verdict; 3 keeps "run again" apart from a configuration error (2). */
export const VERDICT_EXIT: Readonly<Record<Verdict, number>> = { PASS: 0, FAIL: 1, INCOMPLETE: 2, INCONCLUSIVE: 3 };

export interface VerdictSummary {
  verdict: Verdict;
  /** One line: why this verdict. */
  why: string;
  /** The rules concerned: failed ones for FAIL, inconclusive ones for INCONCLUSIVE, unchecked ones for INCOMPLETE. */
  rules: string[];
  /** The command that checks them again. */
  rerun?: string;
}

/** The verdict of a run (baseline already applied), with the rules concerned and the command to rerun them. */
export function verdictOf(report: RunReport): VerdictSummary {
  const t = report.totals;
  const ids = (s: RuleStatus) => report.apis.flatMap((a) => a.results.filter((r) => r.status === s).map((r) => r.id));
  const apis = (rules: readonly string[]) =>
    report.apis.filter((a) => a.results.some((r) => rules.includes(r.id))).map((a) => a.api);
  const rerun = (rules: readonly string[], seed: boolean) =>
    `npm run conformance -- --api ${apis(rules).join(',') || report.apis.map((a) => a.api).join(',')}${rules.length && rules.length <= 12 ? ` --rule ${rules.join(',')}` : ''}${seed ? ` --replay ${report.seed}` : ''}`;
  if (t.fail > 0) {
    const rules = ids('fail');
    return { verdict: 'FAIL', why: `${t.fail} rule${plural(t.fail)} failed`, rules, rerun: rerun(rules, true) };
  }
  if (report.incomplete || report.targetError) {
    // the rules the stop kept from running, not those skipped for a reason of their own (no second key, …)
    const rules = report.apis.flatMap((a) => a.results.filter((r) => r.notRun !== undefined).map((r) => r.id));
    const why = report.targetError ?? report.incomplete ?? '';
    return { verdict: 'INCOMPLETE', why: `the run did not finish: ${why}`, rules, rerun: rerun([], true) };
  }
  if (t.inconclusive > 0) {
    const rules = ids('inconclusive');
    return {
      verdict: 'INCONCLUSIVE',
      why: `${t.inconclusive} rule${plural(t.inconclusive)} could not conclude because the target's data changed during the run; run them again`,
      rules,
      rerun: rerun(rules, false),
    };
  }
  // per kind of target: the embedded providers' passes are never counted as a target's
  const passed = (['configured', 'embedded'] as const)
    .map((kind) => ({ kind, n: totals(report.apis.filter((a) => a.target.kind === kind)).pass }))
    .filter((x) => report.apis.some((a) => a.target.kind === x.kind))
    .map((x) => `${x.n} passed on ${x.kind === 'configured' ? 'configured targets' : 'embedded reference providers'}`);
  return { verdict: 'PASS', why: `no rule failed (${passed.join('; ')})`, rules: [] };
}

/** "PASS: no rule failed (85 passed)" — the first line of every report. */
export function verdictLine(v: VerdictSummary): string {
  const rules = v.rules.length ? ` — ${v.rules.slice(0, 12).join(', ')}${v.rules.length > 12 ? ', …' : ''}` : '';
  return `${v.verdict}: ${v.why}${rules}`;
}

/**
 * Totals by kind of target, so a run that checked one configured target and one embedded reference provider
 * never sums the reference's passes into the target's.
 */
export function totalsByTarget(
  report: RunReport,
): { kind: 'configured' | 'embedded'; apis: ApiName[]; totals: Record<RuleStatus, number> }[] {
  return (['configured', 'embedded'] as const).flatMap((kind) => {
    const apis = report.apis.filter((a) => a.target.kind === kind);
    return apis.length ? [{ kind, apis: apis.map((a) => a.api), totals: totals(apis) }] : [];
  });
}

function plural(n: number): string {
  return n === 1 ? '' : 's';
}
