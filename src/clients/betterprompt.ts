/**
 * Typed client for BetterPrompt `GET /v1/runs`, as a client team would ship it: typed pages,
 * an async iterator over every page, typed errors. Responses are validated against the JSON Schemas.
 */
import { PaginationError } from './errors';
import { type CallOptions, type ClientOptions, JsonGetter, type Query } from './request';
import { isBpError, type ListRuns, type Run, validators } from './schemas';

export type { Run };
export type RunStatus = Run['runStatus'];

/** Query parameters of `GET /v1/runs` (docs: "Query parameters"). */
export interface ListRunsParams {
  /** 1–50. @defaultValue 10 (server side) */
  limit?: number;
  /** Runs created before this run ID (forward paging). Not together with `endingBefore`. */
  startingAfter?: string;
  /** Runs created after this run ID (backward paging). */
  endingBefore?: string;
  status?: RunStatus;
  /** Created at or after; a Date is sent as whole Unix seconds. */
  since?: number | Date;
  /** Created before; must be greater than `since`. */
  until?: number | Date;
}

/** One page: the response's `data`, plus the parameters of the page after it (none when `hasMore` is false). */
export type RunsPage = ListRuns['data'] & { next: ListRunsParams | undefined };

export class BetterPromptClient {
  private readonly http: JsonGetter;
  readonly runs: {
    list: (params?: ListRunsParams, call?: CallOptions) => Promise<RunsPage>;
    all: (params?: ListRunsParams, call?: CallOptions) => AsyncGenerator<Run, void, undefined>;
  };

  constructor(options: ClientOptions) {
    this.http = new JsonGetter('betterprompt', options);
    this.runs = { list: (p, c) => this.listRuns(p, c), all: (p, c) => this.allRuns(p, c) };
  }

  async listRuns(params: ListRunsParams = {}, call: CallOptions = {}): Promise<RunsPage> {
    const answer = await this.http.get('/runs', toQuery(params), call);
    const body = this.http.expect(answer, '/v1/runs', validators.betterprompt[this.http.validation], bpErrorCode);
    return { ...body.data, next: nextParams(params, body.data) };
  }

  /** Every run matching `params`, page by page, until `hasMore` is false. */
  async *allRuns(params: ListRunsParams = {}, call: CallOptions = {}): AsyncGenerator<Run, void, undefined> {
    const seen = new Set<string>();
    let p: ListRunsParams | undefined = params;
    while (p) {
      const page: RunsPage = await this.listRuns(p, call);
      yield* page.rows;
      p = page.next;
      const cursor = p?.startingAfter ?? p?.endingBefore;
      if (cursor !== undefined) {
        if (seen.has(cursor))
          throw new PaginationError(
            `betterprompt GET /v1/runs returned run ${cursor} as the page edge twice; stopping instead of looping`,
          );
        seen.add(cursor);
      }
    }
  }
}

/** The envelope's `status` (e.g. VALIDATION_ERROR) when the body is the documented error envelope. */
function bpErrorCode(body: unknown): string | undefined {
  return isBpError(body) ? body.status : undefined;
}

function toQuery(p: ListRunsParams): Query {
  return {
    limit: p.limit,
    startingAfter: p.startingAfter,
    endingBefore: p.endingBefore,
    status: p.status,
    since: unixSeconds(p.since),
    until: unixSeconds(p.until),
  };
}

function unixSeconds(t: number | Date | undefined): number | undefined {
  return t instanceof Date ? Math.floor(t.getTime() / 1000) : t;
}

/** docs: no next-cursor field; forward paging uses the last row's runId, backward the first row's. */
function nextParams(p: ListRunsParams, data: ListRuns['data']): ListRunsParams | undefined {
  if (!data.hasMore) return undefined;
  const { startingAfter: _a, endingBefore: _b, ...rest } = p;
  const backward = p.endingBefore !== undefined && p.startingAfter === undefined;
  const edge = backward ? data.rows[0] : data.rows.at(-1);
  if (!edge)
    throw new PaginationError(
      'betterprompt GET /v1/runs said hasMore with an empty page, so there is no run ID to page on from',
    );
  return backward ? { ...rest, endingBefore: edge.runId } : { ...rest, startingAfter: edge.runId };
}
