/** Console output: a line per rule as it finishes, a block per failure, a summary line per API and overall. */
import type { ApiReport, RuleResult, RunReport } from '../shared/report';

const MARK = { pass: '✓', fail: '✗', skip: '-', known: '!' } as const;

export function ruleLine(r: RuleResult): string {
  const basis = `(${r.basis}: ${r.doc})`;
  const head = `${MARK[r.status]} ${r.id} ${r.summary}`;
  switch (r.status) {
    case 'pass':
      return `${head}${r.retries ? `  [passed after ${r.retries} retries]` : ''}`;
    case 'skip':
      return `${head}  — skipped: ${r.reason ?? ''}`;
    case 'known':
      return `${head}  — known deviation: ${r.reason ?? ''}`;
    case 'fail':
      return [`${head}  ${basis}`, ...failureLines(r)].join('\n');
  }
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
  const c = { pass: 0, fail: 0, skip: 0, known: 0 };
  for (const r of a.results) c[r.status]++;
  const s = a.stats;
  const retries = Object.entries(s.retriesByStatus).map(([k, v]) => `${v}×${k}`).join(', ');
  return `${a.api} (${a.target.kind} ${a.target.url}): ${c.pass} passed, ${c.fail} failed, ${c.skip} skipped${c.known ? `, ${c.known} known` : ''} · ${s.sent} requests, ${s.cacheHits} reused, ${s.retries} retries${retries ? ` (${retries})` : ''}${a.incomplete ? ` · INCOMPLETE: ${a.incomplete}` : ''}${(a.hints ?? []).map((h) => `\n  hint: ${h}`).join('')}`;
}

/** The closing line CI reads: "N passed, N failed, N skipped". */
export function totalLine(r: RunReport): string {
  const known = r.totals.known ? `, ${r.totals.known} known` : '';
  return `conformance: ${r.totals.pass} passed, ${r.totals.fail} failed, ${r.totals.skip} skipped${known}`;
}
