/** One fault per rule: the reference provider with exactly that behaviour broken. A missing entry fails to compile. */
import type { IsolationKnob } from '../../shared/accounts';
import type { Fault } from '../../shared/api';
import { isolationFaults } from './isolation';
import type { BpKnob } from './provider';
import type { BpRuleId } from './rules';

export const faults: Record<BpRuleId, Fault<BpKnob | IsolationKnob>> = {
  'BP-RESP-ENVELOPE': {
    knob: 'envelope-status-lowercase',
    description: 'envelope status "success" instead of "SUCCESS"',
  },
  'BP-ROW-SCHEMA': { knob: 'row-missing-run-name', description: 'rows lack runName' },
  'BP-ROW-CREDITS': { knob: 'credits-string', description: 'credits serialised as a string' },
  'BP-ROW-CREATED-AT': {
    knob: 'created-at-not-iso',
    description: 'createdAt as "2025-11-03 10:15:30" (no T, no zone)',
  },
  'BP-ROW-STATUS': { knob: 'run-status-uppercase', description: 'runStatus in upper case' },
  'BP-ORDER-NEWEST-FIRST': { knob: 'order-oldest-first', description: 'rows oldest first' },
  'BP-LIMIT-DEFAULT': { knob: 'default-limit-20', description: 'default page size 20' },
  'BP-LIMIT-BOUND': { knob: 'limit-plus-one', description: 'returns limit + 1 rows' },
  'BP-LIMIT-MAX': { knob: 'limit-max-100', description: 'accepts limit up to 100' },
  'BP-LIMIT-MIN': { knob: 'limit-zero-ok', description: 'accepts limit=0 (empty page)' },
  'BP-LIMIT-INTEGER': { knob: 'limit-parse-int', description: 'parses limit with parseInt ("10abc" → 10)' },
  'BP-STATUS-FILTER': { knob: 'status-filter-ignored', description: 'ignores the status filter' },
  'BP-STATUS-INVALID': { knob: 'status-case-insensitive', description: 'accepts "SUCCEEDED" and other case variants' },
  'BP-SINCE-INCLUSIVE': { knob: 'since-exclusive', description: 'since compares with > instead of >=' },
  'BP-UNTIL-EXCLUSIVE': { knob: 'until-inclusive', description: 'until compares with <= instead of <' },
  'BP-SINCE-BEFORE-UNTIL': { knob: 'since-equal-until-ok', description: 'since == until accepted (empty page)' },
  'BP-TIME-INTEGER': { knob: 'time-non-integer-ignored', description: 'non-integer since/until silently ignored' },
  'BP-CURSOR-CONFLICT': { knob: 'cursor-conflict-ok', description: 'both cursors accepted, startingAfter wins' },
  'BP-CURSOR-UUID': { knob: 'cursor-any-string', description: 'a non-UUID cursor is ignored instead of rejected' },
  'BP-CURSOR-AFTER': {
    knob: 'cursor-tie-skip',
    description: 'startingAfter compares createdAt only, skipping runs that share the cursor time',
  },
  'BP-CURSOR-BEFORE': {
    knob: 'ending-before-newest',
    description: 'endingBefore returns the newest rows, not the ones next to the cursor',
  },
  'BP-HASMORE': {
    knob: 'hasmore-when-full',
    description: 'hasMore = (page is full), true on an exactly-full last page',
  },
  'BP-HASMORE-FULL': {
    knob: 'filter-after-page',
    description: 'status filter applied after slicing the page (short pages with hasMore)',
  },
  'BP-WALK-FORWARD': {
    knob: 'cursor-cache-off-by-one',
    description:
      'resolves the cursor a walk sends next (the last run of the unfiltered page served just before) from a page cache one row off, skipping a row per page; a cursor taken from anywhere else is right',
  },
  'BP-WALK-BACKWARD': { knob: 'ending-before-inclusive', description: 'endingBefore includes the cursor row' },
  'BP-FILTER-WALK': { knob: 'window-ignored-with-cursor', description: 'since/until dropped once a cursor is given' },
  'BP-FILTER-CURSOR': {
    knob: 'cursor-index-in-filtered-list',
    description: "uses the cursor's position in the full listing as an index into the filtered one",
  },
  'BP-FILTER-BEFORE': {
    knob: 'ending-before-ignores-filters',
    description: 'endingBefore drops the status and since/until filters',
  },
  'BP-EMPTY-PAGE': { knob: 'empty-rows-null', description: 'data.rows is null when nothing matches' },
  'BP-ERROR-ENVELOPE': { knob: 'error-envelope-plain', description: 'errors as {error: "..."} without status/message' },
  'BP-AUTH-MISSING': { knob: 'auth-optional', description: 'no Authorization header is let through' },
  'BP-AUTH-WRONG': { knob: 'auth-any-key', description: 'any bearer token is accepted' },
  'BP-DETERMINISTIC': { knob: 'shuffle-ties', description: 'runs sharing a createdAt come back in random order' },
  'BP-NO-5XX': { knob: 'crash-on-unknown-cursor', description: 'an unknown (well-formed) cursor crashes with 500' },
  'BP-RESP-JSON': { knob: 'content-type-html', description: 'pages served as text/html' },
  'BP-RATE-LIMIT-HEADER': {
    knob: 'rate-limit-no-retry-after',
    description: '429 without Retry-After on every 3rd request',
  },
  ...isolationFaults,
};

/**
 * Second and further faults per rule, where a rule covers combinations, boundaries, page kinds or old data:
 * each is what a real server bug looks like, and is self-tested like `faults`. `rows` sets the data size a
 * fault needs to show (old-data faults live beyond the first 1,000 runs).
 */
export const extraFaults: readonly {
  rule: BpRuleId;
  knob: BpKnob | IsolationKnob;
  description: string;
  rows?: number;
}[] = [
  { rule: 'BP-LIMIT-MAX', knob: 'limit-51-ok', description: 'accepts limit=51 (max off by one)' },
  {
    rule: 'BP-CURSOR-AFTER',
    knob: 'cursor-off-by-one',
    description: 'startingAfter skips one row, wherever the cursor comes from (every forward walk skips too)',
  },
  {
    rule: 'BP-LIMIT-BOUND',
    knob: 'limit-50-short',
    description:
      'returns 49 rows for limit=50 while more follow, hasMore still true (a buffer one short at the maximum): the comparisons at limit 50 defer to it',
  },
  {
    rule: 'BP-LIMIT-MAX',
    knob: 'limit-max-49',
    description: 'refuses limit=50, the documented maximum (max off by one the other way)',
  },
  {
    rule: 'BP-LIMIT-MAX',
    knob: 'limit-unchecked-with-cursor',
    description: 'limit is validated on first pages only; with a cursor it is clamped',
  },
  { rule: 'BP-LIMIT-MAX', knob: 'limit-huge-500', description: 'a limit past 2^31 overflows into a 500' },
  {
    rule: 'BP-LIMIT-DEFAULT',
    knob: 'default-limit-cursor-20',
    description: 'the default limit of 10 applies only without a cursor (20 on cursor pages)',
  },
  {
    rule: 'BP-STATUS-FILTER',
    knob: 'status-dropped-with-window',
    description: 'the status filter is dropped when since or until is also given',
  },
  {
    rule: 'BP-STATUS-FILTER',
    knob: 'status-dropped-on-cursor',
    description: 'the status filter is dropped on cursor pages',
  },
  {
    rule: 'BP-STATUS-INVALID',
    knob: 'status-unchecked-with-cursor',
    description: 'status is validated on first pages only (an unknown status with a cursor lists everything)',
  },
  {
    rule: 'BP-CURSOR-BEFORE',
    knob: 'ending-before-ignores-limit',
    description: 'endingBefore returns up to 50 rows whatever the limit',
  },
  { rule: 'BP-CURSOR-BEFORE', knob: 'ending-before-oldest-first', description: 'endingBefore pages come oldest first' },
  {
    rule: 'BP-UNTIL-EXCLUSIVE',
    knob: 'until-inclusive-on-cursor',
    description: 'until compares with <= on cursor pages (startingAfter or endingBefore) only',
  },
  {
    rule: 'BP-SINCE-INCLUSIVE',
    knob: 'since-milliseconds',
    description: 'since read as milliseconds (every run matches)',
  },
  {
    rule: 'BP-HASMORE',
    knob: 'hasmore-false-filtered',
    description: 'hasMore is always false on status-filtered pages',
  },
  {
    rule: 'BP-HASMORE',
    knob: 'hasmore-unfiltered',
    description:
      'on status-filtered startingAfter pages hasMore counts the rows that follow without the filter (the last page says more follow)',
  },
  {
    rule: 'BP-HASMORE',
    knob: 'hasmore-false-deep',
    description: 'hasMore from a capped count: false after the first 100 runs, so walks end early',
  },
  {
    rule: 'BP-ROW-CREATED-AT',
    knob: 'created-at-epoch-ms',
    description: 'createdAt as epoch milliseconds (a number), not an ISO string',
  },
  { rule: 'BP-NO-5XX', knob: 'timestamp-overflow-500', description: 'a since/until past 2^31 overflows into a 500' },
  {
    rule: 'BP-ROW-CREDITS',
    knob: 'old-credits-string',
    description: 'credits as strings on runs older than the first 1,200 (a legacy column)',
    rows: 3000,
  },
  {
    rule: 'BP-FILTER-WALK',
    knob: 'old-rows-missing-filtered',
    description: 'status-filtered results omit runs older than the first 1,200 (a partial index)',
    rows: 3000,
  },
  {
    rule: 'BP-ROW-STATUS',
    knob: 'archive-status-uppercase',
    description: 'runStatus in upper case on runs older than the first 10,000 (an archive tier that stores them so)',
    rows: 12_000,
  },
  // combinations: each parameter alone is right, only the pair is wrong (the response audit judges every answer)
  {
    rule: 'BP-FILTER-WALK',
    knob: 'since-exclusive-with-until',
    description: 'since compared with > only when until is sent too',
  },
  {
    rule: 'BP-ISO-CURSOR',
    knob: 'owner-dropped-backward',
    description: 'forgets the owner condition on endingBefore pages only (a second query path for backward paging)',
  },
  {
    rule: 'BP-ISO-CURSOR',
    knob: 'foreign-cursor-refused-apart',
    description:
      "refuses another account's run ID as a cursor with 401 while an ID that exists nowhere gets 404 (the answer tells which IDs exist)",
  },
  {
    rule: 'BP-RESP-JSON',
    knob: 'body-cut-on-cursor',
    description: 'cuts every startingAfter page in half (a body that stops mid-JSON)',
  },
];

/**
 * Combination faults the response audit sees in other rules' requests (or, for hasMore, the owner's window
 * edges): their self-tests run the whole catalogue, not the owner alone (see audit-sweep.selftest.test.ts).
 */
export const auditFaults: readonly { rule: BpRuleId; knob: BpKnob; description: string }[] = [
  {
    rule: 'BP-HASMORE',
    knob: 'hasmore-false-with-window',
    description: 'hasMore false on every since+until page without a status filter',
  },
  {
    rule: 'BP-UNTIL-EXCLUSIVE',
    knob: 'until-inclusive-with-since',
    description: 'until compared with <= only when since is sent too (a second query for windows)',
  },
];
