/** Errors the typed clients throw: each carries what a caller branches on, never the API key. */

export type ClientApi = 'betterprompt' | 'runtype';

/** The API answered with an error status. `code` is the API's own error code when the body carries one. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly api: ClientApi,
    readonly status: number,
    /** e.g. `VALIDATION_ERROR` (BetterPrompt envelope `status`); `undefined` when the body names none. */
    readonly code: string | undefined,
    /** The parsed body, as received (Runtype's error shape is undocumented, so it is carried, not typed). */
    readonly body: unknown,
    message: string,
    /** From `Retry-After` on a 429 or 503 the client stopped retrying (ms); `undefined` without one. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** No answer at all: refused, reset, DNS, TLS. `code` is the system's (e.g. `ECONNREFUSED`) when known. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  constructor(
    readonly api: ClientApi,
    readonly code: string | undefined,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** No answer within `timeoutMs`. */
export class TimeoutError extends Error {
  override readonly name = 'TimeoutError';
  constructor(
    readonly api: ClientApi,
    readonly timeoutMs: number,
    message: string,
  ) {
    super(message);
  }
}

/** A success response that does not match the documented schema: the client will not hand it on as typed data. */
export class ResponseShapeError extends Error {
  override readonly name = 'ResponseShapeError';
  constructor(
    readonly api: ClientApi,
    readonly status: number,
    /** ajv's complaints, one line. */
    readonly problems: string,
    message: string,
  ) {
    super(message);
  }
}

/** The server handed back a cursor it had already given: following it would loop forever. */
export class PaginationError extends Error {
  override readonly name = 'PaginationError';
}
