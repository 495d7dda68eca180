/**
 * The one HTTP client every check goes through: read-only unless writes are allowed, budgeted,
 * rate-limited, deadline-bound, retrying politely, caching identical GETs, and redacting secrets
 * before anything leaves it.
 */
import { BudgetExhausted, TransportError, WriteRefused } from './errors';
import { curlLine, redactHeaders, redactText, registerSecret } from './redact';

/**
 * What the Authorization header carries: the key (`key`), the second account's key (`second`), none, a random
 * wrong key, a near miss of the key (same length and prefix, last character changed; or, `near-case`, its last
 * letter's case flipped), `Bearer` with an empty
 * token, the key without the `Bearer ` scheme (`raw`), or a wrong key without it (`raw-wrong`).
 */
export type AuthMode = 'key' | 'second' | 'none' | 'wrong' | 'near' | 'near-case' | 'empty' | 'raw' | 'raw-wrong';
export type Query = Record<string, string | number | undefined>;
export type Method = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Methods that change nothing on the target: the only ones sent unless writes are allowed. */
export const READ_ONLY_METHODS: ReadonlySet<Method> = new Set(['GET', 'HEAD']);

export interface HttpOptions {
  /** API root, e.g. `http://127.0.0.1:4010/v1` (see {@link apiRoot}). */
  root: string;
  apiKey: string;
  /** A second account's key, for the tenant-isolation rules; they are skipped without it. */
  apiKey2?: string | undefined;
  /** Requests this client may send, retries included. @defaultValue 800 */
  maxRequests: number;
  /** Requests per second; `undefined` for no limit (embedded providers). */
  rate: number | undefined;
  /** @defaultValue 10000 */
  timeoutMs: number;
  /** Epoch ms after which no request starts (one in flight is cut off). */
  deadline: number;
  /** Retries for 429/503 (other 5xx get one, and only for GET/HEAD). @defaultValue 4 */
  maxRetries: number;
  /** First backoff step when no Retry-After is given. @defaultValue 200 */
  backoffMs: number;
  /** Longest single wait we accept from Retry-After or backoff; a longer Retry-After stops the run. @defaultValue 30000 */
  maxWaitMs: number;
  /** Aborted on Ctrl-C: no new request starts, the one in flight is cut off, the report of what finished is still written. */
  signal?: AbortSignal | undefined;
  /**
   * Methods other than GET/HEAD may be sent. Off for a configured target unless `CONFORMANCE_ALLOW_WRITES=true`,
   * never on with `CONFORMANCE_ENV=production` (see config). @defaultValue false
   */
  allowWrites?: boolean | undefined;
}

export interface SentRequest {
  method: Method;
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

export interface RequestOptions {
  query?: Query;
  auth?: AuthMode;
  /** Send even if an identical request was answered this run (the determinism rule needs a real second request). */
  fresh?: boolean;
  /** JSON body; only with a write method, which needs `allowWrites`. */
  body?: unknown;
}

const RETRY_ALWAYS = new Set([429, 503]);
/** setTimeout fires at once beyond this (2^31 - 1 ms), so longer waits are clamped. */
const MAX_TIMER_MS = 2_147_483_647;
export const DEADLINE_REASON = 'run deadline reached (CONFORMANCE_DEADLINE_S)';
export const INTERRUPTED_REASON = 'interrupted (SIGINT)';
export const TERMINATED_REASON = 'terminated (SIGTERM)';

/**
 * Why an aborted run stopped, naming the signal the abort carries (`interrupts` in main.ts aborts with it), so no
 * caller rewrites the text; an abort without one (a test's, a caller's own) reads as an interrupt.
 */
export function interruptedReason(signal: AbortSignal | undefined): string {
  return signal?.reason === 'SIGTERM' ? TERMINATED_REASON : INTERRUPTED_REASON;
}

/** Normalises a configured base URL to the `/v1` root; the docs give the base with `/v1`, users often omit it. */
export function apiRoot(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  return trimmed.endsWith('/v1') ? trimmed : `${trimmed}/v1`;
}

/** The query as sent on the wire: unset parameters left out, values URL-encoded. */
export function queryString(query: Query = {}): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.append(k, String(v));
  return qs.toString();
}

export function buildUrl(root: string, path: string, query: Query = {}): string {
  const s = queryString(query);
  return `${root}${path}${s ? `?${s}` : ''}`;
}

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  text: string;
}

export class HttpClient {
  readonly stats: HttpStats = {
    sent: 0,
    cacheHits: 0,
    retries: 0,
    retriesByStatus: {},
    rateLimited: 0,
    rateLimitedWithoutRetryAfter: 0,
  };
  private readonly cache = new Map<string, Promise<Exchange>>();
  private nextSlot = 0;
  private readonly wrongKey = `conformance-invalid-${Math.random().toString(36).slice(2, 12)}`;
  private readonly nearKey: string;
  private readonly nearCaseKey: string;

  constructor(readonly options: HttpOptions) {
    registerSecret(options.apiKey);
    registerSecret(options.apiKey2);
    this.nearKey = nearMiss(options.apiKey, [options.apiKey2]);
    this.nearCaseKey = nearCase(options.apiKey, [options.apiKey2]);
    // all but one character of the real key: as secret as the key itself
    registerSecret(this.nearKey);
    registerSecret(this.nearCaseKey);
  }

  /** Set when an embedded provider refused the second key: it serves one account, so isolation is not checked. */
  secondKeyRefused = false;

  /** A second account's key is configured and usable (the isolation rules run). */
  get hasSecondKey(): boolean {
    return this.options.apiKey2 !== undefined && !this.secondKeyRefused;
  }

  get remaining(): number {
    return this.options.maxRequests - this.stats.sent;
  }

  /** GET `path` under the API root; identical GETs within a run are served from the cache unless `fresh`. */
  get(path: string, query: Query = {}, opts: { auth?: AuthMode; fresh?: boolean } = {}): Promise<Exchange> {
    return this.request('GET', path, { ...opts, query });
  }

  /**
   * Sends `method` to `path` under the API root. Anything but GET/HEAD is refused with {@link WriteRefused}
   * (before a byte is sent) unless the run allows writes; only GET/HEAD are cached.
   */
  request(method: Method, path: string, opts: RequestOptions = {}): Promise<Exchange> {
    const readOnly = READ_ONLY_METHODS.has(method);
    if (!readOnly && !this.options.allowWrites)
      return Promise.reject(
        new WriteRefused(
          `refused to send ${method} ${path}: this run is read-only; set CONFORMANCE_ALLOW_WRITES=true (never with CONFORMANCE_ENV=production) to allow writes`,
        ),
      );
    if (!readOnly)
      return this.send(method, buildUrl(this.options.root, path, opts.query), opts.auth ?? 'key', opts.body);
    const auth = opts.auth ?? 'key';
    const url = buildUrl(this.options.root, path, opts.query);
    const key = `${method} ${auth} ${url}`;
    if (!opts.fresh) {
      const hit = this.cache.get(key);
      if (hit) {
        this.stats.cacheHits++;
        return hit.then((e) => ({ ...e, fromCache: true }));
      }
    }
    const p = this.send(method, url, auth, undefined);
    // transport failures are not cached: a later rule may legitimately retry
    p.catch(() => this.cache.delete(key));
    this.cache.set(key, p);
    return p;
  }

  private headersFor(auth: AuthMode, hasBody: boolean): Record<string, string> {
    const h: Record<string, string> = { Accept: 'application/json' };
    if (hasBody) h['Content-Type'] = 'application/json';
    const value = this.authorization(auth);
    if (value !== undefined) h.Authorization = value;
    return h;
  }

  private authorization(auth: AuthMode): string | undefined {
    switch (auth) {
      case 'key':
        return `Bearer ${this.options.apiKey}`;
      case 'second':
        if (!this.hasSecondKey) throw new Error('no second key configured; check http.hasSecondKey first');
        return `Bearer ${this.options.apiKey2}`;
      case 'none':
        return undefined;
      case 'wrong':
        return `Bearer ${this.wrongKey}`;
      case 'near':
        return `Bearer ${this.nearKey}`;
      case 'near-case':
        return `Bearer ${this.nearCaseKey}`;
      case 'empty':
        return 'Bearer ';
      case 'raw':
        return this.options.apiKey;
      case 'raw-wrong':
        return this.wrongKey;
    }
  }

  private async send(method: Method, url: string, auth: AuthMode, body: unknown): Promise<Exchange> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers = this.headersFor(auth, payload !== undefined);
    const request: SentRequest = {
      method,
      url: redactText(url),
      headers: tagKey(redactHeaders(headers), auth),
      curl: tagKey(curlLine(url, headers, { method, ...(payload !== undefined ? { body: payload } : {}) }), auth),
      auth,
    };
    let retries = 0;
    let fiveHundredsRetried = false;
    for (;;) {
      const started = Date.now();
      const res = await this.attempt(method, url, headers, payload);
      const retryAfter = res.headers['retry-after'];
      if (res.status === 429) {
        this.stats.rateLimited++;
        // an empty or unreadable Retry-After tells the client nothing: it counts as missing
        if (parseRetryAfter(retryAfter, Date.now()) === undefined) this.stats.rateLimitedWithoutRetryAfter++;
      }
      if (!this.shouldRetry(method, res.status, retries, fiveHundredsRetried)) {
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
      // decided before counting: a Retry-After we will not honour stops the run without a retry
      const delay = this.retryDelay(retryAfter, retries + 1);
      if (!RETRY_ALWAYS.has(res.status)) fiveHundredsRetried = true;
      retries++;
      this.stats.retries++;
      this.stats.retriesByStatus[res.status] = (this.stats.retriesByStatus[res.status] ?? 0) + 1;
      await this.sleep(delay);
    }
  }

  /** 429/503 mean "not processed", so any method may retry them; another 5xx is retried once, and only when idempotent. */
  private shouldRetry(method: Method, status: number, retries: number, fiveHundredsRetried: boolean): boolean {
    if (RETRY_ALWAYS.has(status)) return retries < this.options.maxRetries;
    return status >= 500 && READ_ONLY_METHODS.has(method) && !fiveHundredsRetried;
  }

  private retryDelay(retryAfter: string | undefined, attempt: number): number {
    const now = Date.now();
    const fromHeader = parseRetryAfter(retryAfter, now);
    // retrying before the target asked is rude, and waiting longer than we allow stalls the run: stop instead
    if (fromHeader !== undefined && fromHeader > this.options.maxWaitMs)
      throw new BudgetExhausted(
        `the target asked to wait ${Math.ceil(fromHeader / 1000)} s (Retry-After), more than the ${Math.ceil(this.options.maxWaitMs / 1000)} s we wait; run again later`,
      );
    if (fromHeader !== undefined && now + fromHeader >= this.options.deadline)
      throw new BudgetExhausted(DEADLINE_REASON);
    const backoff = this.options.backoffMs * 2 ** (attempt - 1);
    // jitter keeps parallel CI shards from retrying in lockstep
    const wait = fromHeader ?? backoff / 2 + Math.random() * (backoff / 2);
    return Math.min(wait, this.options.maxWaitMs);
  }

  /** Throws {@link BudgetExhausted} when no request may start: interrupted, past the deadline, or out of budget. */
  private assertMayStart(): void {
    if (this.options.signal?.aborted) throw new BudgetExhausted(interruptedReason(this.options.signal));
    if (Date.now() >= this.options.deadline) throw new BudgetExhausted(DEADLINE_REASON);
    if (this.stats.sent >= this.options.maxRequests)
      throw new BudgetExhausted(`request budget of ${this.options.maxRequests} used up (CONFORMANCE_MAX_REQUESTS)`);
  }

  private async attempt(
    method: Method,
    url: string,
    headers: Record<string, string>,
    payload: string | undefined,
  ): Promise<RawAnswer> {
    this.assertMayStart();
    await this.waitForSlot();
    // the wait may have crossed the deadline or an interrupt
    this.assertMayStart();
    this.stats.sent++;
    const ac = new AbortController();
    let why: 'timeout' | 'deadline' | 'interrupted' | undefined;
    const stop = (reason: NonNullable<typeof why>) => {
      why ??= reason;
      ac.abort();
    };
    const timer = setTimeout(() => stop('timeout'), Math.min(this.options.timeoutMs, MAX_TIMER_MS));
    const deadlineTimer = setTimeout(
      () => stop('deadline'),
      Math.min(Math.max(0, this.options.deadline - Date.now()), MAX_TIMER_MS),
    );
    const onInterrupt = () => stop('interrupted');
    this.options.signal?.addEventListener('abort', onInterrupt, { once: true });
    try {
      const res = await fetch(url, {
        method,
        headers,
        signal: ac.signal,
        redirect: 'manual',
        ...(payload !== undefined ? { body: payload } : {}),
      });
      const text = await res.text();
      const h: Record<string, string> = {};
      res.headers.forEach((v, k) => {
        h[k] = v;
      });
      return { status: res.status, headers: redactHeaders(h), text };
    } catch (e) {
      if (why === 'deadline') throw new BudgetExhausted(DEADLINE_REASON);
      if (why === 'interrupted') throw new BudgetExhausted(interruptedReason(this.options.signal));
      throw toTransportError(e, redactText(url), this.options.timeoutMs, why === 'timeout');
    } finally {
      clearTimeout(timer);
      clearTimeout(deadlineTimer);
      this.options.signal?.removeEventListener('abort', onInterrupt);
    }
  }

  private async waitForSlot(): Promise<void> {
    const { rate } = this.options;
    if (!rate) return;
    const now = Date.now();
    const slot = Math.max(now, this.nextSlot);
    this.nextSlot = slot + 1000 / rate;
    if (slot > now) await this.sleep(slot - now);
  }

  /** Waits `ms`, but wakes early at the deadline or on interrupt (the caller then re-checks). */
  private sleep(ms: number): Promise<void> {
    const wait = Math.min(ms, Math.max(0, this.options.deadline - Date.now()), MAX_TIMER_MS);
    if (wait <= 0) return Promise.resolve();
    const { signal } = this.options;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, wait);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

/** Which key a redacted Authorization held, when it was not the first one: a replay must know. */
const KEY_TAG: Partial<Record<AuthMode, string>> = {
  second: 'second key',
  near: 'near-miss key',
  'near-case': 'case-flipped key',
};

function tagKey<T extends string | Record<string, string>>(redacted: T, auth: AuthMode): T {
  const tag = KEY_TAG[auth];
  if (!tag) return redacted;
  const mark = (s: string) => s.replace('Bearer [redacted]', `Bearer [redacted ${tag}]`);
  if (typeof redacted === 'string') return mark(redacted) as T;
  return Object.fromEntries(
    Object.entries(redacted).map(([k, v]) => [k, k.toLowerCase() === 'authorization' ? mark(v) : v]),
  ) as T;
}

/**
 * The key with its last character changed to another of the same kind: same length, same prefix, still wrong.
 * Never one of `avoid` (the other account's key may be exactly one character off: "key-a" and "key-b").
 */
export function nearMiss(key: string, avoid: readonly (string | undefined)[] = []): string {
  const last = key.at(-1) ?? '';
  const range = /\d/.test(last) ? '09' : /[a-z]/.test(last) ? 'az' : /[A-Z]/.test(last) ? 'AZ' : undefined;
  const from = range?.charCodeAt(0) ?? 0;
  const size = range ? (range.charCodeAt(1) ?? 0) - from + 1 : 0;
  const candidates = range
    ? Array.from({ length: size - 1 }, (_, k) =>
        String.fromCharCode(from + ((last.charCodeAt(0) - from + 1 + k) % size)),
      )
    : last === 'x'
      ? ['y', 'z']
      : ['x', 'y'];
  const pick = candidates.map((c) => `${key.slice(0, -1)}${c}`).find((k) => k !== key && !avoid.includes(k));
  return pick ?? `${key.slice(0, -1)}${last === '~' ? '!' : '~'}`;
}

/** The key with its last letter's case flipped (a near miss when there is no letter): caught by case-insensitive lookups. */
export function nearCase(key: string, avoid: readonly (string | undefined)[] = []): string {
  const i = key.search(/[A-Za-z][^A-Za-z]*$/);
  if (i < 0) return nearMiss(key, avoid);
  const c = key[i] as string;
  const flipped = `${key.slice(0, i)}${c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()}${key.slice(i + 1)}`;
  return avoid.includes(flipped) ? nearMiss(key, avoid) : flipped;
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

function toTransportError(e: unknown, url: string, timeoutMs: number, timedOut: boolean): TransportError {
  if (timedOut) return new TransportError(`no answer from ${url} within ${timeoutMs} ms`, 'TIMEOUT');
  const cause = e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
  const code = cause?.code ?? 'UNKNOWN';
  const detail = cause?.message ?? (e instanceof Error ? e.message : String(e));
  // OpenSSL details span lines; a report line must not
  return new TransportError(redactText(`${code}: ${detail}`).replace(/\s+/g, ' ').trim(), code);
}
