/** Issue 12 (10): the run header names the configured target's URL, not the literal `$BETTERPROMPT_BASE_URL`; .env.example states the real default rates. */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { apis } from './apis';
import { betterprompt } from './apis/betterprompt';
import { startBpProvider } from './apis/betterprompt/provider';
import { runConformance } from './run';
import { notRunError } from './shared/property';
import { asGenericApi } from './shared/api';
import { selfTestConfig } from './selftest/harness';

it('the header of a configured run prints the base URL it checks', async () => {
  const apiKey = 'run-header-key-3f9a';
  const server = await startBpProvider({ apiKey });
  try {
    const lines: string[] = [];
    await runConformance(
      selfTestConfig(asGenericApi(betterprompt), {
        rules: ['BP-RESP-ENVELOPE'],
        configured: { baseUrl: server.url, apiKey },
      }),
      { log: (l) => lines.push(l) },
    );
    expect(lines[0]).toContain(`checking the configured target at BETTERPROMPT_BASE_URL=${server.url}`);
    expect(lines.join('\n')).not.toContain('$BETTERPROMPT_BASE_URL');
  } finally {
    await server.close();
  }
});

it('.env.example states the default live rate of each API, as the README does', () => {
  const line =
    readFileSync(new URL('../.env.example', import.meta.url), 'utf8')
      .split('\n')
      .find((l) => l.includes('CONFORMANCE_RATE=')) ?? '';
  for (const m of Object.values(apis)) expect(line).toContain(`${m.liveRate} (${m.title.split(' ')[0]})`);
});

it('a property fast-check could not run is a skip with its reason, never a failure', async () => {
  const bp = asGenericApi(betterprompt);
  const [first] = bp.rules;
  if (!first) throw new Error('no rule');
  const gaveUp: typeof first = {
    ...first,
    check: async () => {
      throw notRunError({ interrupted: false, numRuns: 2, numSkips: 98, seed: 7 }, 20);
    },
  };
  const report = await runConformance(selfTestConfig(bp, { rules: [first.id] }), {
    modules: { betterprompt: { ...bp, rules: [gaveUp] } },
  });
  expect(report.apis[0]?.results[0]).toMatchObject({
    status: 'skip',
    reason: expect.stringMatching(/^not run: property gave up/),
  });
  expect(report.totals.fail).toBe(0);
});

it('a rule the stop kept from running carries the typed notRun field; the rules that ran do not', async () => {
  const budget = 'request budget of 4 used up (CONFORMANCE_MAX_REQUESTS)';
  const report = await runConformance(selfTestConfig(asGenericApi(betterprompt), { maxRequests: 4 }));
  const results = report.apis[0]?.results ?? [];
  const stopped = results.filter((r) => r.notRun !== undefined);
  expect(stopped.length).toBeGreaterThan(0);
  for (const r of stopped) expect(r).toMatchObject({ status: 'skip', notRun: budget });
  expect(results.filter((r) => r.status === 'pass').every((r) => r.notRun === undefined)).toBe(true);
  expect(report.incomplete).toBe(budget);
});
