/**
 * Minimal JSON HTTP server for the embedded reference providers: 127.0.0.1, port 0,
 * plus transport-level chaos (429/503 storms, slow answers, header echo) for the self-tests.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProviderRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
}

export interface ProviderResponse {
  status: number;
  /** Serialised as JSON unless `raw` is given. */
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
}

export type Handler = (req: ProviderRequest) => ProviderResponse;

/** Transport faults, applied before the handler. Counters are per server. */
export interface Chaos {
  /** Every n-th request answers 429 with `Retry-After` (see {@link Chaos.retryAfter}). */
  every429?: number;
  /** The chaos 429's `Retry-After` value (seconds or an HTTP date); `null` sends none. @defaultValue '0' */
  retryAfter?: string | null;
  /** Every n-th request answers 503 (no Retry-After). */
  every503?: number;
  /** Every request is delayed this long before answering. */
  delayMs?: number;
  /** Error bodies echo the request headers back (a leak the suite must redact). */
  echoHeaders?: boolean;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Requests received, chaos answers included. */
  readonly requests: number;
  /** Time spent inside the provider's handler, in ms (no HTTP, no JSON serialisation): what `npm run bench` compares across data sizes. */
  readonly handlerMs?: number;
  close(): Promise<void>;
}

export async function startJsonServer(untimed: Handler, chaos: Chaos = {}): Promise<RunningServer> {
  let count = 0;
  let handlerMs = 0;
  const handler: Handler = (req) => {
    const t = performance.now();
    try {
      return untimed(req);
    } finally {
      handlerMs += performance.now() - t;
    }
  };
  const server = createServer((req, res) => {
    count++;
    const n = count;
    const respond = () => answer(req, res, n, handler, chaos);
    if (chaos.delayMs) setTimeout(respond, chaos.delayMs);
    else respond();
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return count;
    },
    get handlerMs() {
      return handlerMs;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(req: IncomingMessage, res: ServerResponse, n: number, handler: Handler, chaos: Chaos): void {
  if (chaos.every429 && n % chaos.every429 === 0) {
    const retryAfter = chaos.retryAfter === undefined ? '0' : chaos.retryAfter;
    send(res, {
      status: 429,
      ...(retryAfter === null ? {} : { headers: { 'Retry-After': retryAfter } }),
      body: { status: 'TOO_MANY_REQUESTS_ERROR', message: 'slow down' },
    });
    return;
  }
  if (chaos.every503 && n % chaos.every503 === 0) {
    send(res, { status: 503, body: { status: 'SERVER_ERROR', message: 'try again' } });
    return;
  }
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  let out: ProviderResponse;
  try {
    out = handler({ method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, headers: req.headers });
  } catch (e) {
    out = { status: 500, body: { status: 'SERVER_ERROR', message: e instanceof Error ? e.message : String(e) } };
  }
  if (chaos.echoHeaders && out.status >= 400 && typeof out.body === 'object' && out.body !== null) {
    out = { ...out, body: { ...out.body, echo: req.headers } };
  }
  send(res, out);
}

function send(res: ServerResponse, out: ProviderResponse): void {
  const text = out.raw ?? JSON.stringify(out.body ?? null);
  res.writeHead(out.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...out.headers,
  });
  res.end(text);
}

/** `Bearer <key>` check shared by the providers. */
export function bearerToken(headers: IncomingMessage['headers']): string | undefined {
  const h = headers.authorization;
  const m = typeof h === 'string' ? /^Bearer\s+(.+)$/i.exec(h.trim()) : null;
  return m?.[1];
}

/** Deterministic PRNG (mulberry32) so seeded data is the same on every machine. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A v4-shaped UUID from a PRNG. */
export function uuidFrom(rand: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(rand() * 16).toString(16));
  hex[12] = '4';
  hex[16] = '89ab'[Math.floor(rand() * 4)] ?? '8';
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}

/** Reorders neighbours sharing a createdAt at random on every call: the fault of an unstable sort. */
export function shuffleTies<T extends { createdAt: unknown }>(rows: readonly T[]): T[] {
  const out = [...rows];
  for (let i = 0; i + 1 < out.length; i++) {
    const a = out[i] as T;
    const b = out[i + 1] as T;
    if (a.createdAt === b.createdAt && Math.random() < 0.5) {
      out[i] = b;
      out[i + 1] = a;
    }
  }
  return out;
}
