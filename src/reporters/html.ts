/**
 * `conformance.html`: one self-contained page (inline CSS, no scripts, nothing fetched; a CSP forbids both),
 * with the same content as the Markdown report. Every piece of text goes through {@link h}.
 */
import {
  type ApiReport,
  type RuleResult,
  type RuleStatus,
  type RunReport,
  type VerdictSummary,
  verdictOf,
} from '../shared/report';
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

/** HTML-escapes text for element content and quoted attributes. */
export function h(s: string | number): string {
  return sanitize(String(s))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** The element id of a rule's failure section. */
export function ruleAnchor(id: string): string {
  return `rule-${id.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`;
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const CSS = `
:root{--fail:#b42318;--fail-bg:#fef3f2;--pass:#067647;--pass-bg:#ecfdf3;--skip:#475467;--skip-bg:#f2f4f7;--known:#b54708;--known-bg:#fffaeb;--line:#d0d5dd;--muted:#475467}
*{box-sizing:border-box}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#101828;margin:0 auto;padding:24px;max-width:1200px}
h1{font-size:1.6rem;margin:0 0 4px}h2{font-size:1.25rem;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:1.05rem;margin:0 0 6px}
.meta,.muted{color:var(--muted)}
.verdict{padding:8px 12px;border-radius:6px;margin:12px 0;border:1px solid}
.v-pass{background:#e8f5e9;border-color:#2e7d32}.v-fail{background:#fdecea;border-color:#c62828}
.v-incomplete,.v-inconclusive{background:var(--known-bg);border-color:var(--known)}
.banner{background:var(--known-bg);border:1px solid var(--known);padding:8px 12px;border-radius:6px;margin:12px 0}
nav a{margin-right:14px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
thead th{background:#f9fafb;position:sticky;top:0}
td.st{white-space:nowrap;font-weight:600}
.s-fail{color:var(--fail)}td.s-fail{background:var(--fail-bg)}
.s-pass{color:var(--pass)}td.s-pass{background:var(--pass-bg)}
.s-skip{color:var(--skip)}td.s-skip{background:var(--skip-bg)}
.s-known{color:var(--known)}td.s-known{background:var(--known-bg)}
.s-blocked{color:var(--skip)}td.s-blocked{background:var(--skip-bg)}
.s-inconclusive{color:var(--known)}td.s-inconclusive{background:var(--known-bg)}
tbody th[scope=row]{white-space:nowrap}
.failing a{margin-right:10px;font-weight:600;white-space:nowrap}
td.na{color:#98a2b3;text-align:center}
.card{border:1px solid var(--line);border-left:5px solid var(--fail);border-radius:6px;padding:12px 16px;margin:14px 0;scroll-margin-top:12px}
.card.card-known{border-left-color:var(--known)}
.card h3 .muted{font-weight:400}
.card:target{box-shadow:0 0 0 3px #84adff}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;margin:8px 0}
dt{font-weight:600;color:var(--muted)}dd{margin:0;min-width:0}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
code{background:#f2f4f7;padding:1px 4px;border-radius:4px;overflow-wrap:anywhere}
pre{background:#f2f4f7;padding:8px 10px;border-radius:6px;margin:4px 0;white-space:pre-wrap;overflow-wrap:anywhere;max-height:24em;overflow:auto}
.gap{margin:10px 0}.gap ul{margin:4px 0}
`;

/** The verdict on top of the page: why, the rules concerned (linked), and the rerun line. */
function verdictBanner(v: VerdictSummary): string {
  // only failures have a section to link to; the others are listed in "Not checked"
  const link = (id: string) => (v.verdict === 'FAIL' ? `<a href="#${ruleAnchor(id)}">${h(id)}</a>` : h(id));
  const rules = v.rules.length ? `<br>Rules: ${v.rules.map(link).join(' ')}` : '';
  const rerun = v.rerun && v.verdict !== 'PASS' ? `<br>Rerun: <code>${h(v.rerun)}</code>` : '';
  return `<p class="verdict v-${v.verdict.toLowerCase()}" role="status"><strong>${v.verdict}:</strong> ${h(v.why)}${rules}${rerun}</p>`;
}

export function htmlReport(report: RunReport): string {
  const items = detailed(report);
  const v = verdictOf(report);
  const title = `${v.verdict} · Conformance: ${headline(report)}`;
  const body = [
    `<header><h1>${h(title)}</h1>`,
    verdictBanner(v),
    `<p class="meta">run ${h(report.startedAt)} · ${h((report.durationMs / 1000).toFixed(1))} s · seed ${h(report.seed)} · ${h(report.runs)} cases per property</p>`,
    `<ul class="meta">${report.apis.map((a) => `<li>${h(a.title)}: ${h(a.target.kind)} target <code>${h(a.target.url)}</code>${a.incomplete ? ` — <strong class="s-known">incomplete: ${h(a.incomplete)}</strong>` : ''}${(a.hints ?? []).map((x) => `<br><strong>hint:</strong> ${h(x)}`).join('')}</li>`).join('')}</ul></header>`,
    report.incomplete
      ? `<p class="banner" role="alert"><strong>INCOMPLETE:</strong> ${h(report.incomplete)}. Skipped rules were not checked; they did not pass.</p>`
      : '',
    items.length
      ? `<p class="failing">Failing: ${items.map(({ result }) => `<a class="s-${result.status}" href="#${ruleAnchor(result.id)}">${h(result.id)}</a>`).join(' ')}</p>`
      : '',
    `<nav><a href="#matrix">Rules × APIs</a>${matrixGroups(report).security.length ? '<a href="#security">Security</a>' : ''}<a href="#failures">Failures (${items.length})</a><a href="#gaps">Documentation gaps</a><a href="#stats">Run statistics</a></nav>`,
    matrixSection(report, new Set(items.map((i) => i.result.id))),
    `<section id="failures"><h2>Failures</h2>${items.length ? items.map(({ api, result }) => failureCard(api, result)).join('\n') : '<p>None.</p>'}</section>`,
    skippedSection(report),
    baselineSection(report),
    gapsSection(report),
    statsSection(report),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(CSP)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body.filter(Boolean).join('\n')}
</body>
</html>
`;
}

function statusCell(r: RuleResult | undefined, linked: boolean): string {
  if (!r) return '<td class="na">—</td>';
  const label = `${h(STATUS_LABEL[r.status])}${r.coverage ? ` <small>(${h(r.coverage)})</small>` : ''}`;
  return `<td class="st s-${r.status}">${linked ? `<a class="s-${r.status}" href="#${ruleAnchor(r.id)}">${label}</a>` : label}</td>`;
}

function matrixSection(report: RunReport, linked: ReadonlySet<string>): string {
  const { security, other } = matrixGroups(report);
  // the security group first, so a reader sees isolation and authentication at a glance
  const groups = security.length
    ? `<h3 id="security">${h(SECURITY_TITLE)}</h3>${matrixTable(report, security, linked)}<h3>All other rules</h3>`
    : '';
  return `<section id="matrix"><h2>Rules × APIs</h2>${groups}${matrixTable(report, other, linked)}</section>`;
}

function matrixTable(report: RunReport, rows: readonly MatrixRow[], linked: ReadonlySet<string>): string {
  const head = `<tr><th scope="col">Rule</th><th scope="col">Expectation</th><th scope="col">Basis</th><th scope="col">Doc reference</th>${report.apis.map((a) => `<th scope="col">${h(a.api)}</th>`).join('')}</tr>`;
  const cells = rows.map((row) => {
    const link = linked.has(row.id);
    const id = link ? `<a href="#${ruleAnchor(row.id)}">${h(row.id)}</a>` : h(row.id);
    const worst = worstStatus(Object.values(row.cells).map((r) => r.status));
    return `<tr class="rule" data-rule="${h(row.id)}" data-status="${worst}"><th scope="row">${id}</th><td>${h(row.summary)}</td><td>${h(row.basis)}</td><td>${h(row.doc)}</td>${report.apis.map((a) => statusCell(row.cells[a.api], link)).join('')}</tr>`;
  });
  return `<div class="scroll"><table><thead>${head}</thead><tbody>\n${cells.join('\n')}\n</tbody></table></div>`;
}

function worstStatus(statuses: readonly RuleStatus[]): RuleStatus {
  for (const s of ['fail', 'known', 'blocked', 'inconclusive', 'skip'] as const) if (statuses.includes(s)) return s;
  return 'pass';
}

function failureCard(api: ApiReport, r: RuleResult): string {
  const rows: string[] = [];
  const row = (k: string, html: string | undefined) => {
    if (html !== undefined) rows.push(`<dt>${h(k)}</dt><dd>${html}</dd>`);
  };
  const v = r.violation;
  if (v?.exchange) row('request', `<code>${h(`${v.exchange.request.method} ${v.exchange.request.url}`)}</code>`);
  if (v) {
    row('expected', h(v.expected));
    row('actual', h(v.actual));
  }
  if (v?.exchange)
    row('response', `${h(responseLine(v.exchange.response))}<pre class="body">${h(v.exchange.response.body)}</pre>`);
  const shrunk = v && shrunkText(v);
  row('shrunk', shrunk === undefined ? undefined : `<code>${h(shrunk)}</code>`);
  const seed = v && seedText(v);
  row('seed', seed === undefined ? undefined : h(seed));
  if (v) row('rerun', `<pre class="replay">${h(v.replay)}</pre>`);
  if (v?.exchange) row('curl', `<pre class="curl">${h(v.exchange.request.curl)}</pre>`);
  const note = r.status === 'known' ? knownLine(r) : r.reason;
  return `<article class="card card-${r.status}" id="${ruleAnchor(r.id)}">
<h3><span class="s-${r.status}">${h(STATUS_LABEL[r.status])}</span> ${h(r.id)} <span class="muted">— ${h(r.summary)}</span></h3>
<p class="muted">${h(r.basis)}: ${h(r.doc)} · ${h(api.title)}</p>
${note ? `<p class="banner">${h(note)}</p>` : ''}<dl>${rows.join('')}</dl>
<p><a href="#matrix">back to the matrix</a></p>
</article>`;
}

function skippedSection(report: RunReport): string {
  const items = skipped(report);
  if (!items.length) return '';
  const rows = items.map(
    ({ api, result }) =>
      `<tr><th scope="row">${h(result.id)}</th><td>${h(api.api)}</td><td>${h(notConcludedLine(result))}</td></tr>`,
  );
  return `<section id="skipped"><h2>Not concluded (blocked, inconclusive, skipped)</h2><table><thead><tr><th>Rule</th><th>API</th><th>Why</th></tr></thead><tbody>${rows.join('')}</tbody></table></section>`;
}

function baselineSection(report: RunReport): string {
  const b = report.baseline;
  if (!b || !(b.known.length || b.expired.length || b.stale.length)) return '';
  const li = [
    ...b.known.map(
      (k) => `<li class="s-known">${h(k.rule)} (${h(k.api)}): known until ${h(k.expires)} — ${h(k.reason)}</li>`,
    ),
    ...b.expired.map(
      (k) =>
        `<li class="s-fail"><strong>${h(k.rule)} (${h(k.api)}): entry expired on ${h(k.expires)}</strong>; the rule fails the run again — ${h(k.reason)}</li>`,
    ),
    ...b.stale.map(
      (k) => `<li>${h(k.rule)} (${h(k.api)}): passes now; remove its entry (expires ${h(k.expires)})</li>`,
    ),
  ];
  return `<section id="baseline"><h2>Known deviations (baseline)</h2><p>From <code>${h(b.file)}</code>.</p><ul>${li.join('')}</ul></section>`;
}

function gapsSection(report: RunReport): string {
  const apis = report.apis.map((a) => {
    const gaps = a.gaps.map((g) => {
      const shown = g.observed.slice(0, OBSERVED_MAX).map((o) => `<li>${h(o)}</li>`);
      if (g.observed.length > OBSERVED_MAX)
        shown.push(`<li class="muted">… ${g.observed.length - OBSERVED_MAX} more in conformance.json</li>`);
      const observed = shown.length ? `<ul>${shown.join('')}</ul>` : '<p class="muted">nothing observed this run</p>';
      return `<div class="gap" id="gap-${h(g.id.toLowerCase())}"><h4>${h(g.id)} <span class="muted">(${h(g.doc)})</span></h4><p>${h(g.summary)}</p><p class="muted">handling: ${h(g.handling)}</p><p><strong>observed:</strong></p>${observed}</div>`;
    });
    return `<h3>${h(a.title)}</h3>${gaps.join('\n')}`;
  });
  return `<section id="gaps"><h2>Documentation gaps</h2><p class="muted">What the docs leave open, how the suite handles it, and what the target was seen to do.</p>${apis.join('\n')}</section>`;
}

function statsSection(report: RunReport): string {
  const rows = report.apis.map((a) => {
    const s = a.stats;
    return `<tr><th scope="row">${h(a.api)}</th><td>${h(a.target.kind)}</td><td>${s.sent}</td><td>${s.cacheHits}</td><td>${s.retries}</td><td>${h(retriesByStatus(a))}</td><td>${s.rateLimitedWithoutRetryAfter} of ${s.rateLimited}</td><td>${a.incomplete ? `<strong class="s-known">no: ${h(a.incomplete)}</strong>` : 'yes'}</td></tr>`;
  });
  return `<section id="stats"><h2>Run statistics</h2><div class="scroll"><table><thead><tr><th>API</th><th>Target</th><th>Requests sent</th><th>Reused (cache)</th><th>Retries</th><th>Retries by status</th><th>429 without Retry-After</th><th>Complete</th></tr></thead><tbody>${rows.join('')}</tbody></table></div></section>`;
}
