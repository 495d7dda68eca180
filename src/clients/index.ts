/**
 * The typed clients a client team ships: one per API, typed pages, async iterators, typed errors, retries of
 * 429/503 honouring Retry-After, timeouts and AbortSignal. Self-contained (package export `./clients`): it
 * imports the published schemas and npm packages, never the conformance suite.
 */
export { BetterPromptClient, type ListRunsParams, type Run, type RunStatus, type RunsPage } from './betterprompt';
export { ApiError, type ClientApi, NetworkError, PaginationError, ResponseShapeError, TimeoutError } from './errors';
export type { CallOptions, ClientOptions } from './request';
export { type ListPromptsParams, type Prompt, type PromptsPage, RuntypeClient } from './runtype';
export type { Closed, Validation } from './schemas';
