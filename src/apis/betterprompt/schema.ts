/** Validators and types for BetterPrompt, derived from the JSON Schemas (no hand-written twins). */
import type { ValidateFunction } from 'ajv';
import type { FromSchema } from 'json-schema-to-ts';
import { errorSchema, listRunsSchema, runSchema } from '../../../schemas/betterprompt/list-runs.schema';
import { ajv } from '../../shared/ajv';

export type ListRuns = FromSchema<typeof listRunsSchema>;
export type Run = FromSchema<typeof runSchema>;
export type BpError = FromSchema<typeof errorSchema>;

export const isListRuns = ajv.compile<ListRuns>(listRunsSchema);
// the row schema is embedded in the list schema; reuse its compiled form rather than register it twice
export const isRun = ajv.getSchema<Run>(runSchema.$id) as ValidateFunction<Run>;
export const isBpError = ajv.compile<BpError>(errorSchema);
