/** The typed clients beyond one page: walking every page, stopping, typed errors, and the key kept out of errors. */
import { describe, expect, it } from 'vitest';
import { docExample as bpDoc } from '../../schemas/betterprompt/list-runs.schema';
import { docExample as rtDoc } from '../../schemas/runtype/list-prompts.schema';
import { ApiError, BetterPromptClient, PaginationError, ResponseShapeError, RuntypeClient } from './index';

const KEY = 'sk-test-0123456789';

/** A fetch that answers from `pages` by request URL, and records what was asked. */
function fakeFetch(answer: (url: URL) => { status: number; body: unknown }) {
  const seen: { url: URL; headers: Record<string, string> }[] = [];
  const f = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    seen.push({ url, headers: (init?.headers ?? {}) as Record<string, string> });
    const { status, body } = answer(url);
    return new Response(body === undefined ? '' : JSON.stringify(body), { status });
  }) as typeof fetch;
  return { f, seen };
}

const run = (runId: string, runStatus = 'failed') => ({ ...bpDoc.data.rows[0], runId, runStatus });
const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222', '33333333-3333-4333-8333-333333333333'];

describe('BetterPromptClient', () => {
  it('walks every page with startingAfter = last runId until hasMore is false, keeping the filters', async () => {
    const { f, seen } = fakeFetch((u) => {
      const after = u.searchParams.get('startingAfter');
      if (!after) return { status: 200, body: { status: 'SUCCESS', data: { rows: [run(ids[0] as string), run(ids[1] as string)], hasMore: true } } };
      return { status: 200, body: { status: 'SUCCESS', data: { rows: [run(ids[2] as string)], hasMore: false } } };
    });
    const client = new BetterPromptClient({ baseUrl: 'https://api.example.test', apiKey: KEY, fetch: f });
    const got: string[] = [];
    for await (const r of client.runs.all({ status: 'failed', limit: 2 })) got.push(r.runId);
    expect(got).toEqual(ids);
    expect(seen.map((s) => `${s.url.pathname}?${s.url.searchParams}`)).toEqual(['/v1/runs?limit=2&status=failed', `/v1/runs?limit=2&startingAfter=${ids[1]}&status=failed`]);
    expect(seen[0]?.headers.Authorization).toBe(`Bearer ${KEY}`);
  });

  it('pages backward from endingBefore with the first row', async () => {
    const { f } = fakeFetch(() => ({ status: 200, body: { status: 'SUCCESS', data: { rows: [run(ids[0] as string), run(ids[1] as string)], hasMore: true } } }));
    const page = await new BetterPromptClient({ baseUrl: 'https://api.example.test/v1', apiKey: KEY, fetch: f }).listRuns({ endingBefore: ids[2] as string });
    expect(page.next).toEqual({ endingBefore: ids[0] });
  });

  it('stops instead of looping when the server repeats a page', async () => {
    const { f } = fakeFetch(() => ({ status: 200, body: { status: 'SUCCESS', data: { rows: [run(ids[0] as string)], hasMore: true } } }));
    const walk = async () => {
      for await (const _ of new BetterPromptClient({ baseUrl: 'https://api.example.test', apiKey: KEY, fetch: f }).runs.all()) {
        // drain
      }
    };
    await expect(walk()).rejects.toBeInstanceOf(PaginationError);
  });

  it('throws ApiError with status and envelope code, and never puts the key in the message', async () => {
    const { f } = fakeFetch(() => ({ status: 422, body: { status: 'VALIDATION_ERROR', message: `bad cursor for key ${KEY}` } }));
    const err = await new BetterPromptClient({ baseUrl: 'https://api.example.test', apiKey: KEY, fetch: f }).listRuns({ startingAfter: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: 'VALIDATION_ERROR', api: 'betterprompt' });
    expect(String((err as Error).message)).not.toContain(KEY);
  });

  it('refuses a 200 body that breaks the schema', async () => {
    const { f } = fakeFetch(() => ({ status: 200, body: { status: 'SUCCESS', data: { rows: [], has_more: false } } }));
    const err = await new BetterPromptClient({ baseUrl: 'https://api.example.test', apiKey: KEY, fetch: f }).listRuns().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect((err as ResponseShapeError).problems).toMatch(/hasMore/);
  });

  it('sends since/until Dates as whole Unix seconds and no Authorization without a key', async () => {
    const { f, seen } = fakeFetch(() => ({ status: 200, body: { status: 'SUCCESS', data: { rows: [], hasMore: false } } }));
    await new BetterPromptClient({ baseUrl: 'https://api.example.test', apiKey: '', fetch: f }).listRuns({ since: new Date('2025-11-03T10:00:00.900Z'), until: 1762164930 });
    expect(seen[0]?.url.search).toBe('?since=1762164000&until=1762164930');
    expect(seen[0]?.headers.Authorization).toBeUndefined();
  });
});

describe('RuntypeClient', () => {
  const pageOf = (n: number, nextCursor: string | null) => ({ ...rtDoc, data: [{ ...rtDoc.data[0], name: `p${n}` }], pagination: { ...rtDoc.pagination, hasMore: nextCursor !== null, nextCursor } });

  it('follows nextCursor until hasMore is false', async () => {
    const { f, seen } = fakeFetch((u) => ({ status: 200, body: u.searchParams.get('cursor') === 'c2' ? pageOf(2, null) : pageOf(1, 'c2') }));
    const names: string[] = [];
    for await (const p of new RuntypeClient({ baseUrl: 'https://api.example.test', apiKey: KEY, fetch: f }).prompts.all({ model: 'gpt-4-turbo' })) names.push(p.name);
    expect(names).toEqual(['p1', 'p2']);
    expect(seen.map((s) => s.url.search)).toEqual(['?model=gpt-4-turbo', '?cursor=c2&model=gpt-4-turbo']);
  });

  it('carries an undocumented error body and whatever code it names', async () => {
    const { f } = fakeFetch(() => ({ status: 400, body: { error: 'Bad Request', message: 'limit must be an integer from 1 to 100' } }));
    const err = await new RuntypeClient({ baseUrl: 'https://api.example.test', apiKey: KEY, fetch: f }).listPrompts({ limit: 0 }).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'Bad Request', body: { error: 'Bad Request' } });
  });

  it('stops when hasMore comes without a cursor to follow', async () => {
    const { f } = fakeFetch(() => ({ status: 200, body: { ...pageOf(1, null), pagination: { ...rtDoc.pagination, hasMore: true, nextCursor: null } } }));
    await expect(new RuntypeClient({ baseUrl: 'https://api.example.test', apiKey: KEY, fetch: f }).listPrompts()).rejects.toBeInstanceOf(PaginationError);
  });
});
