/**
 * `conformance.md`: the matrix of rules × APIs, a section per failure (request, expected, actual, response,
 * shrunk input, seed, rerun command, redacted curl), documentation gaps, run statistics.
 * Target text is hostile: inline text is backslash-escaped, bodies go in fences longer than any backtick run.
 */
import { type ApiReport, type RuleResult, type RunReport, verdictOf } from '../shared/report';
import {
  detailed,
  headline,
  knownLine,
  type MatrixRow,
  matrixGroups,
  notConcludedLine,
  OBSERVED_MAX,
  responseLine,
  retriesByStatus,
  STATUS_LABEL,
  seedText,
  SECURITY_TITLE,
  shrunkText,
  sanitize,
  skipped,
} from './view';

/** Inline text: one line, every character that Markdown or HTML would act on escaped. */
export function mdText(s: string): string {
  return (
    sanitize(s)
      .replace(/\r\n|\r|\n/g, ' ')
      // links need `[`, HTML needs `<` or `&`, emphasis `*_~`, GFM tables `|`, math `$`: escaping these is enough inline
      .replace(/[\\`*_[\]<>|~&$]/g, '\\$&')
  );
}

/** A code span that no backtick inside `s` can close early. Not for table cells (GFM splits them on `|`). */
export function mdCode(s: string): string {
  const one = sanitize(s).replace(/\r\n|\r|\n/g, ' ');
  const fence = '`'.repeat(longestRun(one, '`') + 1);
  const pad = one.startsWith('`') || one.endsWith('`') || one.startsWith(' ') ? ' ' : '';
  return `${fence}${pad}${one}${pad}${fence}`;
}

/** A fenced block that no line of `s` can close early. */
export function mdBlock(s: string, lang = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(s, '`') + 1));
  return `${fence}${lang}\n${sanitize(s)}\n${fence}`;
}

/** GitHub's heading slug, which is how the matrix links reach a failure section. */
export function mdSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function longestRun(s: string, ch: string): number {
  let best = 0;
  let run = 0;
  for (const c of s) {
    run = c === ch ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

export function markdownReport(report: RunReport): string {
  const out: string[] = [];
  const v = verdictOf(report);
  out.push(`# ${v.verdict} · Conformance report: ${headline(report)}`, '');
  // the verdict's banner: why, the rules concerned, and the command that checks them again
  out.push(`> **${v.verdict}:** ${mdText(v.why)}`);
  if (v.rules.length) out.push('>', `> Rules: ${v.rules.map((id) => mdText(id)).join(', ')}`);
  if (v.rerun && v.verdict !== 'PASS') out.push('>', `> Rerun: ${mdCode(v.rerun)}`);
  out.push('');
  out.push(
    `Run ${mdText(report.startedAt)} · ${(report.durationMs / 1000).toFixed(1)} s · seed ${report.seed} · ${report.runs} cases per property`,
    '',
  );
  if (report.incomplete)
    out.push(`> **INCOMPLETE:** ${mdText(report.incomplete)}. Skipped rules were not checked; they did not pass.`, '');
  for (const a of report.apis) {
    out.push(
      `- ${mdText(a.title)}: ${a.target.kind} target ${mdCode(a.target.url)}${a.incomplete ? ` — **incomplete:** ${mdText(a.incomplete)}` : ''}`,
    );
    for (const hint of a.hints ?? []) out.push(`  - **hint:** ${mdText(hint)}`);
  }
  const items = detailed(report);
  if (items.length)
    out.push(
      '',
      `Failing: ${items.map(({ result }) => `[${mdText(result.id)}](#${mdSlug(result.id)})${result.status === 'known' ? ' (known)' : ''}`).join(', ')}`,
    );
  out.push(
    '',
    ...matrixSection(report),
    ...failureSections(report),
    ...skippedSection(report),
    ...baselineSection(report),
    ...gapSections(report),
    ...statsSection(report),
  );
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

function matrixSection(report: RunReport): string[] {
  const { security, other } = matrixGroups(report);
  // the security group first, so a reader sees isolation and authentication at a glance
  if (!security.length) return ['## Rules × APIs', '', ...matrixTable(report, other)];
  return [
    '## Rules × APIs',
    '',
    `### ${SECURITY_TITLE}`,
    '',
    ...matrixTable(report, security),
    '### All other rules',
    '',
    ...matrixTable(report, other),
  ];
}

function matrixTable(report: RunReport, rows: readonly MatrixRow[]): string[] {
  const apis = report.apis;
  const linked = new Set(detailed(report).map((d) => d.result.id));
  const out = [
    `| Rule | Expectation | Basis | Doc reference | ${apis.map((a) => mdText(a.api)).join(' | ')} |`,
    `|---|---|---|---|${apis.map(() => '---').join('|')}|`,
  ];
  for (const row of rows) {
    const id = linked.has(row.id) ? `[${mdText(row.id)}](#${mdSlug(row.id)})` : mdText(row.id);
    const cells = apis.map((a) => {
      const r = row.cells[a.api];
      if (!r) return '—';
      const label = `${STATUS_LABEL[r.status]}${r.coverage ? ` (${mdText(r.coverage)})` : ''}`;
      return linked.has(row.id) ? `[${label}](#${mdSlug(row.id)})` : label;
    });
    out.push(`| ${id} | ${mdText(row.summary)} | ${row.basis} | ${mdText(row.doc)} | ${cells.join(' | ')} |`);
  }
  return [...out, ''];
}

function failureSections(report: RunReport): string[] {
  const items = detailed(report);
  if (!items.length) return ['## Failures', '', 'None.', ''];
  const out = ['## Failures', ''];
  for (const { api, result } of items) out.push(...failureSection(api, result));
  return out;
}

function failureSection(api: ApiReport, r: RuleResult): string[] {
  const out = [`### ${r.id}`, ''];
  out.push(
    `**${STATUS_LABEL[r.status]}** — ${mdText(r.summary)} (${r.basis}: ${mdText(r.doc)}; ${mdText(api.title)})`,
    '',
  );
  if (r.status === 'known') out.push(`> ${mdText(knownLine(r))}`, '');
  else if (r.reason) out.push(`> ${mdText(r.reason)}`, '');
  const v = r.violation;
  if (!v) return out;
  const row = (k: string, val: string | undefined) => {
    if (val !== undefined) out.push(`- **${k}** ${val}`);
  };
  if (v.exchange) row('request', mdCode(`${v.exchange.request.method} ${v.exchange.request.url}`));
  row('expected', mdText(v.expected));
  row('actual', mdText(v.actual));
  if (v.exchange) row('response', mdText(responseLine(v.exchange.response)));
  const shrunk = shrunkText(v);
  row('shrunk', shrunk === undefined ? undefined : mdCode(shrunk));
  const seed = seedText(v);
  row('seed', seed === undefined ? undefined : mdText(seed));
  row('rerun', mdCode(v.replay));
  if (v.exchange) {
    out.push(
      '',
      'Response body (trimmed):',
      '',
      mdBlock(v.exchange.response.body),
      '',
      'Replay with curl (key redacted):',
      '',
      mdBlock(v.exchange.request.curl, 'sh'),
    );
  }
  return [...out, '', '[back to the matrix](#rules--apis)', ''];
}

function skippedSection(report: RunReport): string[] {
  const items = skipped(report);
  if (!items.length) return [];
  return [
    '## Not concluded (blocked, inconclusive, skipped)',
    '',
    '| Rule | API | Why |',
    '|---|---|---|',
    ...items.map(
      ({ api, result }) => `| ${mdText(result.id)} | ${mdText(api.api)} | ${mdText(notConcludedLine(result))} |`,
    ),
    '',
  ];
}

function baselineSection(report: RunReport): string[] {
  const b = report.baseline;
  if (!b || !(b.known.length || b.expired.length || b.stale.length)) return [];
  const out = ['## Known deviations (baseline)', '', `From ${mdCode(b.file)}.`, ''];
  for (const k of b.known) out.push(`- ${mdText(k.rule)} (${k.api}): known until ${k.expires} — ${mdText(k.reason)}`);
  for (const k of b.expired)
    out.push(
      `- **${mdText(k.rule)} (${k.api}): entry expired on ${k.expires}**; the rule fails the run again — ${mdText(k.reason)}`,
    );
  for (const k of b.stale)
    out.push(`- ${mdText(k.rule)} (${k.api}): passes now; remove its entry (expires ${k.expires})`);
  return [...out, ''];
}

function gapSections(report: RunReport): string[] {
  const out = [
    '## Documentation gaps',
    '',
    'What the docs leave open, how the suite handles it, and what the target was seen to do.',
    '',
  ];
  for (const a of report.apis) {
    out.push(`### Gaps: ${mdText(a.title)}`, '');
    for (const g of a.gaps) {
      out.push(`- **${mdText(g.id)}** (${mdText(g.doc)}): ${mdText(g.summary)}`, `  - handling: ${mdText(g.handling)}`);
      if (!g.observed.length) out.push('  - observed: nothing this run');
      for (const o of g.observed.slice(0, OBSERVED_MAX)) out.push(`  - observed: ${mdText(o)}`);
      if (g.observed.length > OBSERVED_MAX)
        out.push(`  - … ${g.observed.length - OBSERVED_MAX} more in conformance.json`);
    }
    out.push('');
  }
  return out;
}

function statsSection(report: RunReport): string[] {
  const out = [
    '## Run statistics',
    '',
    '| API | Target | Requests sent | Reused (cache) | Retries | Retries by status | 429 without Retry-After | Complete |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const a of report.apis) {
    const s = a.stats;
    out.push(
      `| ${mdText(a.api)} | ${a.target.kind} | ${s.sent} | ${s.cacheHits} | ${s.retries} | ${mdText(retriesByStatus(a))} | ${s.rateLimitedWithoutRetryAfter} of ${s.rateLimited} | ${a.incomplete ? `**no:** ${mdText(a.incomplete)}` : 'yes'} |`,
    );
  }
  return [...out, ''];
}
