/** Configuration: defaults, limits per target kind, the write guard, and one-line errors for every mistake. */
import { describe, expect, it } from 'vitest';
import { parseArgs, readConfig, writesAllowed } from './config';
import { ConfigError } from './errors';
import { redactText } from './redact';

const BP = { BETTERPROMPT_BASE_URL: 'https://staging.example.com', BETTERPROMPT_API_KEY: 'bp-config-test-key-0001' };

/** The ConfigError `f` throws; fails the test when it throws nothing or something else. */
function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('readConfig: limits', () => {
  it('defaults: 800 requests, 10 s per request, 600 s per run, rate 5 for a configured target and none for embedded', () => {
    const before = Date.now();
    const c = readConfig([], {});
    const live = c.limits(true, 5);
    expect(live).toMatchObject({ maxRequests: 800, rate: 5, timeoutMs: 10_000, maxRetries: 4 });
    expect(live.deadline).toBeGreaterThanOrEqual(before + 600_000);
    expect(live.deadline).toBeLessThanOrEqual(Date.now() + 600_000);
    expect(c.limits(false, 5).rate).toBeUndefined();
    expect(c.settings.runs).toBe(20);
  });

  it('reads CONFORMANCE_MAX_REQUESTS, CONFORMANCE_RATE, CONFORMANCE_TIMEOUT_MS and CONFORMANCE_DEADLINE_S', () => {
    const c = readConfig([], { CONFORMANCE_MAX_REQUESTS: '50', CONFORMANCE_RATE: '2.5', CONFORMANCE_TIMEOUT_MS: '1500', CONFORMANCE_DEADLINE_S: '1' });
    const l = c.limits(true, 5);
    expect(l).toMatchObject({ maxRequests: 50, rate: 2.5, timeoutMs: 1500 });
    expect(l.deadline - Date.now()).toBeLessThanOrEqual(1000);
    // an explicit rate applies to embedded targets too
    expect(c.limits(false, 5).rate).toBe(2.5);
  });

  it.each([
    ['CONFORMANCE_RATE', '0'],
    ['CONFORMANCE_RATE', 'fast'],
    ['CONFORMANCE_MAX_REQUESTS', '0'],
    ['CONFORMANCE_MAX_REQUESTS', '1e3'],
    ['CONFORMANCE_DEADLINE_S', '-1'],
    ['CONFORMANCE_TIMEOUT_MS', '10s'],
  ])('rejects %s=%s in one line naming the variable', (name, value) => {
    const e = configError(() => readConfig([], { [name]: value }));
    expect(e.message).toContain(name);
    expect(e.message).not.toContain('\n');
  });
});

describe('readConfig: writes', () => {
  it('a configured target gets GET/HEAD only by default; the embedded provider may take writes', () => {
    const c = readConfig([], BP);
    expect(c.limits(true, 5).allowWrites).toBe(false);
    expect(c.limits(false, 5).allowWrites).toBe(true);
  });

  it('CONFORMANCE_ALLOW_WRITES=true opens writes on a configured target', () => {
    expect(readConfig([], { ...BP, CONFORMANCE_ALLOW_WRITES: 'true' }).limits(true, 5).allowWrites).toBe(true);
    expect(readConfig([], { ...BP, CONFORMANCE_ALLOW_WRITES: 'false', CONFORMANCE_ENV: 'production' }).limits(true, 5).allowWrites).toBe(false);
  });

  it.each(['production', 'PRODUCTION', 'prod'])('CONFORMANCE_ENV=%s refuses CONFORMANCE_ALLOW_WRITES=true', (envName) => {
    const e = configError(() => readConfig([], { ...BP, CONFORMANCE_ALLOW_WRITES: 'true', CONFORMANCE_ENV: envName }));
    expect(e.message).toMatch(/refused with CONFORMANCE_ENV=production; unset CONFORMANCE_ALLOW_WRITES/);
  });

  it('rejects a value that is neither true nor false', () => {
    expect(() => writesAllowed({ CONFORMANCE_ALLOW_WRITES: 'sure' })).toThrow(/CONFORMANCE_ALLOW_WRITES must be true or false/);
  });
});

describe('readConfig: targets', () => {
  it('reads a configured target and registers its key for redaction', () => {
    const c = readConfig(['--api', 'betterprompt'], BP);
    expect(c.targets.betterprompt).toEqual({ baseUrl: BP.BETTERPROMPT_BASE_URL, apiKey: BP.BETTERPROMPT_API_KEY });
    expect(redactText(`oops ${BP.BETTERPROMPT_API_KEY}`)).toBe('oops [redacted]');
  });

  it.each([
    [{ BETTERPROMPT_BASE_URL: 'https://x.example.com' }, /BETTERPROMPT_BASE_URL is set but BETTERPROMPT_API_KEY is not; add the key/],
    [{ ...BP, BETTERPROMPT_BASE_URL: 'staging.example.com' }, /BETTERPROMPT_BASE_URL is not a valid URL .*; use e\.g\. https:/],
    [{ ...BP, BETTERPROMPT_BASE_URL: 'ftp://x.example.com' }, /must be http:\/\/ or https:\/\//],
    [{ ...BP, BETTERPROMPT_BASE_URL: 'https://x.example.com/v1?debug=1' }, /must not carry a query or fragment; remove "\?debug=1"/],
    [{ ...BP, BETTERPROMPT_BASE_URL: 'https://me:hunter2-pass@x.example.com' }, /must not carry credentials .*; remove them/],
  ])('one line naming the problem and the fix for %o', (env, pattern) => {
    const e = configError(() => readConfig(['--api', 'betterprompt'], env));
    expect(e.message).toMatch(pattern);
    expect(e.message).not.toContain('\n');
    expect(e.message).not.toContain('hunter2-pass');
  });

  it('an API left out of --api needs no target', () => {
    expect(readConfig(['--api', 'runtype'], { BETTERPROMPT_BASE_URL: 'https://x.example.com' }).targets).toEqual({});
  });
});

describe('parseArgs', () => {
  it('orders --api canonically and drops repeats, so shards do not depend on how the list was typed', () => {
    expect(parseArgs(['--api', 'runtype,betterprompt,BetterPrompt'], {}).apis).toEqual(['betterprompt', 'runtype']);
    expect(parseArgs(['--api=betterprompt'], {}).apis).toEqual(['betterprompt']);
  });

  it.each([
    [['--api', 'betterprmpt'], /unknown API "betterprmpt" in --api; use one or more of betterprompt, runtype/],
    [['--api', ','], /--api needs at least one name/],
    [['--api'], /--api needs a value; see --help/],
    [['--shard', '0/3'], /--shard must be i\/n with 1 ≤ i ≤ n/],
    [['--shard', '4/3'], /--shard must be i\/n/],
    [['--shard', '1/0'], /--shard must be i\/n/],
    [['--seed', 'abc'], /--seed must be an integer/],
    [['--verbose'], /unknown option --verbose; see --help/],
  ])('%j → one-line ConfigError', (argv, pattern) => {
    const e = configError(() => parseArgs(argv, {}));
    expect(e.message).toMatch(pattern);
    expect(e.message).not.toContain('\n');
  });

  it('reads --shard, --rule (upper-cased), --replay and --report-dir', () => {
    const o = parseArgs(['--shard', '2/4', '--rule', 'bp-limit-max,BP-HASMORE', '--replay', '77', '--report-dir', 'out'], {});
    expect(o).toMatchObject({ shard: { index: 2, count: 4 }, seed: 77, reportDir: 'out' });
    expect([...(o.rules ?? [])]).toEqual(['BP-LIMIT-MAX', 'BP-HASMORE']);
  });
});
