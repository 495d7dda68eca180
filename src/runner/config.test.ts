/** Configuration: defaults, limits per target kind, the write guard, and one-line errors for every mistake. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DIRECTION_VALUES } from '../apis/runtype/settings';
import { KNOWN_VARIABLES, nearest, parseArgs, readConfig, writesAllowed } from './config';
import { ConfigError } from '../shared/errors';
import { redactText } from '../shared/redact';

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
    const c = readConfig([], {
      CONFORMANCE_MAX_REQUESTS: '50',
      CONFORMANCE_RATE: '2.5',
      CONFORMANCE_TIMEOUT_MS: '1500',
      CONFORMANCE_DEADLINE_S: '1',
    });
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
    expect(
      readConfig([], { ...BP, CONFORMANCE_ALLOW_WRITES: 'false', CONFORMANCE_ENV: 'production' }).limits(true, 5)
        .allowWrites,
    ).toBe(false);
  });

  it.each(['production', 'PRODUCTION', 'prod'])(
    'CONFORMANCE_ENV=%s refuses CONFORMANCE_ALLOW_WRITES=true',
    (envName) => {
      const e = configError(() =>
        readConfig([], { ...BP, CONFORMANCE_ALLOW_WRITES: 'true', CONFORMANCE_ENV: envName }),
      );
      expect(e.message).toMatch(/refused with CONFORMANCE_ENV=production; unset CONFORMANCE_ALLOW_WRITES/);
    },
  );

  it('rejects a value that is neither true nor false', () => {
    expect(() => writesAllowed({ CONFORMANCE_ALLOW_WRITES: 'sure' })).toThrow(
      /CONFORMANCE_ALLOW_WRITES must be true or false/,
    );
  });
});

describe('readConfig: targets', () => {
  it('reads a configured target and registers its key for redaction', () => {
    const c = readConfig(['--api', 'betterprompt'], BP);
    expect(c.targets.betterprompt).toEqual({ baseUrl: BP.BETTERPROMPT_BASE_URL, apiKey: BP.BETTERPROMPT_API_KEY });
    expect(redactText(`oops ${BP.BETTERPROMPT_API_KEY}`)).toBe('oops [redacted]');
  });

  it.each([
    [
      { BETTERPROMPT_BASE_URL: 'https://x.example.com' },
      /BETTERPROMPT_BASE_URL is set but BETTERPROMPT_API_KEY is not; add the key/,
    ],
    [
      { ...BP, BETTERPROMPT_BASE_URL: 'staging.example.com' },
      /BETTERPROMPT_BASE_URL is not a valid URL .*; use e\.g\. https:/,
    ],
    [{ ...BP, BETTERPROMPT_BASE_URL: 'ftp://x.example.com' }, /must be http:\/\/ or https:\/\//],
    [
      { ...BP, BETTERPROMPT_BASE_URL: 'https://x.example.com/v1?debug=1' },
      /must not carry a query or fragment; remove "\?debug=1"/,
    ],
    [
      { ...BP, BETTERPROMPT_BASE_URL: 'https://me:hunter2-pass@x.example.com' },
      /must not carry credentials .*; remove them/,
    ],
  ])('one line naming the problem and the fix for %o', (env, pattern) => {
    const e = configError(() => readConfig(['--api', 'betterprompt'], env));
    expect(e.message).toMatch(pattern);
    expect(e.message).not.toContain('\n');
    expect(e.message).not.toContain('hunter2-pass');
  });

  it.each([
    [
      { BETTERPROMPT_API_KEY: 'bp-config-test-key-0002' },
      /BETTERPROMPT_API_KEY is set but BETTERPROMPT_BASE_URL is not; add the URL to \.env, or unset the key/,
    ],
    [
      { BETTERPROMPT_BASE_URL: ' ', BETTERPROMPT_API_KEY: 'bp-config-test-key-0002' },
      /BETTERPROMPT_API_KEY is set but BETTERPROMPT_BASE_URL is not/,
    ],
  ])('a key without a base URL is an error too, not a silent run against the embedded provider: %o', (env, pattern) => {
    const e = configError(() => readConfig(['--api', 'betterprompt'], env));
    expect(e.message).toMatch(pattern);
    expect(e.message).not.toContain('bp-config-test-key-0002');
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
    const o = parseArgs(
      ['--shard', '2/4', '--rule', 'bp-limit-max,BP-HASMORE', '--replay', '77', '--report-dir', 'out'],
      {},
    );
    expect(o).toMatchObject({ shard: { index: 2, count: 4 }, seed: 77, reportDir: 'out' });
    expect([...(o.rules ?? [])]).toEqual(['BP-LIMIT-MAX', 'BP-HASMORE']);
  });
});

describe('readConfig: every setting is read up front', () => {
  /** One bad value per variable a run reads; each must stop readConfig, i.e. before the first request. */
  const BAD: Record<string, Record<string, string>> = {
    CONFORMANCE_SEED: { CONFORMANCE_SEED: 'x1' },
    CONFORMANCE_RUNS: { CONFORMANCE_RUNS: '0' },
    CONFORMANCE_WALK_MAX_ROWS: { CONFORMANCE_WALK_MAX_ROWS: 'all' },
    CONFORMANCE_MAX_REQUESTS: { CONFORMANCE_MAX_REQUESTS: '1e3' },
    CONFORMANCE_TIMEOUT_MS: { CONFORMANCE_TIMEOUT_MS: '10s' },
    CONFORMANCE_DEADLINE_S: { CONFORMANCE_DEADLINE_S: '-1' },
    CONFORMANCE_RATE: { CONFORMANCE_RATE: 'fast' },
    CONFORMANCE_ALLOW_WRITES: { CONFORMANCE_ALLOW_WRITES: 'sure' },
    CONFORMANCE_ENV: { ...BP, CONFORMANCE_ENV: 'production', CONFORMANCE_ALLOW_WRITES: 'true' },
    BETTERPROMPT_BASE_URL: { ...BP, BETTERPROMPT_BASE_URL: 'staging.example.com' },
    BETTERPROMPT_API_KEY: { BETTERPROMPT_BASE_URL: BP.BETTERPROMPT_BASE_URL },
    RUNTYPE_BASE_URL: { RUNTYPE_BASE_URL: 'ftp://rt.example.com', RUNTYPE_API_KEY: 'rt-config-test-key-0001' },
    RUNTYPE_API_KEY: { RUNTYPE_BASE_URL: 'https://rt.example.com' },
    CONFORMANCE_DEPTH: { CONFORMANCE_DEPTH: 'deeper' },
    // a second key equal to the first is no second account
    BETTERPROMPT_API_KEY_2: { ...BP, BETTERPROMPT_API_KEY_2: BP.BETTERPROMPT_API_KEY as string },
    RUNTYPE_API_KEY_2: { RUNTYPE_API_KEY_2: 'rt-second-key-without-url-0002' },
    RUNTYPE_DIRECTION_VALUES: { RUNTYPE_DIRECTION_VALUES: ',' },
    RUNTYPE_FLOW_IDS: { RUNTYPE_FLOW_IDS: ' , ' },
    CONFORMANCE_REQUIRE_TARGETS: { CONFORMANCE_REQUIRE_TARGETS: 'maybe' },
  };

  /** The variable names readConfig looks at when every API is selected. */
  function namesRead(): string[] {
    const read = new Set<string>();
    const env = new Proxy({} as Record<string, string | undefined>, {
      get: (_t, key) => {
        if (typeof key === 'string') read.add(key);
        return undefined;
      },
    });
    readConfig([], env);
    return [...read].sort();
  }

  it('every variable a run reads has a bad-value case below, and is documented in .env.example and the README', () => {
    const names = namesRead();
    expect(names).toEqual(Object.keys(BAD).sort());
    const example = readFileSync('.env.example', 'utf8');
    const readme = readFileSync('README.md', 'utf8');
    for (const name of names) {
      expect(example, `.env.example: ${name}`).toMatch(new RegExp(`^#? ?${name}=`, 'm'));
      expect(readme, `README: ${name}`).toContain(`\`${name}\``);
    }
  });

  it.each(Object.entries(BAD))(
    '%s: a bad value is one ConfigError line from readConfig, naming the variable',
    (name, env) => {
      const e = configError(() => readConfig([], env));
      expect(e.message).toContain(name);
      expect(e.message).not.toContain('\n');
    },
  );

  it("an API's own settings are parsed for the run and handed to its context; an API left out of --api is not read", () => {
    const env = { RUNTYPE_DIRECTION_VALUES: 'up, down,up', RUNTYPE_FLOW_IDS: 'flow_1' };
    expect(readConfig([], env).settings.apiSettings).toEqual({
      betterprompt: undefined,
      runtype: { directionValues: ['up', 'down'], flowIds: ['flow_1'] },
    });
    expect(readConfig(['--api', 'betterprompt'], { RUNTYPE_DIRECTION_VALUES: ',' }).settings.apiSettings).toEqual({
      betterprompt: undefined,
    });
    expect(readConfig(['--api', 'runtype'], {}).settings.apiSettings).toEqual({
      runtype: { directionValues: [...DEFAULT_DIRECTION_VALUES], flowIds: [] },
    });
  });

  it('the documented default direction values are the constant the run uses', () => {
    const list = DEFAULT_DIRECTION_VALUES.join(',');
    expect(readFileSync('README.md', 'utf8')).toContain(`(default \`${list}\`)`);
    expect(readFileSync('.env.example', 'utf8')).toContain(`RUNTYPE_DIRECTION_VALUES=${list} `);
  });
});

describe('targets required where they are meant (issue 18 (2))', () => {
  it('--require-targets (or CONFORMANCE_REQUIRE_TARGETS=true) refuses an API without a target, naming its variables', () => {
    expect(configError(() => readConfig(['--require-targets'], {})).message).toBe(
      '--require-targets: no target configured for betterprompt, runtype; set BETTERPROMPT_BASE_URL/_API_KEY, RUNTYPE_BASE_URL/_API_KEY (repository secrets in CI)',
    );
    expect(configError(() => readConfig([], { ...BP, CONFORMANCE_REQUIRE_TARGETS: 'true' })).message).toMatch(
      /no target configured for runtype; set RUNTYPE_BASE_URL\/_API_KEY/,
    );
    expect(readConfig(['--require-targets', '--api', 'betterprompt'], BP).targets.betterprompt).toBeDefined();
  });

  it('an unknown BETTERPROMPT_*/RUNTYPE_*/CONFORMANCE_* variable is named with the nearest known one', () => {
    // both variables of an API misspelled: without this the run would check the embedded provider and pass
    const e = configError(() =>
      readConfig([], { BETTERPROMPT_BASEURL: 'https://bp.example.com', BETTERPROMPT_APIKEY: 'k-0000000000' }),
    );
    expect(e.message).toBe(
      'unknown variable BETTERPROMPT_APIKEY, BETTERPROMPT_BASEURL; did you mean BETTERPROMPT_API_KEY? fix the name in .env or the environment (the README\'s "Pointing it at a target" lists them)',
    );
    expect(configError(() => readConfig([], { CONFORMANCE_SEEDS: '4' })).message).toMatch(
      /did you mean CONFORMANCE_SEED\?/,
    );
    // set but empty: nothing to misread
    expect(() => readConfig([], { RUNTYPE_BASE: '' })).not.toThrow();
  });

  it('an unknown rule ID is named with the nearest known one', async () => {
    const { runConformance } = await import('../run');
    const config = readConfig(['--rule', 'BP-CURSOR-AFTR'], {});
    await expect(runConformance(config)).rejects.toThrow(
      /unknown rule BP-CURSOR-AFTR .*did you mean BP-CURSOR-AFTER\?/,
    );
  });

  it('nearest: a typo is matched, an unrelated name is not', () => {
    expect(nearest('RUNTYPE_APIKEY', KNOWN_VARIABLES)).toBe('RUNTYPE_API_KEY');
    expect(nearest('RUNTYPE_SOMETHING_ELSE_ENTIRELY', KNOWN_VARIABLES)).toBeUndefined();
  });
});
