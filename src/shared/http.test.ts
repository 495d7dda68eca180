/** The HTTP client against tiny local servers: write guard, cache, retries, budget, rate, timeout, deadline, interrupt, redaction. */
import { afterEach, describe, expect, it } from 'vitest';
import { closedPort } from '../cli-harness';
import { BudgetExhausted, TransportError, WriteRefused } from './errors';
import {
  DEADLINE_REASON,
  HttpClient,
  type HttpOptions,
  INTERRUPTED_REASON,
  type Method,
  parseRetryAfter,
} from './http';
import { type Chaos, type Handler, type ProviderRequest, type RunningServer, startJsonServer } from './server';

const KEY = 'sk-test/HTTP-unit-9f3c2a71';
const servers: RunningServer[] = [];

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server recording every request; `answers` are served in turn, the last one repeating. */
async function serve(answers: ReturnType<Handler>[], chaos: Chaos = {}) {
  const seen: ProviderRequest[] = [];
  const server = await startJsonServer((req) => {
    seen.push(req);
    return answers[Math.min(seen.length, answers.length) - 1] ?? { status: 200, body: {} };
  }, chaos);
  servers.push(server);
  return { server, seen };
}

function client(url: string, o: Partial<HttpOptions> = {}): HttpClient {
  return new HttpClient({
    root: `${url}/v1`,
    apiKey: KEY,
    maxRequests: 50,
    rate: undefined,
    timeoutMs: 2000,
    deadline: Date.now() + 10_000,
    maxRetries: 3,
    backoffMs: 5,
    maxWaitMs: 1000,
    ...o,
  });
}

const OK = { status: 200, body: { ok: true } };

describe('HttpClient: only GET/HEAD unless writes are allowed', () => {
  it.each<Method>(['POST', 'PUT', 'PATCH', 'DELETE'])('refuses %s before sending anything', async (method) => {
    const { server, seen } = await serve([OK]);
    const http = client(server.url);
    await expect(http.request(method, '/runs', { body: { a: 1 } })).rejects.toBeInstanceOf(WriteRefused);
    await expect(http.request(method, '/runs')).rejects.toThrow(/CONFORMANCE_ALLOW_WRITES=true/);
    expect(seen).toHaveLength(0);
    expect(http.stats.sent).toBe(0);
  });

  it('sends GET and HEAD; a write only with allowWrites, never cached, with a replayable curl', async () => {
    const { server, seen } = await serve([OK]);
    const http = client(server.url, { allowWrites: true });
    expect((await http.request('HEAD', '/runs')).status).toBe(200);
    const post = await http.request('POST', '/runs', { body: { name: 'x' } });
    await http.request('POST', '/runs', { body: { name: 'x' } });
    expect(seen.map((r) => r.method)).toEqual(['HEAD', 'POST', 'POST']);
    expect(post.request.curl).toMatch(/^curl -sS -X POST --data '\{"name":"x"\}' /);
    expect(post.request.curl).toContain('Bearer [redacted]');
  });

  it('serves an identical GET from the cache unless asked for a fresh one', async () => {
    const { server, seen } = await serve([OK]);
    const http = client(server.url);
    await http.get('/runs', { limit: 1 });
    expect((await http.get('/runs', { limit: 1 })).fromCache).toBe(true);
    await http.get('/runs', { limit: 1 }, { fresh: true });
    expect(seen).toHaveLength(2);
    expect(http.stats.cacheHits).toBe(1);
  });
});

describe('HttpClient: retries', () => {
  it('retries 429 honouring Retry-After in seconds, counting every retry', async () => {
    const { server, seen } = await serve([{ status: 429, headers: { 'Retry-After': '1' }, body: {} }, OK]);
    const http = client(server.url, { maxWaitMs: 5000 });
    const started = Date.now();
    const ex = await http.get('/runs');
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(ex).toMatchObject({ status: 200, retries: 1 });
    expect(seen).toHaveLength(2);
    expect(http.stats).toMatchObject({
      retries: 1,
      retriesByStatus: { 429: 1 },
      rateLimited: 1,
      rateLimitedWithoutRetryAfter: 0,
    });
  });

  it('reads Retry-After as delta-seconds or an HTTP date', () => {
    const now = Date.parse('2025-11-03T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Mon, 03 Nov 2025 10:00:07 GMT', now)).toBe(7000);
    expect(parseRetryAfter('Mon, 03 Nov 2025 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('follows an HTTP-date Retry-After end to end', async () => {
    const past = new Date(Date.now() - 60_000).toUTCString();
    const { server } = await serve([OK], { every429: 2, retryAfter: past });
    const http = client(server.url);
    await http.get('/runs', { a: 1 });
    expect((await http.get('/runs', { a: 2 })).status).toBe(200);
    expect(http.stats.retriesByStatus).toEqual({ 429: 1 });
  });

  it('backs off exponentially with jitter on 503 without Retry-After, and gives up after maxRetries', async () => {
    const { server, seen } = await serve([{ status: 503, body: {} }]);
    const http = client(server.url, { maxRetries: 3, backoffMs: 20 });
    const started = Date.now();
    const ex = await http.get('/runs');
    // waits are in [step/2, step] for steps 20, 40, 80
    expect(Date.now() - started).toBeGreaterThanOrEqual(70);
    expect(ex).toMatchObject({ status: 503, retries: 3 });
    expect(seen).toHaveLength(4);
    expect(http.stats.retriesByStatus).toEqual({ 503: 3 });
  });

  it('retries another 5xx once for GET, never for a write; 429 is retried for a write too', async () => {
    const { server, seen } = await serve([{ status: 502, body: {} }]);
    const http = client(server.url, { allowWrites: true });
    expect(await http.get('/runs')).toMatchObject({ status: 502, retries: 1 });
    expect(await http.request('POST', '/runs', { body: {} })).toMatchObject({ status: 502, retries: 0 });
    expect(seen).toHaveLength(3);

    const limited = await serve([
      { status: 429, headers: { 'Retry-After': '0' }, body: {} },
      { status: 201, body: {} },
    ]);
    const w = client(limited.server.url, { allowWrites: true });
    expect(await w.request('POST', '/runs', { body: {} })).toMatchObject({ status: 201, retries: 1 });
  });

  it('stops rather than retry early when Retry-After asks for more than maxWaitMs', async () => {
    const { server, seen } = await serve([{ status: 429, headers: { 'Retry-After': '120' }, body: {} }]);
    const http = client(server.url, { maxWaitMs: 1000 });
    await expect(http.get('/runs')).rejects.toThrow(BudgetExhausted);
    await expect(http.get('/runs', { b: 1 })).rejects.toThrow(/asked to wait 120 s \(Retry-After\)/);
    expect(seen).toHaveLength(2);
    expect(http.stats.retries).toBe(0);
  });

  it('stops with the deadline reason when Retry-After reaches past the deadline', async () => {
    const { server } = await serve([{ status: 429, headers: { 'Retry-After': '5' }, body: {} }]);
    const http = client(server.url, { maxWaitMs: 60_000, deadline: Date.now() + 2000 });
    await expect(http.get('/runs')).rejects.toThrow(DEADLINE_REASON);
  });
});

describe('HttpClient: budget, rate, timeout, deadline, interrupt', () => {
  it('sends at most maxRequests, retries included, then throws BudgetExhausted', async () => {
    const { server, seen } = await serve([{ status: 503, body: {} }, OK]);
    const http = client(server.url, { maxRequests: 3 });
    await http.get('/runs', { n: 1 });
    await http.get('/runs', { n: 2 });
    await expect(http.get('/runs', { n: 3 })).rejects.toThrow(
      /request budget of 3 used up \(CONFORMANCE_MAX_REQUESTS\)/,
    );
    expect(seen).toHaveLength(3);
    expect(http.remaining).toBe(0);
  });

  it('spaces requests to the rate limit', async () => {
    const { server } = await serve([OK]);
    const http = client(server.url, { rate: 40 });
    const started = Date.now();
    for (let n = 0; n < 5; n++) await http.get('/runs', { n });
    // 4 gaps of 25 ms
    expect(Date.now() - started).toBeGreaterThanOrEqual(95);
  });

  it('turns a slow answer into a TIMEOUT TransportError', async () => {
    const { server } = await serve([OK], { delayMs: 400 });
    const http = client(server.url, { timeoutMs: 50 });
    const e = await http.get('/runs').catch((x: unknown) => x);
    expect(e).toBeInstanceOf(TransportError);
    expect(e).toMatchObject({ code: 'TIMEOUT' });
  });

  it('cuts off the request in flight at the deadline, and starts none after it', async () => {
    const { server } = await serve([OK], { delayMs: 1000 });
    const http = client(server.url, { deadline: Date.now() + 100 });
    const started = Date.now();
    await expect(http.get('/runs')).rejects.toThrow(DEADLINE_REASON);
    expect(Date.now() - started).toBeLessThan(800);
    await expect(http.get('/runs', { again: 1 })).rejects.toThrow(DEADLINE_REASON);
    expect(http.stats.sent).toBe(1);
    expect(server.requests).toBe(1);
  });

  it('cuts off the request in flight on interrupt, and starts none after it', async () => {
    const { server } = await serve([OK], { delayMs: 1000 });
    const ac = new AbortController();
    const http = client(server.url, { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(http.get('/runs')).rejects.toThrow(INTERRUPTED_REASON);
    await expect(http.get('/runs', { again: 1 })).rejects.toBeInstanceOf(BudgetExhausted);
    expect(http.stats.sent).toBe(1);
  });

  it('reports connection refused as a TransportError with its code', async () => {
    const port = await closedPort();
    const e = await client(`http://127.0.0.1:${port}`)
      .get('/runs')
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ name: 'TransportError', code: 'ECONNREFUSED' });
  });
});

describe('HttpClient: redaction', () => {
  it('keeps the key out of the exchange, even when the target echoes it back (raw or JSON-escaped)', async () => {
    const echo = await startJsonServer((req) => ({
      status: 400,
      raw: `{"echo":${JSON.stringify(req.headers)},"php":"${KEY.replace('/', '\\/')}","k":"${req.headers.authorization ?? ''}"}`,
    }));
    servers.push(echo);
    const ex = await client(echo.url).get('/runs', { q: 1 });
    const everything = JSON.stringify(ex);
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain(KEY.replace('/', '\\/'));
    expect(everything).not.toContain('HTTP-unit-9f3c2a71');
    expect(ex.request.headers.Authorization).toBe('Bearer [redacted]');
    expect(ex.text).toContain('Bearer [redacted]');
  });
});

describe('HttpClient: 429s without a usable Retry-After are counted', () => {
  it('counts a missing, empty or unreadable header, not a valid one', async () => {
    const limited = (retryAfter?: string) => ({
      status: 429,
      body: {},
      ...(retryAfter === undefined ? {} : { headers: { 'Retry-After': retryAfter } }),
    });
    const { server } = await serve([limited(), limited(''), limited('soon'), limited('0'), OK]);
    const http = client(server.url, { maxRetries: 4 });
    expect((await http.get('/runs')).status).toBe(200);
    expect(http.stats.rateLimited).toBe(4);
    expect(http.stats.rateLimitedWithoutRetryAfter).toBe(3);
  });
});
