/** The one GET the typed clients share: JSON in, `unknown` out, the key only ever in the Authorization header. */
import { schemaErrors } from '../shared/ajv';
import { apiRoot, buildUrl, type Query } from '../shared/http';
import { redactText, registerSecret } from '../shared/redact';
import { ApiError, type ClientApi, ResponseShapeError } from './errors';

export interface ClientOptions {
  /** API base URL, with or without the `/v1` suffix (e.g. `https://api.betterprompt.me/v1`). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer <key>`; an empty key sends no Authorization header. */
  apiKey: string;
  /** @defaultValue globalThis.fetch */
  fetch?: typeof fetch;
}

export interface JsonAnswer {
  status: number;
  body: unknown;
}

/** A validator as ajv compiles it: a type guard that leaves its complaints on `errors`. */
export interface Guard<T> {
  (data: unknown): data is T;
  errors?: readonly { instancePath: string; message?: string | undefined }[] | null | undefined;
}

export class JsonGetter {
  private readonly root: string;
  private readonly fetchFn: typeof fetch;

  constructor(
    readonly api: ClientApi,
    private readonly options: ClientOptions,
  ) {
    this.root = apiRoot(options.baseUrl);
    this.fetchFn = options.fetch ?? globalThis.fetch;
    // a server that echoes the key in an error message must not put it into ours
    registerSecret(options.apiKey);
  }

  async get(path: string, query: Query): Promise<JsonAnswer> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.options.apiKey) headers.Authorization = `Bearer ${this.options.apiKey}`;
    const res = await this.fetchFn(buildUrl(this.root, path, query), { method: 'GET', headers });
    const text = await res.text();
    return { status: res.status, body: parseJson(text) };
  }

  /** The body as `T` when the status is 2xx and it validates; otherwise the typed error. */
  expect<T>(answer: JsonAnswer, path: string, isT: Guard<T>, errorCode: (body: unknown) => string | undefined): T {
    const { status, body } = answer;
    if (status < 200 || status > 299) {
      const code = errorCode(body);
      const detail = messageOf(body);
      throw new ApiError(this.api, status, code, body, redactText(`${this.api} GET ${path} answered ${status}${code ? ` ${code}` : ''}${detail ? `: ${detail}` : ''}`));
    }
    if (!isT(body)) {
      const problems = schemaErrors(isT.errors);
      throw new ResponseShapeError(this.api, status, problems, `${this.api} GET ${path} answered ${status} with a body that does not match the documented schema: ${problems}`);
    }
    return body;
  }
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
