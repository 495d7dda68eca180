/** What the BetterPrompt docs leave open. The run records what the target did for each. */
import type { DocGap } from '../../shared/rule';

export const gaps: readonly DocGap[] = [
  {
    id: 'BP-GAP-LIMIT-STATUS',
    doc: 'GET /v1/runs › Error responses; published facts',
    summary: 'Whether an out-of-range or non-integer limit gets 400 or 422 is not stated.',
    handling: 'Both are accepted; the body code must match the HTTP status. Observed statuses listed below.',
  },
  {
    id: 'BP-GAP-TIE-ORDER',
    doc: 'GET /v1/runs › Summary',
    summary: 'The order of runs that share a createdAt is not stated, nor how a cursor treats them.',
    handling: 'Any order is accepted if it is stable between requests and cursors neither skip nor repeat tie members.',
  },
  {
    id: 'BP-GAP-BACKWARD-HASMORE',
    doc: 'GET /v1/runs › Response (hasMore), Params (endingBefore)',
    summary: 'What hasMore means on an endingBefore page (newer rows left, or older) is not stated.',
    handling:
      'Not asserted; the backward walk stops on an empty page or the newest row instead. Observed values below.',
  },
  {
    id: 'BP-GAP-BACKWARD-ORDER',
    doc: 'GET /v1/runs › Params (endingBefore)',
    summary: 'Which rows an endingBefore page holds when more than limit are newer, and in what order, is not stated.',
    handling: 'Assumed: the limit rows nearest the cursor, newest first (the listing order stated in the Summary).',
  },
  {
    id: 'BP-GAP-UNKNOWN-CURSOR',
    doc: 'GET /v1/runs › Error responses',
    summary: 'The answer to a well-formed run ID that matches no run (deleted, another user’s) is not stated.',
    handling: 'Only "not a 5xx" is asserted. Observed status below.',
  },
  {
    id: 'BP-GAP-FILTER-CURSOR',
    doc: 'GET /v1/runs › Params (status, startingAfter)',
    summary: 'Whether a cursor must itself match the filters sent with it is not stated.',
    handling:
      'A 4xx for a cursor outside the filter is recorded, not failed; a 200 must continue the filtered listing from the cursor.',
  },
  {
    id: 'BP-GAP-OUTPUT-TYPES',
    doc: 'GET /v1/runs › Response (outputs: "See Output item types")',
    summary: 'The linked "Output item types" section is not published; only {type, data} appears in the example.',
    handling: 'The schema requires a string `type` on each output item and nothing more.',
  },
  {
    id: 'BP-GAP-AUTH-STATUS',
    doc: 'Guide "Error handling"',
    summary: 'Missing and wrong keys: 401 is listed, 403 is not; which applies to which case is not stated.',
    handling: 'Either 401 or 403 is accepted for both.',
  },
  {
    id: 'BP-GAP-EMPTY-PARAM',
    doc: 'GET /v1/runs › Query parameters',
    summary: 'Empty values (limit=, status=) and repeated parameters are not covered.',
    handling: 'Not asserted beyond "no 5xx" (the fuzz sends them).',
  },
  {
    id: 'BP-GAP-CREATION-CLOCK',
    doc: 'GET /v1/runs › Summary, Params (since, until)',
    summary:
      'Whether a run can be listed with a createdAt older than runs already listed (clock skew, backfill) is not stated, nor which clock since/until use.',
    handling:
      'Comparisons use only runs created before an anchor second: the newest listed second when it is within 120 s of the suite clock (it may still receive runs), else the second after it. Newer runs are checked only for what every row must satisfy (filters, order, limit).',
  },
];
