/**
 * The clients' own validators and types, from the published JSON Schemas in schemas/ (not from the suite's
 * internals), compiled once with the clients' own Ajv. Types are closed: a misspelt field does not compile.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import type { FromSchema } from 'json-schema-to-ts';
import { errorSchema, listRunsSchema, type runSchema } from '../../schemas/betterprompt/list-runs.schema';
import { listPromptsSchema, type promptSchema } from '../../schemas/runtype/list-prompts.schema';

/**
 * `T` without string index signatures, recursively. The schemas leave objects open (the docs do not close
 * them), so their derived types accept any key; a client's types should not: `run.runNmae` must not compile.
 */
export type Closed<T> = T extends readonly (infer U)[]
  ? Closed<U>[]
  : T extends object
    ? { [K in keyof T as string extends K ? never : K]: Closed<T[K]> }
    : T;

export type ListRuns = Closed<FromSchema<typeof listRunsSchema>>;
export type Run = Closed<FromSchema<typeof runSchema>>;
export type BpError = FromSchema<typeof errorSchema>;
export type ListPrompts = Closed<FromSchema<typeof listPromptsSchema>>;
export type Prompt = Closed<FromSchema<typeof promptSchema>>;

const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);

/**
 * What a client checks in a 200 body. `full` (default): the whole body against the published schema.
 * `paging`: only what the client itself uses to page — the envelope, the list being an array of objects,
 * `hasMore`, and the cursor field (BetterPrompt `runId`, Runtype `nextCursor`); the rest is handed on as the
 * server sent it, typed as documented but unchecked.
 */
export type Validation = 'full' | 'paging';

const bpPaging = {
  type: 'object',
  required: ['status', 'data'],
  properties: {
    status: { const: 'SUCCESS' },
    data: {
      type: 'object',
      required: ['rows', 'hasMore'],
      properties: {
        rows: {
          type: 'array',
          items: { type: 'object', required: ['runId'], properties: { runId: { type: 'string' } } },
        },
        hasMore: { type: 'boolean' },
      },
    },
  },
} as const;

const rtPaging = {
  type: 'object',
  required: ['data', 'pagination'],
  properties: {
    data: { type: 'array', items: { type: 'object' } },
    pagination: {
      type: 'object',
      required: ['hasMore'],
      properties: { hasMore: { type: 'boolean' }, nextCursor: { type: ['string', 'null'] } },
    },
  },
} as const;

export const validators = {
  betterprompt: { full: ajv.compile<ListRuns>(listRunsSchema), paging: ajv.compile<ListRuns>(bpPaging) },
  runtype: { full: ajv.compile<ListPrompts>(listPromptsSchema), paging: ajv.compile<ListPrompts>(rtPaging) },
} as const;

export const isBpError = ajv.compile<BpError>(errorSchema);

/** ajv's complaints as one line. */
export function problemsOf(
  errors: readonly { instancePath: string; message?: string | undefined }[] | null | undefined,
): string {
  return (errors ?? [])
    .slice(0, 5)
    .map((e) => `${e.instancePath || '(root)'} ${e.message ?? 'is invalid'}`)
    .join('; ');
}
