/** The gate's verdict: any failure, or a row where nothing ran, fails it; skips are listed, not hidden. */
import { describe, expect, it } from 'vitest';
import { type GateRow, gateJunit, markdown, summarise, table } from './gate';

const row = (over: Partial<GateRow>): GateRow => ({
  pillar: 'provider verification',
  api: 'betterprompt',
  target: 'embedded',
  pass: 7,
  fail: 0,
  skip: 0,
  known: 0,
  ...over,
});

describe('release gate summary', () => {
  it('passes when every row passed something and nothing failed', () => {
    const s = summarise(
      new Date(),
      [row({}), row({ pillar: 'conformance', skip: 1 })],
      [],
      [{ pillar: 'conformance', api: 'betterprompt', target: 'embedded', item: 'BP-X', detail: 'no 429 seen' }],
      [],
    );
    expect(s.passed).toBe(true);
    expect(table(s).at(-1)).toBe('gate: PASS');
    expect(markdown(s)).toContain('BP-X — no 429 seen');
  });

  it('fails on a failed row, naming the item', () => {
    const s = summarise(
      new Date(),
      [row({ fail: 1, pass: 6 })],
      [
        {
          pillar: 'provider verification',
          api: 'betterprompt',
          target: 'embedded',
          item: 'a request for the first page of two runs',
          detail: '$.data missing hasMore',
        },
      ],
      [],
      [],
    );
    expect(s.passed).toBe(false);
    expect(table(s).join('\n')).toMatch(
      /✗ provider verification · betterprompt · embedded: a request for the first page of two runs/,
    );
  });

  it('fails a row where nothing ran: an empty pillar is not a pass', () => {
    const s = summarise(new Date(), [row({ pass: 0 })], [], [], []);
    expect(s.passed).toBe(false);
    expect(s.failures[0]?.item).toBe('(nothing ran)');
  });

  it('records the client version in the table, gate.md and the JUnit (issue 12 (2))', () => {
    const s = summarise(new Date(), [row({})], [], [], [], '2.4.0-rc.1');
    expect(s.clientVersion).toBe('2.4.0-rc.1');
    expect(table(s).at(-1)).toBe('gate: PASS (client 2.4.0-rc.1)');
    expect(markdown(s)).toContain('client version 2.4.0-rc.1');
    expect(gateJunit(s)).toContain('release gate (client 2.4.0-rc.1)');
  });

  it('puts the Pact pillars into JUnit: a failed interaction is a failure, a skip is skipped', () => {
    const fail = {
      pillar: 'provider verification' as const,
      api: 'betterprompt' as const,
      target: 'configured',
      item: 'Given runs exist - a request for the first page',
      detail: '$.data.hasMore <expected>',
    };
    const xml = gateJunit(
      summarise(
        new Date(),
        [row({ target: 'configured', fail: 1, pass: 6 }), row({ pillar: 'consumer contracts', target: 'mock server' })],
        [fail],
        [],
        [],
      ),
    );
    expect(xml).toContain('<testsuite name="provider verification · betterprompt · configured" tests="2" failures="1"');
    expect(xml).toContain(
      'name="Given runs exist - a request for the first page"><failure message="$.data.hasMore &lt;expected&gt;"',
    );
    expect(xml).toContain('<testsuite name="consumer contracts · betterprompt · mock server"');
  });

  it('issue 18 (3): the verdict is the first line; open items make it INCOMPLETE or INCONCLUSIVE, and junit errors', () => {
    const item = (open: 'unverifiable' | 'inconclusive') => ({
      pillar: open === 'inconclusive' ? ('conformance' as const) : ('provider verification' as const),
      api: 'betterprompt' as const,
      target: 'configured',
      item: open === 'inconclusive' ? 'BP-WALK a walk yields each run once' : 'a request for runs in an empty window',
      detail: 'why',
      open,
    });
    const unverifiable = summarise(new Date(), [row({ target: 'configured', open: 1 })], [], [], [], undefined, [
      item('unverifiable'),
    ]);
    expect(unverifiable).toMatchObject({ passed: false, verdict: 'INCOMPLETE' });
    expect(table(unverifiable)[0]).toMatch(/^INCOMPLETE: not everything could be checked \(1 not verifiable/);
    expect(markdown(unverifiable)).toMatch(/^# Release gate: INCOMPLETE\n\n> INCOMPLETE: /);
    expect(gateJunit(unverifiable)).toContain('<error type="unverifiable" message="why">');
    const inconclusive = summarise(new Date(), [row({})], [], [], [], undefined, [item('inconclusive')]);
    expect(inconclusive.verdict).toBe('INCONCLUSIVE');
    expect(table(inconclusive).at(-1)).toBe('gate: INCONCLUSIVE');
    const interrupted = summarise(new Date(), [row({})], [], [], [], undefined, [], true);
    expect(interrupted.verdict).toBe('INCOMPLETE');
    // a failure is a finding, whatever else is open
    expect(summarise(new Date(), [row({ fail: 1 })], [], [], [], undefined, [item('inconclusive')]).verdict).toBe(
      'FAIL',
    );
  });

  it('names the report dir it wrote to (--report-dir)', () => {
    const s = summarise(
      new Date(),
      [row({})],
      [],
      [{ pillar: 'conformance', api: 'betterprompt', target: 'embedded', item: 'BP-X', detail: 'no 429 seen' }],
      [],
    );
    expect(table(s, 'out/gate-1').join('\n')).toContain('in out/gate-1/gate.md');
  });
});
