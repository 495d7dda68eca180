/** Console output: a line per rule as it finishes, a block per failure, a summary line per API and overall. */
import {
  type ApiReport,
  type RuleResult,
  type RuleStatus,
  type RunReport,
  totals,
  totalsByTarget,
  type VerdictSummary,
  verdictLine,
  verdictOf,
} from '../shared/report';

const MARK: Record<RuleStatus, string> = {
  pass: '✓',
  fail: '✗',
  skip: '-',
  known: '!',
  blocked: '⊘',
  inconclusive: '?',
};

export function ruleLine(r: RuleResult): string {
  const basis = `(${r.basis}: ${r.doc})`;
  const head = `${MARK[r.status]} ${r.id} ${r.summary}${r.coverage ? `  (${r.coverage})` : ''}`;
  switch (r.status) {
    case 'pass':
      return `${head}${r.retries ? `  [passed after ${r.retries} retries]` : ''}`;
    case 'skip':
      return `${head}  — skipped: ${r.reason ?? ''}`;
    case 'known':
      return `${head}  — known deviation: ${r.reason ?? ''}`;
    case 'blocked':
      return `${head}  — blocked by ${(r.blockedBy ?? []).join(', ') || '?'}: ${r.reason ?? ''}`;
    case 'inconclusive':
      return `${head}  — inconclusive: ${r.reason ?? ''}`;
    case 'fail':
      return [`${head}  ${basis}`, ...failureLines(r)].join('\n');
  }
}

/** ", 2 blocked, 1 inconclusive" — only the statuses that occurred, so an all-green line stays short. */
export function extraCounts(t: Record<RuleStatus, number>): string {
  return (['known', 'blocked', 'inconclusive'] as const)
    .filter((k) => t[k] > 0)
    .map((k) => `, ${t[k]} ${k}`)
    .join('');
}

export function failureLines(r: RuleResult): string[] {
  const v = r.violation;
  if (!v) return [];
  const out: string[] = [];
  const row = (k: string, val: string) => out.push(`  ${k.padEnd(9)} ${val}`);
  if (v.exchange) row('request', `${v.exchange.request.method} ${v.exchange.request.url}`);
  row('expected', v.expected);
  row('actual', v.actual);
  if (v.exchange) row('response', `${v.exchange.response.status} ${v.exchange.response.body.slice(0, 200)}`);
  if (v.counterexample !== undefined) row('shrunk', `${v.counterexample}  (${v.shrinks ?? 0} shrinks)`);
  if (v.seed !== undefined) row('seed', `${v.seed}${v.path ? `, path "${v.path}"` : ''}`);
  row('rerun', v.replay);
  if (v.exchange) row('replay', v.exchange.request.curl);
  return out;
}

export function apiSummary(a: ApiReport): string {
  const c = totals([a]);
  const s = a.stats;
  const retries = Object.entries(s.retriesByStatus)
    .map(([k, v]) => `${v}×${k}`)
    .join(', ');
  return `${a.api} (${a.target.kind} ${a.target.url}): ${c.pass} passed, ${c.fail} failed, ${c.skip} skipped${extraCounts(c)} · ${s.sent} requests, ${s.cacheHits} reused, ${s.retries} retries${retries ? ` (${retries})` : ''}${a.incomplete ? ` · INCOMPLETE: ${a.incomplete}` : ''}${(a.hints ?? []).map((h) => `\n  hint: ${h}`).join('')}`;
}

/** The closing line CI reads: "N passed, N failed, N skipped". */
export function totalLine(r: RunReport): string {
  // the plain "N passed, N failed, N skipped" first, as CI log readers expect; other statuses after
  return `conformance: ${r.totals.pass} passed, ${r.totals.fail} failed, ${r.totals.skip} skipped${extraCounts(r.totals)}`;
}

/**
 * The summary after the per-rule lines: the verdict first, then the totals. A run that checked configured
 * targets and embedded reference providers gives each its own line, so the reference's passes never count
 * towards a target's.
 */
export function summaryLines(r: RunReport, v: VerdictSummary = verdictOf(r)): string[] {
  const byTarget = totalsByTarget(r);
  const lines = [verdictLine(v), ...(v.rerun && v.verdict !== 'PASS' ? [`rerun: ${v.rerun}`] : [])];
  if (byTarget.length < 2) return [...lines, totalLine(r)];
  return [
    ...lines,
    ...byTarget.map(({ kind, apis, totals: t }) => {
      const counts = `${t.pass} passed, ${t.fail} failed, ${t.skip} skipped${extraCounts(t)}`;
      return kind === 'configured'
        ? `conformance: ${counts} (configured targets: ${apis.join(', ')})`
        : `embedded: ${counts} (reference providers, not targets: ${apis.join(', ')}; set their variables to check them)`;
    }),
  ];
}
