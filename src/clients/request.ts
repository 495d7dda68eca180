/**
 * The one GET the typed clients share: JSON in, `unknown` out, the key only ever in the Authorization header.
 * 429 and 503 are retried honouring `Retry-After`; each attempt has a timeout; an `AbortSignal` stops it all.
 * Self-contained: nothing here imports the conformance suite.
 */
import { ApiError, type ClientApi, NetworkError, ResponseShapeError, TimeoutError } from './errors';
import { problemsOf } from './schemas';

export interface ClientOptions {
  /** API base URL, with or without the `/v1` suffix (e.g. `https://api.betterprompt.me/v1`). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`; an empty key sends no Authorization header. */
  apiKey: string;
  /** @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
  /** Per attempt, in ms. @defaultValue 30000 */
  timeoutMs?: number;
  /** Retries of a 429 or 503 (then the ApiError is thrown, with `retryAfterMs`). @defaultValue 2 */
  retries?: number;
  /** The longest `Retry-After` the client waits; a longer one is thrown at once. @defaultValue 30000 */
  maxRetryWaitMs?: number;
  /** Cancels every request of this client (a call's own `signal` is honoured too). */
  signal?: AbortSignal;
  /** What a 200 body is checked against; see {@link Validation}. @defaultValue 'full' */
  validate?: 'full' | 'paging';
}

/** Per call. */
export interface CallOptions {
  signal?: AbortSignal;
}

export type Query = Record<string, string | number | undefined>;

export interface JsonAnswer {
  status: number;
  body: unknown;
}

/** A validator as ajv compiles it: a type guard that leaves its complaints on `errors`. */
export interface Guard<T> {
  (data: unknown): data is T;
  errors?: readonly { instancePath: string; message?: string | undefined }[] | null | undefined;
}

const RETRIED = new Set([429, 503]);

export class JsonGetter {
  private readonly root: string;
  private readonly fetchFn: typeof fetch;

  constructor(
    readonly api: ClientApi,
    private readonly options: ClientOptions,
  ) {
    const trimmed = options.baseUrl.replace(/\/+$/, '');
    this.root = trimmed.endsWith('/v1') ? trimmed : `${trimmed}/v1`;
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  /** Which validation the client was built with. */
  get validation(): 'full' | 'paging' {
    return this.options.validate ?? 'full';
  }

  async get(path: string, query: Query, call: CallOptions = {}): Promise<JsonAnswer> {
    const retries = this.options.retries ?? 2;
    for (let attempt = 0; ; attempt++) {
      const answer = await this.once(path, query, call);
      if (!RETRIED.has(answer.status) || attempt >= retries) return answer;
      const wait = answer.retryAfterMs ?? 500 * 2 ** attempt;
      if (wait > (this.options.maxRetryWaitMs ?? 30_000)) return answer;
      await sleep(wait, signals(this.options.signal, call.signal));
    }
  }

  private async once(path: string, query: Query, call: CallOptions): Promise<JsonAnswer & { retryAfterMs?: number }> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.options.apiKey) headers.Authorization = `Bearer ${this.options.apiKey}`;
    const url = buildUrl(this.root, path, query);
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const outer = signals(this.options.signal, call.signal);
    const signal = outer ? AbortSignal.any([outer, timeout]) : timeout;
    try {
      const res = await this.fetchFn(url, { method: 'GET', headers, signal });
      const text = await res.text();
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'));
      return { status: res.status, body: parseJson(text), ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
    } catch (e) {
      // the caller's cancellation is theirs: rethrow its reason, as fetch would
      if (outer?.aborted) throw outer.reason;
      if (timeout.aborted)
        throw new TimeoutError(
          this.api,
          timeoutMs,
          `${this.api} GET /v1${path} got no answer within ${timeoutMs} ms; raise timeoutMs or check the server`,
        );
      const code = causeCode(e);
      throw new NetworkError(
        this.api,
        code,
        this.redact(
          `${this.api} GET /v1${path} failed before an answer${code ? ` (${code})` : ''}; check the base URL and the network`,
        ),
        { cause: e },
      );
    }
  }

  /** The body as `T` when the status is 2xx and it validates; otherwise the typed error. */
  expect<T>(
    answer: JsonAnswer & { retryAfterMs?: number },
    path: string,
    isT: Guard<T>,
    errorCode: (body: unknown) => string | undefined,
  ): T {
    const { status, body } = answer;
    if (status < 200 || status > 299) {
      const code = errorCode(body);
      const detail = messageOf(body);
      throw new ApiError(
        this.api,
        status,
        code,
        body,
        this.redact(
          `${this.api} GET ${path} answered ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`,
        ),
        answer.retryAfterMs,
      );
    }
    if (!isT(body)) {
      const problems = problemsOf(isT.errors);
      throw new ResponseShapeError(
        this.api,
        status,
        problems,
        `${this.api} GET ${path} answered ${status} with a body that does not match the documented schema: ${problems}`,
      );
    }
    return body;
  }

  /** A server that echoes the key in an error message must not put it into ours. */
  private redact(text: string): string {
    const key = this.options.apiKey;
    return key.length >= 4 ? text.split(key).join('[redacted]') : text;
  }
}

function buildUrl(root: string, path: string, query: Query): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.append(k, String(v));
  const s = qs.toString();
  return `${root}${path}${s ? `?${s}` : ''}`;
}

function signals(a: AbortSignal | undefined, b: AbortSignal | undefined): AbortSignal | undefined {
  return a && b ? AbortSignal.any([a, b]) : (a ?? b);
}

/** `Retry-After` as ms: delta-seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(v: string | null, now = Date.now()): number | undefined {
  if (v === null || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : Math.max(0, t - now);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((done, fail) => {
    if (signal?.aborted) return fail(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      done();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      fail(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function causeCode(e: unknown): string | undefined {
  const cause = (e as { cause?: { code?: unknown } }).cause;
  const code = cause?.code ?? (e as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function messageOf(body: unknown): string | undefined {
  if (typeof body === 'string') return body.slice(0, 200);
  if (typeof body !== 'object' || body === null) return undefined;
  const m = (body as Record<string, unknown>).message ?? (body as Record<string, unknown>).error;
  return typeof m === 'string' ? m.slice(0, 200) : undefined;
}
