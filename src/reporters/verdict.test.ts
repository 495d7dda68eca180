/** One verdict on top of every report (issue 18 (3)), and totals that keep embedded providers apart (18 (2)). */
import { describe, expect, it } from 'vitest';
import { type ApiReport, type RuleResult, type RunReport, totals, VERDICT_EXIT, verdictOf } from '../shared/report';
import { summaryLines } from './console';
import { htmlReport } from './html';
import { junitXml } from './junit';
import { markdownReport } from './markdown';
import { fixture } from './report-fixture';

const rule = (id: string, status: RuleResult['status'], api: ApiReport['api'] = 'betterprompt'): RuleResult => ({
  id,
  api,
  summary: `${id} holds`,
  doc: 'GET /v1/runs',
  basis: 'documented',
  status,
  ...(status === 'inconclusive' ? { reason: 'the listing kept changing' } : {}),
  requests: 1,
  cacheHits: 0,
  retries: 0,
  ms: 1,
});

function run(apis: { api: ApiReport['api']; kind: 'embedded' | 'configured'; results: RuleResult[] }[]): RunReport {
  const reports: ApiReport[] = apis.map((a) => ({
    api: a.api,
    title: a.api,
    target: { kind: a.kind, url: a.kind === 'embedded' ? '' : 'https://staging.test' },
    results: a.results,
    gaps: [],
    stats: fixture.apis[0]?.stats ?? ({} as ApiReport['stats']),
  }));
  return { ...fixture, apis: reports, totals: totals(reports), incomplete: undefined } as unknown as RunReport;
}

const inconclusiveOnly = run([
  {
    api: 'betterprompt',
    kind: 'configured',
    results: [rule('BP-A', 'pass'), rule('BP-WALK', 'inconclusive'), rule('BP-B', 'skip')],
  },
]);
delete (inconclusiveOnly as { incomplete?: string }).incomplete;
delete (inconclusiveOnly as { baseline?: unknown }).baseline;

describe('verdict', () => {
  it('FAIL beats INCOMPLETE beats INCONCLUSIVE beats PASS; exit codes 1, 2, 3, 0', () => {
    expect(verdictOf(fixture).verdict).toBe('FAIL');
    expect(verdictOf({ ...fixture, totals: { ...fixture.totals, fail: 0 } }).verdict).toBe('INCOMPLETE');
    const v = verdictOf(inconclusiveOnly);
    expect(v).toMatchObject({ verdict: 'INCONCLUSIVE', rules: ['BP-WALK'] });
    expect(v.rerun).toBe('npm run conformance -- --api betterprompt --rule BP-WALK');
    expect(VERDICT_EXIT).toEqual({ PASS: 0, FAIL: 1, INCOMPLETE: 2, INCONCLUSIVE: 3 });
  });

  it('INCOMPLETE names the rules the stop kept from running, not rules skipped for a reason of their own', () => {
    const stopped = run([
      {
        api: 'betterprompt',
        kind: 'configured',
        results: [rule('BP-A', 'pass'), rule('BP-ISO', 'skip'), { ...rule('BP-WALK', 'skip'), notRun: 'deadline' }],
      },
    ]);
    const v = verdictOf({ ...stopped, incomplete: 'run deadline reached' });
    expect(v).toMatchObject({ verdict: 'INCOMPLETE', rules: ['BP-WALK'] });
  });

  it('is the first line of the console summary, the Markdown and the HTML, with the rules and the rerun line', () => {
    expect(summaryLines(inconclusiveOnly)[0]).toMatch(/^INCONCLUSIVE: 1 rule could not conclude .* — BP-WALK$/);
    expect(summaryLines(inconclusiveOnly)[1]).toBe('rerun: npm run conformance -- --api betterprompt --rule BP-WALK');
    const md = markdownReport(inconclusiveOnly);
    expect(md.split('\n')[0]).toMatch(/^# INCONCLUSIVE · Conformance report: /);
    expect(md).toContain('> Rerun: `npm run conformance -- --api betterprompt --rule BP-WALK`');
    const html = htmlReport(inconclusiveOnly);
    expect(html).toMatch(
      /<h1>INCONCLUSIVE · Conformance: [^<]*<\/h1>\s*<p class="verdict v-inconclusive" role="status">/,
    );
    expect(html).toContain(
      'Rules: BP-WALK<br>Rerun: <code>npm run conformance -- --api betterprompt --rule BP-WALK</code>',
    );
  });

  it('junit carries an inconclusive rule as an <error>, so a dashboard goes red with the job', () => {
    const xml = junitXml(inconclusiveOnly);
    expect(xml).toMatch(/<testsuites name="conformance" tests="3" failures="0" errors="1">/);
    expect(xml).toMatch(/<testcase [^>]*name="BP-WALK[^"]*"[^>]*><error type="inconclusive" message="inconclusive: /);
    expect(xml).not.toMatch(/<skipped message="inconclusive/);
  });
});

describe('a partly configured run', () => {
  it('reports the embedded APIs apart and never adds their counts to the target’s', () => {
    const mixed = run([
      { api: 'betterprompt', kind: 'configured', results: [rule('BP-A', 'pass'), rule('BP-B', 'pass')] },
      { api: 'runtype', kind: 'embedded', results: [rule('RT-A', 'pass', 'runtype')] },
    ]);
    const lines = summaryLines(mixed);
    expect(lines).toContain('conformance: 2 passed, 0 failed, 0 skipped (configured targets: betterprompt)');
    expect(lines).toContainEqual(
      expect.stringMatching(/^embedded: 1 passed, 0 failed, 0 skipped \(reference providers, not targets: runtype;/),
    );
    expect(lines.join('\n')).not.toMatch(/3 passed/);
  });
});
