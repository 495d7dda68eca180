/** What the Markdown and HTML reports share: the matrix, the order of sections, labels, sanitising. */
import type { ApiName } from '../shared/api';
import type { ApiReport, RuleResult, RuleStatus, RunReport } from '../shared/report';
import type { Basis } from '../shared/rule';

export const STATUS_LABEL: Record<RuleStatus, string> = {
  pass: '✓ pass',
  fail: '✗ fail',
  skip: '– skipped',
  known: '! known',
  blocked: '⊘ blocked',
  inconclusive: '? inconclusive',
};

/** Observations listed per gap; the JSON report keeps them all. */
export const OBSERVED_MAX = 25;

export interface MatrixRow {
  id: string;
  summary: string;
  basis: Basis;
  doc: string;
  cells: Partial<Record<ApiName, RuleResult>>;
}

/** One row per rule over all APIs of the run (catalogue order), one cell per API that has the rule. */
export function matrix(report: RunReport): MatrixRow[] {
  const rows = new Map<string, MatrixRow>();
  for (const a of report.apis) {
    for (const r of a.results) {
      const row = rows.get(r.id) ?? { id: r.id, summary: r.summary, basis: r.basis, doc: r.doc, cells: {} };
      row.cells[a.api] = r;
      rows.set(r.id, row);
    }
  }
  return [...rows.values()];
}

/** Tenant-isolation, authentication and ownership rules: the reports show them as a group of their own. */
export function isSecurityRule(id: string): boolean {
  return /^[A-Z]+-(ISO|AUTH)-|^[A-Z]+-OWNER$/.test(id);
}

export const SECURITY_TITLE = 'Security: tenant isolation and authentication';

/** The matrix split into the security group and every other rule, each in catalogue order. */
export function matrixGroups(report: RunReport): { security: MatrixRow[]; other: MatrixRow[] } {
  const rows = matrix(report);
  return { security: rows.filter((r) => isSecurityRule(r.id)), other: rows.filter((r) => !isSecurityRule(r.id)) };
}

/** Results that get a section of their own: failures, then known deviations (they carry a violation too). */
export function detailed(report: RunReport): { api: ApiReport; result: RuleResult }[] {
  const all = report.apis.flatMap((api) => api.results.map((result) => ({ api, result })));
  return [...all.filter((x) => x.result.status === 'fail'), ...all.filter((x) => x.result.status === 'known')];
}

/** Rules that did not conclude, with why: skipped, blocked by another rule's fault, or inconclusive under drift. */
export function skipped(report: RunReport): { api: ApiReport; result: RuleResult }[] {
  const open = new Set<RuleStatus>(['blocked', 'inconclusive', 'skip']);
  return report.apis.flatMap((api) => api.results.filter((r) => open.has(r.status)).map((result) => ({ api, result })));
}

/** Why a rule did not conclude, in one line. */
export function notConcludedLine(r: RuleResult): string {
  if (r.status === 'blocked') return `blocked by ${(r.blockedBy ?? []).join(', ') || '?'}: ${r.reason ?? ''}`;
  if (r.status === 'inconclusive') return `inconclusive: ${r.reason ?? ''}`;
  return r.reason ?? '';
}

export function headline(report: RunReport): string {
  const t = report.totals;
  const extra = (['blocked', 'inconclusive'] as const)
    .filter((k) => t[k] > 0)
    .map((k) => `, ${t[k]} ${k}`)
    .join('');
  return `${t.fail} failed, ${t.pass} passed, ${t.skip} skipped, ${t.known} known${extra}`;
}

export function retriesByStatus(a: ApiReport): string {
  const parts = Object.entries(a.stats.retriesByStatus).map(([status, n]) => `${n}× ${status}`);
  return parts.length ? parts.join(', ') : '—';
}

// C0/C1 controls (tab and newline kept) and bidi overrides: a hostile body must not garble or disguise the report
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f]/g;

/** Makes control and bidi characters visible as `\uXXXX` instead of letting them act. */
export function sanitize(s: string): string {
  return s.replace(CONTROL, hexEscape).replace(BIDI, hexEscape);
}

function hexEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `counterexample (N shrinks)`. */
export function shrunkText(v: { counterexample?: string; shrinks?: number }): string | undefined {
  if (v.counterexample === undefined) return undefined;
  return `${v.counterexample}  (${v.shrinks ?? 0} shrink${v.shrinks === 1 ? '' : 's'})`;
}

export function seedText(v: { seed?: number; path?: string }): string | undefined {
  if (v.seed === undefined) return undefined;
  return `${v.seed}${v.path ? `, path "${v.path}"` : ''}`;
}

export function responseLine(res: { status: number; contentType: string | undefined; retryAfter?: string }): string {
  return [
    `status ${res.status}`,
    `content-type: ${res.contentType ?? '(none)'}`,
    ...(res.retryAfter !== undefined ? [`retry-after: ${res.retryAfter}`] : []),
  ].join(' · ');
}

export function knownLine(r: RuleResult): string {
  return `known deviation until ${r.expires ?? '?'} (baseline): ${r.reason ?? ''}`;
}
