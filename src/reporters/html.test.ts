import { describe, expect, it } from 'vitest';
import type { ApiReport, RunReport } from '../shared/report';
import { h, htmlReport, ruleAnchor } from './html';
import { fixture } from './report-fixture';

const runtype: ApiReport = {
  api: 'runtype',
  title: 'Runtype GET /v1/prompts',
  target: { kind: 'embedded', url: 'http://127.0.0.1:4011' },
  results: [
    {
      id: 'RT-PAGE-001',
      api: 'runtype',
      summary: 'a page holds at most limit rows',
      doc: 'GET /v1/prompts',
      basis: 'documented',
      status: 'pass',
      requests: 1,
      cacheHits: 0,
      retries: 0,
      ms: 1,
    },
  ],
  gaps: [],
  stats: { sent: 1, cacheHits: 0, retries: 0, retriesByStatus: {}, rateLimited: 0, rateLimitedWithoutRetryAfter: 0 },
};
const report: RunReport = { ...fixture, apis: [...fixture.apis, runtype], totals: { ...fixture.totals, pass: 2 } };
const html = htmlReport(report);

describe('htmlReport', () => {
  it('escapes everything a target sent: no markup of its own survives', () => {
    expect(html).not.toMatch(/<script|<img|<[a-z]+[^>]*\sonerror=|href="javascript/i);
    expect(html).toContain('&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    // a control character and a bidi override are shown, not obeyed
    expect(html).toContain('a\\u0007b');
    expect(html).toContain('\\u202eevil');
    expect(html.includes('\u0007') || html.includes('\u202e')).toBe(false);
    expect(h(`"'<&>`)).toBe('&quot;&#39;&lt;&amp;&gt;');
  });

  it('is self-contained: inline CSS, no scripts, nothing fetched, a CSP that forbids both', () => {
    expect(html).toContain(
      `<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; style-src &#39;unsafe-inline&#39;`,
    );
    expect(html).not.toMatch(/<link|<script|<iframe|<object|@import|url\(|<[a-z]+[^>]*\ssrc=/i);
    expect(html.match(/<style>/g)).toHaveLength(1);
  });

  it('every in-page link has a target, and ids are unique', () => {
    const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(new Set(ids).size).toBe(ids.length);
    const hrefs = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(hrefs.length).toBeGreaterThan(5);
    for (const href of hrefs) expect(ids).toContain(href);
  });

  it('shows the matrix: a row per rule, a column per API, failing cells linking to their section', () => {
    expect(html.match(/<tr class="rule"/g)).toHaveLength(5);
    expect(html).toContain('<th scope="col">betterprompt</th><th scope="col">runtype</th>');
    const row = /<tr class="rule" data-rule="BP-CURSOR-AFTER" data-status="fail">.*<\/tr>/.exec(html)?.[0] ?? '';
    expect(row).toContain(`<a href="#${ruleAnchor('BP-CURSOR-AFTER')}">BP-CURSOR-AFTER</a>`);
    expect(row).toContain('<td>documented</td><td>GET /v1/runs › Params</td>');
    expect(row).toContain(
      '<td class="st s-fail"><a class="s-fail" href="#rule-bp-cursor-after">✗ fail</a></td><td class="na">—</td>',
    );
    expect(html).toMatch(/data-rule="BP-HASMORE" data-status="known">.*✗|! known/);
    expect(html).toMatch(
      /data-rule="RT-PAGE-001" data-status="pass">.*<td class="na">—<\/td><td class="st s-pass">✓ pass<\/td>/,
    );
  });

  it('gives a failure its request, expectation, answer, shrunk input, seed, rerun command and redacted curl', () => {
    const card = /<article class="card card-fail" id="rule-bp-cursor-after">[\s\S]*?<\/article>/.exec(html)?.[0] ?? '';
    expect(card).toContain('<code>GET http://127.0.0.1:4010/v1/runs?startingAfter=62885fa8&amp;limit=45</code>');
    expect(card).toContain('<dt>expected</dt><dd>the 45 rows after position 5</dd>');
    expect(card).toContain('status 200 · content-type: text/html · retry-after: 7');
    expect(card).toContain('<code>[5,45]  (2 shrinks)</code>');
    expect(card).toContain('<dd>42, path &quot;1:2:0&quot;</dd>');
    expect(card).toContain(
      'npm run conformance -- --api betterprompt --rule BP-CURSOR-AFTER --replay 42 --path &#39;1:2:0&#39;',
    );
    expect(card).toContain('Bearer [redacted]');
  });

  it('marks known deviations, the baseline, skipped rules, gaps, statistics and the unfinished run', () => {
    expect(html).toContain('known deviation until 2026-03-31 (baseline): vendor ticket 12');
    expect(html).toContain('BP-LIMIT-MAX (betterprompt): passes now; remove its entry');
    expect(html).toContain('<td>the target sent no 429 this run</td>');
    expect(html).toContain('<li>limit=75 → 422</li>');
    expect(html).not.toContain('<li>limit=76 → 422</li>');
    expect(html).toContain('… 5 more in conformance.json');
    expect(html).toContain('nothing observed this run');
    expect(html).toContain('<td>120</td><td>9</td><td>3</td><td>2× 429, 1× 503</td><td>1 of 2</td>');
    expect(html).toContain('<strong>INCOMPLETE:</strong> request budget of 120 used up');
    expect(html).toContain('<title>FAIL · Conformance: 1 failed, 2 passed, 1 skipped, 1 known</title>');
  });
});
