/** The typed clients beyond one page: walking every page, stopping, typed errors, and the key kept out of errors. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { docExample as bpDoc } from '../../schemas/betterprompt/list-runs.schema';
import { docExample as rtDoc } from '../../schemas/runtype/list-prompts.schema';
import { closedPort } from '../cli-harness';
import {
  ApiError,
  BetterPromptClient,
  NetworkError,
  PaginationError,
  ResponseShapeError,
  type Run,
  RuntypeClient,
  TimeoutError,
} from './index';

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
const ids = [
  '11111111-1111-4111-8111-111111111111',
  '22222222-2222-4222-8222-222222222222',
  '33333333-3333-4333-8333-333333333333',
];

describe('BetterPromptClient', () => {
  it('walks every page with startingAfter = last runId until hasMore is false, keeping the filters', async () => {
    const { f, seen } = fakeFetch((u) => {
      const after = u.searchParams.get('startingAfter');
      if (!after)
        return {
          status: 200,
          body: { status: 'SUCCESS', data: { rows: [run(ids[0] as string), run(ids[1] as string)], hasMore: true } },
        };
      return { status: 200, body: { status: 'SUCCESS', data: { rows: [run(ids[2] as string)], hasMore: false } } };
    });
    const client = new BetterPromptClient({ baseUrl: 'https://api.example.test', apiKey: KEY, fetch: f });
    const got: string[] = [];
    for await (const r of client.runs.all({ status: 'failed', limit: 2 })) got.push(r.runId);
    expect(got).toEqual(ids);
    expect(seen.map((s) => `${s.url.pathname}?${s.url.searchParams}`)).toEqual([
      '/v1/runs?limit=2&status=failed',
      `/v1/runs?limit=2&startingAfter=${ids[1]}&status=failed`,
    ]);
    expect(seen[0]?.headers.Authorization).toBe(`Bearer ${KEY}`);
  });

  it('pages backward from endingBefore with the first row', async () => {
    const { f } = fakeFetch(() => ({
      status: 200,
      body: { status: 'SUCCESS', data: { rows: [run(ids[0] as string), run(ids[1] as string)], hasMore: true } },
    }));
    const page = await new BetterPromptClient({
      baseUrl: 'https://api.example.test/v1',
      apiKey: KEY,
      fetch: f,
    }).listRuns({ endingBefore: ids[2] as string });
    expect(page.next).toEqual({ endingBefore: ids[0] });
  });

  it('stops instead of looping when the server repeats a page', async () => {
    const { f } = fakeFetch(() => ({
      status: 200,
      body: { status: 'SUCCESS', data: { rows: [run(ids[0] as string)], hasMore: true } },
    }));
    const walk = async () => {
      for await (const _ of new BetterPromptClient({
        baseUrl: 'https://api.example.test',
        apiKey: KEY,
        fetch: f,
      }).runs.all()) {
        // drain
      }
    };
    await expect(walk()).rejects.toBeInstanceOf(PaginationError);
  });

  it('throws ApiError with status and envelope code, and never puts the key in the message', async () => {
    const { f } = fakeFetch(() => ({
      status: 422,
      body: { status: 'VALIDATION_ERROR', message: `bad cursor for key ${KEY}` },
    }));
    const err = await new BetterPromptClient({ baseUrl: 'https://api.example.test', apiKey: KEY, fetch: f })
      .listRuns({ startingAfter: 'x' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 422, code: 'VALIDATION_ERROR', api: 'betterprompt' });
    expect(String((err as Error).message)).not.toContain(KEY);
  });

  it('refuses a 200 body that breaks the schema', async () => {
    const { f } = fakeFetch(() => ({ status: 200, body: { status: 'SUCCESS', data: { rows: [], has_more: false } } }));
    const err = await new BetterPromptClient({ baseUrl: 'https://api.example.test', apiKey: KEY, fetch: f })
      .listRuns()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseShapeError);
    expect((err as ResponseShapeError).problems).toMatch(/hasMore/);
  });

  it('sends since/until Dates as whole Unix seconds and no Authorization without a key', async () => {
    const { f, seen } = fakeFetch(() => ({
      status: 200,
      body: { status: 'SUCCESS', data: { rows: [], hasMore: false } },
    }));
    await new BetterPromptClient({ baseUrl: 'https://api.example.test', apiKey: '', fetch: f }).listRuns({
      since: new Date('2025-11-03T10:00:00.900Z'),
      until: 1762164930,
    });
    expect(seen[0]?.url.search).toBe('?since=1762164000&until=1762164930');
    expect(seen[0]?.headers.Authorization).toBeUndefined();
  });
});

describe('RuntypeClient', () => {
  const pageOf = (n: number, nextCursor: string | null) => ({
    ...rtDoc,
    data: [{ ...rtDoc.data[0], name: `p${n}` }],
    pagination: { ...rtDoc.pagination, hasMore: nextCursor !== null, nextCursor },
  });

  it('follows nextCursor until hasMore is false', async () => {
    const { f, seen } = fakeFetch((u) => ({
      status: 200,
      body: u.searchParams.get('cursor') === 'c2' ? pageOf(2, null) : pageOf(1, 'c2'),
    }));
    const names: string[] = [];
    for await (const p of new RuntypeClient({ baseUrl: 'https://api.example.test', apiKey: KEY, fetch: f }).prompts.all(
      { model: 'gpt-4-turbo' },
    ))
      names.push(p.name);
    expect(names).toEqual(['p1', 'p2']);
    expect(seen.map((s) => s.url.search)).toEqual(['?model=gpt-4-turbo', '?cursor=c2&model=gpt-4-turbo']);
  });

  it('carries an undocumented error body and whatever code it names', async () => {
    const { f } = fakeFetch(() => ({
      status: 400,
      body: { error: 'Bad Request', message: 'limit must be an integer from 1 to 100' },
    }));
    const err = await new RuntypeClient({ baseUrl: 'https://api.example.test', apiKey: KEY, fetch: f })
      .listPrompts({ limit: 0 })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 400, code: 'Bad Request', body: { error: 'Bad Request' } });
  });

  it('stops when hasMore comes without a cursor to follow', async () => {
    const { f } = fakeFetch(() => ({
      status: 200,
      body: { ...pageOf(1, null), pagination: { ...rtDoc.pagination, hasMore: true, nextCursor: null } },
    }));
    await expect(
      new RuntypeClient({ baseUrl: 'https://api.example.test', apiKey: KEY, fetch: f }).listPrompts(),
    ).rejects.toBeInstanceOf(PaginationError);
  });
});

describe('typed clients: retries, timeouts, cancellation, network errors (issue 12, typed clients)', () => {
  const ok = { status: 'SUCCESS', data: { rows: [], hasMore: false } };
  /** A fetch that plays `script` in order, recording the calls. */
  function scripted(script: ((init?: RequestInit) => Promise<Response>)[]) {
    let n = 0;
    const f = (async (_input: string | URL | Request, init?: RequestInit) => {
      const step = script[Math.min(n++, script.length - 1)];
      if (!step) throw new Error('no step');
      return step(init);
    }) as typeof fetch;
    return { f, calls: () => n };
  }
  const answer =
    (status: number, body: unknown, headers: Record<string, string> = {}) =>
    async () =>
      new Response(JSON.stringify(body), { status, headers });

  it('retries a 429 after its Retry-After, then returns the page', async () => {
    const { f, calls } = scripted([
      answer(429, { status: 'TOO_MANY_REQUESTS_ERROR', message: 'slow down' }, { 'Retry-After': '0' }),
      answer(200, ok),
    ]);
    const page = await new BetterPromptClient({
      baseUrl: 'https://api.example.test',
      apiKey: KEY,
      fetch: f,
    }).listRuns();
    expect(page.rows).toEqual([]);
    expect(calls()).toBe(2);
  });

  it('gives up after its retries with the ApiError carrying retryAfterMs; a Retry-After past maxRetryWaitMs is not waited for', async () => {
    const { f, calls } = scripted([answer(503, { error: 'busy' }, { 'Retry-After': '120' })]);
    const err = await new RuntypeClient({
      baseUrl: 'https://api.example.test',
      apiKey: KEY,
      fetch: f,
      maxRetryWaitMs: 1000,
    })
      .listPrompts()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 503, retryAfterMs: 120_000 });
    expect(calls()).toBe(1);
  });

  it('a request with no answer within timeoutMs is a TimeoutError', async () => {
    const hang = (init?: RequestInit) =>
      new Promise<Response>((_ok, fail) => init?.signal?.addEventListener('abort', () => fail(init.signal?.reason)));
    const { f } = scripted([hang]);
    const err = await new BetterPromptClient({
      baseUrl: 'https://api.example.test',
      apiKey: KEY,
      fetch: f,
      timeoutMs: 20,
    })
      .listRuns()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect(err).toMatchObject({ api: 'betterprompt', timeoutMs: 20 });
  });

  it("the caller's AbortSignal cancels, and its reason is what is thrown", async () => {
    const hang = (init?: RequestInit) =>
      new Promise<Response>((_ok, fail) => init?.signal?.addEventListener('abort', () => fail(init.signal?.reason)));
    const { f } = scripted([hang]);
    const ac = new AbortController();
    const pending = new BetterPromptClient({ baseUrl: 'https://api.example.test', apiKey: KEY, fetch: f })
      .listRuns({}, { signal: ac.signal })
      .catch((e: unknown) => e);
    ac.abort(new Error('user cancelled'));
    expect(await pending).toMatchObject({ message: 'user cancelled' });
  });

  it('a refused connection is a NetworkError with the system code, and no key in the message', async () => {
    const err = await new BetterPromptClient({ baseUrl: `http://127.0.0.1:${await closedPort()}`, apiKey: KEY })
      .listRuns()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(err).toMatchObject({ code: 'ECONNREFUSED' });
    expect(String((err as Error).message)).not.toContain(KEY);
  });

  it("validate: 'paging' checks only what paging uses; 'full' (the default) checks the whole body", async () => {
    const body = { status: 'SUCCESS', data: { rows: [{ ...run(ids[0] as string), credits: '150' }], hasMore: false } };
    const { f } = fakeFetch(() => ({ status: 200, body }));
    await expect(
      new BetterPromptClient({ baseUrl: 'https://api.example.test', apiKey: KEY, fetch: f }).listRuns(),
    ).rejects.toBeInstanceOf(ResponseShapeError);
    const page = await new BetterPromptClient({
      baseUrl: 'https://api.example.test',
      apiKey: KEY,
      fetch: f,
      validate: 'paging',
    }).listRuns();
    expect(page.rows.map((r) => r.runId)).toEqual([ids[0]]);
    const broken = fakeFetch(() => ({
      status: 200,
      body: { status: 'SUCCESS', data: { rows: [{ runName: 'no id' }], hasMore: true } },
    }));
    await expect(
      new BetterPromptClient({
        baseUrl: 'https://api.example.test',
        apiKey: KEY,
        fetch: broken.f,
        validate: 'paging',
      }).listRuns(),
    ).rejects.toBeInstanceOf(ResponseShapeError);
  });

  it('types are closed: a misspelt field does not compile', () => {
    const r = run(ids[0] as string) as unknown as Run;
    // @ts-expect-error runNmae is not a field of Run
    const typo = r.runNmae;
    expect(typo).toBeUndefined();
  });
});

describe('the clients are self-contained (package export ./clients)', () => {
  it('import only each other, the published schemas and npm packages', () => {
    const dir = fileURLToPath(new URL('.', import.meta.url));
    const imports = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .flatMap((f) =>
        [...readFileSync(join(dir, f), 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map((m) => `${f}: ${m[1]}`),
      );
    expect(imports.filter((i) => /: \.\.\/(?!\.\.\/schemas\/)/.test(i))).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(dir, '..', '..', 'package.json'), 'utf8')) as {
      exports?: Record<string, string>;
    };
    expect(pkg.exports?.['./clients']).toBe('./src/clients/index.ts');
  });
});
