/**
 * `conformance.baseline.json`: rules a target is known to break, each with a reason and an expiry date.
 * `baseline.schema.json` beside this file is the same schema as plain JSON for editors (a unit test keeps them equal).
 */
export const baselineEntrySchema = {
  type: 'object',
  required: ['rule', 'reason', 'expires'],
  additionalProperties: false,
  properties: {
    rule: {
      type: 'string',
      pattern: '^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$',
      description: 'Rule ID from the catalogue, e.g. BP-CURSOR-AFTER',
    },
    reason: {
      type: 'string',
      minLength: 1,
      pattern: '\\S',
      description: 'Why the deviation is accepted for now (an issue link helps)',
    },
    expires: {
      type: 'string',
      format: 'date',
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description:
        'Last day (UTC, YYYY-MM-DD) on which the failure is reported as known; from the next day it fails the run again',
    },
    api: {
      type: 'string',
      enum: ['betterprompt', 'runtype'],
      description: 'Only for this API (default: the API whose catalogue holds the rule)',
    },
    target: {
      type: 'string',
      minLength: 1,
      description:
        'Only for this target: "embedded", or the configured base URL (with or without /v1); default: any target',
    },
  },
} as const;

/** A Pact interaction the gate accepts as known, by its description (see `src/shared/baseline.ts`). */
export const baselineInteractionSchema = {
  type: 'object',
  required: ['interaction', 'reason', 'expires'],
  additionalProperties: false,
  properties: {
    interaction: {
      type: 'string',
      minLength: 1,
      pattern: '\\S',
      description: "The interaction's description in the pact, e.g. a request for the first page of runs",
    },
    reason: baselineEntrySchema.properties.reason,
    expires: baselineEntrySchema.properties.expires,
    api: baselineEntrySchema.properties.api,
  },
} as const;

export const baselineSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://conformance.local/baseline.json',
  title: 'Known conformance deviations',
  type: 'object',
  required: ['entries'],
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    entries: { type: 'array', items: baselineEntrySchema },
    interactions: { type: 'array', items: baselineInteractionSchema },
  },
} as const;
