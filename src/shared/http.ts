/**
 * The one HTTP client every check goes through: read-only, budgeted, rate-limited,
 * retrying politely, caching identical GETs, and redacting secrets before anything leaves it.
 */
import { BudgetExhausted, TransportError } from './errors';
import { curlLine, redactHeaders, redactText, registerSecret } from './redact';

export type AuthMode = 'key' | 'none' | 'wrong';
export type Query = Record<string, string | number | undefined>;

export interface HttpOptions {
  /** API root, e.g. `http://127.0.0.1:4010/v1` (see {@link apiRoot}). */
  root: string;
  apiKey: string;
  /** Requests this client may send, retries included. @defaultValue 800 */
  maxRequests: number;
  /** Requests per second; `undefined` for no limit (embedded providers). */
  rate: number | undefined;
  /** @defaultValue 10000 */
  timeoutMs: number;
  /** Epoch ms after which no request starts. */
  deadline: number;
  /** Retries for 429/503 (other 5xx get one). @defaultValue 4 */
  maxRetries: number;
  /** First backoff step when no Retry-After is given. @defaultValue 200 */
  backoffMs: number;
  /** Longest single wait we accept from Retry-After or backoff. @defaultValue 30000 */
  maxWaitMs: number;
  /** Aborted on Ctrl-C: no new request starts, the report of what finished is still written. */
  signal?: AbortSignal | undefined;
}

export interface SentRequest {
  method: 'GET';
  url: string;
  /** Redacted. */
  headers: Record<string, string>;
  curl: string;
  auth: AuthMode;
}

/** One request and its final answer (after retries). Everything here is already redacted. */
export interface Exchange {
  request: SentRequest;
  status: number;
  headers: Record<string, string>;
  text: string;
  /** Parsed JSON, or `undefined` when the body is not JSON. */
  body: unknown;
  isJson: boolean;
  retries: number;
  fromCache: boolean;
  ms: number;
}

export interface HttpStats {
  /** Requests put on the wire, retries included. */
  sent: number;
  /** Identical GETs answered from this run's cache instead of being re-sent. */
  cacheHits: number;
  retries: number;
  retriesByStatus: Record<string, number>;
  /** 429 answers seen, and those without the Retry-After the docs promise. */
  rateLimited: number;
  rateLimitedWithoutRetryAfter: number;
}

const RETRY_ALWAYS = new Set([429, 503]);

/** Normalises a configured base URL to the `/v1` root; the docs give the base with `/v1`, users often omit it. */
export function apiRoot(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return trimmed.endsWith('/v1') ? trimmed : `${trimmed}/v1`;
}

export function buildUrl(root: string, path: string, query: Query = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.append(k, String(v));
  const s = qs.toString();
  return `${root}${path}${s ? `?${s}` : ''}`;
}

export class HttpClient {
  readonly stats: HttpStats = { sent: 0, cacheHits: 0, retries: 0, retriesByStatus: {}, rateLimited: 0, rateLimitedWithoutRetryAfter: 0 };
  private readonly cache = new Map<string, Promise<Exchange>>();
  private nextSlot = 0;
  private readonly wrongKey = `conformance-invalid-${Math.random().toString(36).slice(2, 12)}`;

  constructor(readonly options: HttpOptions) {
    registerSecret(options.apiKey);
  }

  get remaining(): number {
    return this.options.maxRequests - this.stats.sent;
  }

  /**
   * GET `path` under the API root. Identical requests within a run are served from the cache
   * unless `fresh` is set (the determinism rule needs a real second request).
   */
  get(path: string, query: Query = {}, opts: { auth?: AuthMode; fresh?: boolean } = {}): Promise<Exchange> {
    const auth = opts.auth ?? 'key';
    const url = buildUrl(this.options.root, path, query);
    const key = `${auth} ${url}`;
    if (!opts.fresh) {
      const hit = this.cache.get(key);
      if (hit) {
        this.stats.cacheHits++;
        return hit.then((e) => ({ ...e, fromCache: true }));
      }
    }
    const p = this.send(url, auth);
    // transport failures are not cached: a later rule may legitimately retry
    p.catch(() => this.cache.delete(key));
    this.cache.set(key, p);
    return p;
  }

  private headersFor(auth: AuthMode): Record<string, string> {
    const h: Record<string, string> = { Accept: 'application/json' };
    if (auth === 'key') h.Authorization = `Bearer ${this.options.apiKey}`;
    if (auth === 'wrong') h.Authorization = `Bearer ${this.wrongKey}`;
    return h;
  }

  private async send(url: string, auth: AuthMode): Promise<Exchange> {
    const headers = this.headersFor(auth);
    const request: SentRequest = {
      method: 'GET',
      url: redactText(url),
      headers: redactHeaders(headers),
      curl: curlLine(url, headers),
      auth,
    };
    let retries = 0;
    let fiveHundredsRetried = false;
    for (;;) {
      const started = Date.now();
      const res = await this.attempt(url, headers);
      if (res.status === 429) {
        this.stats.rateLimited++;
        if (res.headers['retry-after'] === undefined) this.stats.rateLimitedWithoutRetryAfter++;
      }
      const retryable =
        RETRY_ALWAYS.has(res.status) ? retries < this.options.maxRetries : res.status >= 500 && !fiveHundredsRetried;
      if (!retryable) {
        const text = redactText(res.text);
        const parsed = parseJson(text);
        return {
          request,
          status: res.status,
          headers: res.headers,
          text,
          body: parsed.value,
          isJson: parsed.ok,
          retries,
          fromCache: false,
          ms: Date.now() - started,
        };
      }
      if (!RETRY_ALWAYS.has(res.status)) fiveHundredsRetried = true;
      retries++;
      this.stats.retries++;
      this.stats.retriesByStatus[res.status] = (this.stats.retriesByStatus[res.status] ?? 0) + 1;
      await sleep(this.retryDelay(res.headers['retry-after'], retries));
    }
  }

  private retryDelay(retryAfter: string | undefined, attempt: number): number {
    const fromHeader = parseRetryAfter(retryAfter, Date.now());
    const backoff = this.options.backoffMs * 2 ** (attempt - 1);
    // full jitter keeps parallel CI shards from retrying in lockstep
    const wait = fromHeader ?? backoff / 2 + Math.random() * (backoff / 2);
    return Math.min(wait, this.options.maxWaitMs, Math.max(0, this.options.deadline - Date.now()));
  }

  private async attempt(
    url: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; headers: Record<string, string>; text: string }> {
    if (this.options.signal?.aborted) throw new BudgetExhausted('interrupted');
    if (Date.now() >= this.options.deadline) throw new BudgetExhausted('run deadline reached (CONFORMANCE_DEADLINE_S)');
    if (this.stats.sent >= this.options.maxRequests)
      throw new BudgetExhausted(`request budget of ${this.options.maxRequests} used up (CONFORMANCE_MAX_REQUESTS)`);
    await this.waitForSlot();
    this.stats.sent++;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), this.options.timeoutMs);
    try {
      const res = await fetch(url, { method: 'GET', headers, signal: ac.signal, redirect: 'manual' });
      const text = await res.text();
      const h: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        h[k] = v;
      });
      return { status: res.status, headers: redactHeaders(h), text };
    } catch (e) {
      throw toTransportError(e, redactText(url), this.options.timeoutMs);
    } finally {
      clearTimeout(timer);
    }
  }

  private async waitForSlot(): Promise<void> {
    const { rate } = this.options;
    if (!rate) return;
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1000 / rate;
    if (slot > now) await sleep(slot - now);
  }
}

/** `Retry-After` as delta-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function parseJson(text: string): { ok: boolean; value: unknown } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, value: undefined };
  }
}

function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve();
}

function toTransportError(e: unknown, url: string, timeoutMs: number): TransportError {
  if (e instanceof Error && e.name === 'AbortError') return new TransportError(`no answer from ${url} within ${timeoutMs} ms`, 'TIMEOUT');
  const cause = e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
  const code = cause?.code ?? 'UNKNOWN';
  const detail = cause?.message ?? (e instanceof Error ? e.message : String(e));
  return new TransportError(redactText(`${code}: ${detail}`), code);
}
