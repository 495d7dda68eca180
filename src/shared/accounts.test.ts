/** The accounts wrapper: the first account is the single-account provider unchanged; accounts never share a row. */
import { describe, expect, it } from 'vitest';
import { bpAccounts } from '../apis/betterprompt/isolation';
import { createBpHandler } from '../apis/betterprompt/provider';
import { rtAccounts } from '../apis/runtype/isolation';
import { accountsHandler, SECOND_ACCOUNT_ROWS } from './accounts';
import type { ProviderRequest } from './server';

const get = (path: string, query: Record<string, string>, key?: string): ProviderRequest => ({
  method: 'GET',
  path,
  query: new URLSearchParams(query),
  headers: key === undefined ? {} : { authorization: `Bearer ${key}` },
});

describe('accountsHandler', () => {
  const handle = accountsHandler(bpAccounts, { apiKey: 'key-a', apiKey2: 'key-b' });

  it('the first account answers exactly as the single-account provider does', () => {
    const single = createBpHandler({ apiKey: 'key-a' });
    for (const q of [{ limit: '50' }, { status: 'failed' }, { since: '1762164000' }])
      expect(handle(get('/v1/runs', q, 'key-a'))).toEqual(single.handle(get('/v1/runs', q, 'key-a')));
  });

  it('the second account has its own, smaller listing sharing no run with the first', () => {
    const ids = (key: string) =>
      (handle(get('/v1/runs', { limit: '50' }, key)).body as { data: { rows: { runId: string }[] } }).data.rows.map(
        (r) => r.runId,
      );
    const a = new Set(ids('key-a'));
    const b = ids('key-b');
    expect(b.length).toBe(50);
    expect(b.filter((id) => a.has(id))).toEqual([]);
    expect(bpAccounts.seed(SECOND_ACCOUNT_ROWS, 1 + 7919, 1)).toHaveLength(SECOND_ACCOUNT_ROWS);
  });

  it("an unknown or missing key gets the provider's own 401; without apiKey2 the second key is unknown", () => {
    expect(handle(get('/v1/runs', {}, 'key-c')).status).toBe(401);
    expect(handle(get('/v1/runs', {})).status).toBe(401);
    expect(accountsHandler(bpAccounts, { apiKey: 'key-a' })(get('/v1/runs', {}, 'key-b')).status).toBe(401);
  });

  it("Runtype's second account is another user (its own userId)", () => {
    const rt = accountsHandler(rtAccounts, { apiKey: 'key-a', apiKey2: 'key-b' });
    const users = (key: string) =>
      new Set((rt(get('/v1/prompts', {}, key)).body as { data: { userId: string }[] }).data.map((p) => p.userId));
    const [a] = users('key-a');
    const [b] = users('key-b');
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(a).not.toBe(b);
  });
});
