/** The engine's error mapping: what the first request says about the target, and what a rule's error becomes. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { betterprompt } from '../apis/betterprompt';
import { startBpProvider } from '../apis/betterprompt/provider';
import { type ApiModule, asGenericApi } from '../shared/api';
import { ruleLine } from '../reporters/console';
import { htmlReport } from '../reporters/html';
import { junitXml } from '../reporters/junit';
import { markdownReport } from '../reporters/markdown';
import { fixture } from '../reporters/report-fixture';
import { type Limits, rootCauseHints, runApi, runRule } from './session';
import { HttpClient } from '../shared/http';
import { TargetError } from '../shared/errors';
import { type Handler, type RunningServer, startJsonServer } from '../shared/server';

const api = asGenericApi(betterprompt);
const KEY = 'engine-test-key-77aa';
const SETTINGS = { seed: 1, runs: 3, walkMaxRows: 1000, path: undefined };
const servers: RunningServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

function limits(o: Partial<Limits> = {}): Limits {
  return {
    maxRequests: 500,
    rate: undefined,
    timeoutMs: 2000,
    deadline: Date.now() + 20_000,
    maxRetries: 2,
    backoffMs: 1,
    maxWaitMs: 1000,
    ...o,
  };
}

async function serve(handler: Handler): Promise<RunningServer> {
  const s = await startJsonServer(handler);
  servers.push(s);
  return s;
}

const configured = (baseUrl: string) => ({ kind: 'configured' as const, baseUrl, apiKey: KEY });

describe('runApi: the first request decides whether the target can be checked at all', () => {
  it.each([
    [{ status: 503, body: {} }, /answered 503 to the first request \(GET \/runs\); check the target is up/],
    [{ status: 500, body: {} }, /answered 500 to the first request/],
    [
      { status: 429, headers: { 'Retry-After': '0' }, body: {} },
      /still answered 429 to the first request \(GET \/runs\) after 2 retries; lower CONFORMANCE_RATE or run later/,
    ],
    [{ status: 403, body: {} }, /the target refused the key \(403\); check BETTERPROMPT_API_KEY/],
    [
      { status: 301, headers: { Location: 'https://elsewhere.example/v1/runs' }, body: {} },
      /redirects \(301 to https:\/\/elsewhere\.example\/v1\/runs\); set the base URL/,
    ],
  ])('%o → one-line TargetError', async (answer, pattern) => {
    const s = await serve(() => answer);
    const e = await runApi(api, configured(s.url), SETTINGS, limits(), undefined).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TargetError);
    expect((e as Error).message).toMatch(pattern);
    expect((e as Error).message).not.toContain('\n');
  });

  it('a deadline already passed: every rule skipped with that reason, report incomplete, no error', async () => {
    const s = await startBpProvider({ apiKey: KEY });
    servers.push(s);
    const report = await runApi(api, configured(s.url), SETTINGS, limits({ deadline: Date.now() - 1 }), undefined);
    expect(report.incomplete).toBe('run deadline reached (CONFORMANCE_DEADLINE_S)');
    expect(report.results).toHaveLength(api.rules.length);
    for (const r of report.results)
      expect(r).toMatchObject({ status: 'skip', reason: 'stopped: run deadline reached (CONFORMANCE_DEADLINE_S)' });
    expect(s.requests).toBe(0);
  });

  it('an interrupt before the first request: every rule skipped, nothing sent', async () => {
    const s = await startBpProvider({ apiKey: KEY });
    servers.push(s);
    const ac = new AbortController();
    ac.abort();
    const report = await runApi(
      api,
      configured(s.url),
      SETTINGS,
      limits({ signal: ac.signal }),
      new Set(['BP-RESP-ENVELOPE', 'BP-LIMIT-MAX']),
    );
    expect(report.incomplete).toBe('interrupted (SIGINT)');
    expect(report.results.map((r) => r.status)).toEqual(['skip', 'skip']);
    expect(s.requests).toBe(0);
  });

  it('a SIGTERM is named as such: the signal the abort carries, not rewritten by the CLI', async () => {
    const s = await startBpProvider({ apiKey: KEY });
    servers.push(s);
    const ac = new AbortController();
    ac.abort('SIGTERM');
    const report = await runApi(
      api,
      configured(s.url),
      SETTINGS,
      limits({ signal: ac.signal }),
      new Set(['BP-LIMIT-MAX']),
    );
    expect(report.incomplete).toBe('terminated (SIGTERM)');
    expect(report.results[0]).toMatchObject({
      status: 'skip',
      reason: 'stopped: terminated (SIGTERM)',
      notRun: 'terminated (SIGTERM)',
    });
  });
});

describe('runApi: a target that stops answering mid-run', () => {
  it('a timeout after the first answer fails the rule that met it (a finding, with the reason), not the run', async () => {
    // answers the probe at once, then nothing: the rule's request can only end by the client's timeout, and the
    // timeout is long enough that a loaded machine still gets the probe's answer in time
    let n = 0;
    const server = createServer((_req, res) => {
      n++;
      const body = JSON.stringify({ status: 'SUCCESS', data: { rows: [], hasMore: false } });
      if (n === 1) res.writeHead(200, { 'Content-Type': 'application/json' }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    try {
      const report = await runApi(
        api,
        configured(`http://127.0.0.1:${port}`),
        SETTINGS,
        limits({ timeoutMs: 3000, deadline: Date.now() + 120_000 }),
        new Set(['BP-LIMIT-MAX']),
      );
      expect(report.incomplete).toBeUndefined();
      expect(report.results[0]).toMatchObject({
        status: 'fail',
        violation: { expected: 'an HTTP answer', actual: expect.stringMatching(/within 3000 ms/) },
      });
      expect(n).toBeGreaterThanOrEqual(2);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('root-cause hints', () => {
  const result = (id: string, status: 'pass' | 'fail') => ({
    id,
    api: 'betterprompt' as const,
    summary: '',
    doc: '',
    basis: 'documented' as const,
    status,
    requests: 0,
    cacheHits: 0,
    retries: 0,
    ms: 0,
  });
  const api = {
    rootCauses: { rules: ['BP-CURSOR-AFTER'], because: 'the listing is walked with startingAfter' },
  } as unknown as ApiModule;

  it('names the failed root cause and how many other failures may follow from it', () => {
    const hints = rootCauseHints(api, [
      result('BP-CURSOR-AFTER', 'fail'),
      result('BP-SINCE-INCLUSIVE', 'fail'),
      result('BP-LIMIT-MAX', 'pass'),
    ]);
    expect(hints).toEqual([
      'fix BP-CURSOR-AFTER first: the listing is walked with startingAfter, so 1 other failure may follow from it',
    ]);
  });
  it('says nothing when the root cause passed or failed alone', () => {
    expect(rootCauseHints(api, [result('BP-CURSOR-AFTER', 'pass'), result('BP-SINCE-INCLUSIVE', 'fail')])).toEqual([]);
    expect(rootCauseHints(api, [result('BP-CURSOR-AFTER', 'fail')])).toEqual([]);
  });
});

describe('runRule: a rule over the whole listing says how much of it it read', () => {
  it('carries the coverage the rule noted into its result, and into every report format', async () => {
    const http = new HttpClient({ ...limits(), root: 'http://127.0.0.1:9/v1', apiKey: KEY });
    const ctx = api.createContext(http, SETTINGS, api.readSettings({}));
    const note = 'checked over the first 1,000 of 12,000 runs; run CONFORMANCE_DEPTH=deep for the rest';
    const rule = { ...(api.rules[0] as (typeof api.rules)[number]), check: async () => ctx.noteCoverage(note) };
    const result = await runRule(api, rule, ctx, http, SETTINGS);
    expect(result).toMatchObject({ status: 'pass', coverage: note });
    expect(ruleLine(result)).toContain(note);
    const report = structuredClone(fixture);
    for (const a of report.apis) a.results = [{ ...result, api: a.api }];
    for (const text of [junitXml(report), markdownReport(report), htmlReport(report)]) expect(text).toContain('12,000');
  });
});
