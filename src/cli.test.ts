/**
 * The CLI as a subprocess: every configuration or target problem ends in exit 2 with exactly one
 * line on stderr naming the problem and the fix, and never a stack trace. (Exit 0, 1 and 2 for finished,
 * failing and incomplete runs are covered by the subprocess runs in `safety.selftest.test.ts`.)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBpProvider } from './apis/betterprompt/provider';
import { type CliRun, closedPort, runCli, stackLines, tempDir } from './cli-harness';
import { type RunningServer, startJsonServer } from './shared/server';

const KEY = 'cli-test-key-5b1e0c9d';
const servers: RunningServer[] = [];
let bp: RunningServer;
let html: RunningServer;
let text: RunningServer;
let refusedPort: number;

beforeAll(async () => {
  bp = await startBpProvider({ apiKey: KEY });
  html = await startJsonServer(() => ({
    status: 200,
    raw: '<!doctype html><html><body>Sign in</body></html>',
    headers: { 'Content-Type': 'text/html' },
  }));
  text = await startJsonServer(() => ({ status: 200, raw: 'OK', headers: { 'Content-Type': 'text/plain' } }));
  servers.push(bp, html, text);
  refusedPort = await closedPort();
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

/** A configured BetterPrompt target; the rate is lifted so a full run stays fast. */
const target = (baseUrl: string, apiKey = KEY) => ({
  BETTERPROMPT_BASE_URL: baseUrl,
  BETTERPROMPT_API_KEY: apiKey,
  CONFORMANCE_RATE: '1000',
  CONFORMANCE_RUNS: '3',
});

function expectOneLineError(run: CliRun, pattern: RegExp): void {
  expect(run.code, run.stderr).toBe(2);
  const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: /);
  expect(lines[0]).toMatch(pattern);
  // problem; fix
  expect(lines[0]).toContain('; ');
  expect(stackLines(run.stdout + run.stderr)).toEqual([]);
}

describe.concurrent('CLI: configuration and target problems → exit 2, one line, no stack', () => {
  const cases: [string, () => { args?: string[]; env?: Record<string, string> }, RegExp][] = [
    [
      'missing key for a configured base URL',
      () => ({ env: { BETTERPROMPT_BASE_URL: bp.url } }),
      /BETTERPROMPT_BASE_URL is set but BETTERPROMPT_API_KEY is not; add the key/,
    ],
    ['malformed base URL', () => ({ env: target('http//127.0.0.1:8080') }), /BETTERPROMPT_BASE_URL is not a valid URL/],
    [
      'unknown --api name',
      () => ({ args: ['--api', 'betterprmpt'] }),
      /unknown API "betterprmpt" in --api; use one or more of betterprompt, runtype/,
    ],
    [
      'writes asked for in production',
      () => ({ env: { CONFORMANCE_ALLOW_WRITES: 'true', CONFORMANCE_ENV: 'production' } }),
      /refused with CONFORMANCE_ENV=production/,
    ],
    [
      'unreachable host (connection refused)',
      () => ({ env: target(`http://127.0.0.1:${refusedPort}`) }),
      /connection refused at BETTERPROMPT_BASE_URL=http:\/\/127\.0\.0\.1:\d+; start the server or fix the URL\/port/,
    ],
    [
      'DNS failure',
      () => ({ env: target('https://conformance-test.invalid') }),
      /host not found for BETTERPROMPT_BASE_URL=https:\/\/conformance-test\.invalid; check the host name/,
    ],
    [
      'TLS failure (https:// to a plain-HTTP port)',
      () => ({ env: target(bp.url.replace('http:', 'https:')) }),
      /TLS failed for BETTERPROMPT_BASE_URL=https:\/\/127\.0\.0\.1:\d+ \(.+\); fix the certificate, or use http:\/\//,
    ],
    [
      'key rejected (401 on the first request)',
      () => ({ env: target(bp.url, 'cli-wrong-key-0000') }),
      /betterprompt: the target refused the key \(401\); check BETTERPROMPT_API_KEY/,
    ],
    [
      'HTML where JSON is documented',
      () => ({ env: target(html.url) }),
      /answered HTML, not JSON \(200\); point the base URL at the API/,
    ],
    [
      'a body that is not JSON',
      () => ({ env: target(text.url) }),
      /answered 200 with a body that is not JSON \("OK"\); point the base URL at the API root/,
    ],
    [
      'wrong base path (404)',
      () => ({ env: target(`${bp.url}/api`) }),
      /no \/runs endpoint at .* \(404\); set the base URL to the API root/,
    ],
    [
      // issue 18 (2): both variables misspelled would otherwise check the embedded provider and exit 0
      'misspelled target variables',
      () => ({ env: { BETTERPROMPT_BASEURL: bp.url, BETTERPROMPT_APIKEY: KEY } }),
      /unknown variable BETTERPROMPT_APIKEY, BETTERPROMPT_BASEURL; did you mean BETTERPROMPT_API_KEY\?/,
    ],
    [
      'targets required but missing (the nightly job without its secrets)',
      () => ({ args: ['--require-targets'] }),
      /--require-targets: no target configured for betterprompt; set BETTERPROMPT_BASE_URL\/_API_KEY/,
    ],
    [
      'unknown rule ID',
      () => ({ args: ['--rule', 'BP-HASMOR'] }),
      /unknown rule BP-HASMOR for --api betterprompt; did you mean BP-HASMORE\?/,
    ],
    [
      'unwritable report dir',
      () => ({ args: ['--rule', 'BP-RESP-ENVELOPE', '--report-dir', join(fileInTemp(), 'reports')] }),
      /cannot write reports to .* \(ENOTDIR\); choose a writable --report-dir/,
    ],
  ];
  for (const [name, setup, pattern] of cases) {
    it(name, async () => {
      const { args = [], env = {} } = setup();
      const run = await runCli(['--api', 'betterprompt', ...args], { env });
      expectOneLineError(run, pattern);
      // the key given, right or wrong, is never printed
      if (env.BETTERPROMPT_API_KEY) expect(run.stdout + run.stderr).not.toContain(env.BETTERPROMPT_API_KEY);
    });
  }
});

/** A path that is a file, so a directory cannot be made under it. */
function fileInTemp(): string {
  const f = join(tempDir(), 'not-a-dir');
  writeFileSync(f, '');
  return f;
}

describe('CLI: a partly configured run (issue 18 (2))', () => {
  it('reports the embedded API apart, and the verdict comes first in the summary', async () => {
    const run = await runCli(['--rule', 'BP-RESP-ENVELOPE,RT-RESP-SHAPE'], { env: target(bp.url) });
    expect(run.code, run.stderr).toBe(0);
    const tail = run.stdout.slice(run.stdout.indexOf('\nreports: ') + 1).split('\n');
    expect(tail[1]).toBe(
      'PASS: no rule failed (1 passed on configured targets; 1 passed on embedded reference providers)',
    );
    expect(tail).toContain('conformance: 1 passed, 0 failed, 0 skipped (configured targets: betterprompt)');
    expect(tail.join('\n')).toMatch(
      /^embedded: 1 passed, 0 failed, 0 skipped \(reference providers, not targets: runtype;/m,
    );
  });
});

describe('CLI: one unusable target among several APIs', () => {
  it('keeps what the other API finished: its report is written, then exit 2 with the one-line error', async () => {
    const run = await runCli(['--rule', 'BP-RESP-ENVELOPE,RT-RESP-SHAPE'], {
      env: { RUNTYPE_BASE_URL: `http://127.0.0.1:${refusedPort}`, RUNTYPE_API_KEY: KEY },
    });
    expect(run.code, run.stderr).toBe(2);
    const errors = run.stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^error: runtype: connection refused at RUNTYPE_BASE_URL=.*; start the server/);
    const report = JSON.parse(readFileSync(join(run.reportDir, 'conformance.json'), 'utf8')) as {
      apis: { api: string; results: { id: string; status: string }[] }[];
      targetError?: string;
    };
    expect(report.apis.map((a) => a.api)).toEqual(['betterprompt']);
    expect(report.apis[0]?.results).toEqual([expect.objectContaining({ id: 'BP-RESP-ENVELOPE', status: 'pass' })]);
    expect(report.targetError).toMatch(/connection refused/);
    expect(stackLines(run.stdout + run.stderr)).toEqual([]);
  });
});
