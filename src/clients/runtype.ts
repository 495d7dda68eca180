/**
 * Typed client for Runtype `GET /v1/prompts`, as a client team would ship it: typed pages,
 * an async iterator that follows `nextCursor`, typed errors. Responses are validated against the JSON Schemas.
 */
import { PaginationError } from './errors';
import { type CallOptions, type ClientOptions, JsonGetter, type Query } from './request';
import { type ListPrompts, type Prompt, validators } from './schemas';

export type { Prompt };

/** Query parameters of `GET /v1/prompts` (docs: "Query parameters"). */
export interface ListPromptsParams {
  flowId?: string;
  /** Max results per page, up to 100. @defaultValue 50 (server side) */
  limit?: number;
  /** Opaque cursor from a previous page's `pagination.nextCursor`. */
  cursor?: string;
  /** Allowed values are not published; passed through as given. */
  direction?: string;
  /** Search by name or text. */
  search?: string;
  /** Filter by model ID. */
  model?: string;
}

/** One page as the API returns it, plus the parameters of the page after it (none on the last page). */
export type PromptsPage = ListPrompts & { next: ListPromptsParams | undefined };

export class RuntypeClient {
  private readonly http: JsonGetter;
  readonly prompts: {
    list: (params?: ListPromptsParams, call?: CallOptions) => Promise<PromptsPage>;
    all: (params?: ListPromptsParams, call?: CallOptions) => AsyncGenerator<Prompt, void, undefined>;
  };

  constructor(options: ClientOptions) {
    this.http = new JsonGetter('runtype', options);
    this.prompts = { list: (p, c) => this.listPrompts(p, c), all: (p, c) => this.allPrompts(p, c) };
  }

  async listPrompts(params: ListPromptsParams = {}, call: CallOptions = {}): Promise<PromptsPage> {
    const answer = await this.http.get('/prompts', toQuery(params), call);
    const body = this.http.expect(answer, '/v1/prompts', validators.runtype[this.http.validation], rtErrorCode);
    return { ...body, next: nextParams(params, body) };
  }

  /** Every prompt matching `params`, following `nextCursor` until `hasMore` is false. */
  async *allPrompts(params: ListPromptsParams = {}, call: CallOptions = {}): AsyncGenerator<Prompt, void, undefined> {
    const seen = new Set<string>();
    let p: ListPromptsParams | undefined = params;
    while (p) {
      const page: PromptsPage = await this.listPrompts(p, call);
      yield* page.data;
      p = page.next;
      if (p?.cursor !== undefined) {
        if (seen.has(p.cursor))
          throw new PaginationError(
            'runtype GET /v1/prompts handed back a nextCursor it had already given; stopping instead of looping',
          );
        seen.add(p.cursor);
      }
    }
  }
}

/**
 * The error body's shape is undocumented, so the code is whatever a common shape carries:
 * `{ code }`, `{ error: { code } }` or `{ error: "<code>" }`. The whole body stays on the error.
 */
function rtErrorCode(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const b = body as Record<string, unknown>;
  if (typeof b.code === 'string') return b.code;
  const e = b.error;
  if (typeof e === 'object' && e !== null && typeof (e as Record<string, unknown>).code === 'string')
    return (e as Record<string, string>).code;
  return typeof e === 'string' ? e : undefined;
}

function toQuery(p: ListPromptsParams): Query {
  return {
    flowId: p.flowId,
    limit: p.limit,
    cursor: p.cursor,
    direction: p.direction,
    search: p.search,
    model: p.model,
  };
}

function nextParams(p: ListPromptsParams, body: ListPrompts): ListPromptsParams | undefined {
  const { hasMore, nextCursor } = body.pagination;
  if (!hasMore) return undefined;
  if (typeof nextCursor !== 'string')
    throw new PaginationError('runtype GET /v1/prompts said hasMore but gave no nextCursor to follow');
  return { ...p, cursor: nextCursor };
}
