/** The typed clients a client team ships: one per API, typed pages, async iterators, typed errors. */
export { BetterPromptClient, type ListRunsParams, type Run, type RunStatus, type RunsPage } from './betterprompt';
export { ApiError, type ClientApi, PaginationError, ResponseShapeError } from './errors';
export type { ClientOptions } from './request';
export { type ListPromptsParams, type Prompt, type PromptsPage, RuntypeClient } from './runtype';
