/** The two statuses beside pass/fail/skip: blocked (by another rule's fault) and inconclusive (under drift). */
import { afterEach, describe, expect, it } from 'vitest';
import { betterprompt } from '../apis/betterprompt';
import { startBpProvider } from '../apis/betterprompt/provider';
import { ruleLine, totalLine } from '../reporters/console';
import { junitXml } from '../reporters/junit';
import { markdownReport } from '../reporters/markdown';
import { type ApiModule, asGenericApi } from '../shared/api';
import type { BaseContext } from '../shared/context';
import { type Limits, runApi } from './session';
import { type RunReport, totals } from '../shared/report';
import { Blocked, defineRule, Inconclusive } from '../shared/rule';
import type { RunningServer } from '../shared/server';

const KEY = 'status-test-key-19bc';
const SETTINGS = { seed: 1, runs: 3, walkMaxRows: 1000, path: undefined };
const LIMITS: Limits = {
  maxRequests: 100,
  rate: undefined,
  timeoutMs: 5000,
  deadline: Date.now() + 600_000,
  maxRetries: 1,
  backoffMs: 1,
  maxWaitMs: 100,
};
const servers: RunningServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const rules = [
  defineRule({
    id: 'X-BLOCKED',
    doc: 'd',
    basis: 'documented',
    summary: 'needs the listing',
    check: async () => {
      throw new Blocked(['X-ROOT'], 'the reference walk ended early');
    },
  }),
  defineRule({
    id: 'X-DRIFT',
    doc: 'd',
    basis: 'documented',
    summary: 'compares pages',
    check: async (ctx: BaseContext) => {
      ctx.noteDrift('run r1 arrived during the check');
      throw new Inconclusive('the head changed on each of 2 re-reads');
    },
  }),
];

describe('blocked and inconclusive', () => {
  it('are statuses of their own in the result, the totals, the console, junit and markdown', async () => {
    const s = await startBpProvider({ apiKey: KEY });
    servers.push(s);
    const api: ApiModule = { ...asGenericApi(betterprompt), rules: rules as unknown as ApiModule['rules'] };
    const a = await runApi(api, { kind: 'embedded', baseUrl: s.url, apiKey: KEY }, SETTINGS, LIMITS, undefined);
    const [blocked, drift] = a.results;
    expect(blocked).toMatchObject({
      status: 'blocked',
      blockedBy: ['X-ROOT'],
      reason: 'the reference walk ended early',
    });
    expect(drift).toMatchObject({ status: 'inconclusive', drift: ['run r1 arrived during the check'] });
    const report: RunReport = {
      tool: 'prompt-api-conformance',
      startedAt: '',
      finishedAt: '',
      durationMs: 0,
      seed: 1,
      runs: 1,
      apis: [a],
      totals: totals([a]),
    };
    expect(report.totals).toMatchObject({ blocked: 1, inconclusive: 1, fail: 0, pass: 0 });
    expect(ruleLine(blocked as never)).toContain('blocked by X-ROOT: the reference walk ended early');
    expect(ruleLine(drift as never)).toContain('inconclusive: the head changed');
    expect(totalLine(report)).toBe('conformance: 0 passed, 0 failed, 0 skipped, 1 blocked, 1 inconclusive');
    const xml = junitXml(report);
    expect(xml).toContain('<skipped message="blocked by X-ROOT: the reference walk ended early"/>');
    // issue 18 (3): an error, not a skip, so a dashboard goes red with the job
    expect(xml).toContain('<error type="inconclusive" message="inconclusive: the head changed on each of 2 re-reads">');
    expect(markdownReport(report)).toContain('blocked by X-ROOT');
  });
});
