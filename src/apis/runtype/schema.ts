/** Validators and types for Runtype, derived from the JSON Schemas (no hand-written twins). */
import type { ValidateFunction } from 'ajv';
import type { FromSchema } from 'json-schema-to-ts';
import { listPromptsSchema, paginationSchema, promptSchema } from '../../../schemas/runtype/list-prompts.schema';
import { ajv } from '../../shared/ajv';

export type ListPrompts = FromSchema<typeof listPromptsSchema>;
export type Prompt = FromSchema<typeof promptSchema>;
export type Pagination = FromSchema<typeof paginationSchema>;

export const isListPrompts = ajv.compile<ListPrompts>(listPromptsSchema);
// the prompt and pagination schemas are embedded in the list schema; reuse their compiled forms
export const isPrompt = ajv.getSchema<Prompt>(promptSchema.$id) as ValidateFunction<Prompt>;
export const isPagination = ajv.getSchema<Pagination>(paginationSchema.$id) as ValidateFunction<Pagination>;
