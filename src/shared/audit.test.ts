/** The response audit's bookkeeping: one finding per owner, reported only when nothing that explains it failed. */
import { describe, expect, it } from 'vitest';
import { AuditLog, notJson, Sightings } from './audit';
import type { Exchange } from './http';

const detail = (what: string) => ({ expected: what, actual: 'seen' });

function exchange(url: string, text = '{}'): Exchange {
  return {
    request: { method: 'GET', url, headers: {}, curl: `curl '${url}'`, auth: 'key' },
    status: 200,
    headers: { 'content-type': 'application/json', 'content-length': '99' },
    text,
    body: undefined,
    isJson: false,
    retries: 0,
    fromCache: false,
    ms: 1,
  };
}

describe('AuditLog.verdicts', () => {
  it('a note that stands alone is reported under its owner, with the carrier named', () => {
    const log = new AuditLog();
    log.add({ owner: 'X-UNTIL', detail: detail('only runs before 10') }, 'X-CARRIER');
    const v = log.verdicts(new Set());
    expect([...v.keys()]).toEqual(['X-UNTIL']);
    expect(v.get('X-UNTIL')?.detail.expected).toContain('found by the response audit on a request X-CARRIER sent');
  });

  it('a note is dropped when a rule in its `unless` failed, kept when none did', () => {
    const log = new AuditLog();
    log.add({ owner: 'X-CURSOR', detail: detail('after the cursor'), unless: ['X-ORDER'] }, 'X-A');
    expect(log.verdicts(new Set(['X-ORDER'])).has('X-CURSOR')).toBe(false);
    expect(log.verdicts(new Set()).has('X-CURSOR')).toBe(true);
  });

  it('notes that stand alone count before conditional ones: one fault, one failure', () => {
    const log = new AuditLog();
    log.add({ owner: 'X-CURSOR', detail: detail('after the cursor'), unless: ['X-ORDER'] }, 'X-A');
    log.add({ owner: 'X-ORDER', detail: detail('newest first') }, 'X-B');
    expect([...log.verdicts(new Set()).keys()]).toEqual(['X-ORDER']);
  });

  it('a conditional note waits for the conditional notes of the rules that explain it, in whatever order they were found', () => {
    const log = new AuditLog();
    // the page's arithmetic (hasMore) is explained by the count, whose own note is conditional too
    log.add({ owner: 'X-HASMORE', detail: detail('hasMore false'), unless: ['X-TOTAL'] }, undefined);
    log.add({ owner: 'X-TOTAL', detail: detail('totals add up'), unless: ['X-MODEL'] }, undefined);
    expect([...log.verdicts(new Set()).keys()]).toEqual(['X-TOTAL']);
    expect([...log.verdicts(new Set(['X-MODEL'])).keys()]).toEqual(['X-HASMORE']);
  });

  it('a later note of the same owner stands in when the first one is explained away', () => {
    const log = new AuditLog();
    log.add({ owner: 'X-F', detail: detail('first'), unless: ['X-G'] }, undefined);
    log.add({ owner: 'X-F', detail: detail('second') }, undefined);
    expect(log.verdicts(new Set(['X-G'])).get('X-F')?.detail.expected).toBe('second');
  });
});

describe('Sightings', () => {
  const owners = { plain: 'X-DISJOINT', cursor: 'X-CURSOR', filter: 'X-FILTER' };
  it('a row in one account’s plain listing, shown to the other key through a cursor, is the cursor path’s leak', () => {
    const s = new Sightings(owners);
    s.add('key', 'r1', 'plain', exchange('http://h/v1/runs'));
    const leak = exchange('http://h/v1/runs?endingBefore=r9');
    s.add('second', 'r1', 'cursor', leak);
    const [note, ...rest] = s.leaks('run');
    expect(rest).toEqual([]);
    expect(note?.owner).toBe('X-CURSOR');
    expect(note?.detail.exchange).toBe(leak);
    expect(s.leaks('run')).toEqual([]); // reported once
  });

  it('a row in both plain listings is the listing’s leak', () => {
    const s = new Sightings(owners);
    s.add('key', 'r1', 'plain', exchange('http://h/v1/runs'));
    s.add('second', 'r1', 'plain', exchange('http://h/v1/runs'));
    expect(s.leaks('run')[0]?.owner).toBe('X-DISJOINT');
  });
});

describe('notJson', () => {
  it('names the bytes received, the declared length and where parsing stopped', () => {
    const msg = notJson(exchange('http://h/v1/runs', '{"status":"SUCC'));
    expect(msg).toMatch(
      /^15 bytes received \(Content-Length 99\), content type "application\/json"; parsing stopped: /,
    );
  });
});
