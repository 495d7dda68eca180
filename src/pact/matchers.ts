/** Matchers the consumer tests share: a contract pins the shape a client relies on, not the example's values. */
import { MatchersV3 as M } from '@pact-foundation/pact';

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
/** RFC 3339 date-time, what JSON Schema's `date-time` format accepts; fractional seconds optional (Runtype's example has none). */
export const ISO_8601_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$';

export const uuid = (example: string) => M.regex(UUID_PATTERN, example);
export const isoDateTime = (example: string) => M.regex(ISO_8601_PATTERN, example);

/** Any bearer token: the verifier's request filter swaps in the real key, so the example's value means nothing. */
export const EXAMPLE_KEY = 'example-api-key';
export const bearerKey = () => M.regex('^Bearer \\S+$', `Bearer ${EXAMPLE_KEY}`);

/*
 * The one rule for what a pact pins: a pact is never looser than the typed client. Every field the client's
 * schema checks and the docs' example shows is in the pact with a matcher for the type the schema demands:
 * `integer` for integers, a decimal-string pattern for decimal strings, the enum as a pattern, and
 * `T | null` as "T or null". Where Pact cannot say exactly what the client accepts (a field the schema
 * makes optional; a decimal string that may be null) the pact errs strict: verification then fails on a
 * provider the client would have accepted, never passes one the client rejects.
 */

type Rule = { 'pact:matcher:type': string; [k: string]: unknown };

/**
 * `rule` or null. pact-js has no union matcher and cannot write `combine: OR`, so this writes both
 * matchers and {@link nullableAsOr} turns the pair into an OR in the written pact file (an AND of "T" and
 * "null" could never match, so the pair has no other reading). The example stays what it is.
 */
function orNull<T>(rule: Rule, example: unknown): T {
  // any: pact-js types matchers by their example; the FFI takes a list of matchers under one path
  return { 'pact:matcher:type': [rule, { 'pact:matcher:type': 'null' }], value: example } as unknown as T;
}

// the example is never null: a type matcher compares against the example's type, and null would admit only null

/** An integer or null (BetterPrompt `credits`, Runtype `order` and `estimatedTokens`). */
export const integerOrNull = (example: number) =>
  orNull<ReturnType<typeof M.integer>>({ 'pact:matcher:type': 'integer' }, example);

/** A string or null (Runtype cursors, the optional string fields of a prompt). */
export const stringOrNull = (example: string) =>
  orNull<ReturnType<typeof M.string>>({ 'pact:matcher:type': 'type' }, example);

/**
 * A decimal string such as "0.0025" (Runtype `estimatedCost`): a string (a JSON number fails) and the pattern.
 * Both must hold, so this cannot also admit null: the pact is stricter than the client there (see the rule above).
 */
export function decimalString(pattern: string, example: string): ReturnType<typeof M.string> {
  // any: as in orNull, a list of matchers under one path (combined by AND)
  return {
    'pact:matcher:type': [{ 'pact:matcher:type': 'type' }, { 'pact:matcher:type': 'regex', regex: pattern }],
    value: example,
  } as unknown as ReturnType<typeof M.string>;
}

/** A request value the provider state supplies (`${name}`), e.g. a cursor that exists only on that provider. */
export const fromState = (name: string, example: string) => M.fromProviderState(`\${${name}}`, example);
