/** JUnit XML: a testsuite per API, a testcase per rule, named by rule ID so CI dashboards speak in IDs. */
import type { RunReport } from '../shared/report';
import { failureLines } from './console';

// XML 1.0 forbids these even when escaped; a target's body may contain them
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;

function esc(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(CONTROL_CHARS, '');
}

export function junitXml(report: RunReport): string {
  const suites = report.apis.map((a) => {
    const count = (s: string) => a.results.filter((r) => r.status === s).length;
    const cases = a.results.map((r) => {
      const name = `${r.id} ${r.summary}`;
      const cover = r.coverage ? `<system-out>${esc(r.coverage)}</system-out>` : '';
      const open = `    <testcase classname="${esc(a.api)}" name="${esc(name)}" time="${(r.ms / 1000).toFixed(3)}">`;
      // a pass that needed retries is still a pass, but CI readers should see the target was flaky
      if (r.status === 'pass')
        return `${open}${r.retries ? `<system-out>passed after ${r.retries} retries${r.coverage ? `; ${esc(r.coverage)}` : ''}</system-out>` : cover}</testcase>`;
      if (r.status === 'skip') return `${open}<skipped message="${esc(r.reason ?? '')}"/></testcase>`;
      if (r.status === 'known')
        return `${open}<skipped message="${esc(`known deviation: ${r.reason ?? ''}`)}"/></testcase>`;
      // junit has no such statuses: a skip whose message starts with the status, so dashboards still tell them apart
      if (r.status === 'blocked')
        return `${open}<skipped message="${esc(`blocked by ${(r.blockedBy ?? []).join(', ')}: ${r.reason ?? ''}`)}"/></testcase>`;
      // an error, not a skip: a dashboard must go red with the job (exit 3), though nothing was found wrong
      if (r.status === 'inconclusive')
        return `${open}<error type="inconclusive" message="${esc(`inconclusive: ${r.reason ?? ''}`)}">${esc(`the target's data changed during the run and re-reads could not settle it; run again: npm run conformance -- --api ${a.api} --rule ${r.id}`)}</error></testcase>`;
      const msg = r.violation ? `expected ${r.violation.expected}; got ${r.violation.actual}` : 'failed';
      return `${open}<failure message="${esc(msg)}">${esc(failureLines(r).join('\n'))}</failure>${cover}</testcase>`;
    });
    return [
      `  <testsuite name="${esc(a.title)}" tests="${a.results.length}" failures="${count('fail')}" skipped="${count('skip') + count('known') + count('blocked')}" errors="${count('inconclusive')}">`,
      ...cases,
      '  </testsuite>',
    ].join('\n');
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="conformance" tests="${report.apis.reduce((n, a) => n + a.results.length, 0)}" failures="${report.totals.fail}" errors="${report.totals.inconclusive}">\n${suites.join('\n')}\n</testsuites>\n`;
}
