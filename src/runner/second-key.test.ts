/** The second account's key: read from the environment, validated in one line, a secret everywhere, sent on request. */
import { afterEach, describe, expect, it } from 'vitest';
import { betterprompt } from '../apis/betterprompt';
import { runConformance } from '../run';
import { asGenericApi, type EmbeddedOptions } from '../shared/api';
import { readConfig } from './config';
import { ConfigError } from '../shared/errors';
import { type AuthMode, HttpClient, nearCase, nearMiss } from '../shared/http';
import { redactText } from '../shared/redact';
import { selfTestConfig } from '../selftest/harness';
import { type RunningServer, startJsonServer } from '../shared/server';

const BP = { BETTERPROMPT_BASE_URL: 'https://staging.example.com', BETTERPROMPT_API_KEY: 'bp-second-key-test-0001' };

function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('config: <API>_API_KEY_2', () => {
  it('is read beside the first key and registered as a secret', () => {
    const c = readConfig([], { ...BP, BETTERPROMPT_API_KEY_2: 'bp-second-key-test-0002' });
    expect(c.targets.betterprompt).toEqual({
      baseUrl: BP.BETTERPROMPT_BASE_URL,
      apiKey: BP.BETTERPROMPT_API_KEY,
      apiKey2: 'bp-second-key-test-0002',
    });
    expect(redactText('key bp-second-key-test-0002')).toBe('key [redacted]');
  });

  it('is optional: absent or empty, the target has no second key', () => {
    expect(readConfig([], BP).targets.betterprompt?.apiKey2).toBeUndefined();
    expect(readConfig([], { ...BP, BETTERPROMPT_API_KEY_2: ' ' }).targets.betterprompt?.apiKey2).toBeUndefined();
  });

  it('without the base URL is a one-line error naming the URL, and the key stays redacted', () => {
    const e = configError(() => readConfig([], { RUNTYPE_API_KEY_2: 'rt-second-key-test-0003' }));
    expect(e.message).toMatch(/^RUNTYPE_API_KEY_2 is set but RUNTYPE_BASE_URL is not; /);
    expect(e.message).not.toContain('\n');
    expect(redactText('rt-second-key-test-0003')).toBe('[redacted]');
  });

  it('equal to the first key is a one-line error asking for another account', () => {
    const e = configError(() => readConfig([], { ...BP, BETTERPROMPT_API_KEY_2: BP.BETTERPROMPT_API_KEY }));
    expect(e.message).toMatch(/^BETTERPROMPT_API_KEY_2 is the same key as BETTERPROMPT_API_KEY; .*second account/);
    expect(e.message).not.toContain(BP.BETTERPROMPT_API_KEY);
  });
});

describe('HttpClient: authentication modes', () => {
  const servers: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('sends each mode as documented, caches per mode, and redacts every key in what it records', async () => {
    const got: (string | undefined)[] = [];
    const server = await startJsonServer((req) => {
      got.push(req.headers.authorization);
      return { status: 401, body: { echo: req.headers.authorization ?? null } };
    });
    servers.push(server);
    const key = 'sk-modes-test-0123456789';
    const key2 = 'sk-modes-test-second-42';
    const http = new HttpClient({
      root: `${server.url}/v1`,
      apiKey: key,
      apiKey2: key2,
      maxRequests: 50,
      rate: undefined,
      timeoutMs: 2000,
      deadline: Date.now() + 10_000,
      maxRetries: 0,
      backoffMs: 5,
      maxWaitMs: 1000,
    });
    const modes: AuthMode[] = ['key', 'second', 'none', 'wrong', 'near', 'empty', 'raw', 'raw-wrong'];
    const exchanges = [];
    for (const auth of modes) exchanges.push(await http.get('/runs', {}, { auth }));
    expect(http.stats.sent).toBe(modes.length);
    const near = nearMiss(key);
    expect(got.slice(0, 3)).toEqual([`Bearer ${key}`, `Bearer ${key2}`, undefined]);
    expect(got[3]).toMatch(/^Bearer conformance-invalid-/);
    expect(got[4]).toBe(`Bearer ${near}`);
    // fetch trims the trailing space: the scheme with no token
    expect(got[5]).toBe('Bearer');
    expect(got[6]).toBe(key);
    expect(got[7]).toMatch(/^conformance-invalid-/);
    // a replay says which key it needs, without showing it
    expect(exchanges[1]?.request.curl).toContain("'Authorization: Bearer [redacted second key]'");
    expect(exchanges[4]?.request.headers.Authorization).toBe('Bearer [redacted near-miss key]');
    expect(exchanges[0]?.request.curl).toContain("'Authorization: Bearer [redacted]'");
    for (const ex of exchanges) {
      const text = JSON.stringify(ex);
      for (const secret of [key, key2, near]) expect(text).not.toContain(secret);
    }
  });

  it('the near miss keeps length and prefix and changes the last character within its kind', () => {
    for (const key of ['embedded-0123456789abcdef', 'sk-live-ABCZ', 'key-9', 'x_-']) {
      const near = nearMiss(key);
      expect(near).toHaveLength(key.length);
      expect(near.slice(0, -1)).toBe(key.slice(0, -1));
      expect(near.at(-1)).not.toBe(key.at(-1));
    }
    expect(nearMiss('abc9')).toBe('abc0');
    expect(nearMiss('abcz')).toBe('abca');
    expect(nearCase('embedded-0a12')).toBe('embedded-0A12');
    expect(nearCase('sk-Live-1234')).toBe('sk-LivE-1234');
  });

  it('never picks the other account\'s key as the near miss (keys "key-a" and "key-b" are one character apart)', () => {
    expect(nearMiss('key-a', ['key-b'])).toBe('key-c');
    expect(nearMiss('key-9', ['key-0', 'key-1'])).toBe('key-2');
    expect(nearCase('key-a', ['key-A'])).toBe('key-b');
    expect(nearCase('key-a', ['key-A', 'key-b'])).toBe('key-c');
  });
});

describe('run: the second key at the first request', () => {
  const servers: RunningServer[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('a configured target refusing the second key stops with one line naming BETTERPROMPT_API_KEY_2', async () => {
    const server = await betterprompt.startProvider({ apiKey: 'sk-preflight-first-0001' });
    servers.push(server);
    const config = selfTestConfig(asGenericApi(betterprompt), {
      rules: ['BP-ISO-DISJOINT'],
      configured: { baseUrl: server.url, apiKey: 'sk-preflight-first-0001', apiKey2: 'sk-preflight-other-0002' },
    });
    await expect(runConformance(config)).rejects.toThrow(
      /^betterprompt: the target refused the second key \(401\); check BETTERPROMPT_API_KEY_2 is a valid API key of a second account/,
    );
  });

  it('an embedded provider with one account skips the isolation rules, saying so, instead of failing', async () => {
    const single = {
      ...asGenericApi(betterprompt),
      startProvider: (o: EmbeddedOptions) => betterprompt.startProvider({ apiKey: o.apiKey }),
    };
    const report = await runConformance(selfTestConfig(single, { rules: ['BP-ISO-DISJOINT', 'BP-AUTH-NEAR-KEY'] }), {
      modules: { betterprompt: single },
    });
    expect(report.apis[0]?.results.map((r) => [r.id, r.status, r.reason])).toEqual([
      ['BP-ISO-DISJOINT', 'skip', expect.stringMatching(/refused the second key: it serves one account/)],
      ['BP-AUTH-NEAR-KEY', 'pass', undefined],
    ]);
  });
});
