/** The HTML report in a real headless Chromium: renders, links reach failures, fetches nothing. */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM, checkHtmlReport, failingReport } from './html-check';

describe('conformance.html in headless Chromium', () => {
  it('renders a fault-injected run, and a failing rule in the matrix links to its visible section', async (ctx) => {
    // CI machines may lack the browser; the check then says so instead of passing silently
    if (!existsSync(CHROMIUM)) return ctx.skip(`${CHROMIUM} is absent (apt-get install -y chromium to run the browser check)`);
    const { report, html } = await failingReport(mkdtempSync(join(tmpdir(), 'conformance-html-')));
    const failed = report.apis.flatMap((a) => a.results.filter((r) => r.status === 'fail').map((r) => r.id));
    expect(failed).toContain('BP-CURSOR-AFTER');
    const check = await checkHtmlReport(html, 'reports/conformance.png', report.apis[0]?.results.length ?? 0);
    expect(check.title).toMatch(/^Conformance: \d+ failed/);
    expect(failed).toContain(check.followed);
    expect(check.loaded).toHaveLength(1);
  }, 30_000);
});
