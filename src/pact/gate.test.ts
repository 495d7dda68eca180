/** The gate's verdict: any failure, or a row where nothing ran, fails it; skips are listed, not hidden. */
import { describe, expect, it } from 'vitest';
import { type GateRow, markdown, summarise, table } from './gate';

const row = (over: Partial<GateRow>): GateRow => ({ pillar: 'provider verification', api: 'betterprompt', target: 'embedded', pass: 7, fail: 0, skip: 0, known: 0, ...over });

describe('release gate summary', () => {
  it('passes when every row passed something and nothing failed', () => {
    const s = summarise(new Date(), [row({}), row({ pillar: 'conformance', skip: 1 })], [], [{ pillar: 'conformance', api: 'betterprompt', target: 'embedded', item: 'BP-X', detail: 'no 429 seen' }], []);
    expect(s.passed).toBe(true);
    expect(table(s).at(-1)).toBe('gate: PASS');
    expect(markdown(s)).toContain('BP-X — no 429 seen');
  });

  it('fails on a failed row, naming the item', () => {
    const s = summarise(new Date(), [row({ fail: 1, pass: 6 })], [{ pillar: 'provider verification', api: 'betterprompt', target: 'embedded', item: 'a request for the first page of two runs', detail: '$.data missing hasMore' }], [], []);
    expect(s.passed).toBe(false);
    expect(table(s).join('\n')).toMatch(/✗ provider verification · betterprompt · embedded: a request for the first page of two runs/);
  });

  it('fails a row where nothing ran: an empty pillar is not a pass', () => {
    const s = summarise(new Date(), [row({ pass: 0 })], [], [], []);
    expect(s.passed).toBe(false);
    expect(s.failures[0]?.item).toBe('(nothing ran)');
  });
});
