/** What the Runtype docs leave open. The run records what the target did for each. */
import type { DocGap } from '../../shared/rule';
import { DEFAULT_DIRECTION_VALUES } from './settings';

export const gaps: readonly DocGap[] = [
  {
    id: 'RT-GAP-DIRECTION',
    doc: 'GET /v1/prompts › Query parameters (direction: enum, no allowed values listed); published facts',
    summary: 'direction is an enum whose allowed values are not published.',
    handling: `Values come from RUNTYPE_DIRECTION_VALUES (default ${DEFAULT_DIRECTION_VALUES.join(',')}); each is probed on the first page (GET) and its status recorded. Cursors are followed without direction first; a value is only sent when that fails.`,
  },
  {
    id: 'RT-GAP-CURSOR',
    doc: 'GET /v1/prompts › Query parameters (cursor: "Pagination cursor"), Response (nextCursor, prevCursor)',
    summary:
      'Cursor semantics are not described: whether prevCursor needs a direction, whether filters must be re-sent, whether a cursor may be used with another limit.',
    handling:
      "Cursors are followed with the same limit and filters re-sent (if the target refuses that, the cursor alone, recorded). A backward walk tries prevCursor alone, then with each configured direction value, and passes if any of them walks back exactly; what worked is recorded. A cursor used with another limit may be refused (recorded). Whether a cursor is a position (offset) or a key is not stated: a walk that meets a prompt again at a page edge is excused only when totalCount grew since it was first seen (rows inserted before the cursor's offset), a page walked back that differs only when the listing grew and a fresh reading holds that page there now; both are recorded and noted as drift, never excused otherwise.",
  },
  {
    id: 'RT-GAP-CURSOR-FORMAT',
    doc: 'Published facts (sibling endpoints: base64 JSON {id, offset})',
    summary:
      'The cursor format of this endpoint is not stated; sibling endpoints show base64 JSON holding an id and an offset.',
    handling: 'Cursors are opaque to every rule; the observed format is recorded for information only.',
  },
  {
    id: 'RT-GAP-LIMIT',
    doc: 'GET /v1/prompts › Query parameters (limit: string, default 50, max 100); Errors (400)',
    summary:
      'limit is typed as a string; which values above 100, below 1 or non-numeric are rejected and which are clamped is not stated.',
    handling:
      'Either a 4xx with a JSON body or a 200 holding at most 100 items (and at most its reported limit) is accepted; never a 5xx. What each value got is recorded.',
  },
  {
    id: 'RT-GAP-SEARCH-CASE',
    doc: 'GET /v1/prompts › Query parameters (search: "Search by name or text")',
    summary:
      'Whether search is case-sensitive is not stated, nor whether a term with spaces is one phrase or separate words.',
    handling:
      'Both are accepted: results must contain the term in any case, and include every prompt containing it in its exact case. Whether case-changed terms found more is recorded. Terms are single-word pieces, so phrase versus word matching is not probed.',
  },
  {
    id: 'RT-GAP-MODEL-CASE',
    doc: 'GET /v1/prompts › Query parameters (model: "Filter by model ID")',
    summary: 'Whether the model filter compares model IDs case-sensitively ("GPT-4" vs "gpt-4") is not stated.',
    handling:
      'Model values are sent exactly as seen on prompts (and as prefixes of them); a case-changed model is never sent, so either reading passes.',
  },
  {
    id: 'RT-GAP-ORDER',
    doc: 'GET /v1/prompts › Response',
    summary: 'The listing order (newest first? by order?) and the order of prompts sharing a createdAt are not stated.',
    handling:
      'No direction is asserted, only consistency: walks at any page size give the same set, identical requests the same page, and where the walked listing is ordered by createdAt (either way) every other page keeps that order (RT-PAGE-ORDER). The order seen is recorded. Prompts created during the run may appear wherever that order puts them; a change of count, membership or fields between two readings of the listing is drift (re-read and compared again), a change of order alone is not.',
  },
  {
    id: 'RT-GAP-PROMPT-FIELDS',
    doc: 'GET /v1/prompts › Response (data: list of objects; example only)',
    summary: 'Which prompt fields are always present, and which may be null, is not stated.',
    handling:
      'Required: id (UUID), name, text (string or null), createdAt, updatedAt. The other example fields may be absent or null but must have the example types when set. Fields seen absent or null are recorded.',
  },
  {
    id: 'RT-GAP-FLOW-IDS',
    doc: 'GET /v1/prompts › Query parameters (flowId)',
    summary:
      'The example prompt carries no flowId, so a client cannot see which flow a prompt is in; the answer to an unknown flowId is not stated.',
    handling:
      'flowIds come from a flowId field on prompts when the target sends one, and from RUNTYPE_FLOW_IDS; per-item checks run only where prompts expose flowId. An unknown flowId may get 200 (empty) or a 4xx (recorded).',
  },
  {
    id: 'RT-GAP-FILTERS-APPLIED',
    doc: 'GET /v1/prompts › Response (filtersApplied: map from strings to any)',
    summary: 'The keys and values of filtersApplied are not described.',
    handling:
      'Each filter sent must appear among its values (trimmed, any case); the keys seen are recorded. Nothing is asserted without filters.',
  },
  {
    id: 'RT-GAP-EMPTY-RESULT',
    doc: 'GET /v1/prompts › Response (pagination)',
    summary:
      'What currentPage and totalPages say for an empty result is not stated (ceil(0/limit) = 0, but 1 is common).',
    handling: 'For totalCount 0, totalPages and currentPage may be 0 or 1. Observed values recorded.',
  },
  {
    id: 'RT-GAP-AUTH',
    doc: 'GET /v1/prompts › Authentication (Bearer), example (bare key); Errors (401, 403)',
    summary:
      'The curl example sends the key without "Bearer"; which of 401/403 a missing or wrong key gets is not stated.',
    handling:
      'The suite sends "Bearer <key>" (the Authentication section). 401 or 403 accepted for both; observed statuses recorded.',
  },
  {
    id: 'RT-GAP-ERROR-BODY',
    doc: 'GET /v1/prompts › Errors; published facts (no error body shape given)',
    summary: 'The body of a 400/401/403/500 is not described.',
    handling: 'Only "JSON with a JSON content type" is asserted; the top-level keys seen are recorded.',
  },
  {
    id: 'RT-GAP-EMPTY-PARAM',
    doc: 'GET /v1/prompts › Query parameters',
    summary: 'Empty values (search=, limit=, model=) and unknown parameters are not covered.',
    handling: 'Not asserted beyond "no 5xx" (the fuzz sends them); the answer to search= is recorded.',
  },
];
