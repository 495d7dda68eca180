/**
 * The release gate's summary: one row per pillar × API (× target), with pass/fail/skipped counts,
 * plus the failures and the reasons for every skip. Rendering only; `scripts/gate.ts` gathers the rows.
 */
import type { ApiName } from '../shared/api';
import type { RunReport } from '../shared/report';
import type { VerificationReport } from './verify';
import { interactionLabel } from './pact-file';

export type Pillar = 'consumer contracts' | 'pact publication' | 'provider verification' | 'conformance';

export interface GateRow {
  pillar: Pillar;
  api: ApiName;
  /** mock server, embedded, configured, broker */
  target: string;
  pass: number;
  fail: number;
  skip: number;
  /** Conformance failures the baseline accepts until their expiry. */
  known: number;
}

export interface GateItem {
  pillar: Pillar;
  api: ApiName;
  target: string;
  item: string;
  detail: string;
}

export interface GateSummary {
  tool: 'prompt-api-conformance gate';
  startedAt: string;
  finishedAt: string;
  passed: boolean;
  rows: GateRow[];
  failures: GateItem[];
  skipped: GateItem[];
  notes: string[];
}

export function summarise(startedAt: Date, rows: GateRow[], failures: GateItem[], skipped: GateItem[], notes: string[]): GateSummary {
  // a row that ran nothing at all is not a pass: it fails the gate as well
  const empty = rows.filter((r) => r.pass + r.fail + r.skip + r.known === 0);
  const allFailures = [...failures, ...empty.map((r) => ({ pillar: r.pillar, api: r.api, target: r.target, item: '(nothing ran)', detail: 'no test, interaction or rule ran for this row' }))];
  return {
    tool: 'prompt-api-conformance gate',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    passed: allFailures.length === 0 && rows.every((r) => r.fail === 0),
    rows,
    failures: allFailures,
    skipped,
    notes,
  };
}

export function rowResult(r: GateRow): 'PASS' | 'FAIL' {
  return r.fail > 0 || r.pass + r.fail + r.skip + r.known === 0 ? 'FAIL' : 'PASS';
}

const HEAD = ['pillar', 'api', 'target', 'pass', 'fail', 'skipped', 'known', 'result'] as const;

function cells(r: GateRow): string[] {
  return [r.pillar, r.api, r.target, String(r.pass), String(r.fail), String(r.skip), String(r.known), rowResult(r)];
}

/** The console table. */
export function table(s: GateSummary): string[] {
  const grid = [HEAD.map(String), ...s.rows.map(cells)];
  const widths = HEAD.map((_, c) => Math.max(...grid.map((row) => row[c]?.length ?? 0)));
  const line = (row: string[]) => row.map((v, c) => v.padEnd(widths[c] ?? 0)).join('  ').trimEnd();
  const out = [line(grid[0] ?? []), line(widths.map((w) => '-'.repeat(w))), ...grid.slice(1).map(line)];
  for (const f of s.failures) out.push(`✗ ${f.pillar} · ${f.api} · ${f.target}: ${f.item}`, ...f.detail.split('\n').map((d) => `    ${d}`));
  const skippedNow = s.skipped.length;
  if (skippedNow) out.push(`skipped (${skippedNow}), each with its reason, in reports/gate.md`);
  for (const n of s.notes) out.push(`note: ${n}`);
  out.push(`gate: ${s.passed ? 'PASS' : 'FAIL'}`);
  return out;
}

export function markdown(s: GateSummary): string {
  const esc = (v: string) => v.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
  const lines = [
    `# Release gate: ${s.passed ? 'PASS' : 'FAIL'}`,
    '',
    `${s.startedAt} → ${s.finishedAt}`,
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map(() => '---').join('|')}|`,
    ...s.rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
  ];
  if (s.failures.length) lines.push('', '## Failures', '', ...s.failures.map((f) => `- **${esc(f.pillar)} · ${f.api} · ${f.target}** ${esc(f.item)}: ${esc(f.detail)}`));
  if (s.skipped.length) lines.push('', '## Skipped', '', ...s.skipped.map((f) => `- ${esc(f.pillar)} · ${f.api} · ${f.target}: ${esc(f.item)} — ${esc(f.detail)}`));
  if (s.notes.length) lines.push('', '## Notes', '', ...s.notes.map((n) => `- ${esc(n)}`));
  return `${lines.join('\n')}\n`;
}

/** Rows and items from provider verification reports. */
export function verificationRows(reports: readonly VerificationReport[]): { rows: GateRow[]; failures: GateItem[]; skipped: GateItem[]; notes: string[] } {
  const rows: GateRow[] = [];
  const failures: GateItem[] = [];
  const skipped: GateItem[] = [];
  const notes: string[] = [];
  for (const r of reports) {
    rows.push({ pillar: 'provider verification', api: r.api, target: r.target, pass: r.counts.pass, fail: r.counts.fail, skip: r.counts.skip, known: 0 });
    for (const o of r.outcomes) {
      const item = { pillar: 'provider verification' as const, api: r.api, target: r.target, item: interactionLabel(o), detail: o.detail.join('\n') };
      if (o.status === 'fail') failures.push(item);
      if (o.status === 'skip') skipped.push(item);
    }
    if (r.publication) notes.push(`${r.api} (${r.target}) verification results ${r.publication}`);
  }
  return { rows, failures, skipped, notes };
}

/** Rows and items from a conformance run. */
export function conformanceRows(report: RunReport): { rows: GateRow[]; failures: GateItem[]; skipped: GateItem[] } {
  const rows: GateRow[] = [];
  const failures: GateItem[] = [];
  const skipped: GateItem[] = [];
  for (const a of report.apis) {
    const target = a.target.kind;
    const count = (s: string) => a.results.filter((r) => r.status === s).length;
    rows.push({ pillar: 'conformance', api: a.api, target, pass: count('pass'), fail: count('fail'), skip: count('skip'), known: count('known') });
    for (const r of a.results) {
      if (r.status === 'fail') failures.push({ pillar: 'conformance', api: a.api, target, item: `${r.id} ${r.summary}`, detail: r.violation ? `expected ${r.violation.expected}; actual ${r.violation.actual}; replay: ${r.violation.replay}` : 'failed' });
      if (r.status === 'skip') skipped.push({ pillar: 'conformance', api: a.api, target, item: `${r.id} ${r.summary}`, detail: r.reason ?? 'skipped' });
    }
  }
  return { rows, failures, skipped };
}
