import { describe, expect, it } from 'vitest';
import type { RuleResult } from '../shared/report';
import { isLive, Progress } from './progress';

const rule = (api: RuleResult['api'], requests: number): RuleResult => ({
  id: 'X-1',
  api,
  summary: '',
  doc: '',
  basis: 'documented',
  status: 'pass',
  requests,
  cacheHits: 0,
  retries: 0,
  ms: 0,
});

describe('Progress', () => {
  it('on a terminal rewrites one line in place and clears it around stdout lines', () => {
    const out: string[] = [];
    const p = new Progress({ total: 3, budget: 800, live: true, write: (s) => out.push(s) });
    p.rule(rule('betterprompt', 5));
    p.clear();
    p.rule(rule('betterprompt', 7));
    expect(out).toEqual([
      '\r\x1b[2K1/3 rules · betterprompt 5/800 requests',
      '\r\x1b[2K',
      '\r\x1b[2K2/3 rules · betterprompt 12/800 requests',
    ]);
    p.clear();
    p.rule(rule('runtype', 2));
    // the last rule leaves no line behind
    expect(out.slice(3)).toEqual(['\r\x1b[2K']);
  });

  it('in CI prints plain lines at each quarter and per API, never control codes', () => {
    const out: string[] = [];
    const p = new Progress({ total: 8, budget: 100, live: false, write: (s) => out.push(s) });
    for (let i = 0; i < 4; i++) p.rule(rule('betterprompt', 10));
    p.apiDone();
    for (let i = 0; i < 4; i++) p.rule(rule('runtype', 1));
    p.apiDone();
    p.clear();
    expect(out).toEqual([
      'progress: 2/8 rules · betterprompt 20/100 requests\n',
      'progress: 4/8 rules · betterprompt 40/100 requests\n',
      'progress: 6/8 rules · runtype 2/100 requests\n',
      'progress: 8/8 rules · runtype 4/100 requests\n',
    ]);
  });

  it('is live only on a terminal outside CI', () => {
    expect(isLive(true, true, {})).toBe(true);
    expect(isLive(true, true, { CI: 'true' })).toBe(false);
    expect(isLive(false, true, {})).toBe(false);
    expect(isLive(undefined, undefined, {})).toBe(false);
  });
});
