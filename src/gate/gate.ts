/**
 * The release gate's summary: one row per pillar × API (× target), with pass/fail/skipped counts,
 * plus the failures and the reasons for every skip. Rendering only; `src/gate/run-gate.ts` gathers the rows.
 */
import type { ApiName } from '../shared/api';
import type { RunReport, Verdict } from '../shared/report';
import type { VerificationReport } from '../pact/verify';
import { interactionLabel } from '../pact/pact-file';

export type Pillar =
  | 'consumer contracts'
  | 'pact publication'
  | 'provider verification'
  | 'conformance'
  | 'deployment record'
  | 'can-i-deploy'
  | 'release record';

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
  /** Neither passed nor failed: not verifiable on the target, inconclusive, or not run to the end. */
  open?: number;
}

export interface GateItem {
  pillar: Pillar;
  api: ApiName;
  target: string;
  item: string;
  detail: string;
  /** For an open item: why it is neither a pass nor a failure. */
  open?: 'unverifiable' | 'inconclusive' | 'incomplete';
}

export interface GateSummary {
  tool: 'prompt-api-conformance gate';
  startedAt: string;
  finishedAt: string;
  passed: boolean;
  /** PASS only when `passed`; FAIL on any failure; INCOMPLETE when something was not (or could not be) checked. */
  verdict: Verdict;
  rows: GateRow[];
  failures: GateItem[];
  skipped: GateItem[];
  /** Items neither passed nor failed (`open` says why); any of them keeps the gate from passing. */
  open: GateItem[];
  notes: string[];
  /** The client version this gate ran for (CLIENT_VERSION), when given. */
  clientVersion?: string;
}

export function summarise(
  startedAt: Date,
  rows: GateRow[],
  failures: GateItem[],
  skipped: GateItem[],
  notes: string[],
  clientVersion?: string,
  open: GateItem[] = [],
  interrupted = false,
): GateSummary {
  // a row that ran nothing at all is not a pass: it fails the gate as well
  const empty = rows.filter((r) => ran(r) === 0);
  const allFailures = [
    ...failures,
    ...empty.map((r) => ({
      pillar: r.pillar,
      api: r.api,
      target: r.target,
      item: '(nothing ran)',
      detail: 'no test, interaction or rule ran for this row',
    })),
  ];
  const failed = allFailures.length > 0 || rows.some((r) => r.fail > 0);
  const verdict: Verdict = failed
    ? 'FAIL'
    : interrupted || open.some((o) => o.open !== 'inconclusive')
      ? 'INCOMPLETE'
      : open.length
        ? 'INCONCLUSIVE'
        : 'PASS';
  return {
    tool: 'prompt-api-conformance gate',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    passed: verdict === 'PASS',
    verdict,
    rows,
    failures: allFailures,
    skipped,
    open,
    notes,
    ...(clientVersion ? { clientVersion } : {}),
  };
}

function ran(r: GateRow): number {
  return r.pass + r.fail + r.skip + r.known + (r.open ?? 0);
}

export function rowResult(r: GateRow): 'PASS' | 'FAIL' | 'OPEN' {
  if (r.fail > 0 || ran(r) === 0) return 'FAIL';
  return r.open ? 'OPEN' : 'PASS';
}

const HEAD = ['pillar', 'api', 'target', 'pass', 'fail', 'skipped', 'known', 'open', 'result'] as const;

function cells(r: GateRow): string[] {
  const n = [r.pass, r.fail, r.skip, r.known, r.open ?? 0].map(String);
  return [r.pillar, r.api, r.target, ...n, rowResult(r)];
}

/** The gate's first line: the verdict and why. */
export function gateVerdictLine(s: GateSummary): string {
  const open = (k: GateItem['open']) => s.open.filter((o) => o.open === k).length;
  const why: Record<Verdict, string> = {
    PASS: 'nothing failed, every row ran, nothing left open',
    FAIL: `${s.failures.length} item${s.failures.length === 1 ? '' : 's'} failed`,
    INCOMPLETE: `not everything could be checked (${open('unverifiable')} not verifiable on the target, ${open('incomplete')} incomplete)${s.notes.some((n) => /^(interrupted|terminated)/.test(n)) ? ', interrupted' : ''}`,
    INCONCLUSIVE: `${open('inconclusive')} rule${open('inconclusive') === 1 ? '' : 's'} could not conclude while the target's data changed; run the gate again`,
  };
  return `${s.verdict}: ${why[s.verdict]}`;
}

/** The console table; `reportDir` is where gate.md was written (`--report-dir`). */
export function table(s: GateSummary, reportDir = 'reports'): string[] {
  const grid = [HEAD.map(String), ...s.rows.map(cells)];
  const widths = HEAD.map((_, c) => Math.max(...grid.map((row) => row[c]?.length ?? 0)));
  const line = (row: string[]) =>
    row
      .map((v, c) => v.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd();
  const out = [
    gateVerdictLine(s),
    line(grid[0] ?? []),
    line(widths.map((w) => '-'.repeat(w))),
    ...grid.slice(1).map(line),
  ];
  for (const f of s.failures)
    out.push(`✗ ${f.pillar} · ${f.api} · ${f.target}: ${f.item}`, ...f.detail.split('\n').map((d) => `    ${d}`));
  for (const f of s.open)
    out.push(
      `? ${f.pillar} · ${f.api} · ${f.target}: ${f.item} (${f.open})`,
      ...f.detail.split('\n').map((d) => `    ${d}`),
    );
  const skippedNow = s.skipped.length;
  if (skippedNow) out.push(`skipped (${skippedNow}), each with its reason, in ${reportDir}/gate.md`);
  for (const n of s.notes) out.push(`note: ${n}`);
  out.push(`gate: ${s.verdict}${s.clientVersion ? ` (client ${s.clientVersion})` : ''}`);
  return out;
}

export function markdown(s: GateSummary): string {
  const esc = (v: string) => v.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
  const lines = [
    `# Release gate: ${s.verdict}`,
    '',
    `> ${esc(gateVerdictLine(s))}`,
    '',
    ...(s.clientVersion ? [`client version ${esc(s.clientVersion)}`, ''] : []),
    `${s.startedAt} → ${s.finishedAt}`,
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map(() => '---').join('|')}|`,
    ...s.rows.map((r) => `| ${cells(r).map(esc).join(' | ')} |`),
  ];
  if (s.failures.length)
    lines.push(
      '',
      '## Failures',
      '',
      ...s.failures.map((f) => `- **${esc(f.pillar)} · ${f.api} · ${f.target}** ${esc(f.item)}: ${esc(f.detail)}`),
    );
  if (s.open.length)
    lines.push(
      '',
      '## Open (neither passed nor failed)',
      '',
      ...s.open.map(
        (f) => `- **${esc(f.pillar)} · ${f.api} · ${f.target}** ${esc(f.item)} (${f.open}): ${esc(f.detail)}`,
      ),
    );
  if (s.skipped.length)
    lines.push(
      '',
      '## Skipped',
      '',
      ...s.skipped.map((f) => `- ${esc(f.pillar)} · ${f.api} · ${f.target}: ${esc(f.item)} — ${esc(f.detail)}`),
    );
  if (s.notes.length) lines.push('', '## Notes', '', ...s.notes.map((n) => `- ${esc(n)}`));
  return `${lines.join('\n')}\n`;
}

/** Rows and items from provider verification reports. */
export function verificationRows(reports: readonly VerificationReport[]): {
  rows: GateRow[];
  failures: GateItem[];
  skipped: GateItem[];
  open: GateItem[];
  notes: string[];
} {
  const rows: GateRow[] = [];
  const failures: GateItem[] = [];
  const skipped: GateItem[] = [];
  const open: GateItem[] = [];
  const notes: string[] = [];
  for (const r of reports) {
    rows.push({
      pillar: 'provider verification',
      api: r.api,
      target: r.target,
      pass: r.counts.pass,
      fail: r.counts.fail,
      skip: r.counts.skip,
      known: r.counts.known ?? 0,
      open: r.counts.unverifiable ?? 0,
    });
    for (const o of r.outcomes) {
      const item = {
        pillar: 'provider verification' as const,
        api: r.api,
        target: r.target,
        item: interactionLabel(o),
        detail: o.detail.join('\n'),
      };
      if (o.status === 'fail') failures.push(item);
      if (o.status === 'skip') skipped.push(item);
      if (o.status === 'unverifiable') open.push({ ...item, open: 'unverifiable' });
      if (o.status === 'known') skipped.push({ ...item, detail: `known: ${item.detail}` });
    }
    if (r.publication) notes.push(`${r.api} (${r.target}) verification results ${r.publication}`);
  }
  return { rows, failures, skipped, open, notes };
}

/**
 * Rows and items from a conformance run (baseline already applied). Statuses are read defensively: only
 * `pass` passes and `known` is the baseline's; `skip` and `blocked` are listed as skipped (never passed);
 * `inconclusive` and an unfinished run are open (the gate cannot pass on them); anything else (a status this
 * version does not know) fails the gate, as does an API whose target could not be checked.
 */
export function conformanceRows(
  report: RunReport,
  selected: readonly ApiName[] = [],
): { rows: GateRow[]; failures: GateItem[]; skipped: GateItem[]; open: GateItem[] } {
  const rows: GateRow[] = [];
  const failures: GateItem[] = [];
  const skipped: GateItem[] = [];
  const open: GateItem[] = [];
  for (const a of report.apis) {
    const target = a.target.kind;
    const row: GateRow = { pillar: 'conformance', api: a.api, target, pass: 0, fail: 0, skip: 0, known: 0, open: 0 };
    for (const r of a.results) {
      const status: string = r.status;
      const item = `${r.id} ${r.summary}`;
      if (status === 'pass') row.pass++;
      else if (status === 'known') row.known++;
      else if (status === 'skip' || status === 'blocked') {
        row.skip++;
        skipped.push({
          pillar: 'conformance',
          api: a.api,
          target,
          item,
          detail: `${status === 'blocked' ? 'blocked: ' : ''}${r.reason ?? 'skipped'}`,
        });
      } else if (status === 'inconclusive') {
        row.open = (row.open ?? 0) + 1;
        const rerun = `npm run conformance -- --api ${a.api} --rule ${r.id}`;
        open.push({
          pillar: 'conformance',
          api: a.api,
          target,
          item,
          detail: `${r.reason ?? ''}; rerun: ${rerun}`,
          open: 'inconclusive',
        });
      } else {
        row.fail++;
        const detail =
          status === 'fail' && r.violation
            ? `expected ${r.violation.expected}; actual ${r.violation.actual}; replay: ${r.violation.replay}`
            : `${status}${r.reason ? `: ${r.reason}` : ''}`;
        failures.push({ pillar: 'conformance', api: a.api, target, item, detail });
      }
    }
    rows.push(row);
    // a run that stopped early did not check the rest: not a pass, whatever finished
    if (a.incomplete)
      open.push({
        pillar: 'conformance',
        api: a.api,
        target,
        item: '(incomplete run)',
        detail: a.incomplete,
        open: 'incomplete',
      });
  }
  // an API that stopped on its target stays in the table, as failed
  for (const api of selected.filter((n) => !report.apis.some((a) => a.api === n))) {
    rows.push({ pillar: 'conformance', api, target: 'configured', pass: 0, fail: 1, skip: 0, known: 0 });
    failures.push({
      pillar: 'conformance',
      api,
      target: 'configured',
      item: '(target not checked)',
      detail: report.targetError ?? 'the run stopped before this API',
    });
  }
  return { rows, failures, skipped, open };
}

// XML 1.0 forbids these even escaped
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

function xml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(XML_FORBIDDEN, '');
}

/**
 * JUnit XML of the whole gate (consumer contracts, publication, provider verification, conformance), so a CI
 * check run shows the Pact results too: a testsuite per row, a testcase per failed or skipped item, and one
 * testcase standing for the row's passes.
 */
export function gateJunit(s: GateSummary): string {
  const same = (r: GateRow) => (i: GateItem) => i.pillar === r.pillar && i.api === r.api && i.target === r.target;
  const suites = s.rows.map((r) => {
    const name = `${r.pillar} · ${r.api} · ${r.target}`;
    const fails = s.failures.filter(same(r));
    const skips = s.skipped.filter(same(r));
    const opens = s.open.filter(same(r));
    const cases = [
      ...fails.map(
        (f) =>
          `    <testcase classname="${xml(name)}" name="${xml(f.item)}"><failure message="${xml(f.detail.split('\n')[0] ?? '')}">${xml(f.detail)}</failure></testcase>`,
      ),
      // an error, not a skip: a dashboard must go red with a gate that could not pass
      ...opens.map(
        (f) =>
          `    <testcase classname="${xml(name)}" name="${xml(f.item)}"><error type="${f.open ?? 'open'}" message="${xml(f.detail.split('\n')[0] ?? '')}">${xml(f.detail)}</error></testcase>`,
      ),
      ...skips.map(
        (f) =>
          `    <testcase classname="${xml(name)}" name="${xml(f.item)}"><skipped message="${xml(f.detail)}"/></testcase>`,
      ),
      ...(r.pass + r.known > 0
        ? [`    <testcase classname="${xml(name)}" name="${xml(`${r.pass} passed, ${r.known} known`)}"/>`]
        : []),
    ];
    return [
      `  <testsuite name="${xml(name)}" tests="${cases.length}" failures="${fails.length}" skipped="${skips.length}" errors="${opens.length}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="release gate${s.clientVersion ? ` (client ${xml(s.clientVersion)})` : ''}" failures="${s.failures.length}" errors="${s.open.length}">\n${suites.join('\n')}\n</testsuites>\n`;
}
