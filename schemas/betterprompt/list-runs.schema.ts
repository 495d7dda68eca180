/**
 * BetterPrompt `GET /v1/runs`, from the endpoint page (Response, Error responses) and the
 * vendor's error-handling guide. Extra properties are allowed: the docs list fields, they do not close the object.
 */
export const runStatusValues = ['queued', 'running', 'succeeded', 'failed'] as const;

export const runSchema = {
  $id: 'https://conformance.local/betterprompt/run.json',
  type: 'object',
  required: ['runId', 'promptVersionId', 'outputs', 'runStatus', 'credits', 'runName', 'createdAt'],
  properties: {
    // inferred: the 422 example ("invalid UUID") for cursors that are run IDs
    runId: { type: 'string', format: 'uuid' },
    promptVersionId: { type: 'string' },
    outputs: {
      type: 'array',
      // the "Output item types" section is not published: only the example's `type` is required
      items: { type: 'object', required: ['type'], properties: { type: { type: 'string' } } },
    },
    runStatus: { type: 'string', enum: runStatusValues },
    credits: { type: ['integer', 'null'] },
    runName: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

export const listRunsSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://conformance.local/betterprompt/list-runs.json',
  title: 'BetterPrompt GET /v1/runs 200 body',
  type: 'object',
  required: ['status', 'data'],
  properties: {
    status: { const: 'SUCCESS' },
    data: {
      type: 'object',
      required: ['rows', 'hasMore'],
      properties: {
        rows: { type: 'array', items: runSchema },
        hasMore: { type: 'boolean' },
      },
    },
  },
} as const;

/** Error codes by HTTP status (vendor guide "Error handling"). */
export const errorCodeByStatus = {
  400: 'BAD_REQUEST_ERROR',
  401: 'UNAUTHORIZED_ERROR',
  402: 'PAYMENT_REQUIRED_ERROR',
  404: 'NOT_FOUND_ERROR',
  410: 'GONE_ERROR',
  422: 'VALIDATION_ERROR',
  429: 'TOO_MANY_REQUESTS_ERROR',
  500: 'SERVER_ERROR',
  504: 'GATEWAY_TIMEOUT_ERROR',
} as const;

export const errorSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://conformance.local/betterprompt/error.json',
  title: 'BetterPrompt error envelope',
  type: 'object',
  required: ['status', 'message'],
  properties: {
    status: { type: 'string', enum: Object.values(errorCodeByStatus) },
    message: { type: 'string' },
    data: {},
  },
} as const;

/** The endpoint page's example response, verbatim in structure; it must validate. */
export const docExample = {
  status: 'SUCCESS',
  data: {
    rows: [
      {
        runId: '01234567-89ab-cdef-0123-456789abcdef',
        promptVersionId: 'a1b2c3d4-5678-90ab-cdef-1234567890ab',
        outputs: [{ type: 'text', data: 'Generated blog post content…' }],
        runStatus: 'succeeded',
        credits: 150,
        runName: 'Blog post writer',
        createdAt: '2025-11-03T10:15:30.000Z',
      },
    ],
    hasMore: false,
  },
} as const;
