/**
 * Arbitraries for `GET /v1/runs`, named for what they produce. Values that need data
 * (cursors, seconds, windows) are drawn from rows the target actually returned.
 */
import fc from 'fast-check';
import { runStatusValues } from '../../../schemas/betterprompt/list-runs.schema';
import { type RowView, second } from './pager';

/** An in-range limit, biased to the bounds. */
export function validLimit(): fc.Arbitrary<number> {
  return fc.oneof(fc.constantFrom(1, 2, 49, 50), fc.integer({ min: 1, max: 50 }));
}

/** Integers above the documented maximum of 50. */
export function tooLargeLimit(): fc.Arbitrary<number> {
  return fc.oneof(fc.constantFrom(51, 52, 100, 1000), fc.integer({ min: 51, max: 2 ** 31 - 1 }));
}

/** Integers below the documented minimum of 1. */
export function tooSmallLimit(): fc.Arbitrary<number> {
  return fc.oneof(fc.constantFrom(0, -1), fc.integer({ min: -1_000_000, max: 0 }));
}

/** Text that is not an integer but that lenient parsers (parseInt, parseFloat) would read as one. */
export function nonIntegerText(): fc.Arbitrary<string> {
  return fc.oneof(
    // not '0x10' or ' 5': Number() coercion (zod's z.coerce) reads them, and the docs don't rule that out
    fc.constantFrom('abc', '2.5', '10abc', 'ten', '1_0'),
    fc.tuple(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: 9 })).map(([i, d]) => `${i}.${d}`),
    fc.tuple(fc.integer({ min: 1, max: 50 }), fc.constantFrom('x', 'abc', ' px', 'e')).map(([i, s]) => `${i}${s}`),
  );
}

/** Status values outside the documented enum, case variants first (the likeliest leniency). */
export function invalidStatus(): fc.Arbitrary<string> {
  const caseVariant = fc
    .tuple(fc.constantFrom(...runStatusValues), fc.constantFrom('upper', 'capital'))
    .map(([s, how]) => (how === 'upper' ? s.toUpperCase() : s.charAt(0).toUpperCase() + s.slice(1)));
  const other = fc.stringMatching(/^[a-z_]{1,12}$/).filter((s) => !(runStatusValues as readonly string[]).includes(s));
  return fc.oneof(caseVariant, fc.constantFrom('success', 'completed', 'cancelled', 'pending'), other);
}

/** Cursor text that is not a UUID: truncated, with a non-hex digit, numeric, free text. */
export function malformedCursor(sampleIds: readonly string[]): fc.Arbitrary<string> {
  const base = sampleIds[0] ?? '01234567-89ab-cdef-0123-456789abcdef';
  return fc.oneof(
    fc.constantFrom(base.slice(0, -1), `${base.slice(0, -1)}g`, `${base}0`, 'abc', '12345', 'null', 'undefined'),
    fc
      .stringMatching(/^[A-Za-z0-9_-]{1,40}$/)
      .filter((s) => !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(s)),
  );
}

/** Indices of rows sharing their createdAt second with a neighbour: where cursor bugs live. */
export function tieIndices(rows: readonly RowView[]): number[] {
  const out: number[] = [];
  rows.forEach((r, i) => {
    const prev = rows[i - 1];
    const next = rows[i + 1];
    if ((prev && second(prev) === second(r)) || (next && second(next) === second(r))) out.push(i);
  });
  return out;
}

/** A row index in [min, max), half the time a tie member. */
export function rowIndex(rows: readonly RowView[], min = 0, max = rows.length): fc.Arbitrary<number> {
  const anywhere = fc.integer({ min, max: Math.max(min, max - 1) });
  const ties = tieIndices(rows).filter((i) => i >= min && i < max);
  return ties.length ? fc.oneof(fc.constantFrom(...ties), anywhere) : anywhere;
}

export function statusValue(): fc.Arbitrary<(typeof runStatusValues)[number]> {
  return fc.constantFrom(...runStatusValues);
}

/** A query of random, mostly-invalid parameters: the no-5xx fuzz. */
export function anyQuery(sampleIds: readonly string[]): fc.Arbitrary<Record<string, string>> {
  const value = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.integer().map(String),
    fc.constantFrom('', '-1', '0', '1e309', 'NaN', 'null', '[]', '%00', ...sampleIds.slice(0, 2)),
    malformedCursor(sampleIds),
  );
  const key = fc.constantFrom('limit', 'status', 'since', 'until', 'startingAfter', 'endingBefore', 'unknownParam');
  return fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 });
}
