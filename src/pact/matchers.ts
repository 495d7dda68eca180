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

/**
 * An integer or null (BetterPrompt `credits`). Pact has no union matcher and pact-js cannot set `combine: OR`,
 * so this is a regex over the JSON text of the value: it admits `150` and `null` (and, loosely, `"150"`,
 * which the client's schema validation still rejects). The example stays a number.
 */
export function integerOrNull(example: number): ReturnType<typeof M.integer> {
  // any: pact-js types a regex matcher's value as string; the FFI takes any JSON example
  return { 'pact:matcher:type': 'regex', regex: '^(-?\\d+|null)$', value: example } as unknown as ReturnType<typeof M.integer>;
}

/** Present, with a string or null value (Runtype cursors on a last page); same regex trick as {@link integerOrNull}. */
export function stringOrNull(example: string | null): ReturnType<typeof M.string> {
  return { 'pact:matcher:type': 'regex', regex: '^[\\s\\S]*$', value: example } as unknown as ReturnType<typeof M.string>;
}

/** A request value the provider state supplies (`${name}`), e.g. a cursor that exists only on that provider. */
export const fromState = (name: string, example: string) => M.fromProviderState(`\${${name}}`, example);
