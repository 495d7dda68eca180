/** The HTML report in a real headless Chromium: renders, links reach failures, fetches nothing. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATHS, checkHtmlReport, failingReport, findChromium } from './html-check';

const WHERE = CHROMIUM_PATHS.join(' or ');

/**
 * Without the browser: a developer's machine skips the check and says why; CI (`CI` set, as for the progress
 * line) fails it, so a pipeline never goes green without having looked at the HTML in a browser.
 */
function withoutBrowser(env: Record<string, string | undefined>): { skip: string } | { fail: string } {
  if (env.CI)
    return {
      fail: `Chromium is absent (${WHERE}) and CI must check the HTML in a browser; install it (apt-get install -y chromium, as .ci/run does)`,
    };
  return { skip: `Chromium is absent (${WHERE}; apt-get install -y chromium to run the browser check)` };
}

describe('conformance.html in headless Chromium', () => {
  it('renders a fault-injected run, and a failing rule in the matrix links to its visible section', async (ctx) => {
    if (!findChromium()) {
      const absent = withoutBrowser(process.env);
      if ('fail' in absent) throw new Error(absent.fail);
      return ctx.skip(absent.skip);
    }
    const { report, html } = await failingReport(mkdtempSync(join(tmpdir(), 'conformance-html-')));
    const failed = report.apis.flatMap((a) => a.results.filter((r) => r.status === 'fail').map((r) => r.id));
    expect(failed).toContain('BP-CURSOR-AFTER');
    const check = await checkHtmlReport(html, 'reports/conformance.png', report.apis[0]?.results.length ?? 0);
    expect(check.title).toMatch(/^FAIL · Conformance: \d+ failed/);
    expect(failed).toContain(check.followed);
    expect(check.loaded).toHaveLength(1);
  }, 90_000); // Chromium's start on a loaded 2-core machine takes seconds, not milliseconds

  it('finds Chromium where Debian puts it: /usr/bin/chromium, else /usr/lib/chromium/chromium', () => {
    expect(findChromium((p) => p === '/usr/lib/chromium/chromium')).toBe('/usr/lib/chromium/chromium');
    expect(findChromium(() => true)).toBe('/usr/bin/chromium');
    expect(findChromium(() => false)).toBeUndefined();
  });

  it('a missing browser fails the check in CI and skips it, with the install line, elsewhere', () => {
    expect(withoutBrowser({ CI: 'true' })).toEqual({
      fail: expect.stringMatching(
        /is absent \(.*\) and CI must check the HTML in a browser; install it \(apt-get install -y chromium/,
      ),
    });
    expect(withoutBrowser({})).toEqual({
      skip: expect.stringMatching(
        /is absent \(\/usr\/bin\/chromium or \/usr\/lib\/chromium\/chromium; apt-get install/,
      ),
    });
  });
});
