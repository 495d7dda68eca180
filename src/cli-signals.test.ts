/**
 * Issue 12 (8): Ctrl-C (SIGINT, delivered to the whole process group as a terminal does) and SIGTERM (a CI
 * runner's cancel or timeout) stop the run, write the report of what finished and exit with the documented
 * code — through `npm run conformance` as well as directly. The rules not run are one summary line.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBpProvider } from './apis/betterprompt/provider';
import { runCli, stackLines } from './cli-harness';
import type { RunReport } from './shared/report';
import type { RunningServer } from './shared/server';

const KEY = 'signal-test-key-7c2e91';
let slow: RunningServer;
let failing: RunningServer;

beforeAll(async () => {
  // every answer is slow, so the signal lands mid-run whatever the machine's load
  slow = await startBpProvider({ apiKey: KEY, chaos: { delayMs: 50 } });
  failing = await startBpProvider({ apiKey: KEY, knobs: ['envelope-status-lowercase'], chaos: { delayMs: 50 } });
});
afterAll(async () => {
  await Promise.all([slow.close(), failing.close()]);
});

const env = (url: string) => ({
  BETTERPROMPT_BASE_URL: url,
  BETTERPROMPT_API_KEY: KEY,
  CONFORMANCE_RATE: '1000',
  CONFORMANCE_RUNS: '5',
  CONFORMANCE_DEADLINE_S: '30',
});

async function interrupted(signal: 'SIGINT' | 'SIGTERM', viaNpm: boolean, url: string, after: string) {
  let sent = false;
  const run = await runCli(['--api', 'betterprompt'], {
    env: env(url),
    viaNpm,
    timeoutMs: 60_000,
    onStdout: (out, kill) => {
      if (sent || !out.includes(after)) return;
      sent = true;
      kill(signal);
      // a terminal's Ctrl-C reaches npm and node both, and npm forwards it: node sees it twice
      if (signal === 'SIGINT') setTimeout(() => kill(signal), 20);
    },
  });
  expect(sent, run.stdout + run.stderr).toBe(true);
  return run;
}

describe.each([
  ['directly', false],
  ['through npm run', true],
] as const)('signals, %s', (_how, viaNpm) => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const reason = signal === 'SIGINT' ? 'interrupted (SIGINT)' : 'terminated (SIGTERM)';

    it(`${signal} with nothing failed yet: exit 2, "incomplete:" on stderr, partial report, one summary line`, async () => {
      const run = await interrupted(signal, viaNpm, slow.url, '✓ BP-');
      expect({ code: run.code, signal: run.signal }, run.stderr).toEqual({ code: 2, signal: null });
      expect(run.stderr).toMatch(
        new RegExp(`^incomplete: ${reason.replace(/[()]/g, '\\$&')}; \\d+ rules skipped, not passed`, 'm'),
      );
      const report = JSON.parse(readFileSync(join(run.reportDir, 'conformance.json'), 'utf8')) as RunReport;
      expect(report.incomplete).toBe(reason);
      expect(report.totals.pass).toBeGreaterThan(0);
      expect(report.totals.skip).toBeGreaterThan(0);
      // not one "skipped: stopped" line per rule: one line for all of them
      expect(run.stdout).not.toMatch(/skipped: stopped/);
      expect(run.stdout.match(/^- \d+ rules? not run \(betterprompt\): .*$/gm)).toEqual([
        `- ${report.totals.skip} rules not run (betterprompt): ${reason}`,
      ]);
      expect(stackLines(run.stdout + run.stderr)).toEqual([]);
    }, 90_000);
  }

  it('SIGTERM after a failure: exit 1, the failure in the report', async () => {
    const run = await interrupted('SIGTERM', viaNpm, failing.url, '✗ BP-RESP-ENVELOPE');
    expect({ code: run.code, signal: run.signal }, run.stderr).toEqual({ code: 1, signal: null });
    const report = JSON.parse(readFileSync(join(run.reportDir, 'conformance.json'), 'utf8')) as RunReport;
    expect(report.apis[0]?.results.find((r) => r.id === 'BP-RESP-ENVELOPE')?.status).toBe('fail');
  }, 90_000);
});
