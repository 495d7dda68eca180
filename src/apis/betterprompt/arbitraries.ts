/**
 * Arbitraries for `GET /v1/runs`, named for what they produce. Values that need data
 * (cursors, seconds, windows) are drawn from rows the target actually returned.
 */
import fc from 'fast-check';
import { runStatusValues } from '../../../schemas/betterprompt/list-runs.schema';
import { ids, isRunStatus, MAX_LIMIT, type RowView, rowAt, second } from './pager';

type RunStatus = (typeof runStatusValues)[number];

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
  const other = fc.stringMatching(/^[a-z_]{1,12}$/).filter((s) => !isRunStatus(s));
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

/** A row index in [min, max), half the time a tie member. @defaultValue min 0, max rows.length */
export function rowIndex(rows: readonly RowView[], min = 0, max = rows.length): fc.Arbitrary<number> {
  const anywhere = fc.integer({ min, max: Math.max(min, max - 1) });
  const ties = tieIndices(rows).filter((i) => i >= min && i < max);
  return ties.length ? fc.oneof(fc.constantFrom(...ties), anywhere) : anywhere;
}

/** One of the documented run statuses. */
export function statusValue(): fc.Arbitrary<RunStatus> {
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

/** The fixed cases (edges every seed should meet) beside `random` ones, fast-check picking between them. */
export function fixedOr<T>(fixed: readonly T[], random: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof(fc.constantFrom(...fixed), random);
}

/** A row index in [min, max) and a page size: where a cursor page starts and how long it is. @defaultValue min 0, max rows.length */
export function positionLimit(
  rows: readonly RowView[],
  min = 0,
  max = rows.length,
): fc.Arbitrary<readonly [number, number]> {
  return fc.tuple(rowIndex(rows, min, max), validLimit());
}

/** A page size and, optionally, a startingAfter position in [0, rows.length - 1). */
export function limitAfterRow(rows: readonly RowView[]): fc.Arbitrary<{ limit: number; at: number | undefined }> {
  return fc.record({
    limit: validLimit(),
    at: fc.option(rowIndex(rows, 0, rows.length - 1), { nil: undefined }),
  });
}

/** An until bound at a row's own second (true) or at the second after it (false), by row index. */
export function untilAtRow(rows: readonly RowView[]): fc.Arbitrary<readonly [number, boolean]> {
  return fc.tuple(rowIndex(rows), fc.boolean());
}

/** A listed second and a gap of up to a day: a since/until pair in either order. */
export function secondAndGap(seconds: readonly number[]): fc.Arbitrary<readonly [number, number]> {
  return fc.tuple(fc.constantFrom(...seconds), fc.integer({ min: 1, max: 86_400 }));
}

/** since/until text that is not an integer unix timestamp: an ISO date, a fraction, lenient-parser bait. */
export function nonIntegerTimestamp(): fc.Arbitrary<string> {
  return fc.oneof(nonIntegerText(), fc.constantFrom('2025-11-03T10:15:30Z', '1700000000.5'));
}

/** Cursor text: a listed run's ID or text that is not a UUID. */
export function cursorText(rows: readonly RowView[]): fc.Arbitrary<string> {
  return fc.oneof(
    rowIndex(rows).map((i) => rowAt(rows, i).runId),
    malformedCursor(ids(rows)),
  );
}

/**
 * A hasMore case: a since window (`sinces`, or none when empty), a startingAfter position in it (-1: the
 * first page) and a page size; `count(since)` is how many rows the window lists.
 */
export function hasMoreCase(
  sinces: readonly number[],
  count: (since: number | undefined) => number,
): fc.Arbitrary<{ i: number; limit: number; since: number | undefined }> {
  return (sinces.length ? fc.constantFrom(...sinces) : fc.constant(undefined)).chain((since) => {
    const n = count(since);
    return fc.tuple(fc.integer({ min: -1, max: n - 1 }), validLimit()).map(([i, limit]) => ({ i, limit, since }));
  });
}

/** A forward walk's page size, biased to sizes that end a page inside a tie group (where cursor bugs live). */
export function walkLimit(rows: readonly RowView[]): fc.Arbitrary<number> {
  const tieCuts = tieIndices(rows)
    .map((i) => i + 1)
    .filter((l) => l <= MAX_LIMIT && l > 1);
  const fixed = [tieCuts[0] ?? 7, 7];
  return fc.oneof(fc.constantFrom(...fixed), tieCuts.length ? fc.constantFrom(...tieCuts) : validLimit(), validLimit());
}

/** A backward walk's page size: 7 (several pages), 50 (the maximum), or any valid one. */
export function backwardWalkLimit(): fc.Arbitrary<number> {
  return fc.oneof(fc.constantFrom(7, 50), validLimit());
}

/** A filtered walk: rows [newest, oldest] as a since/until window, a status or none, about `pages` pages. */
export interface FilterWindow {
  newest: number;
  oldest: number;
  status: RunStatus | undefined;
  /** Whether until bounds the window above (otherwise only since does). */
  bounded: boolean;
  pages: number;
}

/** Filtered walks over windows whose oldest row is at most `maxOld`, up to 41 rows wide. */
export function filterWindow(rows: readonly RowView[], maxOld: number): fc.Arbitrary<FilterWindow> {
  return fc
    .record({
      newest: rowIndex(rows, 0, maxOld + 1),
      span: fc.integer({ min: 0, max: 40 }),
      status: fc.option(statusValue(), { nil: undefined }),
      bounded: fc.boolean(),
      pages: fc.integer({ min: 1, max: 6 }),
    })
    .map(({ newest, span, status, bounded, pages }) => ({
      newest,
      oldest: Math.min(maxOld, newest + span),
      status,
      bounded,
      pages,
    }));
}

/** A startingAfter position in [0, max), a status filter and a page size. */
export function cursorStatusLimit(
  rows: readonly RowView[],
  max: number,
): fc.Arbitrary<readonly [number, RunStatus, number]> {
  return fc.tuple(rowIndex(rows, 0, max), statusValue(), validLimit());
}

/** A filtered endingBefore page: a status or none, a since at a row or none, which matching row, a page size. */
export interface FilteredBefore {
  status: string | undefined;
  sinceAt: number | undefined;
  /** Picks the cursor among the matching rows after the first (modulo their count). */
  pick: number;
  limit: number;
}

/** Filtered endingBefore pages over `rows`. */
export function filteredBefore(rows: readonly RowView[]): fc.Arbitrary<FilteredBefore> {
  return fc.record({
    status: fc.option(statusValue(), { nil: undefined }),
    sinceAt: fc.option(rowIndex(rows), { nil: undefined }),
    pick: fc.nat(),
    limit: validLimit(),
  });
}
