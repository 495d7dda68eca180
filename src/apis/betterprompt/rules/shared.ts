/** Helpers more than one section of the BetterPrompt rules uses; the rest sit beside the rule they serve. */
import { expectStatus } from '../../../shared/expect';
import type { Exchange, Query } from '../../../shared/http';
import { expectThat } from '../../../shared/rule';
import { sequenceDiff } from '../../../shared/sequence';
import { tieIndices } from '../arbitraries';
import type { BpContext } from '../context';
import { ids, idsWithTimes, type RowView, rowAt, second } from '../pager';

/** `actual` holds the rows of `expected`, in its order; the message shows where they part. */
export function expectSequence(
  ex: Exchange,
  expected: readonly RowView[],
  actual: readonly RowView[],
  what: string,
): void {
  const diff = sequenceDiff(ids(expected), ids(actual));
  expectThat(diff === undefined, () => ({
    expected: `${what}: ${expected.length} rows ${idsWithTimes(expected, 4)}`,
    actual: `${diff ?? ''}; got ${idsWithTimes(actual, 4)}`,
    exchange: ex,
  }));
}

/** Sends `query` and expects one of `statuses` (`why`: what makes the query invalid). */
export async function expectRejected(
  ctx: BpContext,
  query: Query,
  statuses: readonly number[],
  why: string,
): Promise<Exchange> {
  const ex = await ctx.get(query);
  expectStatus(ex, statuses, `${statuses.join(' or ')} (${why})`);
  return ex;
}

/** The first member of each tie group (where a cursor bug shows), up to `max`, within [0, end). */
export function tieStarts(rows: readonly RowView[], max: number, end = rows.length): number[] {
  return tieIndices(rows)
    .filter((i) => i < end && (i === 0 || second(rowAt(rows, i - 1)) !== second(rowAt(rows, i))))
    .slice(0, max);
}

/** A property of a JSON value, undefined when the value is not an object: reads a body no validator narrowed. */
export function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? Reflect.get(value, key) : undefined;
}
