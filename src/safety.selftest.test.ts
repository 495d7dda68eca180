/**
 * Safe on live targets, proven against the embedded BetterPrompt provider with injected faults:
 * retries under 429/503 storms, the request budget, the write guard, secrets never leaving the
 * HTTP client, and incomplete runs (deadline, Ctrl-C) still writing their report.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apis } from './apis';
import { betterprompt } from './apis/betterprompt';
import { type BpKnob, createBpHandler, startBpProvider } from './apis/betterprompt/provider';
import { filesUnder, runCli, stackLines } from './cli-harness';
import { ruleLine } from './reporters/console';
import { junitXml } from './reporters/junit';
import { runConformance } from './run';
import { type ApiModule, asGenericApi } from './shared/api';
import { readConfig } from './runner/config';
import type { BaseContext } from './shared/context';
import type { RunReport } from './shared/report';
import { defineRule } from './shared/rule';
import { failedIds, runEmbedded } from './selftest/harness';
import { type Chaos, type RunningServer, startJsonServer } from './shared/server';

const servers: RunningServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function provider(apiKey: string, o: { knobs?: BpKnob[]; chaos?: Chaos } = {}): Promise<RunningServer> {
  const s = await startBpProvider({ apiKey, ...o });
  servers.push(s);
  return s;
}

/** A configured-target environment for the CLI: rate lifted and fewer cases so the run stays short. */
function configured(url: string, apiKey: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    BETTERPROMPT_BASE_URL: url,
    BETTERPROMPT_API_KEY: apiKey,
    CONFORMANCE_RATE: '1000',
    CONFORMANCE_RUNS: '5',
    ...extra,
  };
}

function notProgress(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('progress: '));
}

function readReport(dir: string): RunReport {
  return JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as RunReport;
}

describe('retries: a 429/503 storm still gives a clean, correct run', () => {
  it.each(Object.values(apis))(
    '$name: chaos every429: 7, every503: 11 → 0 failures, every retry counted per rule and per API',
    async (module) => {
      const report = await runEmbedded(module, { chaos: { every429: 7, every503: 11 } });
      const api = report.apis[0];
      if (!api) throw new Error('no API section');
      expect(failedIds(report)).toEqual([]);
      // the storm's 429s all carried Retry-After, so even BP-RATE-LIMIT-HEADER gets checked (and passes)
      expect(report.totals).toMatchObject({ fail: 0, skip: 0 });
      expect(report.incomplete).toBeUndefined();
      expect(api.stats.retriesByStatus['429']).toBeGreaterThan(0);
      expect(api.stats.retriesByStatus['503']).toBeGreaterThan(0);
      // the probe is request 1, never a chaos answer: every retry belongs to some rule
      expect(api.results.reduce((n, r) => n + r.retries, 0)).toBe(api.stats.retries);
      const afterRetries = api.results.find((r) => r.status === 'pass' && r.retries > 0);
      if (!afterRetries) throw new Error('no rule needed a retry');
      expect(ruleLine(afterRetries)).toContain(`[passed after ${afterRetries.retries} retries]`);
      expect(junitXml(report)).toContain(`<system-out>passed after ${afterRetries.retries} retries</system-out>`);
    },
  );
});

describe('request budget', () => {
  it('when CONFORMANCE_MAX_REQUESTS runs out, the rest is skipped with that reason (never passed) and the run is incomplete', async () => {
    const report = await runEmbedded(betterprompt, { maxRequests: 60 });
    const api = report.apis[0];
    if (!api) throw new Error('no API section');
    expect(api.stats.sent).toBeLessThanOrEqual(60);
    expect(report.incomplete).toMatch(/request budget of 60 used up \(CONFORMANCE_MAX_REQUESTS\)/);
    expect(report.totals.fail).toBe(0);
    const firstSkip = api.results.findIndex((r) => r.status === 'skip');
    expect(firstSkip).toBeGreaterThan(0);
    for (const r of api.results.slice(firstSkip))
      expect(r).toMatchObject({ status: 'skip', reason: expect.stringMatching(/^stopped: request budget/) });
    expect(junitXml(report)).toMatch(/<skipped message="stopped: request budget of 60 used up/);
  });
});

describe('write guard', () => {
  /** The BetterPrompt module plus one rule that tries a POST. */
  const withWriteRule: ApiModule = {
    ...asGenericApi(betterprompt),
    rules: [
      ...asGenericApi(betterprompt).rules,
      defineRule({
        id: 'TEST-WRITE',
        doc: 'self-test only',
        basis: 'inferred',
        summary: 'a rule that needs a write',
        check: async (ctx: BaseContext) => {
          await ctx.http.request('POST', '/runs', { body: { runName: 'from the suite' } });
        },
      }),
    ],
  };

  async function recordingTarget(apiKey: string) {
    const methods: string[] = [];
    const { handle } = createBpHandler({ apiKey });
    const server = await startJsonServer((req) => {
      methods.push(req.method);
      return handle(req);
    });
    servers.push(server);
    return { server, methods };
  }

  it('a configured target only ever receives GET/HEAD; a rule needing a write is skipped, not passed', async () => {
    const key = `write-guard-${randomBytes(6).toString('hex')}`;
    const { server, methods } = await recordingTarget(key);
    const config = readConfig(['--api', 'betterprompt', '--seed', '7'], configured(server.url, key));
    const report = await runConformance(config, { modules: { betterprompt: withWriteRule } });
    expect(methods.length).toBeGreaterThan(100);
    expect(new Set(methods)).toEqual(new Set(['GET']));
    expect(failedIds(report)).toEqual([]);
    expect(report.apis[0]?.results.find((r) => r.id === 'TEST-WRITE')).toMatchObject({
      status: 'skip',
      reason: expect.stringMatching(/CONFORMANCE_ALLOW_WRITES=true/),
    });
  });

  it('CONFORMANCE_ALLOW_WRITES=true lets the write through', async () => {
    const key = `write-guard-${randomBytes(6).toString('hex')}`;
    const { server, methods } = await recordingTarget(key);
    const config = readConfig(
      ['--api', 'betterprompt', '--rule', 'TEST-WRITE'],
      configured(server.url, key, { CONFORMANCE_ALLOW_WRITES: 'true' }),
    );
    const report = await runConformance(config, { modules: { betterprompt: withWriteRule } });
    expect(methods).toContain('POST');
    expect(report.apis[0]?.results[0]).toMatchObject({ id: 'TEST-WRITE', status: 'pass' });
  });
});

describe('secrets never leave the HTTP client', () => {
  // a run per outcome: a clean one, and one whose failures print the echoed (redacted) bodies
  const cases: [string, BpKnob[], number][] = [
    ['a passing run', [], 0],
    [
      'a failing run (error bodies echo the request headers into the violation output)',
      ['error-envelope-plain', 'crash-on-unknown-cursor'],
      1,
    ],
  ];
  it.concurrent.each(cases)(
    'neither key (nor the near miss of the first) is anywhere in stdout, stderr or any report file: %s',
    async (_name, knobs, exitCode) => {
      const core = randomBytes(9).toString('hex');
      const key = `sk-live-CANARY-${core}`;
      const core2 = randomBytes(9).toString('hex');
      const key2 = `sk-live-CANARY2-${core2}`;
      // two accounts, so the isolation rules send the second key (and the auth rules a near miss of the first)
      const target = await betterprompt.startProvider({
        apiKey: key,
        apiKey2: key2,
        knobs,
        chaos: { echoHeaders: true },
      });
      servers.push(target);
      // the provider really does leak both: otherwise this test would prove nothing
      for (const k of [key, key2]) {
        const echoed = await (
          await fetch(`${target.url}/v1/nowhere`, { headers: { Authorization: `Bearer ${k}` } })
        ).text();
        expect(echoed).toContain(k);
      }

      const run = await runCli(['--api', 'betterprompt'], {
        env: configured(target.url, key, { BETTERPROMPT_API_KEY_2: key2 }),
      });
      expect(run.code, run.stderr).toBe(exitCode);
      expect(notProgress(run.stderr)).toEqual([]);
      expect(stackLines(run.stdout + run.stderr)).toEqual([]);
      const files = filesUnder(run.reportDir);
      expect(files.map((f) => f.path)).toContain(join(run.reportDir, 'junit.xml'));
      for (const [where, text] of [
        ['stdout', run.stdout],
        ['stderr', run.stderr],
        ...files.map((f) => [f.path, f.text]),
      ] as const) {
        expect(text, where).not.toContain(key);
        expect(text, where).not.toContain(core);
        expect(text, where).not.toContain(key2);
        expect(text, where).not.toContain(core2);
        // the near-miss keys share all but one character (or its case) with the real one
        expect(text, where).not.toContain(core.slice(0, -1));
        expect(text.toLowerCase(), where).not.toContain(core);
      }
      // the isolation rules did run with the second key, so it had every chance to leak
      expect(readReport(run.reportDir).apis[0]?.results.find((r) => r.id === 'BP-ISO-CURSOR')?.status).not.toBe('skip');
      if (exitCode === 1) {
        // the echoed Authorization did reach the output, masked
        expect(run.stdout).toContain('"authorization":"Bearer [redacted]"');
        expect(files.find((f) => f.path.endsWith('conformance.json'))?.text).toContain('Bearer [redacted]');
        expect(run.stdout).toMatch(/replay\s+curl .*'Authorization: Bearer \[redacted\]'/);
      }
    },
  );
});

/**
 * A configured target that forwards to the embedded provider until `hold()`, then answers nothing more: the run
 * can only end by its deadline or an interrupt, however fast or slow the machine is.
 */
async function holdingTarget(apiKey: string, knobs: BpKnob[] = []): Promise<{ url: string; hold: () => void }> {
  const upstream = await provider(apiKey, { knobs });
  let held = false;
  const server = createServer((req, res) => {
    if (held) return; // never answered; the client gives up at the deadline or on Ctrl-C
    void forward(upstream.url, req.url ?? '/', req.headers.authorization).then(({ status, headers, body }) =>
      res.writeHead(status, headers).end(body),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push({
    url: '',
    port: 0,
    requests: 0,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hold: () => (held = true) };
}

async function forward(
  base: string,
  path: string,
  authorization: string | undefined,
): Promise<{ status: number; headers: Record<string, string>; body: string }> {
  const r = await fetch(`${base}${path}`, { headers: authorization ? { Authorization: authorization } : {} });
  const headers: Record<string, string> = {};
  r.headers.forEach((v, k) => {
    // hop-by-hop and framing headers belong to the upstream connection, not ours
    if (!['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'content-encoding'].includes(k))
      headers[k] = v;
  });
  return { status: r.status, headers, body: await r.text() };
}

describe('incomplete runs still write what they finished', () => {
  it.concurrent('the run deadline (CONFORMANCE_DEADLINE_S) on a target that stops answering after the first rule: exit 2, report marked incomplete, the rest skipped', async () => {
    const key = `deadline-${randomBytes(6).toString('hex')}`;
    const target = await holdingTarget(key);
    // ten seconds for one rule's few local requests: a margin no loaded machine misses; the held request is cut
    // by the deadline, never by the request timeout
    const run = await runCli(['--api', 'betterprompt'], {
      env: configured(target.url, key, { CONFORMANCE_DEADLINE_S: '10', CONFORMANCE_TIMEOUT_MS: '120000' }),
      onStdout: (out) => {
        if (out.includes('✓ ')) target.hold();
      },
    });
    expect(run.code, run.stderr).toBe(2);
    // progress lines aside, stderr says one thing: why the run is incomplete
    expect(notProgress(run.stderr)).toEqual([
      expect.stringMatching(
        /^incomplete: run deadline reached \(CONFORMANCE_DEADLINE_S\); \d+ rules skipped, not passed/,
      ),
    ]);
    expect(stackLines(run.stderr)).toEqual([]);
    const report = readReport(run.reportDir);
    expect(report.incomplete).toBe('run deadline reached (CONFORMANCE_DEADLINE_S)');
    expect(report.totals.pass).toBeGreaterThan(0);
    expect(report.totals.skip).toBeGreaterThan(0);
    expect(report.totals.fail).toBe(0);
    const results = report.apis[0]?.results ?? [];
    expect(results).toHaveLength(betterprompt.rules.length);
    for (const r of results.filter((x) => x.status === 'skip'))
      expect(r.reason).toMatch(/^stopped: run deadline reached/);
    expect(readFileSync(join(run.reportDir, 'junit.xml'), 'utf8')).toContain(
      '<skipped message="stopped: run deadline reached',
    );
  });

  it.concurrent('SIGINT mid-run (delivered twice, as npm does): exit 1 (a rule had already failed), report of what finished marked incomplete', async () => {
    const key = `sigint-${randomBytes(6).toString('hex')}`;
    // the first rule fails at once, then the target answers nothing more: the interrupt lands mid-run, however slow the machine
    const target = await holdingTarget(key, ['envelope-status-lowercase']);
    let sent = false;
    const run = await runCli(['--api', 'betterprompt'], {
      env: configured(target.url, key, { CONFORMANCE_DEADLINE_S: '120', CONFORMANCE_TIMEOUT_MS: '120000' }),
      onStdout: (out, kill) => {
        if (!sent && out.includes('✗ BP-RESP-ENVELOPE')) {
          sent = true;
          target.hold();
          kill('SIGINT');
          // the duplicate npm forwards on a terminal Ctrl-C must not kill the run before its report is written
          setTimeout(() => kill('SIGINT'), 20);
        }
      },
    });
    expect(sent).toBe(true);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(/^interrupted: stopping the run, then writing the report of what finished$/m);
    expect(stackLines(run.stderr)).toEqual([]);
    const report = readReport(run.reportDir);
    expect(report.incomplete).toBe('interrupted (SIGINT)');
    expect(report.apis[0]?.results.find((r) => r.id === 'BP-RESP-ENVELOPE')?.status).toBe('fail');
    expect(report.totals.skip).toBeGreaterThan(0);
    expect(run.stdout).toMatch(/INCOMPLETE: interrupted \(SIGINT\)/);
  });
});
