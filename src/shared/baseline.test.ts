import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineSchema } from '../../schemas/baseline.schema';
import { ajv } from './ajv';
import { API_NAMES, type ApiName } from './api';
import {
  acceptInteraction,
  applyBaseline,
  type BaselineEntry,
  baselinePath,
  loadBaseline,
  parseBaseline,
  parseInteractions,
} from './baseline';
import { ConfigError } from './errors';
import type { ApiReport, RuleResult, RunReport } from './report';

const known = new Map<string, ApiName>([
  ['BP-CURSOR-AFTER', 'betterprompt'],
  ['BP-HASMORE', 'betterprompt'],
  ['BP-LIMIT-MAX', 'betterprompt'],
]);

function result(id: string, status: RuleResult['status']): RuleResult {
  return {
    id,
    api: 'betterprompt',
    summary: `${id} summary`,
    doc: 'doc',
    basis: 'documented',
    status,
    requests: 1,
    cacheHits: 0,
    retries: 0,
    ms: 1,
  };
}

function run(
  results: RuleResult[],
  target: ApiReport['target'] = { kind: 'embedded', url: 'http://127.0.0.1:1' },
): RunReport {
  const api: ApiReport = {
    api: 'betterprompt',
    title: 'BetterPrompt',
    target,
    results,
    gaps: [],
    stats: { sent: 1, cacheHits: 0, retries: 0, retriesByStatus: {}, rateLimited: 0, rateLimitedWithoutRetryAfter: 0 },
  };
  const totals = { pass: 0, fail: 0, skip: 0, known: 0, blocked: 0, inconclusive: 0 };
  for (const r of results) totals[r.status]++;
  return {
    tool: 'prompt-api-conformance',
    startedAt: '',
    finishedAt: '',
    durationMs: 0,
    seed: 1,
    runs: 1,
    apis: [api],
    totals,
  };
}

const entry = (over: Partial<BaselineEntry> = {}): BaselineEntry => ({
  rule: 'BP-CURSOR-AFTER',
  api: 'betterprompt',
  reason: 'vendor ticket #12',
  expires: '2026-03-31',
  ...over,
});

describe('applyBaseline', () => {
  const failing = run([result('BP-CURSOR-AFTER', 'fail'), result('BP-HASMORE', 'pass')]);

  it('reports a listed failure as known until the end of its expiry day (UTC), without failing the run', () => {
    const out = applyBaseline(failing, [entry()], new Date('2026-03-31T23:59:59Z'));
    const r = out.apis[0]?.results[0];
    expect(r?.status).toBe('known');
    expect(r?.reason).toBe('vendor ticket #12');
    expect(r?.expires).toBe('2026-03-31');
    expect(out.totals).toEqual({ pass: 1, fail: 0, skip: 0, known: 1, blocked: 0, inconclusive: 0 });
    expect(out.baseline?.known.map((k) => k.rule)).toEqual(['BP-CURSOR-AFTER']);
    // pure: the input is untouched
    expect(failing.apis[0]?.results[0]?.status).toBe('fail');
  });

  it('fails again from the day after expiry, and says the entry expired', () => {
    const out = applyBaseline(failing, [entry()], new Date('2026-04-01T00:00:00Z'));
    const r = out.apis[0]?.results[0];
    expect(r?.status).toBe('fail');
    expect(r?.reason).toMatch(/^baseline entry expired on 2026-03-31 \(vendor ticket #12\)/);
    expect(out.totals.fail).toBe(1);
    expect(out.baseline?.expired.map((k) => k.rule)).toEqual(['BP-CURSOR-AFTER']);
  });

  it('lists an entry whose rule now passes as stale, expired or not', () => {
    const out = applyBaseline(failing, [entry({ rule: 'BP-HASMORE', expires: '2020-01-01' })], new Date('2026-01-01'));
    expect(out.baseline?.stale).toEqual([
      { rule: 'BP-HASMORE', api: 'betterprompt', reason: 'vendor ticket #12', expires: '2020-01-01' },
    ]);
    expect(out.apis[0]?.results[1]?.status).toBe('pass');
  });

  it('leaves a skipped listed rule alone (neither known nor stale)', () => {
    const out = applyBaseline(run([result('BP-CURSOR-AFTER', 'skip')]), [entry()], new Date('2026-01-01'));
    expect(out.apis[0]?.results[0]?.status).toBe('skip');
    expect(out.baseline).toMatchObject({ known: [], expired: [], stale: [] });
  });

  it('applies a target-scoped entry only to that target', () => {
    const live = run([result('BP-CURSOR-AFTER', 'fail')], { kind: 'configured', url: 'https://API.example.com/' });
    const now = new Date('2026-01-01');
    expect(applyBaseline(live, [entry({ target: 'https://api.example.com/v1' })], now).totals.known).toBe(1);
    expect(applyBaseline(live, [entry({ target: 'embedded' })], now).totals.fail).toBe(1);
    expect(applyBaseline(failing, [entry({ target: 'embedded' })], now).totals.known).toBe(1);
  });
});

describe('parseBaseline', () => {
  const parse = (entries: unknown[]) => () => parseBaseline({ entries }, known, 'b.json');
  const ok = { rule: 'BP-CURSOR-AFTER', reason: 'ticket', expires: '2026-03-31' };

  it('accepts the committed (empty) file and resolves each entry to its API', () => {
    expect(parseBaseline(JSON.parse(readFileSync('conformance.baseline.json', 'utf8')), known)).toEqual([]);
    expect(parse([ok])()).toEqual([{ ...ok, api: 'betterprompt' }]);
  });

  it.each([
    [
      'a bad date',
      { ...ok, expires: '31/03/2026' },
      'b.json: entry 1 (BP-CURSOR-AFTER): expires "31/03/2026" is not a date; use YYYY-MM-DD',
    ],
    ['a day that does not exist', { ...ok, expires: '2026-02-30' }, 'expires "2026-02-30" is not a date'],
    [
      'a missing reason',
      { rule: ok.rule, expires: ok.expires },
      'b.json: entry 1 (BP-CURSOR-AFTER): missing "reason"; say why the deviation is accepted',
    ],
    ['an empty reason', { ...ok, reason: '  ' }, 'reason "  " is empty'],
    ['a missing expiry', { rule: ok.rule, reason: 'x' }, 'missing "expires"; add an expiry date'],
    ['an unknown rule ID', { ...ok, rule: 'BP-NOPE' }, 'b.json: entry 1 (BP-NOPE): unknown rule BP-NOPE'],
    ['a malformed rule ID', { ...ok, rule: 'cursor' }, 'rule "cursor" is not a rule ID'],
    ['an unknown field', { ...ok, expiry: '2026-01-01' }, 'unknown field "expiry"'],
    ['the wrong API', { ...ok, api: 'runtype' }, 'belongs to betterprompt, not runtype'],
    ['a bad target', { ...ok, target: 'prod' }, 'target "prod" is neither "embedded" nor an http(s) URL'],
  ])('rejects %s with one line', (_what, bad, message) => {
    let err: unknown;
    try {
      parse([bad])();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toContain(message);
    expect((err as Error).message).not.toContain('\n');
  });

  it('rejects a duplicate, naming both entries', () => {
    expect(parse([ok, { ...ok, reason: 'again' }])).toThrow(
      'b.json: entry 2 (BP-CURSOR-AFTER): duplicates entry 1; keep one entry per rule and target',
    );
    expect(
      parse([
        { ...ok, target: 'https://a.example' },
        { ...ok, target: 'https://a.example/v1/' },
      ]),
    ).toThrow('duplicates entry 1');
    expect(
      parse([
        { ...ok, target: 'https://a.example' },
        { ...ok, target: 'embedded' },
      ]),
    ).not.toThrow();
  });

  it('rejects a file that is not {entries: [...]}', () => {
    expect(() => parseBaseline([], known, 'b.json')).toThrow(ConfigError);
    expect(() => parseBaseline({ rules: [] }, known, 'b.json')).toThrow('b.json: missing "entries"');
  });
});

describe('loadBaseline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'baseline-'));

  it('names a missing file and a file that is not JSON', () => {
    expect(() => loadBaseline(join(dir, 'none.json'), known)).toThrow(
      /baseline file .*none\.json not found; create it/,
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ entries: [] }');
    expect(() => loadBaseline(bad, known)).toThrow(/bad\.json is not valid JSON \(.*\); fix it/);
  });

  it('defaults to ./conformance.baseline.json only when it exists', () => {
    expect(baselinePath(undefined, () => true)).toBe('conformance.baseline.json');
    expect(baselinePath(undefined, () => false)).toBeUndefined();
    expect(baselinePath('other.json', () => false)).toBe('other.json');
  });
});

describe('baseline schema', () => {
  it('the plain-JSON copy for editors equals the TypeScript schema', () => {
    expect(JSON.parse(readFileSync('schemas/baseline.schema.json', 'utf8'))).toEqual(baselineSchema);
  });

  it('lists every API name', () => {
    expect(baselineSchema.properties.entries.items.properties.api.enum).toEqual(API_NAMES);
  });

  it('accepts the "interactions" the gate reads, so an editor does not flag a valid file', () => {
    const valid = ajv.compile(baselineSchema);
    const file = {
      entries: [],
      interactions: [{ interaction: 'a request for runs', reason: 'no runs in 2000 here', expires: '2027-01-31' }],
    };
    expect(valid(file), JSON.stringify(valid.errors)).toBe(true);
    expect(valid({ ...file, interactions: [{ interaction: 'x', reason: 'y' }] })).toBe(false);
  });
});

describe('issue 18 (1): Pact interactions in the baseline', () => {
  const rules = new Map<string, 'betterprompt' | 'runtype'>([['BP-HASMORE', 'betterprompt']]);
  const entry = {
    interaction: 'a request for runs created in a window that holds none',
    reason: 'ticket 9',
    expires: '2099-12-31',
  };

  it('sit under "interactions" beside the rule entries, checked as strictly', () => {
    expect(parseBaseline({ entries: [], interactions: [entry] }, rules)).toEqual([]);
    expect(parseInteractions({ entries: [], interactions: [entry] })).toEqual([entry]);
    expect(() => parseBaseline({ entries: [], interactions: [{ ...entry, expires: '2099-02-30' }] }, rules)).toThrow(
      /interaction entry 1 \(a request for runs created in a window that holds none\): expires is not a date; use YYYY-MM-DD/,
    );
    expect(() => parseInteractions({ interactions: [{ ...entry, rule: 'X' }] })).toThrow(/unknown field "rule"/);
    expect(() => parseInteractions({ interactions: [{ reason: 'r', expires: '2099-01-01' }] })).toThrow(
      /missing "interaction"; use the interaction's description from the pact/,
    );
  });

  it('accept an interaction by description until the end of the expiry day, then say it expired', () => {
    const e = [{ ...entry, expires: '2026-03-31' }];
    expect(acceptInteraction(e, 'betterprompt', entry.interaction, new Date('2026-03-31T23:59:59Z'))).toMatchObject({
      known: true,
    });
    expect(acceptInteraction(e, 'betterprompt', entry.interaction, new Date('2026-04-01T00:00:00Z'))).toMatchObject({
      known: false,
      reason: expect.stringMatching(/expired on 2026-03-31/),
    });
    expect(acceptInteraction(e, 'betterprompt', 'another interaction', new Date())).toBeUndefined();
  });
});
