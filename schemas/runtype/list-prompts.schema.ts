/**
 * Runtype `GET /v1/prompts`, from the endpoint page (Response, its example, Query parameters).
 * Extra properties are allowed: the docs show fields, they do not close the objects.
 *
 * Which prompt fields are required is not stated (gap RT-GAP-PROMPT-FIELDS): only fields every
 * prompt must have for the endpoint to make sense are required (an id; the name and text that
 * `search` looks in, text possibly null; the timestamps). The rest of the example's fields are
 * optional and may be null, but when present and non-null they must have the example's types.
 */

/** A decimal string such as "0.0025": the example's `estimatedCost`. */
export const DECIMAL_STRING = '^\\d+(\\.\\d+)?$';

/** Every field the doc's example prompt shows, in the example's order. */
export const examplePromptFields = [
  'createdAt',
  'estimatedCost',
  'estimatedTokens',
  'id',
  'model',
  'name',
  'responseFormat',
  'text',
  'updatedAt',
  'order',
  'systemPrompt',
  'userId',
  'userPrompt',
] as const;

export const promptSchema = {
  $id: 'https://conformance.local/runtype/prompt.json',
  type: 'object',
  required: ['id', 'name', 'text', 'createdAt', 'updatedAt'],
  properties: {
    // example: "a1b2c3d4-e5f6-7890-abcd-1234567890ef"
    id: { type: 'string', format: 'uuid' },
    // search looks in name and text ("Search by name or text"), so both are sent; a chat-style prompt
    // (systemPrompt/userPrompt) may plausibly have no text, so null is tolerated there
    name: { type: 'string' },
    text: { type: ['string', 'null'] },
    // example: "2024-06-10T09:15:00Z"
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
    model: { type: ['string', 'null'] },
    // example: "0.0025" — a decimal string, not a JSON number
    estimatedCost: { type: ['string', 'null'], pattern: DECIMAL_STRING },
    estimatedTokens: { type: ['integer', 'null'], minimum: 0 },
    responseFormat: { type: ['string', 'null'] },
    order: { type: ['integer', 'null'] },
    systemPrompt: { type: ['string', 'null'] },
    userId: { type: ['string', 'null'] },
    userPrompt: { type: ['string', 'null'] },
  },
} as const;

export const paginationSchema = {
  $id: 'https://conformance.local/runtype/pagination.json',
  type: 'object',
  required: [
    'currentOffset',
    'hasMore',
    'hasPrev',
    'limit',
    'nextCursor',
    'prevCursor',
    'currentPage',
    'totalCount',
    'totalPages',
  ],
  properties: {
    currentOffset: { type: 'integer', minimum: 0 },
    hasMore: { type: 'boolean' },
    hasPrev: { type: 'boolean' },
    // "Max results per page (default 50, max 100)"
    limit: { type: 'integer', minimum: 1, maximum: 100 },
    // example: "cursor_123abc" and null — opaque strings, null when there is no such page
    nextCursor: { type: ['string', 'null'] },
    prevCursor: { type: ['string', 'null'] },
    // 0 is tolerated here: what an empty result reports is a gap (RT-GAP-EMPTY-RESULT)
    currentPage: { type: 'integer', minimum: 0 },
    totalCount: { type: 'integer', minimum: 0 },
    totalPages: { type: 'integer', minimum: 0 },
  },
} as const;

export const listPromptsSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://conformance.local/runtype/list-prompts.json',
  title: 'Runtype GET /v1/prompts 200 body',
  type: 'object',
  required: ['data', 'filtersApplied', 'pagination'],
  properties: {
    data: { type: 'array', items: promptSchema },
    // "map from strings to any"
    filtersApplied: { type: 'object' },
    pagination: paginationSchema,
  },
} as const;

/** The endpoint page's example response, verbatim in structure; it must validate. */
export const docExample = {
  data: [
    {
      createdAt: '2024-06-10T09:15:00Z',
      estimatedCost: '0.0025',
      estimatedTokens: 150,
      id: 'a1b2c3d4-e5f6-7890-abcd-1234567890ef',
      model: 'gpt-4-turbo',
      name: 'Customer Support Reply',
      responseFormat: 'json',
      text: 'Generate a polite and concise response to a customer inquiry about order status.',
      updatedAt: '2024-06-12T14:20:00Z',
      order: 1,
      systemPrompt: 'You are a helpful assistant providing customer support.',
      userId: 'user_987654321',
      userPrompt: 'Write a response to a customer asking about their order delivery date.',
    },
  ],
  filtersApplied: {},
  pagination: {
    currentOffset: 0,
    hasMore: true,
    hasPrev: false,
    limit: 50,
    nextCursor: 'cursor_123abc',
    prevCursor: null,
    currentPage: 1,
    totalCount: 120,
    totalPages: 3,
  },
} as const;
